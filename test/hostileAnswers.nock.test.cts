/**
 * Hostile or broken answers from "Business Central" (a proxy, a login page, a
 * misconfigured base URL, a compromised or buggy server): non-JSON bodies, HTML
 * error pages on 200 and 500, a record without @odata.etag, a huge body,
 * another record or another entity than asked for, broken $batch answers, and an
 * @odata.nextLink to another host. Each ends in a clear NodeApiError /
 * NodeOperationError for the item (an error item under Continue On Fail), never
 * a crash, never the foreign data as output, and never a secret in the error.
 */
import nock from 'nock';

import { listSearch, runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	businessCentralNode,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	ETAG_2,
	expectNoSecrets,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_URL,
	paymentPath,
	paymentRecord,
	SAAS_BASE,
	SAAS_PATH,
	saasApi,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const api = () => saasApi(nock);

const HTML_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Sign in to your account</h1><script>var t="x"</script></body></html>';
const HUGE = 'x'.repeat(5 * 1024 * 1024);
const CUSTOMER_OBJECT = {
	'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customers/$entity`,
	'@odata.etag': ETAG_1,
	id: PAYMENT,
	number: '10000',
	displayName: 'Adatum Corporation',
};

type Reply = [number, unknown, Record<string, string>?];

const GET_ANSWERS: Array<[string, Reply, RegExp]> = [
	['a plain-text body on 200', [200, 'OK, done.', { 'content-type': 'text/plain' }], /not a customer payment/],
	['an HTML page on 200 (login page)', [200, HTML_PAGE, { 'content-type': 'text/html' }], /not a customer payment/],
	['an HTML error page on 500', [500, HTML_PAGE, { 'content-type': 'text/html' }], /Unexpected answer from Business Central \(HTTP 500\): Sign in/],
	// Broken (cut) JSON that claims to be JSON is "no clear answer" (retried, writes verified): test/apiBoundary.nock.test.cts.
	['an empty body on 200', [200, '', { 'content-type': 'application/json' }], /not a customer payment/],
	['null on 200', [200, 'null', { 'content-type': 'application/json' }], /not a customer payment/],
	['a record without @odata.etag', [200, { ...paymentRecord(PAYMENT, ETAG_1), '@odata.etag': undefined }], /@odata\.etag/],
	['a record with a numeric @odata.etag', [200, { ...paymentRecord(PAYMENT, ETAG_1), '@odata.etag': 7 }], /@odata\.etag/],
	['another payment', [200, paymentRecord(PAYMENT_2, ETAG_1)], new RegExp(`the answer is payment ${PAYMENT_2}, not ${PAYMENT}`)],
	['a customer instead of a payment (same id)', [200, CUSTOMER_OBJECT], /names another entity than a customer payment/],
	['a 5 MB non-JSON body on 200', [200, HUGE, { 'content-type': 'text/plain' }], /not a customer payment/],
	['a 5 MB non-JSON body on 500', [500, HUGE, { 'content-type': 'text/plain' }], /Unexpected answer from Business Central \(HTTP 500\)/],
	['an error body with a non-string message', [400, { error: { code: 'X', message: { nested: true } } }], /Unexpected answer from Business Central \(HTTP 400\)/],
];

describe('hostile answers to the GET (one request per item)', () => {
	test.each(GET_ANSWERS)('%s: a clear error for the item, no PATCH, no output', async (_name, [status, body, headers], expected) => {
		const scope = api().get(PAYMENT_URL).reply(status, body as never, headers);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		const error = result.error('Business Central');
		expect(['NodeApiError', 'NodeOperationError']).toContain(error?.name);
		expect(error?.message).toMatch(expected);
		expect(error?.message).toContain(PAYMENT);
		// short and readable, even for a 5 MB answer
		expect(error!.message.length).toBeLessThan(600);
		expect(String(error?.description ?? '').length).toBeLessThan(1000);
		expect(error?.context).toMatchObject({ itemIndex: 0 });
		expect(result.output('Business Central')).toEqual([]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
		expectNoSecrets([error, result.error(), result.run]);
	});

	test('Continue On Fail: one error item per hostile answer, paired; the good item is output', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, HTML_PAGE, { 'content-type': 'text/html' })
			.get(paymentPath(PAYMENT_2))
			.reply(200, paymentRecord(PAYMENT_2, ETAG_1))
			.patch(paymentPath(PAYMENT_2))
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ id: PAYMENT }, { id: PAYMENT_2 }], {
				payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: { batching: false },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		const output = result.output('Business Central');
		expect(output).toHaveLength(2);
		expect(output[0].json).toMatchObject({ httpStatus: 200, code: 'UnexpectedAnswer' });
		expect(String(output[0].json.error)).toContain('not a customer payment');
		expect(output[0].json.id).toBeUndefined();
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[1].json).toMatchObject({ id: PAYMENT_2, amount: -1750, '@odata.etag': ETAG_2 });
		expect(scope.isDone()).toBe(true);
	});
});

describe('hostile answers to the PATCH: never used, the payment re-read instead', () => {
	const hostile: Array<[string, Reply]> = [
		['HTML on 200', [200, HTML_PAGE, { 'content-type': 'text/html' }]],
		['a customer object on 200', [200, { ...CUSTOMER_OBJECT, '@odata.etag': ETAG_2 }]],
		['another payment on 200', [200, paymentRecord(PAYMENT_2, ETAG_2)]],
		['200 without @odata.etag', [200, { ...paymentRecord(PAYMENT, ETAG_2), '@odata.etag': undefined }]],
		['an empty 200', [200, '']],
		['HTML on 500', [500, HTML_PAGE, { 'content-type': 'text/html' }]],
	];

	test.each(hostile)('%s, re-read shows our values: output is the re-read record, one PATCH', async (_name, [status, body, headers]) => {
		const applied = paymentRecord(PAYMENT, ETAG_2, { amount: -1750 });
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.reply(status, body as never, headers)
			.get(PAYMENT_URL)
			.reply(200, applied);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error('Business Central')).toBeUndefined();
		const { '@odata.context': _context, ...expected } = applied;
		expect(result.output('Business Central').map((item) => item.json)).toEqual([expected]);
		expect(scope.isDone()).toBe(true);
	});

	test.each(hostile)('%s, re-read shows the eTag unchanged: sent once more, then applied', async (_name, [status, body, headers]) => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(status, body as never, headers)
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error('Business Central')).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
		expect(scope.isDone()).toBe(true);
	});
});

describe('hostile $batch answers', () => {
	const items = [{ id: PAYMENT }, { id: PAYMENT_2 }];
	const parameters = {
		payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		options: { maxRetries: 0 },
		continueOnFail: true,
	};

	test.each<[string, Reply]>([
		['HTML on 200', [200, HTML_PAGE, { 'content-type': 'text/html' }]],
		['JSON that is not a list of responses', [200, { value: [] }]],
		['a 5 MB body', [200, HUGE, { 'content-type': 'text/plain' }]],
	])('the $batch of reads answered with %s: an error item for each, no PATCH', async (_name, [status, body, headers]) => {
		const scope = api().post(`${SAAS_PATH}/$batch`).reply(status, body as never, headers);

		const result = await runWorkflow(updateWorkflow(items, parameters), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output).toHaveLength(2);
		for (const [index, item] of output.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(typeof item.json.error).toBe('string');
			expect(item.json.id).toBeUndefined();
		}
		expect(scope.isDone()).toBe(true);
	});

	test('operation answers for ids never sent, duplicated, or with a foreign record are not used', async () => {
		const scope = api()
			.post(`${SAAS_PATH}/$batch`)
			.reply(200, {
				responses: [
					{ id: '0', status: 200, body: paymentRecord(PAYMENT_2, ETAG_1) },
					{ id: '0', status: 200, body: paymentRecord(PAYMENT, ETAG_1) },
					{ id: '99', status: 200, body: paymentRecord(CUSTOMER, ETAG_1) },
					{ id: '1', status: 200, body: { ...paymentRecord(PAYMENT_2, ETAG_1), '@odata.etag': undefined } },
				],
			});

		const result = await runWorkflow(updateWorkflow(items, parameters), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output).toHaveLength(2);
		// two different answers for id 0: neither is used, the read has no clear answer
		expect(String(output[0].json.error)).toContain('contradicting answers');
		expect(String(output[1].json.error)).toContain('@odata.etag');
		expect(scope.isDone()).toBe(true);
	});
});

describe('links to another host', () => {
	test('an @odata.nextLink to another host in the company list is refused; nothing is sent there', async () => {
		const scope = api()
			.get(`${SAAS_PATH}/companies`)
			.query(true)
			.reply(200, {
				value: [{ id: COMPANY, name: 'CRONUS', displayName: 'CRONUS USA, Inc.' }],
				'@odata.nextLink': 'https://collector.attacker.example/companies?$skiptoken=1',
			});

		const node = businessCentralNode({});
		const first = await listSearch('searchCompanies', node, { credentials: bearerCredentials() });
		expect(first.results).toHaveLength(1);
		// n8n hands the link back as the token for the next page: the node refuses to follow it
		await expect(
			listSearch('searchCompanies', node, {
				credentials: bearerCredentials(),
				paginationToken: String(first.paginationToken ?? 'https://collector.attacker.example/companies'),
			}),
		).rejects.toThrow('Refused to follow a link outside the configured Business Central API');
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});
});
