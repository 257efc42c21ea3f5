import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export const REDACTED = '[redacted]';

/** Shorter values are not treated as secrets: replacing them would garble ordinary text. */
const MIN_SECRET_LENGTH = 8;

/** `Bearer <token>` anywhere (a server or proxy echoing the Authorization header). */
const BEARER = /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi;

/** `access_token`, `refresh_token`, `client_secret` as JSON members or form fields. */
const NAMED_SECRET = /\b(access_token|refresh_token|client_secret)("?\s*[:=]\s*"?)[^"&\s,}]+/gi;

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The secret strings a credential holds: the bearer token, the client secret, the OAuth2 tokens. */
export function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const values = [
		credentials.accessToken,
		credentials.clientSecret,
		tokenData.access_token,
		tokenData.refresh_token,
		tokenData.id_token,
	].map(text);
	const secrets = values.filter((value) => value.length >= MIN_SECRET_LENGTH);
	// A server may echo a form-encoded or JSON-escaped copy: redact those spellings too.
	const spellings = secrets.flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
	return [...new Set(spellings)].sort((a, b) => b.length - a.length);
}

/** Text with every known secret, `Bearer <x>` and named token/secret value replaced by [redacted]. */
export function redactText(value: string, secrets: string[]): string {
	let result = value;
	for (const secret of secrets) result = result.split(secret).join(REDACTED);
	return result.replace(BEARER, `Bearer ${REDACTED}`).replace(NAMED_SECRET, `$1$2${REDACTED}`);
}

/** A copy of a JSON-like value (body, headers) with secrets redacted in every string, keys included. */
export function redactValue<T>(value: T, secrets: string[], depth = 0): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (value === null || typeof value !== 'object' || depth > 50) return value;
	if (Array.isArray(value)) return value.map((entry) => redactValue(entry, secrets, depth + 1)) as T;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		copy[redactText(key, secrets)] = redactValue(entry, secrets, depth + 1);
	}
	return copy as T;
}
