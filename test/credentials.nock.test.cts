/**
 * The OAuth2 (client credentials) credential through n8n-core's own OAuth2
 * client: token request, Bearer on the API, token renewal after a 401, custom
 * token URLs; and both credentials' test requests.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { httpRequest as n8nHttpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';
import nock from 'nock';

import { listSearch, loadPackage, MemoryCredentialsHelper, runWorkflow, testCredential } from '../dev/engine.cjs';
import { resolveApiBase } from '../nodes/BusinessCentral/helpers/apiBase';
import {
	bcError,
	BC_SCOPE,
	bearerCredentials,
	businessCentralNode,
	CLIENT_ID,
	COMPANY,
	CLIENT_SECRET,
	ETAG_1,
	ETAG_2,
	expectNoSecrets,
	oAuth2Credentials,
	PAYMENT,
	PAYMENT_URL,
	paymentRecord,
	SAAS_ORIGIN,
	SAAS_PATH,
	TENANT,
	TOKEN,
	TOKEN_ORIGIN,
	TOKEN_PATH,
	tokenResponse,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const ISSUED_1 = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.issued-one';
const ISSUED_2 = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.issued-two';

/** A token endpoint that records the form bodies it receives. */
function tokenEndpoint(origin: string, path: string, tokens: string[], bodies: IDataObject[]) {
	const scope = nock(origin);
	for (const token of tokens) {
		scope
			.post(path, (body: IDataObject) => {
				bodies.push(body);
				return true;
			})
			.matchHeader('content-type', /application\/x-www-form-urlencoded/)
			.reply(200, tokenResponse(token), { 'Content-Type': 'application/json; charset=utf-8' });
	}
	return scope;
}

const EXPECTED_FORM = {
	grant_type: 'client_credentials',
	scope: BC_SCOPE,
	client_id: CLIENT_ID,
	client_secret: CLIENT_SECRET,
};

describe('OAuth2 client credentials', () => {
	test('requests a token from Entra ID and sends it as Bearer on every API request', async () => {
		const bodies: IDataObject[] = [];
		const login = tokenEndpoint(TOKEN_ORIGIN, TOKEN_PATH, [ISSUED_1], bodies);
		const bc = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${ISSUED_1}` } })
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: 'oAuth2' }), {
			credentials: oAuth2Credentials(),
		});

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ id: PAYMENT, amount: -1750 });
		expect(bodies).toEqual([EXPECTED_FORM]);
		expect(result.credentials.tokenUpdates).toHaveLength(1);
		expect(result.credentials.tokenUpdates[0]).toMatchObject({ access_token: ISSUED_1 });
		expect(login.isDone()).toBe(true);
		expect(bc.isDone()).toBe(true);
	});

	test('a saved token is reused by the next run: no second token request', async () => {
		const bodies: IDataObject[] = [];
		tokenEndpoint(TOKEN_ORIGIN, TOKEN_PATH, [ISSUED_1], bodies);
		const bc = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${ISSUED_1}` } })
			.patch(PAYMENT_URL)
			.times(2)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));
		const { nodeTypes, credentialTypes } = await loadPackage();
		const credentialsHelper = new MemoryCredentialsHelper(credentialTypes, nodeTypes);
		const workflow = updateWorkflow([{ n: 1 }], { authentication: 'oAuth2', options: { eTag: ETAG_1 } });

		const first = await runWorkflow(workflow, { credentials: oAuth2Credentials(), credentialsHelper });
		const second = await runWorkflow(workflow, { credentials: oAuth2Credentials(), credentialsHelper });

		expect(first.error()).toBeUndefined();
		expect(second.error()).toBeUndefined();
		expect(bodies).toHaveLength(1);
		expect(credentialsHelper.tokenUpdates).toHaveLength(1);
		expect(bc.isDone()).toBe(true);
	});

	test('the API answers 401 once: n8n-core requests a new token and the request is repeated with it', async () => {
		const bodies: IDataObject[] = [];
		const login = tokenEndpoint(TOKEN_ORIGIN, TOKEN_PATH, [ISSUED_1, ISSUED_2], bodies);
		const expired = bcError('Authentication_InvalidCredentials', 'The credentials provided are incorrect');
		const seen: string[] = [];
		const bc = nock(SAAS_ORIGIN)
			.get(PAYMENT_URL)
			.matchHeader('authorization', `Bearer ${ISSUED_1}`)
			.times(2) // the transport's answer, then n8n-core's own attempt that triggers the renewal
			.reply(401, () => (seen.push('GET old token'), expired))
			.get(PAYMENT_URL)
			.matchHeader('authorization', `Bearer ${ISSUED_2}`)
			.reply(200, () => (seen.push('GET new token'), paymentRecord(PAYMENT, ETAG_1)))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('authorization', `Bearer ${ISSUED_2}`)
			.matchHeader('if-match', ETAG_1)
			.reply(200, () => (seen.push('PATCH new token'), paymentRecord(PAYMENT, ETAG_2, { amount: -1750 })));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: 'oAuth2' }), {
			credentials: oAuth2Credentials(),
		});

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ amount: -1750, '@odata.etag': ETAG_2 });
		expect(bodies).toEqual([EXPECTED_FORM, EXPECTED_FORM]);
		expect(result.credentials.tokenUpdates.map((update) => update.access_token)).toEqual([ISSUED_1, ISSUED_2]);
		expect(result.credentials.store.get('businessCentralOAuth2Api')?.oauthTokenData).toMatchObject({
			access_token: ISSUED_2,
		});
		expect(seen).toEqual(['GET old token', 'GET old token', 'GET new token', 'PATCH new token']);
		expect(login.isDone()).toBe(true);
		expect(bc.isDone()).toBe(true);
	});

	test('401 again with the renewed token: error with the 401 hint, no endless renewal, no secret in it', async () => {
		const bodies: IDataObject[] = [];
		tokenEndpoint(TOKEN_ORIGIN, TOKEN_PATH, [ISSUED_1, ISSUED_2], bodies);
		const rejected = bcError('Authentication_InvalidCredentials', 'The server has rejected the client credentials.');
		nock(SAAS_ORIGIN)
			.get(PAYMENT_URL)
			.matchHeader('authorization', `Bearer ${ISSUED_1}`)
			.times(2)
			.reply(401, rejected)
			.get(PAYMENT_URL)
			.matchHeader('authorization', `Bearer ${ISSUED_2}`)
			.times(2) // n8n-core sends once more after a renewed token is refused, then gives up
			.reply(401, rejected);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: 'oAuth2' }), {
			credentials: oAuth2Credentials(),
		});

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('The server has rejected the client credentials.');
		expect(error?.httpCode).toBe('401');
		expect(error?.description).toContain('Code: Authentication_InvalidCredentials.');
		expect(error?.description).toContain('The access token was rejected');
		expect(bodies).toHaveLength(2);
		expect(requests.unmatched).toEqual([]);
		expectNoSecrets([error, result.error(), result.output('Business Central')], [CLIENT_SECRET, ISSUED_1, ISSUED_2]);
	});

	test('the token endpoint refuses the client secret: error, no API request, the secret not in the error', async () => {
		nock(TOKEN_ORIGIN)
			.post(TOKEN_PATH)
			.times(2) // n8n's OAuth2 client, then the node's one look at the full answer
			.reply(
				401,
				{
					error: 'invalid_client',
					error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
				},
				{ 'Content-Type': 'application/json' },
			);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: 'oAuth2' }), {
			credentials: oAuth2Credentials(),
		});

		const error = result.error('Business Central');
		expect(error).toBeDefined();
		// Entra's status, code and description, not n8n's OAuth2 client's generic text alone.
		expect(error?.message).toContain('Getting an OAuth2 access token failed (HTTP 401, invalid_client): AADSTS7000215');
		expect(error?.description).toContain('Client authentication failed');
		expect(error?.context).toMatchObject({ itemIndex: 0 });
		expect(result.output('Business Central')).toEqual([]);
		expect(requests.unmatched).toEqual([]);
		expectNoSecrets([error, result.error(), result.run.data.resultData], [CLIENT_SECRET]);
	});

	test('token endpoint refusal under Continue On Fail: one error item per input item, nothing passed through', async () => {
		nock(TOKEN_ORIGIN)
			.post(TOKEN_PATH)
			.times(3) // once per item by n8n's OAuth2 client, once by the node to read the answer
			.reply(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }, {
				'Content-Type': 'application/json',
			});

		const result = await runWorkflow(
			updateWorkflow([{ id: PAYMENT }, { id: PAYMENT }], {
				authentication: 'oAuth2',
				payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: { batching: false },
				continueOnFail: true,
			}),
			{ credentials: oAuth2Credentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of output) {
			expect(item.json.error).toContain('Getting an OAuth2 access token failed (HTTP 401, invalid_client): AADSTS7000215');
			expect(item.json).not.toHaveProperty('id');
		}
		expect(requests.unmatched).toEqual([]);
		expectNoSecrets([output], [CLIENT_SECRET]);
	});

	test.each([
		['custom token URL', { entraEndpoint: 'custom', customTokenUrl: 'https://sts.contoso.example/adfs/oauth2/token' }, 'https://sts.contoso.example', '/adfs/oauth2/token'],
		['US Government cloud', { entraEndpoint: 'usGov' }, 'https://login.microsoftonline.us', TOKEN_PATH],
		['China cloud', { entraEndpoint: 'china' }, 'https://login.chinacloudapi.cn', TOKEN_PATH],
	])('%s: the token is requested there', async (_name, overrides, origin, path) => {
		const bodies: IDataObject[] = [];
		const login = tokenEndpoint(origin, path, [ISSUED_1], bodies);
		const bc = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${ISSUED_1}` } })
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { authentication: 'oAuth2', options: { eTag: ETAG_1 } }),
			{ credentials: oAuth2Credentials(overrides) },
		);

		expect(result.error()).toBeUndefined();
		expect(bodies).toEqual([EXPECTED_FORM]);
		expect(login.isDone()).toBe(true);
		expect(bc.isDone()).toBe(true);
	});

	test('OAuth2 with an on-premises deployment: token from Entra ID, API on the server', async () => {
		const bodies: IDataObject[] = [];
		tokenEndpoint(TOKEN_ORIGIN, TOKEN_PATH, [ISSUED_1], bodies);
		const path = `/BC240/api/v2.0/companies(${PAYMENT_URL.split('/companies(')[1]}`;
		const bc = nock('https://bc.contoso.local:7048', { reqheaders: { authorization: `Bearer ${ISSUED_1}` } })
			.patch(path)
			.reply(200, paymentRecord(PAYMENT, ETAG_2));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { authentication: 'oAuth2', options: { eTag: ETAG_1 } }),
			{
				credentials: oAuth2Credentials({
					deployment: 'onPremises',
					serverUrl: 'https://bc.contoso.local:7048/BC240',
				}),
			},
		);

		expect(result.error()).toBeUndefined();
		expect(bodies).toHaveLength(1);
		expect(bc.isDone()).toBe(true);
	});
});

describe('OAuth2 in the pickers (list search)', () => {
	test('searchCompanies gets a token and lists with it', async () => {
		const bodies: IDataObject[] = [];
		const login = tokenEndpoint(TOKEN_ORIGIN, TOKEN_PATH, [ISSUED_1], bodies);
		const bc = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${ISSUED_1}` } })
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName' })
			.reply(200, { value: [{ id: COMPANY, name: 'CRONUS', displayName: 'CRONUS USA, Inc.' }] });

		const result = await listSearch('searchCompanies', businessCentralNode({ authentication: 'oAuth2' }), {
			credentials: oAuth2Credentials(),
		});

		expect(result.results).toEqual([{ name: 'CRONUS USA, Inc.', value: COMPANY }]);
		expect(bodies).toEqual([EXPECTED_FORM]);
		expect(login.isDone() && bc.isDone()).toBe(true);
	});
});

describe('credential test requests', () => {
	/** n8n-core's own request helper (what n8n uses to send a credential's test request). */
	const send = async (options: IHttpRequestOptions) => await n8nHttpRequest(options);

	test('bearer: GET <base>/companies?$top=1&$select=id,name with the token → OK', async () => {
		const scope = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(`${SAAS_PATH}/companies`)
			.query({ $top: '1', $select: 'id,name' })
			.reply(200, { value: [{ id: 'c', name: 'CRONUS' }] });

		const result = await testCredential(
			'businessCentralApi',
			bearerCredentials().businessCentralApi,
			send,
		);

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	test('bearer: 401 → Error, and the token is not in the message', async () => {
		nock(SAAS_ORIGIN)
			.get(`${SAAS_PATH}/companies`)
			.query({ $top: '1', $select: 'id,name' })
			.reply(401, bcError('Authentication_InvalidCredentials', 'The server has rejected the client credentials.'));

		const result = await testCredential('businessCentralApi', bearerCredentials().businessCentralApi, send);

		expect(result.status).toBe('Error');
		expect(result.message).toContain('401');
		expect(result.message).not.toContain(TOKEN);
	});

	// The test request's base is an expression written separately from the node's
	// resolveApiBase(): both must give the same URL for every deployment.
	test.each<[string, IDataObject]>([
		['SaaS v2.0', {}],
		['SaaS v1.0', { apiVersion: 'v1.0' }],
		['on-premises', { deployment: 'onPremises', serverUrl: 'https://bc.contoso.local:7048/BC240/' }],
		['Financials beta', { deployment: 'financialsBeta' }],
		['custom', { deployment: 'custom', customBaseUrl: 'https://bc-proxy.example.net/bc/api/v2.0/' }],
	])('test request base = node API base, for both credentials: %s', async (_name, overrides) => {
		for (const [type, data] of [
			['businessCentralApi', bearerCredentials(overrides).businessCentralApi],
			['businessCentralOAuth2Api', oAuth2Credentials(overrides).businessCentralOAuth2Api],
		] as Array<[string, ICredentialDataDecryptedObject]>) {
			const base = resolveApiBase({ apiVersion: 'v2.0', environment: 'production', ...data });
			const sent: IHttpRequestOptions[] = [];
			const result = await testCredential(type, data, async (options) => {
				sent.push(options);
				return {};
			});
			expect(result.status).toBe('OK');
			expect(`${sent[0].baseURL}${sent[0].url}`).toBe(`${base.url}/companies`);
			expect(sent[0].qs).toEqual({ $top: 1, $select: 'id,name' });
		}
	});

	test(`OAuth2 credential test reaches the same ${TENANT} base through n8n-core's request helper`, async () => {
		const scope = nock(SAAS_ORIGIN)
			.get(`${SAAS_PATH}/companies`)
			.query({ $top: '1', $select: 'id,name' })
			.reply(200, { value: [] });

		const result = await testCredential('businessCentralOAuth2Api', oAuth2Credentials().businessCentralOAuth2Api, send);

		expect(result.status).toBe('OK');
		expect(scope.isDone()).toBe(true);
	});
});
