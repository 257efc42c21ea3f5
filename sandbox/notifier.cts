/**
 * Outgoing HTTP of the sandbox's webhooks: the handshake (`notificationUrl?validationToken=…`)
 * and the notification POSTs. Loopback only: a sandbox must never call outside the machine, so
 * every URL is checked with `isLoopbackUrl` before anything is sent (the subscriptions API
 * refuses other URLs up front; this is the second lock).
 *
 * Sources ([webhooks] = MicrosoftDocs/dynamics365smb-devitpro-pb
 * `dev-itpro/api-reference/v2.0/dynamics-subscriptions.md`, "Working with webhooks in Dynamics
 * 365 Business Central"): "Business Central issues a request to the notificationUrl, passing a
 * validationToken parameter on the query string. Subscriber needs to perform the handshake by
 * returning validationToken in the response body and provide status code 200." The HTTP method
 * of the handshake is not named there; POST with an empty body is what Microsoft's other webhook
 * services document (OneDrive "webhook receiver validation request") — **unverified for BC**.
 * Notifications have no BOM since BC 19 ([webhooks]).
 */
import * as http from 'node:http';

export interface OutgoingAnswer {
	/** HTTP status, or 0 when no answer came (connection refused, reset, timeout). */
	status: number;
	body: string;
	/** What went wrong without an answer (`timeout`, `ECONNREFUSED`, …). */
	error?: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** http:// on 127.0.0.1 / localhost / ::1 only (the sandbox's rule, not Business Central's). */
export function isLoopbackUrl(text: string): boolean {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return false;
	}
	return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
}

/** One request with a body, answered or not within `timeoutMs`; never throws. */
export function send(
	target: string,
	method: 'POST',
	body: string | undefined,
	timeoutMs: number,
	active: Set<http.ClientRequest>,
): Promise<OutgoingAnswer> {
	return new Promise((resolve) => {
		if (!isLoopbackUrl(target)) {
			resolve({ status: 0, body: '', error: 'not a loopback URL' });
			return;
		}
		const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
		let done = false;
		const finish = (answer: OutgoingAnswer) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			active.delete(req);
			resolve(answer);
		};
		const req = http.request(target, {
			method,
			headers: {
				'content-length': String(payload.length),
				...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
			},
		});
		active.add(req);
		const timer = setTimeout(() => {
			finish({ status: 0, body: '', error: 'timeout' });
			req.destroy();
		}, timeoutMs);
		req.on('response', (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				finish({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
			);
			res.on('error', (err) => finish({ status: 0, body: '', error: err.message }));
		});
		req.on('error', (err: NodeJS.ErrnoException) =>
			finish({ status: 0, body: '', error: err.code ?? err.message }),
		);
		req.end(payload);
	});
}

/** `url?validationToken=…` (or `&validationToken=…` when the URL has a query already). */
export function handshakeUrl(notificationUrl: string, token: string): string {
	const url = new URL(notificationUrl);
	url.searchParams.set('validationToken', token);
	return url.toString();
}

/**
 * [webhooks]: "If subscriber responds with any other code than listed [408, 429, 5xx], no
 * retries are attempted and the subscription is deleted." No answer at all ("can't reach the
 * subscriber") is retried.
 */
export function answerKind(answer: OutgoingAnswer): 'ok' | 'retry' | 'refused' {
	if (answer.status === 0) return 'retry';
	if (answer.status >= 200 && answer.status < 300) return 'ok';
	if (answer.status === 408 || answer.status === 429 || answer.status >= 500) return 'retry';
	return 'refused';
}
