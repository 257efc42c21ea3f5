/**
 * Webhook subscriptions of API v2.0 (`{root}/subscriptions`) and their notifications.
 *
 * Sources:
 * - [webhooks] MicrosoftDocs/dynamics365smb-devitpro-pb `dev-itpro/api-reference/v2.0/dynamics-subscriptions.md`
 *   ("Working with webhooks in Dynamics 365 Business Central"): POST body `notificationUrl`,
 *   `resource` ("/api/v2.0/companies(…)/customers"), `clientState` (example "optionalValueOf2048");
 *   handshake on create and on renewal (PATCH); expiry after three days; notification payload
 *   `{ value: [ { subscriptionId, clientState, expirationDateTime, resource, changeType,
 *   lastModifiedDateTime } ] }`, several subscriptions in one payload; 30 s delay after the first
 *   change, more than 1,000 changed records → one `collection` entry whose resource carries a
 *   `$filter` on the modification time; retries for 36 hours on 408 / 429 / 5xx, any other answer
 *   deletes the subscription; list of supported entities (customerPayments and journalLines are
 *   not in it); on-premises settings ApiSubscriptionExpiration / MaxNumberOfSubscriptions /
 *   DelayTime / MaxNumberOfNotifications ("per NotificationUrl").
 * - [subres] same repo `resources/dynamics_subscriptions.md` (properties: subscriptionId string,
 *   notificationUrl, resource "Supports relative and absolute URL", timestamp, userId,
 *   lastModifiedDateTime, clientState, expirationDateTime, systemCreatedAt/By, systemModifiedAt/By).
 * - [subapi] same repo `api/dynamics_subscriptions_create|get|update|delete.md`: POST → 201 with
 *   the subscription; PATCH `subscriptions('{id}')` with If-Match (required) → 200; DELETE with
 *   If-Match (required) → 204; subscriptionId like "c670ea73cacb459bb51dc1740da2f1db".
 * - [notes] /work/shared/business-central-api.md ("at most 200 subscriptions per environment",
 *   clientState ≤ 250: the beta page's "optionalValueOf250"; v1.0/v2.0 pages say 2048).
 * - [kauffmann] kauffmann.nl "How to test Business Central webhooks" (2020): the handshake must be
 *   answered within 5 seconds; `resource` may be given as `companies(…)/customers`.
 *
 * Unverified (no source found; chosen by the sandbox and listed in README): the error codes and
 * texts of a failed handshake, an unsupported resource and the 200 limit; the handshake's HTTP
 * method (POST); the retry schedule's shape; whether the collection filter uses `gt`.
 */
import type * as http from 'node:http';
import { type ApiRequest, type ApiResponse, type Context, ok } from './context.cjs';
import { BcError, errors } from './errors.cjs';
import { GUID_RE } from './entities.cjs';
import { answerKind, handshakeUrl, isLoopbackUrl, type OutgoingAnswer, send } from './notifier.cjs';
import type { Rng } from './random.cjs';
import { bcNow, type CompanyData, etagFor, type Versioned } from './store.cjs';
import type {
	ApiSubscription,
	HandshakeRecord,
	NotificationEntry,
	NotificationRecord,
	SubscriptionRecord,
} from './types.cjs';

export const DAY_MS = 24 * 60 * 60 * 1000;

export const SUBSCRIPTION_DEFAULTS = {
	subscriptionLifetimeMs: 3 * DAY_MS,
	maxSubscriptions: 200,
	handshakeTimeoutMs: 5000,
	notificationDelayMs: 200,
	collectionThreshold: 1000,
	notificationTimeoutMs: 5000,
	notificationRetryDelaysMs: [100, 200, 400] as number[],
};

/** [webhooks] "List of supported entities" (v2.0). */
export const WEBHOOK_ENTITIES = [
	'accounts',
	'companyInformation',
	'countriesRegions',
	'currencies',
	'customerPaymentJournals',
	'customers',
	'dimensions',
	'employees',
	'generalLedgerEntries',
	'itemCategories',
	'items',
	'journals',
	'paymentMethods',
	'paymentTerms',
	'purchaseInvoices',
	'salesCreditMemos',
	'salesInvoices',
	'salesOrders',
	'salesQuotes',
	'shipmentMethods',
	'unitsOfMeasure',
	'vendors',
];

/** Of those, the ones the sandbox stores (and so can notify about). */
const SERVED: Record<
	string,
	(c: CompanyData) => Versioned<{ id: string; lastModifiedDateTime?: string }>[]
> = {
	customers: (c) => c.customers,
	salesInvoices: (c) => c.invoices,
	customerPaymentJournals: (c) => c.journals,
	journals: (c) => c.generalJournals,
};

const WRITABLE = new Set(['notificationUrl', 'resource', 'clientState']);
const SANDBOX_USER = '00000000-0000-0000-0000-000000000001';

interface Stored {
	data: SubscriptionRecord;
	version: number;
	companyId: string;
	entitySet: string;
}

interface Change {
	id: string;
	changeType: 'created' | 'updated' | 'deleted';
	lastModifiedDateTime: string;
}

/** Text of a subscription key: `('id')`, `(id)`. */
function parseKey(raw: string): string {
	let text = raw;
	try {
		text = decodeURIComponent(raw);
	} catch {
		throw errors.querySyntax();
	}
	const m = /^\(\s*'([^']*)'\s*\)$/.exec(text) ?? /^\(\s*([\w-]+)\s*\)$/.exec(text);
	if (!m) throw errors.querySyntax();
	return m[1].toLowerCase();
}

/** Seconds precision, as the docs' examples ("2021-10-15T12:32:35Z"). */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class SubscriptionEngine {
	private readonly subs = new Map<string, Stored>();
	/** Per `companyId/entitySet` with at least one subscription: id → version, modified. */
	private readonly baselines = new Map<
		string,
		Map<string, { version: number; modified: string }>
	>();
	/** Pending changes per subscription id (deduplicated per record). */
	private readonly pending = new Map<string, Map<string, Change>>();
	private readonly batchTimers = new Map<string, NodeJS.Timeout>();
	private readonly retryTimers = new Set<NodeJS.Timeout>();
	private readonly inFlight = new Set<Promise<void>>();
	private readonly active = new Set<http.ClientRequest>();
	readonly notificationsSent: NotificationRecord[] = [];
	readonly handshakes: HandshakeRecord[] = [];
	clockOffsetMs = 0;
	private closed = false;

	constructor(
		private readonly ctx: Context,
		private readonly rng: Rng,
	) {}

	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	private opt<K extends keyof typeof SUBSCRIPTION_DEFAULTS>(
		key: K,
	): (typeof SUBSCRIPTION_DEFAULTS)[K] {
		const value = (this.ctx.options as Record<string, unknown>)[key];
		return (value ?? SUBSCRIPTION_DEFAULTS[key]) as (typeof SUBSCRIPTION_DEFAULTS)[K];
	}

	/** `subscriptions`, `subscriptions('id')`, `subscriptions(id)` below any service root. */
	static matches(path: string): boolean {
		return /^subscriptions(\(.*\))?\/?$/i.test(path);
	}

	list(): ApiSubscription[] {
		this.removeExpired();
		return [...this.subs.values()].map((s) => this.present(s));
	}

	expire(id: string): void {
		const s = this.subs.get(id.toLowerCase());
		if (!s) throw new Error(`Unknown subscription ${id}`);
		s.data.expirationDateTime = isoSeconds(this.now() - 1000);
	}

	// ---- HTTP -------------------------------------------------------------------------------

	async handle(req: ApiRequest): Promise<ApiResponse> {
		this.removeExpired();
		const m = /^subscriptions(\(.*\))?\/?$/i.exec(req.path) as RegExpExecArray;
		const key = m[1] === undefined ? undefined : parseKey(m[1]);
		if (key === undefined) {
			if (req.method === 'GET') {
				return ok(200, {
					'@odata.context': `${req.base}/$metadata#subscriptions`,
					value: this.list(),
				});
			}
			if (req.method === 'POST') return this.create(req);
			throw errors.methodNotAllowed(req.method, 'subscriptions', 'EntitySet');
		}
		const stored = this.subs.get(key);
		if (!stored) throw errors.notFound('subscription', key);
		if (req.method === 'GET') return this.answer(req, stored, 200);
		if (req.method === 'PATCH') return this.renew(req, stored);
		if (req.method === 'DELETE') {
			this.checkIfMatch(req, stored);
			this.remove(key);
			return ok(204, undefined);
		}
		throw errors.methodNotAllowed(req.method, 'subscriptions', 'Entity');
	}

	private async create(req: ApiRequest): Promise<ApiResponse> {
		const body = this.body(req, true);
		const notificationUrl = body.notificationUrl as string;
		const { companyId, entitySet, resource } = this.parseResource(body.resource as string);
		const clientState = (body.clientState as string | undefined) ?? '';
		if (this.subs.size >= this.opt('maxSubscriptions')) {
			// [notes] "At most 200 subscriptions per environment"; code and text unverified
			throw new BcError(
				400,
				'BadRequest',
				`The maximum number of subscriptions (${this.opt('maxSubscriptions')}) has been reached for this environment.`,
			);
		}
		await this.handshake(notificationUrl, 'create');
		this.scan(); // changes before this subscription are not its business
		const nowMs = this.now();
		const id = this.rng.hex(32);
		const at = bcNow(nowMs);
		const data: SubscriptionRecord = {
			subscriptionId: id,
			notificationUrl,
			resource,
			timestamp: 0,
			userId: SANDBOX_USER,
			lastModifiedDateTime: at,
			clientState,
			expirationDateTime: isoSeconds(nowMs + this.opt('subscriptionLifetimeMs')),
			systemCreatedAt: at,
			systemCreatedBy: SANDBOX_USER,
			systemModifiedAt: at,
			systemModifiedBy: SANDBOX_USER,
		};
		const stored: Stored = { data, version: 1, companyId, entitySet };
		this.subs.set(id, stored);
		this.ensureBaseline(companyId, entitySet);
		return this.answer(req, stored, 201, { location: `${req.base}/subscriptions('${id}')` });
	}

	private async renew(req: ApiRequest, stored: Stored): Promise<ApiResponse> {
		this.checkIfMatch(req, stored);
		const body = this.body(req, false);
		const notificationUrl =
			(body.notificationUrl as string | undefined) ?? stored.data.notificationUrl;
		const target =
			body.resource !== undefined ? this.parseResource(body.resource as string) : undefined;
		// [webhooks] "PATCH requests a handshake, just like POST requests"
		await this.handshake(notificationUrl, 'renew');
		if (!this.subs.has(stored.data.subscriptionId))
			throw errors.notFound('subscription', stored.data.subscriptionId);
		const nowMs = this.now();
		const at = bcNow(nowMs);
		stored.data = {
			...stored.data,
			notificationUrl,
			...(target ? { resource: target.resource } : {}),
			...(body.clientState !== undefined ? { clientState: body.clientState as string } : {}),
			expirationDateTime: isoSeconds(nowMs + this.opt('subscriptionLifetimeMs')),
			lastModifiedDateTime: at,
			systemModifiedAt: at,
			timestamp: stored.data.timestamp + 1,
		};
		if (target) {
			stored.companyId = target.companyId;
			stored.entitySet = target.entitySet;
			this.ensureBaseline(target.companyId, target.entitySet);
		}
		stored.version++;
		// changes still waiting go to the (possibly new) URL
		if ((this.pending.get(stored.data.subscriptionId)?.size ?? 0) > 0)
			this.armBatch(notificationUrl);
		return this.answer(req, stored, 200);
	}

	private checkIfMatch(req: ApiRequest, stored: Stored): void {
		// [subapi] If-Match "Required" on PATCH and DELETE; same rules as the other entities
		const ifMatch = req.headers['if-match'];
		if (ifMatch === undefined || ifMatch.trim() === '') throw errors.invalidToken();
		const tags = ifMatch.split(',').map((t) => t.trim());
		if (tags.includes('*')) return;
		if (tags.some((t) => !/^(W\/)?"[^"]*"$/.test(t))) throw errors.invalidToken();
		if (!tags.includes(etagFor(stored.data.subscriptionId, stored.version)))
			throw errors.entityChanged(this.ctx.options.conflictStatus ?? 409);
	}

	private body(req: ApiRequest, creating: boolean): Record<string, unknown> {
		const body = req.body;
		if (body === null || typeof body !== 'object' || Array.isArray(body))
			throw errors.badBody('The request body must be a JSON object.');
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
			if (k.startsWith('@odata.')) continue;
			if (k === 'subscriptionId' && creating) continue; // [subapi] the create example sends one; ignored
			if (!WRITABLE.has(k)) {
				if (k in EMPTY_RECORD) throw errors.readOnly(k);
				throw errors.unknownProperty(k, 'Microsoft.NAV.subscriptions');
			}
			if (typeof v !== 'string')
				throw errors.badBody(
					`Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.String' (property '${k}').`,
				);
			out[k] = v;
		}
		if (creating && (out.notificationUrl === undefined || out.notificationUrl === ''))
			throw new BcError(400, 'BadRequest', 'The notificationUrl must be specified.');
		if (creating && (out.resource === undefined || out.resource === ''))
			throw new BcError(400, 'BadRequest', 'The resource must be specified.');
		if (out.notificationUrl !== undefined && !isLoopbackUrl(out.notificationUrl as string)) {
			// the sandbox's own rule: it never calls outside the machine
			throw new BcError(
				400,
				'BadRequest',
				`The sandbox only calls http:// notification URLs on 127.0.0.1 or localhost, not '${String(out.notificationUrl)}'.`,
			);
		}
		if (out.clientState !== undefined) {
			// [webhooks]/[subapi] v1.0 and v2.0: "optionalValueOf2048"; beta: "optionalValueOf250"
			const max = req.api === 'beta' ? 250 : 2048;
			const text = out.clientState as string;
			if (text.length > max) throw errors.stringLength('clientState', text, max);
		}
		return out;
	}

	/**
	 * [webhooks] `/api/v2.0/companies({id})/customers`; [subres] "relative and absolute URL";
	 * [kauffmann] `companies({id})/customers`. Stored as sent.
	 */
	private parseResource(resource: string): {
		companyId: string;
		entitySet: string;
		resource: string;
	} {
		const path = resource.replace(/^https?:\/\/[^/]+/i, '').split('?')[0];
		const m = /(?:^|\/)companies\(([^)]*)\)\/([A-Za-z]+)\/?$/.exec(path);
		if (!m) {
			throw new BcError(
				400,
				'BadRequest',
				`The resource '${resource}' is not valid: expected '/api/v2.0/companies({id})/{entitySet}'.`,
			);
		}
		const companyId = m[1]
			.replace(/^id\s*=\s*/, '')
			.replace(/'/g, '')
			.toLowerCase();
		if (!GUID_RE.test(companyId)) throw errors.querySyntax();
		if (!this.ctx.store.company(companyId)) throw errors.companyNotFound(companyId);
		const entitySet = m[2];
		if (!WEBHOOK_ENTITIES.includes(entitySet)) {
			// [webhooks] not in the list of supported entities (customerPayments, journalLines, …);
			// code and text unverified
			throw new BcError(
				400,
				'BadRequest',
				`The resource '${entitySet}' does not support webhook subscriptions.`,
			);
		}
		if (!SERVED[entitySet]) throw errors.segmentNotFound(entitySet);
		return { companyId, entitySet, resource };
	}

	private async handshake(notificationUrl: string, purpose: 'create' | 'renew'): Promise<void> {
		const token = this.rng.hex(32);
		const target = handshakeUrl(notificationUrl, token);
		const answer = await send(
			target,
			'POST',
			undefined,
			this.opt('handshakeTimeoutMs'),
			this.active,
		);
		const accepted = answer.status === 200 && answer.body.trim() === token;
		this.handshakes.push({
			url: target,
			purpose,
			validationToken: token,
			status: answer.status,
			body: answer.body.slice(0, 1000),
			error: answer.error,
			accepted,
			at: new Date(this.now()).toISOString(),
		});
		if (!accepted) {
			// [webhooks] "created only if handshake is successful"; code and text unverified
			const why =
				answer.status === 0
					? `no answer (${answer.error ?? 'unknown'})`
					: answer.status !== 200
						? `status ${answer.status}`
						: 'a body that is not the validation token';
			throw new BcError(
				400,
				'BadRequest',
				`The subscription was not ${purpose === 'create' ? 'created' : 'renewed'}: the handshake with the notification URL failed (${why}).`,
			);
		}
	}

	private answer(
		req: ApiRequest,
		stored: Stored,
		status: 200 | 201,
		headers: Record<string, string> = {},
	): ApiResponse {
		const entity = this.present(stored);
		return ok(
			status,
			{ '@odata.context': `${req.base}/$metadata#subscriptions/$entity`, ...entity },
			{ etag: entity['@odata.etag'], ...headers },
		);
	}

	private present(stored: Stored): ApiSubscription {
		return { '@odata.etag': etagFor(stored.data.subscriptionId, stored.version), ...stored.data };
	}

	private remove(id: string): void {
		this.subs.delete(id);
		this.pending.delete(id);
		const keys = new Set([...this.subs.values()].map((s) => `${s.companyId}/${s.entitySet}`));
		for (const key of [...this.baselines.keys()]) if (!keys.has(key)) this.baselines.delete(key);
	}

	/** [webhooks] expired subscriptions are gone (they send nothing). */
	private removeExpired(): void {
		const nowMs = this.now();
		for (const [id, s] of this.subs) {
			if (Date.parse(s.data.expirationDateTime) <= nowMs) this.remove(id);
		}
	}

	// ---- change detection ---------------------------------------------------------------------

	private ensureBaseline(companyId: string, entitySet: string): void {
		const key = `${companyId}/${entitySet}`;
		if (this.baselines.has(key)) return;
		const company = this.ctx.store.company(companyId);
		if (!company) return;
		this.baselines.set(key, this.snapshot(company, entitySet));
	}

	private snapshot(company: CompanyData, entitySet: string) {
		const map = new Map<string, { version: number; modified: string }>();
		for (const row of SERVED[entitySet](company))
			map.set(row.data.id, { version: row.version, modified: row.data.lastModifiedDateTime ?? '' });
		return map;
	}

	/**
	 * Compares the subscribed entity sets with what was seen last and queues a change per record
	 * for every live subscription of that set. Called after every API request and on flush.
	 */
	scan(): void {
		if (this.subs.size === 0 || this.closed) return;
		this.removeExpired();
		for (const [key, before] of this.baselines) {
			const [companyId, entitySet] = key.split('/');
			const company = this.ctx.store.company(companyId);
			if (!company) continue;
			const after = this.snapshot(company, entitySet);
			const changes: Change[] = [];
			for (const [id, now] of after) {
				const old = before.get(id);
				if (!old)
					changes.push({
						id,
						changeType: 'created',
						lastModifiedDateTime: now.modified || bcNow(this.now()),
					});
				else if (now.version !== old.version)
					changes.push({
						id,
						changeType: 'updated',
						lastModifiedDateTime: now.modified || bcNow(this.now()),
					});
			}
			for (const id of before.keys()) {
				if (!after.has(id))
					changes.push({ id, changeType: 'deleted', lastModifiedDateTime: bcNow(this.now()) });
			}
			this.baselines.set(key, after);
			if (changes.length === 0) continue;
			for (const s of this.subs.values()) {
				if (s.companyId !== companyId || s.entitySet !== entitySet) continue;
				let queue = this.pending.get(s.data.subscriptionId);
				if (!queue) this.pending.set(s.data.subscriptionId, (queue = new Map()));
				for (const c of changes) {
					const prev = queue.get(c.id);
					// [webhooks] one notification per record within the delay; a record created and then
					// changed is still "created"
					const changeType =
						prev?.changeType === 'created' && c.changeType === 'updated' ? 'created' : c.changeType;
					queue.set(c.id, { ...c, changeType });
				}
				this.armBatch(s.data.notificationUrl);
			}
		}
	}

	/** [webhooks] "the system waits 30 seconds after the first change" (option notificationDelayMs). */
	private armBatch(url: string): void {
		if (this.batchTimers.has(url) || this.closed) return;
		const t = setTimeout(() => {
			this.batchTimers.delete(url);
			this.track(this.sendBatch(url));
		}, this.opt('notificationDelayMs'));
		this.batchTimers.set(url, t);
	}

	private track(p: Promise<void>): void {
		this.inFlight.add(p);
		void p.finally(() => this.inFlight.delete(p));
	}

	/** Builds the payload of one notification URL from its subscriptions' pending changes. */
	private takeBatch(url: string): { entries: NotificationEntry[]; ids: string[] } {
		this.removeExpired();
		const subs = [...this.subs.values()].filter(
			(s) =>
				s.data.notificationUrl === url && (this.pending.get(s.data.subscriptionId)?.size ?? 0) > 0,
		);
		const total = subs.reduce(
			(n, s) => n + (this.pending.get(s.data.subscriptionId)?.size ?? 0),
			0,
		);
		const collection = total > this.opt('collectionThreshold');
		const entries: NotificationEntry[] = [];
		for (const s of subs) {
			const changes = [...(this.pending.get(s.data.subscriptionId)?.values() ?? [])];
			this.pending.delete(s.data.subscriptionId);
			const common = {
				subscriptionId: s.data.subscriptionId,
				clientState: s.data.clientState,
				expirationDateTime: s.data.expirationDateTime,
			};
			const base = this.resourcePath(s);
			if (collection) {
				// [webhooks] "a single collection notification"; the resource carries a filter that
				// selects what changed (the docs' sample: `$filter=lastDateTimeModified gt …`; the
				// sandbox uses the property's real name, lastModifiedDateTime, and a second before the
				// earliest change). Deleted records are not found by it.
				const earliest = Math.min(...changes.map((c) => Date.parse(c.lastModifiedDateTime)));
				const since = isoSeconds(Math.floor(earliest / 1000) * 1000 - 1000);
				const latest = changes
					.map((c) => c.lastModifiedDateTime)
					.sort()
					.at(-1) as string;
				entries.push({
					...common,
					resource: `${base}?$filter=lastModifiedDateTime%20gt%20${since}`,
					changeType: 'collection',
					lastModifiedDateTime: latest,
				});
				continue;
			}
			for (const c of changes) {
				entries.push({
					...common,
					resource: `${base}(${c.id})`,
					changeType: c.changeType,
					lastModifiedDateTime: c.lastModifiedDateTime,
				});
			}
		}
		return { entries, ids: subs.map((s) => s.data.subscriptionId) };
	}

	/** `api/v2.0/companies(c)/customers` (the docs' sample payload has no leading slash). */
	private resourcePath(s: Stored): string {
		const api = /\/?api\/(v2\.0|v1\.0|beta)\//.exec(s.data.resource)?.[1] ?? 'v2.0';
		return `api/${api}/companies(${s.companyId})/${s.entitySet}`;
	}

	private async sendBatch(url: string): Promise<void> {
		const { entries, ids } = this.takeBatch(url);
		if (entries.length === 0) return;
		await this.deliver(url, entries, ids, 1);
	}

	private async deliver(
		url: string,
		entries: NotificationEntry[],
		ids: string[],
		attempt: number,
	): Promise<void> {
		if (this.closed) return;
		// expired in the meantime: nothing is sent for them
		const live = entries.filter((e) => {
			const s = this.subs.get(e.subscriptionId);
			return s && Date.parse(s.data.expirationDateTime) > this.now();
		});
		this.removeExpired();
		if (live.length === 0) return;
		const body = JSON.stringify({ value: live });
		const answer: OutgoingAnswer = await send(
			url,
			'POST',
			body,
			this.opt('notificationTimeoutMs'),
			this.active,
		);
		const kind = answerKind(answer);
		const record: NotificationRecord = {
			url,
			attempt,
			body: { value: live },
			status: answer.status,
			error: answer.error,
			outcome: kind === 'ok' ? 'delivered' : kind === 'refused' ? 'subscriptionDeleted' : 'retry',
			at: new Date(this.now()).toISOString(),
		};
		this.notificationsSent.push(record);
		if (kind === 'ok' || this.closed) return;
		if (kind === 'refused') {
			// [webhooks] "no retries are attempted and the subscription is deleted"
			for (const id of new Set(live.map((e) => e.subscriptionId))) this.remove(id);
			return;
		}
		const delays = this.opt('notificationRetryDelaysMs');
		if (attempt > delays.length) {
			record.outcome = 'gaveUp';
			return;
		}
		const t = setTimeout(
			() => {
				this.retryTimers.delete(t);
				this.retries.delete(retry);
				this.track(retry.run());
			},
			delays[attempt - 1],
		);
		const retry = { timer: t, run: () => this.deliver(url, live, ids, attempt + 1) };
		this.retries.add(retry);
		this.retryTimers.add(t);
	}

	private readonly retries = new Set<{ timer: NodeJS.Timeout; run: () => Promise<void> }>();

	/**
	 * Test control: detect changes now, send every pending batch and due-later retry now, and wait
	 * until those requests are answered (one attempt each; a retry they cause is scheduled as usual).
	 */
	async flush(): Promise<void> {
		this.scan();
		const work: Promise<void>[] = [...this.inFlight];
		for (const [url, t] of this.batchTimers) {
			clearTimeout(t);
			this.batchTimers.delete(url);
			work.push(this.sendBatch(url));
		}
		for (const retry of this.retries) {
			clearTimeout(retry.timer);
			this.retryTimers.delete(retry.timer);
			this.retries.delete(retry);
			work.push(retry.run());
		}
		await Promise.all(work);
	}

	close(): void {
		this.closed = true;
		for (const t of this.batchTimers.values()) clearTimeout(t);
		for (const t of this.retryTimers) clearTimeout(t);
		this.batchTimers.clear();
		this.retryTimers.clear();
		this.retries.clear();
		for (const req of this.active) req.destroy();
	}
}

const EMPTY_RECORD: Record<keyof SubscriptionRecord, true> = {
	subscriptionId: true,
	notificationUrl: true,
	resource: true,
	timestamp: true,
	userId: true,
	lastModifiedDateTime: true,
	clientState: true,
	expirationDateTime: true,
	systemCreatedAt: true,
	systemCreatedBy: true,
	systemModifiedAt: true,
	systemModifiedBy: true,
};
