import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { BcFunctions, Connection } from './connection';
import { errorChain, type HttpLikeError } from './failures';
import { redactText } from './redact';

/** What the token endpoint said when it refused to issue a token. */
interface TokenRefusal {
	status?: number;
	/** `invalid_client`, `unauthorized_client`, ... */
	error?: string;
	/** Entra's `error_description`, e.g. "AADSTS7000215: Invalid client secret provided. …" */
	description?: string;
}

/**
 * Whether a failure came from the OAuth2 token endpoint rather than from Business
 * Central. n8n's OAuth2 client fails with code EAUTH (an OAuth error answer) or
 * ESTATUS (another status); n8n-core wraps it in a NodeApiError that keeps only that
 * code as `httpCode`. A request sent with ignoreHttpStatusErrors cannot fail with an
 * HTTP status of Business Central's, so any status it fails with is the token endpoint's.
 */
export function isTokenEndpointFailure(connection: Connection, error: HttpLikeError, statusesReturned: boolean): boolean {
	if (connection.credentialType !== 'businessCentralOAuth2Api') return false;
	const codes = errorChain(error).flatMap((candidate) => [candidate.code, candidate.httpCode]);
	if (codes.includes('EAUTH') || codes.includes('ESTATUS')) return true;
	return statusesReturned && codes.some((code) => typeof code === 'string' && /^\d{3}$/.test(code));
}

function refusalOf(status: number, body: unknown): TokenRefusal {
	let parsed: unknown = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = undefined;
		}
	}
	const data = (parsed && typeof parsed === 'object' ? parsed : {}) as IDataObject;
	return {
		status,
		error: typeof data.error === 'string' ? data.error : undefined,
		description: typeof data.error_description === 'string' ? data.error_description : undefined,
	};
}

/**
 * n8n-core's error keeps neither the token endpoint's status nor Entra's error JSON, so
 * the node asks the token endpoint once more, the way n8n's OAuth2 client does (client
 * credentials in the form body, to the credential's own token URL, redirects not
 * followed), only to read its answer. Undefined when that request fails too.
 */
async function askTokenEndpoint(context: BcFunctions): Promise<TokenRefusal | undefined> {
	const credentials = await context.getCredentials('businessCentralOAuth2Api');
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: String(credentials.clientId ?? ''),
		client_secret: String(credentials.clientSecret ?? ''),
		scope: String(credentials.scope ?? ''),
	});
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: String(credentials.accessTokenUrl ?? ''),
		body: form.toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: 30_000,
	};
	try {
		const answer = (await context.helpers.httpRequest(options)) as { statusCode: number; body: unknown };
		return answer.statusCode >= 300 ? refusalOf(answer.statusCode, answer.body) : undefined;
	} catch {
		return undefined;
	}
}

/** One look per node run: every item's request fails the same way while the credential is wrong. */
const refusals = new WeakMap<Connection, Promise<TokenRefusal | undefined>>();

/** The error for a refused token request: status, Entra's code and description, secrets redacted. */
export async function tokenEndpointError(
	context: BcFunctions,
	connection: Connection,
	error: HttpLikeError,
): Promise<NodeApiError> {
	if (!refusals.has(connection)) refusals.set(connection, askTokenEndpoint(context));
	const refusal = (await refusals.get(connection)) ?? {};
	const said = [refusal.status ? `HTTP ${refusal.status}` : '', refusal.error ?? ''].filter(Boolean).join(', ');
	const clientText = redactText(error.message ?? '', connection.secrets);
	const detail = redactText(refusal.description ?? '', connection.secrets) || clientText || 'no reason given';
	return new NodeApiError(
		context.getNode(),
		{ code: refusal.error ?? 'TokenRequestFailed', message: detail },
		{
			message: `Getting an OAuth2 access token failed${said ? ` (${said})` : ''}: ${detail}`,
			description: `Microsoft Entra ID (the credential's token URL) refused to issue a token, so nothing was sent to Business Central.${clientText && clientText !== detail ? ` ${clientText}` : ''} Check the credential's Tenant ID, Client ID and Client Secret (the secret's value, not its ID).`,
			httpCode: refusal.status ? String(refusal.status) : undefined,
		},
	);
}
