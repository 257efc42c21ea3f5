/**
 * What the credential dialog's *Test* tells a user, run the way n8n 2.8.4 runs it
 * (dev/credentialTester.cts: the type's declarative `test` through n8n-core's RoutingNode,
 * then n8n's rules), against Business Central answers intercepted by strict nock.
 * n8n reports a failed test request by its HTTP status alone ("Authorization failed -
 * please check your credentials"); the credentials' rules name Business Central's reason.
 */
import type { ICredentialDataDecryptedObject, ICredentialTestRequest } from 'n8n-workflow';
import nock from 'nock';

import { n8nCredentialTest } from '../dev/credentialTester.cjs';
import { loadPackage } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	CLIENT_SECRET,
	oAuth2Credentials,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	TOKEN_ORIGIN,
	TOKEN_PATH,
	tokenResponse,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const BEARER = 'businessCentralApi';
const OAUTH2 = 'businessCentralOAuth2Api';
const ISSUED = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.credential-test';
const COMPANIES = `${SAAS_PATH}/companies`;
const REJECTED = bcError(
	'Authentication_InvalidCredentials',
	'The server has rejected the client credentials.',
);

function bearer(): ICredentialDataDecryptedObject {
	return bearerCredentials()[BEARER];
}

function oAuth2(): ICredentialDataDecryptedObject {
	return oAuth2Credentials()[OAUTH2];
}

/** Business Central's answer to the test's company listing, with the token it expects. */
function companies(
	token: string,
	status: number,
	body: nock.Body,
	headers: Record<string, string> = {},
) {
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${token}` } })
		.get(COMPANIES)
		.query({ $top: '1', $select: 'id,name' })
		.reply(status, body, headers);
}

afterEach(() => {
	expect(requests.unmatched).toEqual([]);
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});

describe('Business Central Bearer Token API: Test', () => {
	test('a token Business Central rejects: its code and what to do, not "Authorization failed"', async () => {
		companies(TOKEN, 401, REJECTED, { 'Content-Type': 'application/json' });
		const result = await n8nCredentialTest(BEARER, bearer());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Business Central refused the token \(Authentication_InvalidCredentials\)/,
		);
		expect(result.message).toContain('expire after about an hour');
		expect(result.message).not.toContain(TOKEN);
	});

	test('the same answer through a test request without the rules reads n8n’s generic text', async () => {
		const { credentialTypes } = await loadPackage();
		const { request } = credentialTypes.get(BEARER)!.test!;
		const plain: ICredentialTestRequest = {
			request: { ...request, ignoreHttpStatusErrors: undefined },
		};
		// n8n re-sends a request answered 401 once (preAuthentication), then reports it.
		companies(TOKEN, 401, REJECTED);
		companies(TOKEN, 401, REJECTED);
		expect(await n8nCredentialTest(BEARER, bearer(), plain)).toEqual({
			status: 'Error',
			message: 'Authorization failed - please check your credentials',
		});
	});

	test('a wrong environment or API version: Business Central has no API at this address', async () => {
		companies(TOKEN, 404, bcError('BadRequest_NotFound', 'The request URI is not valid.'));
		const result = await n8nCredentialTest(BEARER, bearer());
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^Business Central has no API at this address \(BadRequest_NotFound\)/,
			),
		});
	});

	test('a 401 without a Business Central error (token of another tenant or resource) is no success', async () => {
		companies(TOKEN, 401, '', { 'WWW-Authenticate': 'Bearer realm=""' });
		const result = await n8nCredentialTest(BEARER, bearer());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Business Central did not list the companies: .*another tenant or resource/,
		);
	});

	test('a redirect is not followed and is no success', async () => {
		companies(TOKEN, 302, '', { Location: 'https://elsewhere.example/companies' });
		const result = await n8nCredentialTest(BEARER, bearer());
		expect(result.status).toBe('Error');
		expect(result.message).toContain('or a redirect, which is not followed');
	});

	test.each([
		['an empty list from another OData service', { value: [] }],
		['a JSON array whose first entry has a value', [{ value: [1] }]],
		['a value that is no list of companies', { value: 'signed out' }],
	])('a 200 without a company (%s) is no success', async (_case, body) => {
		companies(TOKEN, 200, body, { 'Content-Type': 'application/json' });
		const result = await n8nCredentialTest(BEARER, bearer());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Business Central listed no company/);
	});

	test.each([
		[429, 'Application_TooManyRequests'],
		[503, 'Unknown'],
	])(
		'a %i with a Business Central code does not claim the answer had none; it says test again',
		async (status, code) => {
			companies(TOKEN, status, bcError(code, 'Try again later.'), {
				'Content-Type': 'application/json',
			});
			const result = await n8nCredentialTest(BEARER, bearer());
			expect(result.status).toBe('Error');
			expect(result.message).not.toContain('without a Business Central error code');
			expect(result.message).toContain('busy or unavailable (429, 5xx)');
		},
	);

	test('a company list: Connection successful', async () => {
		companies(TOKEN, 200, { value: [{ id: 'c1', name: 'CRONUS USA, Inc.' }] });
		expect(await n8nCredentialTest(BEARER, bearer())).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});
});

describe('Business Central OAuth2 API: Test', () => {
	// n8n-core renews an OAuth2 token only on a 401 that fails the request (requestOAuth2), so
	// this test request keeps failures as errors and reads them in n8n's words: the price of a
	// Test that does not call a working credential refused when its stored token has expired.
	test('a token Business Central rejects, renewed and rejected again: n8n’s "Authorization failed"', async () => {
		// A token, one renewal on the first 401 (n8n-core), and n8n re-sends a request answered 401 once.
		const tokens = nock(TOKEN_ORIGIN).post(TOKEN_PATH).times(2).reply(200, tokenResponse(ISSUED));
		for (let send = 0; send < 3; send++) companies(ISSUED, 401, REJECTED);
		const result = await n8nCredentialTest(OAUTH2, oAuth2());
		expect(result).toEqual({
			status: 'Error',
			message: 'Authorization failed - please check your credentials',
		});
		expect(tokens.isDone()).toBe(true);
	});

	test('a 200 without a company is no success here either', async () => {
		nock(TOKEN_ORIGIN).post(TOKEN_PATH).reply(200, tokenResponse(ISSUED));
		companies(ISSUED, 200, { value: [] });
		const result = await n8nCredentialTest(OAUTH2, oAuth2());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Business Central listed no company/);
	});

	test('a redirect is not followed and is no success', async () => {
		nock(TOKEN_ORIGIN).post(TOKEN_PATH).reply(200, tokenResponse(ISSUED));
		companies(ISSUED, 302, '', { Location: 'https://elsewhere.example/companies' });
		const result = await n8nCredentialTest(OAUTH2, oAuth2());
		expect(result.status).toBe('Error');
		expect(result.message).toContain('302');
	});

	test('Entra refuses the client secret: n8n’s OAuth2 client names the OAuth error; Business Central is not called', async () => {
		nock(TOKEN_ORIGIN)
			.post(TOKEN_PATH)
			.reply(401, {
				error: 'invalid_client',
				error_description: 'AADSTS7000215: Invalid client secret provided.',
				error_codes: [7000215],
			});
		const result = await n8nCredentialTest(OAUTH2, oAuth2());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Client authentication failed/);
		expect(result.message).not.toContain(CLIENT_SECRET);
	});

	// The dialog sends the saved credential back with its stored token (the editor's
	// credentialData keeps `oauthTokenData`, the server un-redacts it), so a Test an hour after
	// the last run meets an expired token: n8n-core renews it only on a 401 that throws.
	test('a stored token that expired is renewed, as in a run: Connection successful, not "refused the app"', async () => {
		const EXPIRED = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.expired';
		companies(EXPIRED, 401, REJECTED, { 'Content-Type': 'application/json' });
		nock(TOKEN_ORIGIN).post(TOKEN_PATH).reply(200, tokenResponse(ISSUED));
		companies(ISSUED, 200, { value: [{ id: 'c1', name: 'CRONUS USA, Inc.' }] });
		const stored = { ...oAuth2(), oauthTokenData: tokenResponse(EXPIRED) };
		expect(await n8nCredentialTest(OAUTH2, stored)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	test('a token and a company list: Connection successful', async () => {
		nock(TOKEN_ORIGIN).post(TOKEN_PATH).reply(200, tokenResponse(ISSUED));
		companies(ISSUED, 200, { value: [{ id: 'c1', name: 'CRONUS USA, Inc.' }] });
		expect(await n8nCredentialTest(OAUTH2, oAuth2())).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});
});
