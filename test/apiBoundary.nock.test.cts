/**
 * Issue 10 §3: the token and the requests stay on the configured API base.
 * Attacks through n8n's engine with nock: redirects (bearer and OAuth2), links and
 * pasted URLs that leave the base after normalising, endless paging, secrets echoed
 * back by the server, a failing OAuth2 token endpoint, and a cut JSON answer.
 * "Foreign" scopes answer like Business Central would, so a request that reached
 * them would turn into output: they must see 0 requests.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { httpRequest as n8nHttpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { listSearch, runWorkflow, testCredential, type RunResult } from '../dev/engine.cjs';
import { MAX_PAGES, MAX_ROWS, pagingProblem, startPaging } from '../nodes/BusinessCentral/transport/paging';
import {
	bcError,
	bearerCredentials,
	businessCentralNode,
	CLIENT_SECRET,
	COMPANY,
	ETAG_1,
	ETAG_2,
	expectNoSecrets,
	JOURNAL,
	locator,
	oAuth2Credentials,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_URL,
	paymentRecord,
	SAAS_BASE,
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
import { NODE, opsWorkflow } from './opsFixtures.cjs';

const requests = useNock(nock);

const ISSUED = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.issued-boundary-token';
const FOREIGN = 'https://collector.attacker.example';
const LIST_PATH = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;

type Auth = 'bearerToken' | 'oAuth2';

/** Requests that reached a place they must never reach ("METHOD origin path"). */
function trap(origin: string, path: (uri: string) => boolean = () => true): string[] {
	const hits: string[] = [];
	for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
		nock(origin)
			.intercept(path, method)
			.optionally()
			.times(20)
			.reply(200, (uri) => {
				hits.push(`${method} ${origin}${uri}`);
				return method === 'POST' ? { responses: [] } : paymentRecord(PAYMENT, ETAG_2, { description: 'foreign' });
			});
	}
	return hits;
}

/** The API scope for either credential; OAuth2 also answers the token request once. */
function api(auth: Auth): nock.Scope {
	if (auth === 'bearerToken') return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
	nock(TOKEN_ORIGIN).post(TOKEN_PATH).reply(200, tokenResponse(ISSUED), { 'Content-Type': 'application/json' });
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${ISSUED}` } });
}

function credentials(auth: Auth) {
	return auth === 'bearerToken' ? bearerCredentials() : oAuth2Credentials();
}

function page(records: IDataObject[], nextLink?: string): IDataObject {
	return { value: records, ...(nextLink ? { '@odata.nextLink': nextLink } : {}) };
}

async function getAll(parameters: IDataObject, auth: Auth = 'bearerToken'): Promise<RunResult> {
	const workflow = opsWorkflow([{}], 'getAll', { parameters: { journal: JOURNAL, ...parameters } });
	workflow.nodes[1].parameters.authentication = auth;
	if (auth === 'oAuth2') workflow.nodes[1].credentials = { businessCentralOAuth2Api: { id: '2', name: 'OAuth2' } };
	return await runWorkflow(workflow, { credentials: credentials(auth) });
}

const AUTHS: Auth[] = ['bearerToken', 'oAuth2'];

describe('redirects are never followed', () => {
	test.each(AUTHS)('%s: 302 on the GET → error naming only the host; the foreign record is not output', async (auth) => {
		const hits = trap(FOREIGN);
		api(auth).get(PAYMENT_URL).reply(302, '', { Location: `${FOREIGN}/steal?session=s3cr3t-query` });

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: auth }), { credentials: credentials(auth) });

		const error = result.error(NODE);
		expect(error?.message).toContain('redirect to collector.attacker.example');
		expect(error?.httpCode).toBe('302');
		expect(JSON.stringify(result.run)).not.toContain('s3cr3t-query');
		expect(result.output(NODE)).toEqual([]);
		expect(hits).toEqual([]);
		expectNoSecrets([result.run], [TOKEN, ISSUED, CLIENT_SECRET]);
	});

	test.each(AUTHS)('%s: 307 on the PATCH → error, sent once to Business Central, nothing re-sent anywhere', async (auth) => {
		const hits = trap(FOREIGN);
		const patches: string[] = [];
		api(auth)
			.patch(PAYMENT_URL)
			.reply(307, () => (patches.push('PATCH'), ''), { Location: `${FOREIGN}/v2.0/x/production/api/v2.0/p` });

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { authentication: auth, options: { eTag: ETAG_1 } }),
			{ credentials: credentials(auth) },
		);

		expect(result.error(NODE)?.message).toContain('redirect to collector.attacker.example');
		expect(patches).toEqual(['PATCH']);
		expect(hits).toEqual([]);
		expect(requests.unmatched).toEqual([]);
	});

	test.each(AUTHS)('%s: 307 on the $batch → every item fails, one POST, nothing posted to the other host', async (auth) => {
		const hits = trap(FOREIGN);
		const posts: string[] = [];
		api(auth)
			.post(`${SAAS_PATH}/$batch`)
			.reply(307, () => (posts.push('POST'), ''), { Location: `${FOREIGN}/$batch` });

		const result = await runWorkflow(
			updateWorkflow([{ id: PAYMENT }, { id: PAYMENT_2 }], {
				authentication: auth,
				payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: { eTag: ETAG_1 },
				continueOnFail: true,
			}),
			{ credentials: credentials(auth) },
		);

		const output = result.output(NODE);
		expect(output).toHaveLength(2);
		for (const item of output) expect(String(item.json.error)).toContain('redirect to collector.attacker.example');
		expect(posts).toEqual(['POST']);
		expect(hits).toEqual([]);
	});

	test.each<[number, Auth]>([
		[301, 'bearerToken'],
		[308, 'bearerToken'],
		[301, 'oAuth2'],
		[308, 'oAuth2'],
	])('%s on the GET and on the PATCH (%s): refused, nothing sent to the other host', async (status, auth) => {
		const hits = trap(FOREIGN);
		api(auth).get(PAYMENT_URL).reply(status, '', { Location: `${FOREIGN}/moved` });
		api(auth).patch(PAYMENT_URL).reply(status, '', { Location: `${FOREIGN}/moved` });

		const read = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: auth }), { credentials: credentials(auth) });
		const write = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: auth, options: { eTag: ETAG_1 } }), {
			credentials: credentials(auth),
		});

		expect(read.error(NODE)?.message).toContain(`HTTP ${status}, a redirect to collector.attacker.example`);
		expect(write.error(NODE)?.message).toContain(`HTTP ${status}, a redirect to collector.attacker.example`);
		expect(hits).toEqual([]);
	});
});

describe('the credential test request does not follow redirects either', () => {
	test('302 from the API base: the test fails, the token does not reach the other host', async () => {
		const hits = trap(FOREIGN);
		api('bearerToken').get(`${SAAS_PATH}/companies`).query(true).reply(302, '', { Location: `${FOREIGN}/companies` });

		const result = await testCredential('businessCentralApi', bearerCredentials().businessCentralApi, async (options) =>
			await n8nHttpRequest(options),
		);

		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(TOKEN);
		expect(hits).toEqual([]);
	});
});

describe('links and pasted URLs are compared after normalising', () => {
	const escapes: Array<[string, string]> = [
		['../ to another tenant', `${SAAS_BASE}/../../../fabrikam.onmicrosoft.com/production/api/v2.0/companies(${COMPANY})/customerPayments?$skiptoken=2`],
		['%2e%2e to another tenant', `${SAAS_BASE}/%2e%2e/%2e%2e/%2e%2e/fabrikam.onmicrosoft.com/production/api/v2.0/companies(${COMPANY})/customerPayments?$skiptoken=2`],
		['%2E%2E to another API version', `${SAAS_BASE}/%2E%2E/v1.0/companies(${COMPANY})/customerPayments?$skiptoken=2`],
		['backslashes to another environment', `${SAAS_BASE}\\..\\..\\..\\sandbox\\api\\v2.0\\companies(${COMPANY})\\customerPayments?$skiptoken=2`],
		['an encoded slash', `${SAAS_BASE}/companies(${COMPANY})%2F..%2F..%2Fx/customerPayments?$skiptoken=2`],
		['http instead of https', `${SAAS_BASE.replace('https:', 'http:')}/companies(${COMPANY})/customerPayments?$skiptoken=2`],
		['another port', `${SAAS_BASE.replace('.com/', '.com:8443/')}/companies(${COMPANY})/customerPayments?$skiptoken=2`],
	];

	test.each(escapes)('a nextLink with %s is refused; no request leaves the base', async (_name, link) => {
		const otherTenant = trap(SAAS_ORIGIN, (uri) => !uri.startsWith(`${SAAS_PATH}/`));
		const otherPort = trap(`${SAAS_ORIGIN}:8443`);
		const plainHttp = trap('http://api.businesscentral.dynamics.com');
		api('bearerToken').get(LIST_PATH).query(true).reply(200, page([paymentRecord(PAYMENT, ETAG_1)], link));

		const result = await getAll({ returnAll: true });

		expect(result.error(NODE)?.message).toContain('Refused to follow a link outside the configured Business Central API');
		expect(result.output(NODE)).toEqual([]);
		expect([...otherTenant, ...otherPort, ...plainHttp]).toEqual([]);
	});

	test('the same base spelled differently (host and path case, default port, trailing dot) is followed, on the configured base', async () => {
		const spellings = [
			`https://API.BusinessCentral.Dynamics.com:443/v2.0/Contoso.OnMicrosoft.com/Production/API/v2.0/companies(${COMPANY})/customerPayments?$skiptoken=p2`,
			`https://api.businesscentral.dynamics.com./v2.0/${TENANT}/production/api/v2.0//companies(${COMPANY})/customerPayments?$skiptoken=p3`,
		];
		api('bearerToken')
			.get(LIST_PATH)
			.query(true)
			.reply(200, page([paymentRecord(PAYMENT, ETAG_1)], spellings[0]))
			.get(LIST_PATH)
			.query({ $skiptoken: 'p2' })
			.reply(200, page([paymentRecord(PAYMENT_2, ETAG_1)], spellings[1]))
			.get(LIST_PATH)
			.query({ $skiptoken: 'p3' })
			.reply(200, page([]));

		const result = await getAll({ returnAll: true });

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.id)).toEqual([PAYMENT, PAYMENT_2]);
	});

	test('a tenant GUID where the credential has the domain is refused, telling the user to put the GUID in the credential', async () => {
		const guid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
		const link = `https://api.businesscentral.dynamics.com/v2.0/${guid}/production/api/v2.0/companies(${COMPANY})/customerPayments?$skiptoken=2`;
		const otherTenant = trap(SAAS_ORIGIN, (uri) => !uri.startsWith(`${SAAS_PATH}/`));
		api('bearerToken').get(LIST_PATH).query(true).reply(200, page([paymentRecord(PAYMENT, ETAG_1)], link));

		const result = await getAll({ returnAll: true });

		expect(result.error(NODE)?.description).toContain(`Put the tenant ID (GUID) ${guid} into the credential's Tenant ID field`);
		expect(otherTenant).toEqual([]);
	});

	test('a pasted payment URL that steps into another tenant with %2e%2e is refused before any request', async () => {
		const pasted = `${SAAS_BASE}/%2e%2e/%2e%2e/%2e%2e/fabrikam.onmicrosoft.com/production/api/v2.0/companies(${COMPANY})/customerPayments(${PAYMENT})`;
		const otherTenant = trap(SAAS_ORIGIN);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { payment: locator(pasted, 'url') }), {
			credentials: bearerCredentials(),
		});

		expect(result.error(NODE)?.message).toContain('is not under the configured API base');
		expect(otherTenant).toEqual([]);
	});

	test('a pasted payment URL with another host case and duplicate slashes is accepted: the request goes to the configured base', async () => {
		const pasted = `HTTPS://API.BUSINESSCENTRAL.DYNAMICS.COM//v2.0//${TENANT.toUpperCase()}/PRODUCTION/api/v2.0/companies(${COMPANY})/customerPayments(${PAYMENT})`;
		const scope = api('bearerToken')
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { payment: locator(pasted, 'url'), options: { eTag: ETAG_1 } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ id: PAYMENT, amount: -1750 });
		expect(scope.isDone()).toBe(true);
	});
});

describe('paging ends', () => {
	test('distinct links whose $skiptoken does not move forward stop with an error', async () => {
		const link = (n: number) => `${SAAS_BASE}/companies(${COMPANY})/customerPayments?n=${n}&$skiptoken=same`;
		let served = 0;
		api('bearerToken')
			.get(LIST_PATH)
			.query(true)
			.times(30)
			.reply(200, () => page([paymentRecord(PAYMENT, ETAG_1)], link(++served)));

		const result = await getAll({ returnAll: true });
		nock.cleanAll(); // the endless server's remaining answers are not wanted

		expect(result.error(NODE)?.message).toContain('$skiptoken or $skip does not move forward');
		expect(served).toBe(2);
	});

	test('a $skip that goes back stops with an error', async () => {
		api('bearerToken')
			.get(LIST_PATH)
			.query(true)
			.reply(200, page([paymentRecord(PAYMENT, ETAG_1)], `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$skip=10`))
			.get(LIST_PATH)
			.query({ $skip: '10' })
			.reply(200, page([paymentRecord(PAYMENT_2, ETAG_1)], `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$skip=5`));

		const result = await getAll({ returnAll: true });

		expect(result.error(NODE)?.message).toContain('does not move forward');
		expect(result.output(NODE)).toEqual([]);
	});

	test('an empty page that still links on stops with an error', async () => {
		api('bearerToken')
			.get(LIST_PATH)
			.query(true)
			.reply(200, page([], `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$skiptoken=2`));

		const result = await getAll({ returnAll: true });

		expect(result.error(NODE)?.message).toContain('an empty page that still links to a next page');
	});

	test('a page with more records than asked for (Limit 2) is an error, not silently cut', async () => {
		const five = [1, 2, 3, 4, 5].map((n) => paymentRecord(`${PAYMENT.slice(0, -1)}${n}`, ETAG_1));
		api('bearerToken').get(LIST_PATH).query(true).reply(200, page(five));

		const result = await getAll({ returnAll: false, limit: 2 });

		expect(result.error(NODE)?.message).toContain('a page of 5 records where at most 2 were asked for');
		expect(result.output(NODE)).toEqual([]);
	});

	test('picker over every journal: endless journal pages stop with an error', async () => {
		const journals = `${SAAS_PATH}/companies(${COMPANY})/customerPaymentJournals`;
		const link = (n: number) => `${SAAS_BASE}/companies(${COMPANY})/customerPaymentJournals?n=${n}&$skiptoken=same`;
		let served = 0;
		api('bearerToken')
			.get(journals)
			.query(true)
			.times(30)
			.reply(200, () => page([{ id: JOURNAL }], link(++served)));
		const node = businessCentralNode({ journal: locator('', 'list') });

		const error = await listSearch('searchPayments', node, { credentials: bearerCredentials() }).catch((caught: Error) => caught);
		nock.cleanAll();

		expect(String((error as Error).message)).toContain('does not move forward');
		expect(served).toBe(2);
	});

	test('picker: a page of more than the 50 asked for is an error', async () => {
		const many = Array.from({ length: 51 }, (_, n) => ({ id: `c${n}`, name: `C${n}`, displayName: `C${n}` }));
		api('bearerToken').get(`${SAAS_PATH}/companies`).query(true).reply(200, page(many));

		await expect(
			listSearch('searchCompanies', businessCentralNode({}), { credentials: bearerCredentials() }),
		).rejects.toThrow('a page of 51 records where at most 50 were asked for');
	});
});

describe('secrets echoed by the server are redacted', () => {
	const echo = (secret: string) => `token ${secret}, header Bearer ${secret}, form client_secret=${encodeURIComponent(CLIENT_SECRET)}`;

	// A bearer credential has no client secret: for it only the token and `client_secret=` values can be known.
	test.each(AUTHS)('%s: 400, 500 (HTML) and 200 answers carrying the token and client secret: none in the run', async (auth) => {
		const secret = auth === 'bearerToken' ? TOKEN : ISSUED;
		const secrets = auth === 'bearerToken' ? [TOKEN] : [ISSUED, CLIENT_SECRET];
		const headers = { 'x-echo': `Bearer ${secret}`, 'x-client-secret': CLIENT_SECRET };
		const scope = api(auth);
		scope
			.get(PAYMENT_URL)
			.reply(400, bcError('BadRequest', `Bad request from ${echo(secret)}`), headers)
			.get(`${SAAS_PATH}/companies(${COMPANY})/customerPayments(${PAYMENT_2})`)
			.reply(500, `<html><body><pre>Authorization: Bearer ${secret}\n${CLIENT_SECRET}</pre></body></html>`, {
				...headers,
				'content-type': 'text/html',
			})
			.get(`${SAAS_PATH}/companies(${COMPANY})/customerPayments(${JOURNAL})`)
			.reply(200, paymentRecord(JOURNAL, ETAG_1, { description: echo(secret), comment: CLIENT_SECRET }), headers)
			.patch(`${SAAS_PATH}/companies(${COMPANY})/customerPayments(${JOURNAL})`)
			.reply(200, paymentRecord(JOURNAL, ETAG_2, { description: echo(secret), [secret]: 'as a key' }), headers);

		const result = await runWorkflow(
			updateWorkflow([{ id: PAYMENT }, { id: PAYMENT_2 }, { id: JOURNAL }], {
				authentication: auth,
				payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: { batching: false, maxRetries: 0 },
				continueOnFail: true,
			}),
			{ credentials: credentials(auth) },
		);

		const output = result.output(NODE);
		expect(output).toHaveLength(3);
		expect(String(output[0].json.error)).toContain('[redacted]');
		expect(String(output[2].json.description)).toContain('Bearer [redacted]');
		expect(scope.isDone()).toBe(true);
		expect(String(output[0].json.error)).toContain('client_secret=[redacted]');
		expectNoSecrets([result.run, output], secrets);
	});

	test('a thrown error (no Continue On Fail) with the echoed token has it redacted in message and description', async () => {
		api('bearerToken').get(PAYMENT_URL).reply(403, bcError('Forbidden', `Token ${TOKEN} has no permission`));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error(NODE)?.message).toContain('Token [redacted] has no permission');
		expectNoSecrets([result.run, result.error(NODE)]);
	});
});

describe('a failing OAuth2 token endpoint is reported as such', () => {
	test.each<[number, IDataObject, string[]]>([
		[401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] }, ['invalid_client', 'AADSTS7000215: Invalid client secret provided.']],
		[400, { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier 'x' was not found. Sent: client_secret=${CLIENT_SECRET}` }, ['unauthorized_client', 'AADSTS700016', 'client_secret=[redacted]']],
		[500, { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred.' }, ['HTTP 500', 'temporarily_unavailable', 'AADSTS90033']],
	])('token endpoint %s: the error names Entra\'s code and description, not Business Central', async (status, body, expected) => {
		// n8n's OAuth2 client's request, then the node's one look at the full answer (its error keeps neither status nor JSON)
		const login = nock(TOKEN_ORIGIN).post(TOKEN_PATH).times(2).reply(status, body, { 'Content-Type': 'application/json' });
		const bc = trap(SAAS_ORIGIN);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { authentication: 'oAuth2' }), {
			credentials: oAuth2Credentials(),
		});

		const error = result.error(NODE);
		expect(error?.message).toContain('Getting an OAuth2 access token failed');
		for (const text of expected) expect(error?.message).toContain(text);
		expect(error?.message).not.toContain('Unexpected answer from Business Central');
		expect(error?.description).toContain('nothing was sent to Business Central');
		expect(bc).toEqual([]);
		expect(login.isDone()).toBe(true);
		expectNoSecrets([result.run, error], [CLIENT_SECRET]);
	});
});

describe('an answer that claims JSON but is cut is "no clear answer"', () => {
	test('PATCH 200 with a cut JSON body: the node re-reads, finds the change applied, reports success once', async () => {
		const patches: string[] = [];
		api('bearerToken')
			.patch(PAYMENT_URL)
			.reply(200, () => (patches.push('PATCH'), `{"@odata.etag":"${ETAG_2}","id":"${PAYMENT}","amo`), {
				'content-type': 'application/json',
			})
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1 } }), {
			credentials: bearerCredentials(),
		});

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
		expect(patches).toEqual(['PATCH']);
	});

	test('GET 200 with a cut JSON body (Max Retries 0): an error saying the answer was cut off', async () => {
		api('bearerToken').get(PAYMENT_URL).reply(200, '{"id": "abc", ', { 'content-type': 'application/json' });

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { maxRetries: 0 } }), {
			credentials: bearerCredentials(),
		});

		expect(result.error(NODE)?.message).toContain('the answer was cut off');
		expect(result.output(NODE)).toEqual([]);
	});
});

describe('paging limits (transport/paging.ts, the function readPages and the pickers use)', () => {
	test(`links that advance forever stop at ${MAX_PAGES} pages`, () => {
		const state = startPaging(50);
		let problem: string | undefined;
		let pages = 0;
		while (!problem && pages < MAX_PAGES + 10) {
			pages++;
			problem = pagingProblem(state, 1, `${SAAS_BASE}/companies?$skiptoken=${pages}`);
		}
		expect(problem).toBe(`Business Central sent more than ${MAX_PAGES} pages`);
		expect(pages).toBe(MAX_PAGES);
	});

	test(`more than ${MAX_ROWS} records in all stop paging`, () => {
		const state = startPaging(20_000);
		let problem: string | undefined;
		let pages = 0;
		while (!problem && pages < 100) {
			pages++;
			problem = pagingProblem(state, 20_000, `${SAAS_BASE}/companies?$skip=${pages * 20_000}`);
		}
		expect(problem).toBe(`Business Central sent more than ${MAX_ROWS} records`);
		expect(pages).toBe(MAX_ROWS / 20_000 + 1);
	});
});
