/**
 * OData JSON `$batch` as BC serves it: `POST {base}/$batch` with
 * `{ requests: [{ id, method, url, headers, body }] }` → 200
 * `{ responses: [{ id, status, headers, body }] }`. At most 100 operations.
 * Operations run in request order; the responses come back in a shuffled
 * (seeded) order so clients must match them by id, as BC does not guarantee
 * the order.
 *
 * Stop at the first failure: without `Prefer: odata.continue-on-error`
 * Business Central stops processing at the first operation that fails; the
 * answer lists the operations up to and including it, later ones are neither
 * run nor listed (AJ Kauffmann, "Batch calls with Business Central (2) – Error
 * handling"; community.dynamics.com "$Batch Requests Logic", verified answer;
 * OData JSON Format 4.01 §19 "continue-on-error"). With the header every
 * operation runs and is answered. The sandbox option `batchOnError` can make it
 * always stop (a proxy stripping the header) or always continue.
 *
 * Inner answers carry `content-type` and `odata-version` but no `etag` (the
 * eTag is `@odata.etag` in the body), and an `atomicityGroup` GUID per
 * operation (Microsoft's "Using OData $batch requests" sample answer).
 * An operation URL with a leading `/` resolves against the host root, not the
 * service root, and gets 404 (same docs page: URLs are relative to the
 * service root or absolute).
 *
 * `Isolation: snapshot` makes the batch all-or-nothing: processing stops at
 * the first failing operation, every change of the batch is rolled back, the
 * failing operation reports its own error and every other operation (run
 * before and rolled back, or never run) reports 424 Failed Dependency.
 */
import { BcError, errors } from './errors.cjs';
import { type ApiRequest, type ApiResponse, type Context, fail, ok } from './context.cjs';
import { shuffle } from './random.cjs';

export const MAX_BATCH_OPERATIONS = 100;

interface BatchOperation {
	id: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

/** Number of operations of a batch body, or undefined when it is not a valid batch. */
export function batchSize(body: unknown): number | undefined {
	const requests = (body as { requests?: unknown } | null)?.requests;
	return Array.isArray(requests) ? requests.length : undefined;
}

function parseOperations(body: unknown): BatchOperation[] {
	const requests = (body as { requests?: unknown } | null)?.requests;
	if (!Array.isArray(requests)) {
		throw errors.badBody("The batch request body must be a JSON object with a 'requests' array.");
	}
	if (requests.length > MAX_BATCH_OPERATIONS) {
		throw new BcError(
			400,
			'BadRequest',
			`The batch request contains ${requests.length} operations, which exceeds the maximum of ${MAX_BATCH_OPERATIONS} operations per batch.`,
		);
	}
	const seen = new Set<string>();
	return requests.map((raw, index) => {
		const op = (raw ?? {}) as Record<string, unknown>;
		if (typeof op.id !== 'string' && typeof op.id !== 'number') {
			throw errors.badBody(`The batch operation at index ${index} has no 'id'.`);
		}
		const id = String(op.id);
		if (seen.has(id)) throw errors.badBody(`The request ID '${id}' is duplicated in the batch.`);
		seen.add(id);
		if (typeof op.method !== 'string' || typeof op.url !== 'string') {
			throw errors.badBody(`The batch operation '${id}' needs a 'method' and a 'url'.`);
		}
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries((op.headers ?? {}) as Record<string, unknown>)) {
			headers[k.toLowerCase()] = String(v);
		}
		let opBody = op.body;
		if (typeof opBody === 'string') {
			try {
				opBody = JSON.parse(opBody);
			} catch {
				// leave as string: rejected later as a non-object body
			}
		}
		return { id, method: op.method.toUpperCase(), url: op.url, headers, body: opBody };
	});
}

/** Splits an operation URL (relative to the service root, or absolute on it) into path and query. */
function operationTarget(outer: ApiRequest, url: string): { path: string; query: URLSearchParams } {
	const root = new URL(outer.base);
	let rest = url;
	if (url.startsWith('/') && !url.startsWith('//')) {
		// host-relative: resolves against the host root, where no API lives
		throw new BcError(404, 'BadRequest_NotFound', 'Bad Request - Error in query syntax.');
	}
	if (/^https?:\/\//i.test(url)) {
		const parsed = new URL(url, root);
		const prefix = `${root.pathname}/`;
		if (parsed.host !== root.host || !(parsed.pathname + '/').startsWith(prefix)) {
			throw new BcError(
				400,
				'BadRequest_NotFound',
				`The URL '${url}' is not under the service root '${outer.base}'.`,
			);
		}
		rest = parsed.pathname.slice(prefix.length) + parsed.search;
	}
	const q = rest.indexOf('?');
	const path = (q < 0 ? rest : rest.slice(0, q)).replace(/^\.\//, '');
	return { path, query: new URLSearchParams(q < 0 ? '' : rest.slice(q + 1)) };
}

export function handleBatch(
	ctx: Context,
	outer: ApiRequest,
	execute: (req: ApiRequest) => ApiResponse,
): ApiResponse {
	if (outer.method.toUpperCase() !== 'POST')
		throw errors.methodNotAllowed(outer.method, '$batch', 'EntitySet');
	const operations = parseOperations(outer.body);
	const snapshotMode = /^\s*snapshot\s*$/i.test(outer.headers.isolation ?? '');
	const snapshot = snapshotMode ? ctx.store.snapshot() : undefined;
	const continueOnError = continuesOnError(ctx, outer);
	const results = new Map<string, ApiResponse & { atomicityGroup?: string }>();
	let failedId: string | undefined;
	for (const op of operations) {
		let res: ApiResponse;
		try {
			const { path, query } = operationTarget(outer, op.url);
			res = execute({
				method: op.method,
				api: outer.api,
				base: outer.base,
				path,
				query,
				headers: { ...op.headers, authorization: outer.headers.authorization },
				body: op.body,
				viaBatch: true,
			});
		} catch (err) {
			if (!(err instanceof BcError)) throw err;
			res = fail(ctx, err);
		}
		results.set(op.id, innerAnswer(ctx, res));
		if (res.status >= 400 && (snapshot || !continueOnError)) {
			failedId = op.id;
			break;
		}
	}
	if (snapshot && failedId !== undefined) {
		ctx.store.restore(snapshot);
		for (const op of operations) {
			if (op.id === failedId) continue;
			const res = fail(
				ctx,
				new BcError(
					424,
					'BadRequest_FailedDependency',
					`The operation was not applied: operation '${failedId}' of this Isolation: snapshot batch failed and the whole batch was rolled back.`,
				),
			);
			results.set(op.id, res);
		}
	}
	const order = shuffle(ctx.batchRng, [...results.keys()]);
	if (order.length > 1 && order.every((id, i) => id === operations[i].id)) order.reverse();
	const preferenceApplied: Record<string, string> =
		continueOnError && !snapshot ? { 'preference-applied': 'odata.continue-on-error' } : {};
	const responses = order.map((id) => {
		const res = results.get(id)!;
		return res.body === undefined
			? { id, status: res.status, headers: res.headers, atomicityGroup: res.atomicityGroup }
			: {
					id,
					status: res.status,
					headers: res.headers,
					atomicityGroup: res.atomicityGroup,
					body: res.body,
				};
	});
	return ok(200, { responses }, preferenceApplied);
}

function continuesOnError(ctx: Context, outer: ApiRequest): boolean {
	const mode = ctx.options.batchOnError ?? 'honourPrefer';
	if (mode !== 'honourPrefer') return mode === 'continue';
	return /(^|[\s,;])(odata\.)?continue-on-error(\s*=\s*true)?\s*($|[,;])/i.test(
		outer.headers.prefer ?? '',
	);
}

/** An operation's answer as it appears inside a batch answer: no `etag` header, an `atomicityGroup`. */
function innerAnswer(ctx: Context, res: ApiResponse): ApiResponse & { atomicityGroup?: string } {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(res.headers)) {
		if (name.toLowerCase() !== 'etag') headers[name] = value;
	}
	return { ...res, headers, atomicityGroup: ctx.ids.guid() };
}
