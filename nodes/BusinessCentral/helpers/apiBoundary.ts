import type { ApiBase } from './apiBase';
import { GUID_PATTERN } from './validation';

/** A URL under the API base, ready to send, or why it was refused. */
export type BoundaryCheck = { url: string; refusal?: undefined } | { url?: undefined; refusal: string };

/** Percent-encoded ".", "/" and "\" in a path: a server that decodes them could step out of the base. */
const ENCODED_SEPARATOR = /%2e|%2f|%5c/i;

/** `api.example.com.` and `api.example.com` name the same host (a trailing dot is the DNS root). */
function hostOf(url: URL): string {
	return url.hostname.toLowerCase().replace(/\.$/, '');
}

/** Path segments without empty ones: `a//b/` → [a, b] (duplicate slashes collapse). */
function segmentsOf(url: URL): string[] {
	return url.pathname.split('/').filter((segment) => segment !== '');
}

/** The URL parsed the way the request helper will (WHATWG: `..`, `%2e%2e`, `\` resolved; host lower-cased; default port dropped). */
function parseCandidate(base: ApiBase, text: string): URL | undefined {
	const absolute = /^[a-z][a-z0-9+.-]*:/i.test(text);
	const joined = absolute ? text : `${base.url}/${text.replace(/^[/\\]+/, '')}`;
	return URL.canParse(joined) ? new URL(joined) : undefined;
}

function originRefusal(base: URL, url: URL): string | undefined {
	if (url.protocol !== base.protocol || hostOf(url) !== hostOf(base) || url.port !== base.port) {
		return `points at ${url.protocol}//${url.host}, not at the configured Business Central API (${base.origin})`;
	}
	if (url.username || url.password) return 'carries a user name or password';
	if (ENCODED_SEPARATOR.test(url.pathname)) return 'has a percent-encoded ".", "/" or "\\" in its path';
	return undefined;
}

/** Refusal for a base segment that differs, naming a tenant GUID given back for a tenant domain. */
function prefixMismatch(expected: string, found: string | undefined, index: number, saas: boolean): string {
	if (saas && index === 1 && found && GUID_PATTERN.test(found) && !GUID_PATTERN.test(expected)) {
		return `names tenant ${found} where the credential names "${expected}". Put the tenant ID (GUID) ${found} into the credential's Tenant ID field`;
	}
	return `is not under the configured API base: path segment "${found ?? ''}" where "${expected}" was expected (another tenant, environment or API version)`;
}

/** Why the path does not start with the base path's segments (compared case-insensitively). */
function prefixRefusal(baseUrl: URL, url: URL): string | undefined {
	const expected = segmentsOf(baseUrl);
	const found = segmentsOf(url);
	const saas = hostOf(baseUrl) === 'api.businesscentral.dynamics.com';
	const index = expected.findIndex((segment, at) => found[at]?.toLowerCase() !== segment.toLowerCase());
	return index < 0 ? undefined : prefixMismatch(expected[index], found[index], index, saas);
}

/**
 * Checks that a URL (absolute, or relative to the base) stays under the configured API
 * base and returns the URL to send: the base exactly as configured, then the link's
 * remaining normalised path and its query.
 *
 * Decision on spelling (Business Central may write the base differently in its
 * `@odata.nextLink`s than the user typed it):
 * - compared only after normalising: `..`/`%2e%2e`/`\` resolved the way the request
 *   helper resolves them, duplicate slashes collapsed, host lower-cased, a trailing
 *   dot on the host and the default port ignored;
 * - the scheme, host and port must match, and every segment of the base path
 *   (`/v2.0/{tenant}/{environment}/api/{version}`) must match case-insensitively;
 * - anything else is refused: another tenant, environment or API version, a
 *   percent-encoded `.`, `/` or `\` anywhere in the path, user info. A tenant GUID
 *   given back where the credential has the tenant's domain is refused too (we cannot
 *   tell it is the same tenant): the error tells the user to put the GUID in the credential.
 */
export function checkOnApiBase(base: ApiBase, text: string): BoundaryCheck {
	const url = parseCandidate(base, text.trim());
	if (!url) return { refusal: 'is not a URL' };
	const baseUrl = new URL(base.url);
	const refusal = originRefusal(baseUrl, url) ?? prefixRefusal(baseUrl, url);
	if (refusal) return { refusal };
	const rest = segmentsOf(url).slice(segmentsOf(baseUrl).length);
	return { url: `${base.url}${rest.length > 0 ? `/${rest.join('/')}` : ''}${url.search}` };
}

/** Path segments of a URL under the base, after the base's own, or why it was refused (see checkOnApiBase). */
export function segmentsUnderBase(base: ApiBase, text: string): { segments: string[] } | { refusal: string } {
	const checked = checkOnApiBase(base, text);
	if (checked.refusal !== undefined) return { refusal: checked.refusal };
	return { segments: segmentsOf(new URL(checked.url)).slice(segmentsOf(new URL(base.url)).length) };
}
