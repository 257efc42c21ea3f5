/**
 * OData JSON `$batch` as BC serves it: `POST {base}/$batch` with
 * `{ requests: [{ id, method, url, headers, body }] }` → 200
 * `{ responses: [{ id, status, headers, body }] }`, one per request, each with
 * its own status. At most 100 operations. Operations run in request order;
 * the responses come back in a shuffled (seeded) order so clients must match
 * them by id, as BC does not guarantee the order.
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
	if (/^https?:\/\//i.test(url) || url.startsWith('/')) {
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
	const results = new Map<string, ApiResponse>();
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
		results.set(op.id, res);
		if (snapshot && res.status >= 400) {
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
	const order = shuffle(
		ctx.batchRng,
		operations.map((op) => op.id),
	);
	if (order.length > 1 && order.every((id, i) => id === operations[i].id)) order.reverse();
	return ok(200, {
		responses: order.map((id) => {
			const res = results.get(id) as ApiResponse;
			return res.body === undefined
				? { id, status: res.status, headers: res.headers }
				: { id, status: res.status, headers: res.headers, body: res.body };
		}),
	});
}
