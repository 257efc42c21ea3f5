import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export type ApiVersion = 'v2.0' | 'v1.0' | 'beta';

export interface ApiBase {
	/** Full API base without trailing slash, e.g. https://api.businesscentral.dynamics.com/v2.0/t/production/api/v2.0 */
	url: string;
	/** API version the base serves; `contactId` exists on v1.0 and beta only. */
	version: ApiVersion;
	/** Origin every request must go to (links from the server pointing elsewhere are refused). */
	origin: string;
}

const SAAS_HOST = 'https://api.businesscentral.dynamics.com';
const FINANCIALS_BETA_BASE = 'https://api.financials.dynamics.com/v1.0/api/beta';

/** A credential field as entered: trimmed text, empty for anything else. */
function trimmedText(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function versionOf(url: string): ApiVersion {
	const match = /\/api\/(v2\.0|v1\.0|beta)$/i.exec(url);
	if (!match) return 'v2.0';
	const found = match[1].toLowerCase();
	return found === 'beta' ? 'beta' : (found as ApiVersion);
}

/**
 * Resolves the API base from either credential (same fields in both):
 * SaaS → {SAAS_HOST}/v2.0/{tenant}/{environment}/api/{version};
 * on-premises → {serverUrl}/api/{version}; legacy Financials beta; or a custom base.
 * Throws a plain Error naming the credential field when it is unusable.
 */
export function resolveApiBase(credentials: ICredentialDataDecryptedObject): ApiBase {
	const deployment = trimmedText(credentials.deployment) || 'saas';
	const apiVersion = trimmedText(credentials.apiVersion) || 'v2.0';
	let url: string;
	if (deployment === 'saas') {
		const tenantId = trimmedText(credentials.tenantId);
		const environment = trimmedText(credentials.environment);
		if (!/^[A-Za-z0-9.-]+$/.test(tenantId)) {
			throw new Error(`Credential field "Tenant ID" is not a tenant ID or domain: "${tenantId}"`);
		}
		if (!/^[A-Za-z0-9_-]+$/.test(environment)) {
			throw new Error(
				`Credential field "Environment Name" is not an environment name: "${environment}"`,
			);
		}
		url = `${SAAS_HOST}/v2.0/${tenantId}/${environment}/api/${apiVersion}`;
	} else if (deployment === 'onPremises') {
		url = `${trimmedText(credentials.serverUrl).replace(/\/+$/, '')}/api/${apiVersion}`;
	} else if (deployment === 'financialsBeta') {
		url = FINANCIALS_BETA_BASE;
	} else {
		url = trimmedText(credentials.customBaseUrl).replace(/\/+$/, '');
	}
	if (!URL.canParse(url)) {
		const field = deployment === 'onPremises' ? 'Server URL' : 'API Base URL';
		throw new Error(`Credential field "${field}" is not a valid URL: "${url}"`);
	}
	const parsed = new URL(url);
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new Error(`The API base must be an http(s) URL, got "${url}"`);
	}
	return { url, version: versionOf(url), origin: parsed.origin };
}
