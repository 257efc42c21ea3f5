/**
 * HTTP front of the sandbox (node:http, 127.0.0.1 only): the Entra ID token
 * endpoint, the API service roots of BC SaaS
 * (`/v2.0/{tenant}/{environment}/api/v2.0|v1.0|beta`, also
 * `/v2.0/{environment}/api/...` with the tenant implied) and the legacy
 * Financials root (`/v1.0/api/beta`, `/v1.0/{tenant}/api/beta|v1.0`), and the
 * pipeline every API request goes through:
 * auth (401) → service root (404) → per-user concurrency cap and queue (429; 503 after the
 * queue timeout) → per-user rate window (429) → latency + server time per operation → fault draw (drop / hang / 503 / 504 / redirect to the foreign
 * host) → planted defect draw (self-tests only) → handler ($batch or single) →
 * apply-then fault (drop / hang / 500 / malformed / empty 200 / another user's
 * change then drop), a trickled answer, or the answer.
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { handleApi, isWrite } from './api.cjs';
import { TokenRegistry } from './auth.cjs';
import { batchSize, handleBatch } from './batch.cjs';
import { type ApiRequest, type ApiResponse, type Context, ERROR_CT, fail, JSON_CT } from './context.cjs';
import { BcError, errors } from './errors.cjs';
import { fieldsOf, ENTITIES, project } from './entities.cjs';
import { type Defect, drawDefect, drawFault, type Fault } from './faults.cjs';
import { startForeignHost } from './foreign.cjs';
import { ConcurrencyLimiter, RateWindow, withBcLimits } from './limits.cjs';
import { createRng, type Rng } from './random.cjs';
import { EMPTY_GUID } from './errors.cjs';
import { GENERAL_TEMPLATE } from './posting.cjs';
import { addDays, nextDocNumber, seedCompanies, seedPayments } from './seed.cjs';
import { bcNow, type CompanyData, etagFor, Store, type Versioned } from './store.cjs';
import { SubscriptionEngine } from './subscriptions.cjs';
import type {
	ApiCustomer,
	ApiJournal,
	ApiPayment,
	ApiSalesInvoice,
	ApiVersion,
	CustomerPayment,
	FaultEvent,
	Journal,
	Sandbox,
	SandboxOptions,
	SandboxStats,
	WriteRecord,
} from './types.cjs';

const BODY_LIMIT = 10 * 1024 * 1024;
const TENANT_ID = 'sandbox-tenant';
const ENVIRONMENT = 'production';

export const DEFAULT_OPTIONS = {
	port: 0,
	seed: 42,
	pageSize: 50,
	latencyMs: 0,
	conflictStatus: 409,
	tokenLifetimeSeconds: 3600,
	queueSize: 0,
	companies: 2,
	customersPerCompany: 12,
	journalsPerCompany: 2,
	paymentsPerJournal: 10,
} satisfies SandboxOptions;

function emptyStats(): SandboxStats {
	return {
		requests: 0,
		byMethod: {},
		batchRequests: 0,
		batchOperations: 0,
		throttled: 0,
		faults: {
			503: 0,
			504: 0,
			drop: 0,
			applyThenDrop: 0,
			hang: 0,
			applyThenHang: 0,
			slowWrite: 0,
			applyThen500: 0,
			applyThenMalformed: 0,
			applyThenEmpty200: 0,
			applyThenOtherUser: 0,
			redirect: 0,
			trickle: 0,
			trickleCut: 0,
			planted: 0,
		},
		tokensIssued: 0,
		maxConcurrentSeen: 0,
		unauthorized: 0,
		conflicts: 0,
	};
}

interface Root {
	api: ApiVersion;
	basePath: string;
	rest: string;
	tenant?: string;
	environment: string;
}

/** Splits a path into an API service root and the rest, or undefined when it is no API path. */
function matchRoot(pathname: string): Root | undefined {
	const segs = pathname.split('/').slice(1);
	let tenant: string | undefined;
	let environment = ENVIRONMENT;
	let version: string;
	let restIndex: number;
	if (segs[0] === 'v2.0' && segs[3] === 'api') {
		[tenant, environment, version, restIndex] = [segs[1], segs[2], segs[4], 5];
	} else if (segs[0] === 'v2.0' && segs[2] === 'api') {
		[environment, version, restIndex] = [segs[1], segs[3], 4];
	} else if (segs[0] === 'v1.0' && segs[1] === 'api') {
		[version, restIndex] = [segs[2], 3];
	} else if (segs[0] === 'v1.0' && segs[2] === 'api') {
		[tenant, version, restIndex] = [segs[1], segs[3], 4];
	} else return undefined;
	if (version !== 'v2.0' && version !== 'v1.0' && version !== 'beta') return undefined;
	return {
		api: version,
		basePath: `/${segs.slice(0, restIndex).join('/')}`,
		rest: segs.slice(restIndex).join('/'),
		tenant,
		environment,
	};
}

const safeDecode = (text: string) => {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
};

/** Company and payment ids a request path or $batch operation URL addresses, if it is a customerPayment. */
function paymentTarget(url: string): { companyId: string; paymentId: string } | undefined {
	const decoded = safeDecode(url);
	const company = /companies\(([^)]+)\)/i.exec(decoded);
	const payment = /customerPayments\(([^)]+)\)/i.exec(decoded);
	if (!company || !payment) return undefined;
	const clean = (key: string) => key.replace(/'/g, '').trim().toLowerCase();
	return { companyId: clean(company[1]), paymentId: clean(payment[1]) };
}

interface BatchOp {
	method?: unknown;
	url?: unknown;
	headers?: Record<string, unknown>;
}

/** The customerPayments a request writes (`writes`) or reads: its path, or its $batch's operations. */
function addressedPaymentIds(isBatch: boolean, method: string, rest: string, body: unknown, writes: boolean): string[] {
	if (!isBatch) return isWrite(method) === writes ? [paymentTarget(rest)?.paymentId ?? ''].filter(Boolean) : [];
	const ops = ((body as { requests?: unknown } | null)?.requests ?? []) as BatchOp[];
	if (!Array.isArray(ops)) return [];
	return ops
		.filter((op) => isWrite(String(op?.method ?? '').toUpperCase()) === writes)
		.map((op) => paymentTarget(String(op?.url ?? ''))?.paymentId ?? '')
		.filter(Boolean);
}

const writtenPaymentIds = (isBatch: boolean, method: string, rest: string, body: unknown) =>
	addressedPaymentIds(isBatch, method, rest, body, true);

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= BODY_LIMIT) chunks.push(chunk);
		});
		req.on('end', () => resolve(size > BODY_LIMIT ? undefined : Buffer.concat(chunks)));
		req.on('error', () => resolve(Buffer.alloc(0)));
	});
}

/**
 * A second cash receipt batch per company, `STATEMENT`, seeded empty, with CASH RCPT's balancing
 * account: a batch kept for one import job, as Business Central posts a batch as a whole (Microsoft
 * Learn, "Working with general journals", Using Journal Templates and Batches: "For each journal
 * template, you can set up your own personal journal as a journal batch."). The
 * cash-receipts example writes there, so its Post finds only its own lines. Its own seeded stream:
 * the rest of the seed data is unchanged. Its code sorts after the seeded codes (BC lists batches
 * by key), so the first batch stays CASH RCPT.
 */
function seedStatementJournals(companies: CompanyData[], rng: Rng): void {
	for (const company of companies) {
		const cash = company.journals.find((journal) => journal.data.code === 'CASH RCPT')!.data;
		const statement: Journal = {
			id: rng.guid(),
			code: 'STATEMENT',
			displayName: 'Bank statement receipts',
			balancingAccountId: cash.balancingAccountId,
			balancingAccountNumber: cash.balancingAccountNumber,
			lastModifiedDateTime: addDays('2024-01-02', rng.int(0, 20)) + 'T10:00:00Z',
		};
		company.journals.push({ data: statement, version: 1 });
		company.docPrefixes.set(statement.id, 'BNK');
	}
}

export async function startSandbox(userOptions: SandboxOptions = {}): Promise<Sandbox> {
	const options: SandboxOptions = { ...DEFAULT_OPTIONS, ...withBcLimits(userOptions) };
	const seed = options.seed ?? DEFAULT_OPTIONS.seed;
	const seedRng = createRng(seed, 'seed');
	const store = new Store(
		seedCompanies(seedRng, {
			companies: options.companies ?? DEFAULT_OPTIONS.companies,
			customersPerCompany: options.customersPerCompany ?? DEFAULT_OPTIONS.customersPerCompany,
			journalsPerCompany: options.journalsPerCompany ?? DEFAULT_OPTIONS.journalsPerCompany,
			paymentsPerJournal: options.paymentsPerJournal ?? DEFAULT_OPTIONS.paymentsPerJournal,
		}),
	);
	// the general journal template's default batch per company (what `journals` lists): its own
	// seeded stream, so the seed data above is unchanged
	const generalRng = createRng(seed, 'general-journals');
	for (const company of store.companies) {
		company.generalJournals.push({
			data: {
				id: generalRng.guid(),
				code: 'DEFAULT',
				displayName: 'Default Journal Batch',
				templateDisplayName: GENERAL_TEMPLATE,
				balancingAccountId: EMPTY_GUID,
				balancingAccountNumber: '',
				lastModifiedDateTime: addDays('2024-01-02', generalRng.int(0, 20)) + 'T09:00:00Z',
			},
			version: 1,
		});
	}
	seedStatementJournals(store.companies, createRng(seed, 'statement-journals'));
	const stats = emptyStats();
	const ctx: Context = {
		store,
		options,
		stats,
		ids: createRng(seed, 'ids'),
		batchRng: createRng(seed, 'batch'),
	};
	// own seeded stream: subscription ids and validation tokens never shift the records' GUIDs
	const subscriptionEngine = new SubscriptionEngine(ctx, createRng(seed, 'subscriptions'));
	const credentialRng = createRng(seed, 'credentials');
	const clientId = credentialRng.guid();
	const clientSecret = `sbx8Q~${credentialRng.hex(34)}`;
	const staticToken = `bc-sandbox-token-${credentialRng.hex(40)}`;
	const tokens = new TokenRegistry(
		createRng(seed, 'tokens'),
		staticToken,
		TENANT_ID,
		clientId,
		clientSecret,
	);
	const faultRng = createRng(seed, 'faults');
	// details of issue 10's faults (status, variant) and planted defects: their own streams, so
	// they never shift the fault draws of a seeded run
	const variantRng = createRng(seed, 'fault-variants');
	const defectRng = createRng(seed, 'defects');
	const faultLog: FaultEvent[] = [];
	const foreign = await startForeignHost();
	const requestIds = createRng(seed, 'request-ids');
	const rateWindow = new RateWindow();

	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	let closed = false;
	const limiter = new ConcurrencyLimiter(
		(active) => {
			stats.maxConcurrentSeen = Math.max(stats.maxConcurrentSeen, active);
		},
		{
			set: (fn, ms) => {
				const t = setTimeout(() => {
					timers.delete(t);
					fn();
				}, ms);
				timers.add(t);
				return () => {
					clearTimeout(t);
					timers.delete(t);
				};
			},
		},
	);
	const delay = (ms: number) =>
		ms > 0 && !closed
			? new Promise<void>((resolve) => {
					const t = setTimeout(() => {
						timers.delete(t);
						resolve();
					}, ms);
					timers.add(t);
				})
			: Promise.resolve();

	const send = (res: http.ServerResponse, r: ApiResponse) => {
		if (res.destroyed || res.writableEnded) return;
		const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
		res.writeHead(r.status, {
			...r.headers,
			'request-id': requestIds.guid(),
			...(payload ? { 'content-length': String(payload.length) } : { 'content-length': '0' }),
		});
		res.end(payload);
	};
	const sendError = (res: http.ServerResponse, err: BcError) => send(res, fail(ctx, err));

	/**
	 * A write whose client closed the connection before the whole answer was sent, with no
	 * fault drawn: the client's own Timeout cut it (a starved CPU, a slow disk). For the client
	 * that is an unclear answer like any drawn fault, so the fault log records it
	 * (`clientGaveUp`) and the soak does not take the client's "outcome unknown" for unprompted.
	 */
	const logClientGiveUp = (res: http.ServerResponse, method: string, batch: boolean, paymentIds: string[]) => {
		res.on('close', () => {
			if (!res.writableFinished && faultLog.length < 100_000) {
				faultLog.push({ fault: 'clientGaveUp', method, batch, paymentIds });
			}
		});
	};

	/** The answer, its body `trickleBytes` at a time every `trickleMs` (fault `trickle`). */
	const trickle = (res: http.ServerResponse, r: ApiResponse, event?: FaultEvent) => {
		if (res.destroyed || res.writableEnded) return;
		const faults = options.faults ?? {};
		const payload = r.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(r.body));
		let every = Math.max(1, faults.trickleMs ?? 50);
		let bytes = Math.max(1, faults.trickleBytes ?? 1);
		const total = faults.trickleTotalMs;
		if (total && payload.length > 0) {
			// the whole body takes at least `total` ms: bigger chunks for long bodies, a longer
			// interval for short ones
			const ticks = Math.max(1, Math.floor(total / every));
			if (payload.length >= ticks) bytes = Math.max(bytes, Math.floor(payload.length / ticks));
			else every = Math.ceil(total / payload.length);
		}
		res.writeHead(r.status, {
			...r.headers,
			'request-id': requestIds.guid(),
			'content-length': String(payload.length),
		});
		res.flushHeaders();
		let offset = 0;
		const started = Date.now();
		res.on('close', () => {
			const cut = offset < payload.length;
			if (cut) stats.faults.trickleCut++;
			if (event) Object.assign(event, { answerMs: Date.now() - started, cut });
		});
		const tick = () => {
			if (closed || res.destroyed) return;
			const chunk = payload.subarray(offset, offset + bytes);
			offset += chunk.length;
			if (offset >= payload.length) {
				res.end(chunk);
				return;
			}
			res.write(chunk);
			const t = setTimeout(() => {
				timers.delete(t);
				tick();
			}, every);
			timers.add(t);
		};
		tick();
	};

	/** The record's current eTag for a customerPayment path, if it exists. */
	const currentEtag = (url: string): string | undefined => {
		const target = paymentTarget(url);
		const company = target && store.company(target.companyId);
		const row = company && store.payment(company, target.paymentId);
		return row ? etagFor(row.data.id, row.version) : undefined;
	};

	/** Planted defect `ignoreIfMatch`: every PATCH's If-Match becomes the record's current eTag. */
	const ignoreIfMatch = (isBatch: boolean, method: string, rest: string, headers: Record<string, string | undefined>, body: unknown) => {
		if (!isBatch) {
			const etag = method === 'PATCH' ? currentEtag(rest) : undefined;
			return etag ? { ...headers, 'if-match': etag } : headers;
		}
		const ops = ((body as { requests?: unknown } | null)?.requests ?? []) as BatchOp[];
		for (const op of Array.isArray(ops) ? ops : []) {
			if (String(op?.method ?? '').toUpperCase() !== 'PATCH') continue;
			const etag = currentEtag(String(op.url ?? ''));
			if (!etag) continue;
			const opHeaders = (op.headers ?? {}) as Record<string, unknown>;
			for (const key of Object.keys(opHeaders)) if (key.toLowerCase() === 'if-match') delete opHeaders[key];
			op.headers = { ...opHeaders, 'If-Match': etag };
		}
		return headers;
	};

	/** After the handler: planted defects that change what was stored (applyTwice, resetUntouched). */
	const afterWrite = (defect: Defect, written: WriteRecord[]) => {
		for (const w of written) {
			if (w.method !== 'PATCH') continue;
			const company = store.company(w.companyId);
			const row = company && store.payment(company, w.id);
			if (!company || !row) continue;
			if (defect === 'applyTwice') {
				// the same change lands a second time: a new version, a second PATCH in the audit log
				const before: CustomerPayment = { ...row.data };
				const etagBefore = etagFor(row.data.id, row.version);
				row.data = { ...row.data, lastModifiedDateTime: bcNow() };
				row.version++;
				store.log(store.entry('PATCH', company, before, row, etagBefore, etagBefore, w.viaBatch));
			}
			if (defect === 'resetUntouched') {
				// PUT semantics: fields the PATCH did not carry are emptied (another user's comment too)
				row.data = { ...row.data, comment: '', externalDocumentNumber: '' };
				if (w.after) w.after = { ...w.after, comment: '', externalDocumentNumber: '' };
			}
		}
	};

	/** Fault `applyThenOtherUser`: another user changes every record the request wrote. */
	const otherUserChanges = (written: WriteRecord[]) => {
		const sameField = variantRng.next() < 0.5;
		for (const w of written) {
			if (w.method !== 'PATCH' && w.method !== 'POST') continue;
			const patch: Partial<CustomerPayment> = sameField
				? { description: `Changed by another user after write ${w.seq}`, comment: `other user after write ${w.seq}` }
				: { comment: `other user after write ${w.seq}` };
			store.externalChange(w.companyId, w.id, patch);
		}
	};

	/** Fault `applyThenMalformed`: an answer the client cannot parse. */
	const malformed = (req: http.IncomingMessage, res: http.ServerResponse, r: ApiResponse) => {
		const variant = Math.floor(variantRng.next() * 3);
		const payload = JSON.stringify(r.body ?? {});
		const half = payload.slice(0, Math.max(1, Math.floor(payload.length / 2)));
		if (variant === 0) {
			// not HTTP at all on the raw socket, then close
			req.socket.end('\u0000\u0015\u0003 garbage, not HTTP \r\n\r\n{"@odata.etag": W/');
			return;
		}
		if (variant === 1) {
			// a complete HTTP answer whose JSON is cut in the middle
			res.writeHead(r.status, { ...r.headers, 'content-type': JSON_CT, 'content-length': String(Buffer.byteLength(half)) });
			res.end(half);
			return;
		}
		// the announced body is cut by the connection closing
		res.writeHead(r.status, { ...r.headers, 'content-type': JSON_CT, 'content-length': String(Buffer.byteLength(payload)) });
		res.write(half, () => req.socket.destroy());
	};

	async function onTokenRequest(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		tenant: string,
		raw: Buffer,
	) {
		await delay(options.latencyMs ?? 0);
		const json = (status: number, body: unknown) =>
			send(res, {
				status,
				headers: {
					'content-type': ERROR_CT,
					'cache-control': 'no-store, no-cache',
					pragma: 'no-cache',
				},
				body,
			});
		if (req.method !== 'POST') {
			json(405, {
				error: 'invalid_request',
				error_description: 'AADSTS900561: The endpoint only accepts POST requests.',
			});
			return;
		}
		if (tenant.toLowerCase() !== TENANT_ID) {
			json(400, {
				error: 'invalid_request',
				error_description: `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
				error_codes: [90002],
			});
			return;
		}
		const r = tokens.tokenRequest(
			req.headers['content-type'],
			req.headers.authorization,
			raw.toString('utf8'),
			options.tokenLifetimeSeconds ?? DEFAULT_OPTIONS.tokenLifetimeSeconds,
		);
		if (r.status === 200) stats.tokensIssued++;
		json(r.status, r.body);
	}

	/** 429 past the concurrent requests and the queue (Max connections, Max request queue size). */
	const tooManyConcurrent = () =>
		new BcError(
			429,
			'Application_TooManyRequests',
			`Too many requests. The limit of ${options.maxConcurrent} concurrent and ${options.queueSize ?? 0} queued requests per user has been reached; retry later.`,
		);
	/** 503 for a request that waited in the queue too long ("They wait in the queue until they time out after 8 minutes"). */
	const queueTimedOut = () =>
		new BcError(
			503,
			'Internal_ServiceUnavailable',
			'The service is temporarily unavailable. Please try again later.',
			{ 'retry-after': '1' },
		);

	async function onApiRequest(
		req: http.IncomingMessage,
		res: http.ServerResponse,
		root: Root,
		url: URL,
		raw: Buffer,
	) {
		const method = (req.method ?? 'GET').toUpperCase();
		const check = tokens.check(req.headers.authorization);
		if (check.result !== 'ok' || !check.token) {
			stats.unauthorized++;
			await delay(options.latencyMs ?? 0);
			sendError(
				res,
				errors.unauthorized(tokens.challenge(`http://${req.headers.host}`, check.result)),
			);
			return;
		}
		if (root.tenant !== undefined && root.tenant.toLowerCase() !== TENANT_ID) {
			sendError(
				res,
				new BcError(
					404,
					'BadRequest_ResourceNotFound',
					`The tenant '${root.tenant}' was not found.`,
				),
			);
			return;
		}
		if (root.environment !== ENVIRONMENT) {
			sendError(
				res,
				new BcError(
					404,
					'BadRequest_ResourceNotFound',
					`The environment '${root.environment}' does not exist for tenant '${TENANT_ID}'.`,
				),
			);
			return;
		}
		let body: unknown;
		if (raw.length > 0) {
			const type = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
			if (!type.includes('json')) {
				sendError(
					res,
					new BcError(
						415,
						'BadRequest_UnsupportedMediaType',
						`The content type '${type}' is not supported; send application/json.`,
					),
				);
				return;
			}
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				sendError(res, errors.badBody('The request body is not valid JSON.'));
				return;
			}
		}
		const isBatch = root.rest === '$batch';
		const ops = isBatch ? batchSize(body) : undefined;
		if (isBatch && method === 'POST') {
			stats.batchRequests++;
			stats.batchOperations += ops ?? 0;
		}
		// per-user limits (limits.cts): the key is the user / app, not the token
		const user = check.user ?? check.token;
		const admission = await limiter.acquire(
			user,
			options.maxConcurrent,
			options.queueSize ?? 0,
			options.queueTimeoutMs,
		);
		if ('refused' in admission) {
			if (closed) return;
			stats.throttled++;
			sendError(res, admission.refused === 'full' ? tooManyConcurrent() : queueTimedOut());
			return;
		}
		const release = admission.release;
		res.on('close', release);
		if (res.destroyed || closed) return release();
		const throttle = options.throttle;
		if (throttle && !rateWindow.admit(user, Math.max(1, ops ?? 1), throttle)) {
			stats.throttled++;
			const headers =
				throttle.retryAfterSeconds !== undefined
					? { 'retry-after': String(throttle.retryAfterSeconds) }
					: undefined;
			sendError(
				res,
				new BcError(
					429,
					'Application_TooManyRequests',
					`Too many requests. The limit of ${throttle.maxRequests} requests per ${throttle.windowMs / 1000} seconds has been reached; retry later.`,
					headers,
				),
			);
			return;
		}
		// latency, then the server's time per operation: a $batch runs its operations one after
		// another (limits.cts), all inside the slot
		await delay((options.latencyMs ?? 0) + (options.operationMs ?? 0) * Math.max(1, ops ?? 1));
		if (res.destroyed || closed) return;
		const opsWrite = isBatch
			? ((body as { requests?: Array<{ method?: unknown }> }).requests ?? []).some((op) =>
					isWrite(String(op?.method ?? '').toUpperCase()),
				)
			: isWrite(method);
		const fault: Fault = drawFault(faultRng, options.faults, opsWrite);
		const event: FaultEvent | undefined = fault
			? {
					fault,
					method,
					batch: isBatch,
					paymentIds: opsWrite ? writtenPaymentIds(isBatch, method, root.rest, body) : [],
					readPaymentIds: addressedPaymentIds(isBatch, method, root.rest, body, false),
				}
			: undefined;
		// bounded, for long-running sandboxes (`npm run sandbox` with faults)
		if (event && faultLog.length < 100_000) faultLog.push(event);
		if (opsWrite && !event) logClientGiveUp(res, method, isBatch, writtenPaymentIds(isBatch, method, root.rest, body));
		if (fault === 'drop') {
			stats.faults.drop++;
			req.socket.destroy();
			return;
		}
		if (fault === 'hang') {
			stats.faults.hang++;
			return;
		}
		if (fault === '503' || fault === '504') {
			stats.faults[fault]++;
			sendError(
				res,
				fault === '503'
					? new BcError(
							503,
							'Internal_ServiceUnavailable',
							'The service is temporarily unavailable. Please try again later.',
							{ 'retry-after': '1' },
						)
					: new BcError(
							504,
							'Internal_GatewayTimeout',
							'The request did not complete in time at the gateway.',
						),
			);
			return;
		}
		if (fault === 'redirect') {
			// to another origin, before doing anything: a client must not follow it
			stats.faults.redirect++;
			send(res, {
				status: variantRng.next() < 0.5 ? 302 : 307,
				headers: { location: `${foreign.url}${req.url ?? '/'}` },
			});
			return;
		}
		const defect = opsWrite ? drawDefect(defectRng, options.faults?.defects) : undefined;
		if (defect) {
			stats.faults.planted++;
			faultLog.push({ fault: `defect:${defect}`, method, batch: isBatch, paymentIds: writtenPaymentIds(isBatch, method, root.rest, body) });
		}
		if (fault === 'slowWrite') {
			// handled late: the client may have timed out by then, the write is applied anyway
			stats.faults.slowWrite++;
			await delay(options.faults?.slowWriteMs ?? 1000);
			if (closed) return;
		}
		const apiReq: ApiRequest = {
			method,
			api: root.api,
			base: `http://${req.headers.host ?? '127.0.0.1'}${root.basePath}`,
			path: root.rest,
			query: url.searchParams,
			headers:
				defect === 'ignoreIfMatch'
					? ignoreIfMatch(isBatch, method, root.rest, req.headers as Record<string, string | undefined>, body)
					: (req.headers as Record<string, string | undefined>),
			body,
			viaBatch: false,
		};
		const writesBefore = store.writes.length;
		const snapshot = defect === 'dropWrite' ? store.snapshot() : undefined;
		let response: ApiResponse;
		if (isBatch) {
			try {
				response = handleBatch(ctx, apiReq, (op) => handleApi(ctx, op));
			} catch (err) {
				if (!(err instanceof BcError)) throw err;
				response = fail(ctx, err);
			}
		} else if (SubscriptionEngine.matches(root.rest)) {
			// webhook subscriptions (subscriptions.cts): async, the handshake calls the notification URL
			try {
				response = await subscriptionEngine.handle(apiReq);
			} catch (err) {
				if (!(err instanceof BcError)) throw err;
				response = fail(ctx, err);
			}
			if (closed) return;
		} else response = handleApi(ctx, apiReq);
		// change events for webhook subscriptions: after this request's writes and the faults below
		// that change records synchronously (apply-then-other-user)
		queueMicrotask(() => subscriptionEngine.scan());
		const written = store.writes.slice(writesBefore);
		// planted defects (self-tests only)
		if (snapshot) store.restore(snapshot);
		afterWrite(defect, written);
		if (defect === 'applyThen400') {
			sendError(res, new BcError(400, 'BadRequest_InvalidOperation', 'The operation could not be completed.'));
			return;
		}
		if (fault === 'applyThenDrop') {
			stats.faults.applyThenDrop++;
			req.socket.destroy();
			return;
		}
		if (fault === 'applyThenHang') {
			// applied, but the answer never comes: the socket stays open until the client gives up
			stats.faults.applyThenHang++;
			return;
		}
		if (fault === 'applyThen500') {
			stats.faults.applyThen500++;
			sendError(
				res,
				new BcError(500, 'Internal_ServerError', 'An unexpected error occurred on the server. Please try again later.'),
			);
			return;
		}
		if (fault === 'applyThenMalformed') {
			stats.faults.applyThenMalformed++;
			malformed(req, res, response);
			return;
		}
		if (fault === 'applyThenEmpty200') {
			// 200 without the record: an empty body, or `{}`
			stats.faults.applyThenEmpty200++;
			const empty = variantRng.next() < 0.5;
			send(res, { status: 200, headers: { 'content-type': JSON_CT, 'odata-version': '4.0' }, body: empty ? undefined : {} });
			return;
		}
		if (fault === 'applyThenOtherUser') {
			// applied; another user changes the record(s) before the answer goes out; the answer is lost
			stats.faults.applyThenOtherUser++;
			otherUserChanges(store.writes.slice(writesBefore));
			req.socket.destroy();
			return;
		}
		if (fault === 'trickle') {
			stats.faults.trickle++;
			trickle(res, response, event);
			return;
		}
		send(res, response);
	}

	async function onRequest(req: http.IncomingMessage, res: http.ServerResponse) {
		stats.requests++;
		const method = (req.method ?? 'GET').toUpperCase();
		stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		const raw = await readBody(req);
		if (closed) return;
		if (raw === undefined) {
			sendError(res, new BcError(413, 'Request_EntityTooLarge', 'The request body is too large.'));
			return;
		}
		const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/.exec(url.pathname);
		if (tokenPath) {
			let tenant = tokenPath[1];
			try {
				tenant = decodeURIComponent(tenant);
			} catch {
				// keep it raw: it will not match the tenant anyway
			}
			return onTokenRequest(req, res, tenant, raw);
		}
		const root = matchRoot(url.pathname);
		if (!root) {
			sendError(
				res,
				new BcError(
					404,
					'BadRequest_ResourceNotFound',
					`No Business Central API at '${url.pathname}'.`,
				),
			);
			return;
		}
		return onApiRequest(req, res, root, url, raw);
	}

	const server = http.createServer((req, res) => {
		onRequest(req, res).catch((err: unknown) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			send(res, {
				status: 500,
				headers: { 'content-type': ERROR_CT },
				body: { error: { code: 'Unknown', message: `Sandbox error: ${String(err)}` } },
			});
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as { port: number }).port;
	const url = `http://127.0.0.1:${port}`;

	const findByIdOrNumber = <T extends { id: string; number: string }>(
		rows: Versioned<T>[],
		idOrNumber: string,
	): Versioned<T> | undefined =>
		rows.find((r) => r.data.id === idOrNumber.toLowerCase() || r.data.number === idOrNumber);
	const withEtag = (row: Versioned<{ id: string }> | undefined, set: string) =>
		row && { '@odata.etag': etagFor(row.data.id, row.version), ...project(ENTITIES[set], 'v2.0', row.data) };

	/** Another user's line in the batch: stored raw (no validation), logged as EXTERNAL. */
	const addForeignLine = (
		company: CompanyData,
		journalId: string,
		fields: Partial<CustomerPayment>,
	): CustomerPayment => {
		const journal = company.journals.find((j) => j.data.id === journalId);
		if (!journal) throw new Error(`Unknown customer payment journal ${journalId}`);
		const siblings = store.paymentList(company, journalId).map((p) => p.data);
		const customer = company.customers[company.customers.length - 1].data;
		const line: CustomerPayment = {
			id: ctx.ids.guid(),
			journalId,
			journalDisplayName: journal.data.code,
			lineNumber: Math.max(0, ...siblings.map((p) => p.lineNumber)) + 10000,
			customerId: customer.id,
			customerNumber: customer.number,
			contactId: '',
			postingDate: new Date().toISOString().slice(0, 10),
			documentNumber: nextDocNumber(
				company.docPrefixes.get(journalId) ?? 'G99',
				siblings.map((p) => p.documentNumber),
			),
			externalDocumentNumber: '',
			amount: -100,
			appliesToInvoiceId: EMPTY_GUID,
			appliesToInvoiceNumber: '',
			description: customer.displayName,
			comment: 'entered by another user',
			lastModifiedDateTime: bcNow(),
			...fields,
		};
		line.id = line.id.toLowerCase();
		const row = { data: line, version: 1 };
		company.payments.set(line.id, row);
		store.log(store.entry('EXTERNAL', company, null, row, null, null, false));
		return { ...line };
	};

	const companyOf = (companyId: string) => {
		const company = store.company(companyId);
		if (!company) throw new Error(`Unknown company ${companyId}`);
		return company;
	};

	const sandbox: Sandbox = {
		url,
		tenantId: TENANT_ID,
		environment: ENVIRONMENT,
		baseUrl: (api: ApiVersion = 'v2.0') =>
			api === 'beta'
				? `${url}/v1.0/api/beta`
				: `${url}/v2.0/${TENANT_ID}/${ENVIRONMENT}/api/${api}`,
		tokenUrl: `${url}/${TENANT_ID}/oauth2/v2.0/token`,
		token: staticToken,
		clientId,
		clientSecret,
		options,
		stats,
		resetStats: () => {
			Object.assign(stats, emptyStats());
			faultLog.length = 0;
			foreign.reset();
		},
		foreign,
		faultLog,
		writes: store.writes,
		companies: () => store.companies.map((c) => ({ ...c.company.data })),
		journals: (companyId) => companyOf(companyId).journals.map((j) => ({ ...j.data })),
		customers: (companyId) => companyOf(companyId).customers.map((c) => ({ ...c.data })),
		invoices: (companyId) => companyOf(companyId).invoices.map((i) => ({ ...i.data })),
		payments: (companyId, journalId) =>
			store.paymentList(companyOf(companyId), journalId).map((p) => ({ ...p.data })),
		getPayment: (companyId, paymentId) => {
			const row = store.payment(companyOf(companyId), paymentId);
			if (!row) return undefined;
			return {
				'@odata.etag': etagFor(row.data.id, row.version),
				...project(ENTITIES.customerPayments, 'v2.0', row.data),
			} as ApiPayment;
		},
		seedPayments: (companyId, journalId, count) =>
			seedPayments(seedRng, companyOf(companyId), journalId.toLowerCase(), count),
		simulateConcurrentChange: (companyId, paymentId, patch) => {
			store.externalChange(companyId, paymentId, patch);
		},
		forceConflictOnce: (paymentId, times = 1, patch) => store.forceConflict(paymentId, times, patch),
		customer: (companyId, idOrNumber) =>
			withEtag(findByIdOrNumber(companyOf(companyId).customers, idOrNumber), 'customers') as
				| ApiCustomer
				| undefined,
		invoice: (companyId, idOrNumber) =>
			withEtag(findByIdOrNumber(companyOf(companyId).invoices, idOrNumber), 'salesInvoices') as
				| ApiSalesInvoice
				| undefined,
		journal: (companyId, journalId) => {
			const company = companyOf(companyId);
			const key = journalId.toLowerCase();
			const row =
				company.journals.find((j) => j.data.id === key) ??
				company.generalJournals.find((j) => j.data.id === key);
			if (!row) return undefined;
			return { '@odata.etag': etagFor(row.data.id, row.version), ...row.data } as ApiJournal;
		},
		generalJournals: (companyId) => companyOf(companyId).generalJournals.map((j) => ({ ...j.data })),
		ledgerEntries: (companyId, customerId) =>
			companyOf(companyId)
				.ledger.filter((e) => !customerId || e.customerId === customerId.toLowerCase())
				.map((e) => ({ ...e })),
		postings: store.postings,
		setAllowedPostingDates: (from, to, companyId) => {
			for (const company of companyId ? [companyOf(companyId)] : store.companies) {
				company.allowPostingFrom = from ?? '';
				company.allowPostingTo = to ?? '';
			}
		},
		addForeignPaymentLine: (companyId, journalId, fields = {}) =>
			addForeignLine(companyOf(companyId), journalId.toLowerCase(), fields),
		subscriptions: () => subscriptionEngine.list(),
		expireSubscription: (id) => subscriptionEngine.expire(id),
		advanceClock: (ms) => {
			subscriptionEngine.clockOffsetMs += ms;
		},
		now: () => new Date(subscriptionEngine.now()),
		flushNotifications: () => subscriptionEngine.flush(),
		notificationsSent: subscriptionEngine.notificationsSent,
		handshakes: subscriptionEngine.handshakes,
		close: async () => {
			if (closed) return;
			closed = true;
			subscriptionEngine.close();
			for (const t of timers) clearTimeout(t);
			timers.clear();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
				server.closeAllConnections();
			});
			await foreign.close();
		},
	};
	return sandbox;
}

/** Property names of customerPayment per API version (for docs / tests). */
export const paymentProperties = (api: ApiVersion) => fieldsOf(ENTITIES.customerPayments, api);
