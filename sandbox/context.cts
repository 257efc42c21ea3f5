/**
 * Shared state of one sandbox instance and the request/response shapes the
 * API handler works with (the same for plain HTTP requests and for the
 * operations of a $batch).
 */
import { BcError, errorBody } from './errors.cjs';
import type { Rng } from './random.cjs';
import type { Store } from './store.cjs';
import type { ApiVersion, SandboxOptions, SandboxStats } from './types.cjs';

export interface Context {
	store: Store;
	/** Live options (tests may change them while the server runs). */
	options: SandboxOptions;
	stats: SandboxStats;
	/** GUIDs of new records, correlation ids. */
	ids: Rng;
	/** Order of $batch responses. */
	batchRng: Rng;
}

export interface ApiRequest {
	method: string;
	api: ApiVersion;
	/** Absolute service root used in links, e.g. `http://127.0.0.1:4000/v2.0/t/production/api/v2.0`. */
	base: string;
	/** Path below the service root, without leading slash, as received (percent-encoded). */
	path: string;
	query: URLSearchParams;
	/** Lower-case header names. */
	headers: Record<string, string | undefined>;
	/** Parsed JSON body, undefined when there is none. */
	body: unknown;
	viaBatch: boolean;
}

export interface ApiResponse {
	status: number;
	headers: Record<string, string>;
	body?: unknown;
}

export const JSON_CT =
	'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
export const ERROR_CT = 'application/json; charset=utf-8';

export function ok(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): ApiResponse {
	return {
		status,
		headers:
			body === undefined
				? { 'odata-version': '4.0', ...headers }
				: { 'content-type': JSON_CT, 'odata-version': '4.0', ...headers },
		body,
	};
}

/** BC error answer with a fresh correlation id. */
export function fail(ctx: Context, err: BcError): ApiResponse {
	if (err.status === 409 || err.status === 412) ctx.stats.conflicts++;
	return {
		status: err.status,
		headers: { 'content-type': ERROR_CT, 'odata-version': '4.0', ...err.headers },
		body: errorBody(err.code, err.message, ctx.ids.guid()),
	};
}
