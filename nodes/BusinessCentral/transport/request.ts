import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { getConnection, type BcFunctions, type Connection } from './connection';

export interface BcResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
	/** Set when no HTTP answer came (connection dropped, timeout). */
	networkError?: string;
	/** How many times the request was re-sent after 429/503/504 or a dropped connection. */
	retries: number;
}

export interface RequestSpec {
	method: IHttpRequestMethods;
	/** Path relative to the API base (`companies(…)/customerPayments(…)`) or an absolute URL on it. */
	url: string;
	body?: IDataObject;
	qs?: IDataObject;
	headers?: IDataObject;
}

/**
 * How persistent the transport is. Throttling answers (429, 503) and, for reads,
 * 408, 502, 504 and dropped connections are retried after `Retry-After` or an exponential
 * back-off with jitter. Writes are never blindly re-sent after an ambiguous
 * failure: the caller gets the failure and re-reads the record first.
 */
export interface RetryPolicy {
	maxRetries: number;
	/** First back-off step when Business Central sends no Retry-After. */
	baseDelayMs: number;
	/** Longest single wait. */
	maxDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 5,
	baseDelayMs: 500,
	maxDelayMs: 60_000,
	timeoutMs: 120_000,
};

const NETWORK_CODES: Record<string, string> = {
	ECONNRESET: 'the connection was reset before an answer came',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ECONNREFUSED: 'the server refused the connection',
	EPIPE: 'the connection was closed while sending',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
};

interface HttpLikeError {
	code?: string;
	message?: string;
	response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
	cause?: HttpLikeError;
	/** n8n-core wraps request failures in a NodeApiError: status (or network code) and JSON body only. */
	httpCode?: string | null;
	context?: { data?: unknown };
}

/** Turns what n8n's request helper threw into a response, without keeping the request (and its token). */
function responseFromError(error: HttpLikeError): Omit<BcResponse, 'retries'> {
	const candidates = [error, error.cause, error.cause?.cause].filter(Boolean) as HttpLikeError[];
	for (const candidate of candidates) {
		if (candidate.response?.status) {
			return {
				statusCode: candidate.response.status,
				headers: candidate.response.headers ?? {},
				body: candidate.response.data,
			};
		}
	}
	for (const candidate of candidates) {
		if (typeof candidate.httpCode === 'string' && /^\d{3}$/.test(candidate.httpCode)) {
			return { statusCode: Number(candidate.httpCode), headers: {}, body: candidate.context?.data };
		}
	}
	for (const candidate of candidates) {
		const code = candidate.code ?? candidate.httpCode ?? undefined;
		if (code && NETWORK_CODES[code]) {
			return { statusCode: 0, headers: {}, body: undefined, networkError: NETWORK_CODES[code] };
		}
	}
	const text = candidates
		.map((candidate) => `${candidate.code ?? ''} ${candidate.message ?? ''}`)
		.join(' ');
	if (/timeout|timed out/i.test(text)) {
		return { statusCode: 0, headers: {}, body: undefined, networkError: 'the request timed out' };
	}
	if (/socket hang up|ECONNRESET|aborted/i.test(text)) {
		return {
			statusCode: 0,
			headers: {},
			body: undefined,
			networkError: 'the connection was reset before an answer came',
		};
	}
	throw error;
}

/** Header value by case-insensitive name (HTTP headers come lower-cased, $batch answers as the server wrote them). */
function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find(
		(candidate) => candidate.toLowerCase() === name.toLowerCase(),
	);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

/** Wait before retry number `attempt` (0-based): Retry-After if given, else 2^attempt back-off with jitter. */
export function retryDelayMs(response: BcResponse, attempt: number, policy: RetryPolicy): number {
	const retryAfter = header(response.headers, 'retry-after');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		const ms = Number.isFinite(seconds)
			? seconds * 1000
			: new Date(retryAfter).getTime() - Date.now();
		if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), policy.maxDelayMs);
	}
	const step = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
	return Math.round(step / 2 + Math.random() * (step / 2));
}

/**
 * Answers after which nobody can tell whether Business Central applied a write:
 * no answer at all (0: dropped connection, Timeout), 408 (its 8-minute operation
 * timeout), 502 (a gateway lost the upstream answer) and 504 (over 10 minutes).
 * Reads are re-sent after them; writes are verified by re-reading (Update,
 * Delete) or reported as "may or may not have been created" (Create), never re-sent blindly.
 */
export function isAmbiguous(response: BcResponse): boolean {
	return [0, 408, 502, 504].includes(response.statusCode);
}

function isRetryable(method: IHttpRequestMethods, response: BcResponse): boolean {
	if (response.statusCode === 429 || response.statusCode === 503) return true;
	return method === 'GET' && isAmbiguous(response);
}

/** Absolute URL for a request, refusing anything outside the configured API base. */
export function resolveUrl(context: BcFunctions, connection: Connection, url: string): string {
	const base = connection.base.url;
	if (!/^https?:\/\//i.test(url)) return `${base}/${url.replace(/^\/+/, '')}`;
	if (!url.startsWith(`${base}/`) && url !== base) {
		throw new NodeOperationError(
			context.getNode(),
			`Refused to follow a link outside the configured Business Central API: ${url}`,
			{ description: `Requests only go to ${base}.` },
		);
	}
	return url;
}

/**
 * The one way this node talks to Business Central: base URL and credential
 * from the node's credential, JSON in and out, throttling retries. Returns the
 * final response whatever its status; callers turn failures into errors.
 */
export async function bcRequest(
	this: BcFunctions,
	spec: RequestSpec,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<BcResponse> {
	const connection = await getConnection(this);
	const url = resolveUrl(this, connection, spec.url);
	let retries = 0;
	let tokenRenewed = false;
	const send = async (ignoreHttpStatusErrors: boolean): Promise<BcResponse> => {
		const options: IHttpRequestOptions = {
			method: spec.method,
			url,
			qs: spec.qs,
			body: spec.body,
			headers: { Accept: 'application/json', ...(spec.headers ?? {}) },
			json: true,
			returnFullResponse: true,
			// Every status comes back as a response with its headers (Retry-After) and body:
			// n8n-core would otherwise throw a NodeApiError that keeps neither.
			ignoreHttpStatusErrors,
			timeout: policy.timeoutMs,
		};
		try {
			const full = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				connection.credentialType,
				options,
			)) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
			return { statusCode: full.statusCode, headers: full.headers ?? {}, body: full.body, retries };
		} catch (error) {
			return { ...responseFromError(error as HttpLikeError), retries };
		}
	};
	for (;;) {
		let response = await send(true);
		if (
			response.statusCode === 401 &&
			connection.credentialType === 'businessCentralOAuth2Api' &&
			!tokenRenewed
		) {
			// n8n-core renews an OAuth2 token only when a request fails with 401 as an error:
			// send once more that way, so an expired token is replaced and the request repeated.
			tokenRenewed = true;
			response = await send(false);
		}
		if (!isRetryable(spec.method, response) || retries >= policy.maxRetries) {
			return response;
		}
		await sleep(retryDelayMs(response, retries, policy));
		retries++;
	}
}
