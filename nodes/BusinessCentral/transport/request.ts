import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError, sleep, sleepWithAbort } from 'n8n-workflow';

import { checkOnApiBase } from '../helpers/apiBoundary';
import { getConnection, refreshSecrets, type BcFunctions, type Connection } from './connection';
import { answerFromError, errorChain, TIMED_OUT, type HttpLikeError } from './failures';
import { redactValue } from './redact';
import { isTokenEndpointFailure, tokenEndpointError } from './tokenEndpoint';

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
	/**
	 * false: a read that got no answer (dropped, Timeout, 408, 502, 504) is not asked again; only
	 * throttling is waited out. For reads that are a shortcut with a fallback (the journal
	 * listing of eTags), where Max Retries + 1 Timeouts would cost more than the fallback.
	 */
	retryUnansweredReads?: boolean;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 5,
	baseDelayMs: 500,
	maxDelayMs: 60_000,
	timeoutMs: 120_000,
};

/** Header value by case-insensitive name (HTTP headers come lower-cased, $batch answers as the server wrote them). */
function header(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * From this retry on (0-based), a 429 without Retry-After waits the longest single wait, without
 * jitter downwards: Business Central's rate limit is 6,000 requests per user in a sliding
 * 5-minute window and its 429 need not say how long to wait (operational limits for Business
 * Central online). Five such waits of 60 s after the short ones outlast the window at Max
 * Retries 10; the short first five (≈15 s in all) still absorb the 5-at-once queue's 429s.
 */
const RATE_WINDOW_RETRY = 5;

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
	if (response.statusCode === 429 && attempt >= RATE_WINDOW_RETRY) return policy.maxDelayMs;
	const step = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
	return Math.round(step / 2 + Math.random() * (step / 2));
}

/** Waits from this length on are written to n8n's log (warn). */
const LOGGED_WAIT_MS = 10_000;

/**
 * Waits `ms` before a retry, ending at once (with n8n's cancellation error) when the execution is
 * stopped: without it a Stop left the retries of a throttled request waiting out their back-off
 * (up to 5 minutes at Max Retries 10) in the background. Plain `sleep` where n8n has no
 * `sleepWithAbort` (n8n-workflow before it was added) or no cancel signal (pickers, credentials).
 */
export async function waitBeforeRetry(context: BcFunctions, ms: number): Promise<void> {
	if (ms >= LOGGED_WAIT_MS) {
		// A long silent wait looks like a hung workflow in n8n's log: say what the node is doing.
		context.logger?.warn(
			`Business Central is throttling or unavailable (429/503): waiting ${Math.round(ms / 1000)} s before the next retry (Max Retries bounds how often)`,
		);
	}
	const cancel =
		'getExecutionCancelSignal' in context && typeof context.getExecutionCancelSignal === 'function'
			? context.getExecutionCancelSignal()
			: undefined;
	if (cancel && typeof sleepWithAbort === 'function') await sleepWithAbort(ms, cancel);
	else await sleep(ms);
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

function isRetryable(method: IHttpRequestMethods, response: BcResponse, policy: RetryPolicy): boolean {
	if (response.statusCode === 429 || response.statusCode === 503) return true;
	return method === 'GET' && policy.retryUnansweredReads !== false && isAmbiguous(response);
}


/** Absolute URL for a request, refusing anything outside the configured API base (see urlOnApiBase). */
export function resolveUrl(context: BcFunctions, connection: Connection, url: string): string {
	const checked = checkOnApiBase(connection.base, url);
	if (checked.url !== undefined) return checked.url;
	throw new NodeOperationError(
		context.getNode(),
		`Refused to follow a link outside the configured Business Central API: ${url}`,
		{ description: `The link ${checked.refusal}. Requests only go to ${connection.base.url}.` },
	);
}

/**
 * Bounds the whole answer (connect, headers and every byte of the body) by `deadline`:
 * the request helper's `timeout` is a socket idle timeout, which a server sending one
 * byte at a time never triggers. n8n-core's httpRequestWithAuthentication overwrites
 * `abortSignal` with the execution's cancel signal, so the option is an accessor that
 * keeps both: the request ends on whichever fires first.
 */
function abortAt(options: IHttpRequestOptions, deadline: AbortSignal): void {
	let signal = deadline;
	Object.defineProperty(options, 'abortSignal', {
		configurable: true,
		enumerable: true,
		get: () => signal,
		set: (cancel?: AbortSignal) => {
			signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
		},
	});
}

type Answer = Omit<BcResponse, 'retries'>;

const REDIRECT_STATUSES = [300, 301, 302, 303, 305, 307, 308];

/** Only the host of a redirect's target: its path and query may carry anything (a token, a session). */
function locationHost(connection: Connection, location: string | undefined): string {
	if (!location || !URL.canParse(location, connection.base.url)) return 'an unnamed place (no usable Location header)';
	return new URL(location, connection.base.url).host;
}

/**
 * A redirect is never followed (the request helper would re-send the Authorization header
 * and, on 307/308, the write to wherever it points): it becomes an error answer naming the host.
 */
function refusedRedirect(connection: Connection, answer: Answer): Answer {
	const host = locationHost(connection, header(answer.headers, 'location'));
	const headers = { ...answer.headers };
	for (const name of Object.keys(headers)) if (name.toLowerCase() === 'location') delete headers[name];
	const message = `The Business Central API answered HTTP ${answer.statusCode}, a redirect to ${host}. Redirects are not followed: nothing and no token was sent there. Check the API base URL in the credential (or the proxy in front of Business Central)`;
	return { statusCode: answer.statusCode, headers, body: { error: { code: 'Redirect_NotFollowed', message } } };
}

/** A body that says it is JSON but does not parse was cut off (axios hands it over as text). */
function isCutJson(answer: Answer): boolean {
	const type = header(answer.headers, 'content-type') ?? '';
	if (!/json/i.test(type) || typeof answer.body !== 'string' || answer.body.trim() === '') return false;
	try {
		JSON.parse(answer.body);
		return false;
	} catch {
		return true;
	}
}

/** Redirects refused, cut answers made "no clear answer", the credential's secrets redacted. */
function checkedAnswer(connection: Connection, answer: Answer): Answer {
	if (REDIRECT_STATUSES.includes(answer.statusCode)) answer = refusedRedirect(connection, answer);
	if (isCutJson(answer)) {
		return { statusCode: 0, headers: {}, body: undefined, networkError: 'the answer was cut off (its JSON body is incomplete)' };
	}
	return {
		...answer,
		headers: redactValue(answer.headers, connection.secrets),
		body: redactValue(answer.body, connection.secrets),
	};
}

/** What a failed send means: a token endpoint refusal (thrown), the Timeout, or an answer. */
async function failedAnswer(
	context: BcFunctions,
	connection: Connection,
	failure: { error: HttpLikeError; deadline: AbortSignal; statusesReturned: boolean },
): Promise<Answer> {
	const { error, deadline, statusesReturned } = failure;
	if (isTokenEndpointFailure(connection, error, statusesReturned)) {
		throw await tokenEndpointError(context, connection, error);
	}
	if (deadline.aborted) return { statusCode: 0, headers: {}, body: undefined, networkError: TIMED_OUT };
	const answer = answerFromError(error);
	if (answer) return answer;
	if (errorChain(error).some((candidate) => candidate.isAxiosError)) {
		return { statusCode: 0, headers: {}, body: undefined, networkError: 'the request failed without an answer' };
	}
	throw error;
}

async function sendOnce(
	context: BcFunctions,
	connection: Connection,
	request: { spec: RequestSpec; url: string; policy: RetryPolicy },
	ignoreHttpStatusErrors: boolean,
): Promise<Answer> {
	const { spec, url, policy } = request;
	const deadline = AbortSignal.timeout(policy.timeoutMs);
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
		// Following a redirect would re-send the Authorization header (and a write) elsewhere.
		disableFollowRedirect: true,
		timeout: policy.timeoutMs,
	};
	abortAt(options, deadline);
	try {
		const full = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			connection.credentialType,
			options,
		)) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
		return { statusCode: full.statusCode, headers: full.headers ?? {}, body: full.body };
	} catch (error) {
		return await failedAnswer(context, connection, {
			error: error as HttpLikeError,
			deadline,
			statusesReturned: ignoreHttpStatusErrors,
		});
	}
}

/**
 * The one way this node talks to Business Central: base URL and credential
 * from the node's credential, JSON in and out, throttling retries. Returns the
 * final response whatever its status; callers turn failures into errors.
 * Requests stay on the API base (links checked by resolveUrl, redirects not followed),
 * each answer is bounded by the Timeout, and the credential's secrets are redacted
 * from every answer before anyone sees it.
 */
export async function bcRequest(
	this: BcFunctions,
	spec: RequestSpec,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<BcResponse> {
	const connection = await getConnection(this);
	const request = { spec, url: resolveUrl(this, connection, spec.url), policy };
	const oAuth2 = connection.credentialType === 'businessCentralOAuth2Api';
	let retries = 0;
	let tokenRenewed = false;
	for (;;) {
		let answer = await sendOnce(this, connection, request, true);
		if (answer.statusCode === 401 && oAuth2 && !tokenRenewed) {
			// n8n-core renews an OAuth2 token only when a request fails with 401 as an error:
			// send once more that way, so an expired token is replaced and the request repeated.
			tokenRenewed = true;
			answer = await sendOnce(this, connection, request, false);
		}
		// n8n fetched or renewed the OAuth2 token inside its helper: learn it before redacting.
		if (oAuth2 && (!connection.secretsRefreshed || tokenRenewed)) await refreshSecrets(this, connection);
		const response = { ...checkedAnswer(connection, answer), retries };
		if (!isRetryable(spec.method, response, policy) || retries >= policy.maxRetries) {
			return response;
		}
		await waitBeforeRetry(this, retryDelayMs(response, retries, policy));
		retries++;
	}
}
