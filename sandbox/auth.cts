/**
 * Authentication as BC SaaS does it: Microsoft Entra ID (Azure AD) client
 * credentials. The token endpoint mimics
 * `POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`
 * (form-urlencoded; client id/secret in the body or as HTTP Basic; scope
 * `https://api.businesscentral.dynamics.com/.default`) with AAD's error shape;
 * the API accepts `Authorization: Bearer <token>` for the static sandbox token
 * or an issued, unexpired token, else 401 `Authentication_InvalidCredentials`
 * with a `WWW-Authenticate: Bearer ...` header.
 */
import type { Rng } from './random.cjs';

export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export interface TokenResponse {
	status: number;
	body: Record<string, unknown>;
}

export type TokenCheck = 'ok' | 'missing' | 'expired' | 'invalid';

/**
 * The user the static sandbox token stands for (a token pasted by hand: someone's own
 * session), distinct from the app that the client-credentials tokens belong to.
 */
export const STATIC_TOKEN_USER = 'static-token-user';

export class TokenRegistry {
	private readonly issued = new Map<string, number>();

	constructor(
		private readonly rng: Rng,
		readonly staticToken: string,
		readonly tenantId: string,
		readonly clientId: string,
		readonly clientSecret: string,
	) {}

	/** A JWT-looking token (not signed; the sandbox only looks it up). */
	issue(lifetimeSeconds: number): string {
		const now = Date.now();
		for (const [token, expires] of this.issued) if (expires <= now) this.issued.delete(token);
		const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
		const token = [
			b64({ typ: 'JWT', alg: 'RS256', kid: 'sandbox' }),
			b64({
				aud: 'https://api.businesscentral.dynamics.com',
				iss: `https://sts.windows.net/${this.tenantId}/`,
				tid: this.tenantId,
				appid: this.clientId,
				roles: ['API.ReadWrite.All', 'Automation.ReadWrite.All'],
				iat: Math.floor(now / 1000),
				exp: Math.floor((now + lifetimeSeconds * 1000) / 1000),
				jti: this.rng.guid(),
			}),
			this.rng.hex(43),
		].join('.');
		this.issued.set(token, now + lifetimeSeconds * 1000);
		return token;
	}

	/**
	 * `user` is whom Business Central's per-user limits count the request against: the app
	 * (client id, the token's `appid`) for client-credentials tokens, so every token of the
	 * same app shares one quota, as a service principal does (limits.cts).
	 */
	check(authorization: string | undefined): { result: TokenCheck; token?: string; user?: string } {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!m) return { result: 'missing' };
		const token = m[1];
		if (token === this.staticToken) return { result: 'ok', token, user: STATIC_TOKEN_USER };
		const expires = this.issued.get(token);
		if (expires === undefined) return { result: 'invalid', token };
		return { result: expires > Date.now() ? 'ok' : 'expired', token, user: this.clientId };
	}

	/** `WWW-Authenticate` value for a 401 of the API. */
	challenge(baseUrl: string, result: TokenCheck): string {
		const base = `Bearer authorization_uri="${baseUrl}/${this.tenantId}/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com"`;
		if (result === 'expired')
			return `${base}, error="invalid_token", error_description="The access token is expired"`;
		if (result === 'invalid')
			return `${base}, error="invalid_token", error_description="The access token is invalid"`;
		return base;
	}

	/** Handles a token request (tenant already checked by the caller). */
	tokenRequest(
		contentType: string | undefined,
		authorization: string | undefined,
		rawBody: string,
		lifetimeSeconds: number,
	): TokenResponse {
		const aadError = (
			status: number,
			error: string,
			description: string,
			code: number,
		): TokenResponse => ({
			status,
			body: {
				error,
				error_description: `${description}\r\nTrace ID: ${this.rng.guid()}\r\nCorrelation ID: ${this.rng.guid()}\r\nTimestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
				error_codes: [code],
				timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
				trace_id: this.rng.guid(),
				correlation_id: this.rng.guid(),
			},
		});
		if (!(contentType ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) {
			return aadError(
				400,
				'invalid_request',
				"AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
				900144,
			);
		}
		const form = new URLSearchParams(rawBody);
		let clientId = form.get('client_id') ?? undefined;
		let clientSecret = form.get('client_secret') ?? undefined;
		const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon >= 0) {
				const decode = (s: string) => {
					try {
						return decodeURIComponent(s.replace(/\+/g, ' '));
					} catch {
						return s;
					}
				};
				clientId ??= decode(decoded.slice(0, colon));
				clientSecret ??= decode(decoded.slice(colon + 1));
			}
		}
		const grant = form.get('grant_type');
		if (!grant) {
			return aadError(
				400,
				'invalid_request',
				"AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
				900144,
			);
		}
		if (grant !== 'client_credentials') {
			return aadError(
				400,
				'unsupported_grant_type',
				`AADSTS70003: The app requested an unsupported grant type '${grant}'. The sandbox supports client_credentials only.`,
				70003,
			);
		}
		if (!clientId) {
			return aadError(
				400,
				'invalid_request',
				"AADSTS900144: The request body must contain the following parameter: 'client_id'.",
				900144,
			);
		}
		if (clientId !== this.clientId) {
			return aadError(
				400,
				'unauthorized_client',
				`AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'.`,
				700016,
			);
		}
		if (clientSecret !== this.clientSecret) {
			return aadError(
				401,
				'invalid_client',
				`AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${this.clientId}'.`,
				7000215,
			);
		}
		const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
		if (!scopes.includes(BC_SCOPE)) {
			return aadError(
				400,
				'invalid_scope',
				`AADSTS1002012: The provided value for scope ${scopes.join(' ') || '(none)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
				1002012,
			);
		}
		const expiresIn = Math.ceil(lifetimeSeconds);
		return {
			status: 200,
			body: {
				token_type: 'Bearer',
				expires_in: expiresIn,
				ext_expires_in: expiresIn,
				access_token: this.issue(lifetimeSeconds),
			},
		};
	}
}
