/** A request failure turned into an answer: an HTTP status, or 0 with why no clear answer came. */
export interface FailureAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
	networkError?: string;
}

/** The parts of what n8n's request helper throws that the transport reads. */
export interface HttpLikeError {
	code?: string;
	message?: string;
	isAxiosError?: boolean;
	response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
	cause?: HttpLikeError;
	/** n8n-core wraps request failures in a NodeApiError: status (or network code) and JSON body only. */
	httpCode?: string | null;
	context?: { data?: unknown };
}

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
	ERR_BAD_RESPONSE: 'the answer could not be read',
	ERR_STREAM_PREMATURE_CLOSE: 'the connection was closed before the answer was complete',
};

export const TIMED_OUT = 'the request timed out: no complete answer within Timeout';

function noAnswer(networkError: string): FailureAnswer {
	return { statusCode: 0, headers: {}, body: undefined, networkError };
}

/** The error and the errors it wraps (n8n-core's NodeApiError → axios error → its cause). */
export function errorChain(error: HttpLikeError): HttpLikeError[] {
	return [error, error.cause, error.cause?.cause].filter(Boolean) as HttpLikeError[];
}

function statusAnswer(candidates: HttpLikeError[]): FailureAnswer | undefined {
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
	return undefined;
}

/** Failures where no usable HTTP answer came: network codes, HTTP parser errors (HPE_*), timeouts. */
function networkAnswer(candidates: HttpLikeError[]): FailureAnswer | undefined {
	for (const candidate of candidates) {
		const code = candidate.code ?? candidate.httpCode ?? undefined;
		if (code && NETWORK_CODES[code]) return noAnswer(NETWORK_CODES[code]);
		if (code && code.startsWith('HPE_')) return noAnswer(`the answer was not valid HTTP (${code})`);
	}
	const text = candidates.map((candidate) => `${candidate.code ?? ''} ${candidate.message ?? ''}`).join(' ');
	if (/timeout|timed out/i.test(text)) return noAnswer('the request timed out');
	if (/socket hang up|ECONNRESET|aborted/i.test(text)) {
		return noAnswer('the connection was reset before an answer came');
	}
	if (/Parse Error|HPE_/i.test(text)) return noAnswer('the answer was not valid HTTP');
	return undefined;
}

/**
 * Turns what n8n's request helper threw into an answer, without keeping the request
 * (and its token). Returns undefined when the failure is not a request's (the caller rethrows).
 */
export function answerFromError(error: HttpLikeError): FailureAnswer | undefined {
	const candidates = errorChain(error);
	return statusAnswer(candidates) ?? networkAnswer(candidates);
}
