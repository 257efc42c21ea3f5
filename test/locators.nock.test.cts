/**
 * Company and Customer Payment given by URL (OData key form and the reference
 * doc's slash form) or by ID: the request always goes to
 * companies(<c>)/customerPayments(<p>) on the configured API, and links to
 * another host or another company are refused before any request.
 */
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	JOURNAL,
	locator,
	PAYMENT,
	PAYMENT_URL,
	paymentRecord,
	SAAS_BASE,
	SAAS_ORIGIN,
	TOKEN,
	updateWorkflow,
	useNock,
	type UpdateNodeOptions,
} from './fixtures.cjs';

const requests = useNock(nock);

const OTHER_COMPANY = '6f1fe3d1-4b7c-ef11-8a6b-6045bde9c5a2';

function expectReadAndPatch(paymentId = PAYMENT) {
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get(PAYMENT_URL)
		.reply(200, paymentRecord(paymentId, ETAG_1))
		.patch(PAYMENT_URL, { amount: -1750 })
		.matchHeader('if-match', ETAG_1)
		.reply(200, paymentRecord(paymentId, ETAG_2, { amount: -1750 }));
}

async function run(parameters: UpdateNodeOptions) {
	return await runWorkflow(updateWorkflow([{ n: 1 }], parameters), { credentials: bearerCredentials() });
}

describe('accepted locators: the request goes to companies(<c>)/customerPayments(<p>)', () => {
	test.each<[string, UpdateNodeOptions]>([
		['company and payment by ID', { company: locator(COMPANY), payment: locator(PAYMENT) }],
		['company and payment from the list', { company: locator(COMPANY, 'list'), payment: locator(PAYMENT, 'list') }],
		['company by URL (OData key form)', { company: locator(`${SAAS_BASE}/companies(${COMPANY})`, 'url') }],
		[
			'company by URL (slash form, deeper link)',
			{ company: locator(`${SAAS_BASE}/companies/${COMPANY}/customerPaymentJournals`, 'url') },
		],
		[
			'payment by URL (OData form)',
			{ payment: locator(`${SAAS_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT})`, 'url') },
		],
		[
			'payment by URL (OData form under its journal)',
			{
				payment: locator(
					`${SAAS_BASE}/companies(${COMPANY})/customerPaymentJournals(${JOURNAL})/customerPayments(${PAYMENT})`,
					'url',
				),
			},
		],
		[
			"payment by URL (reference doc's slash form)",
			{
				payment: locator(
					`${SAAS_BASE}/companies/${COMPANY}/customerPaymentJournals/${JOURNAL}/customerPayments/${PAYMENT}`,
					'url',
				),
			},
		],
		[
			'company and payment both by URL, with a query string',
			{
				company: locator(`${SAAS_BASE}/companies(${COMPANY})?$select=id`, 'url'),
				payment: locator(`${SAAS_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT})?$expand=customer`, 'url'),
			},
		],
	])('%s', async (_name, parameters) => {
		const scope = expectReadAndPatch();

		const result = await run(parameters);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('an upper-case payment ID is sent as given and the lower-case answer is accepted as the same payment', async () => {
		const upper = PAYMENT.toUpperCase();
		const path = PAYMENT_URL.replace(PAYMENT, upper);
		const scope = nock(SAAS_ORIGIN)
			.get(path)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(path)
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await run({ payment: locator(upper) });

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json.id).toBe(PAYMENT);
		expect(scope.isDone()).toBe(true);
	});
});

describe('refused locators: error, no request', () => {
	test.each<[string, UpdateNodeOptions, string]>([
		[
			'payment URL on another host',
			{
				payment: locator(
					`https://bc.attacker.example/v2.0/x/production/api/v2.0/companies(${COMPANY})/customerPayments(${PAYMENT})`,
					'url',
				),
			},
			'points at https://bc.attacker.example, not at the configured Business Central API (https://api.businesscentral.dynamics.com)',
		],
		[
			'company URL on another host',
			{ company: locator(`https://bc.attacker.example/companies(${COMPANY})`, 'url') },
			'Invalid Company: "https://bc.attacker.example/companies(',
		],
		[
			'payment URL on http instead of https',
			{
				payment: locator(
					`http://api.businesscentral.dynamics.com/v2.0/x/production/api/v2.0/companies(${COMPANY})/customerPayments(${PAYMENT})`,
					'url',
				),
			},
			'points at http://api.businesscentral.dynamics.com',
		],
		[
			'payment URL of another company than "Company"',
			{ payment: locator(`${SAAS_BASE}/companies(${OTHER_COMPANY})/customerPayments(${PAYMENT})`, 'url') },
			`belongs to company ${OTHER_COMPANY}, but "Company" is ${COMPANY}`,
		],
		[
			'payment URL (slash form) of another company than "Company"',
			{
				payment: locator(
					`${SAAS_BASE}/companies/${OTHER_COMPANY}/customerPaymentJournals/${JOURNAL}/customerPayments/${PAYMENT}`,
					'url',
				),
			},
			`belongs to company ${OTHER_COMPANY}`,
		],
		[
			'payment URL that goes on past the payment',
			{ payment: locator(`${SAAS_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT})/customer`, 'url') },
			'is not a customer payment URL',
		],
		[
			'payment URL with an encoded slash in the key',
			{ payment: locator(`${SAAS_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT}%2F..%2Fx)`, 'url') },
			'has a percent-encoded ".", "/" or "\\" in its path',
		],
		[
			'company URL with a quoted key (from an expression: n8n\'s own URL check would refuse a literal)',
			{ company: locator(`=${SAAS_BASE}/companies('${COMPANY}')`, 'url') },
			'Invalid Company:',
		],
	])('%s', async (_name, parameters, expected) => {
		const result = await run(parameters);

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(expected);
		expect(error?.message).toMatch(/\(item 0\)$/);
		expect(error?.description).toContain('Nothing was sent to Business Central');
		expect(result.output('Business Central')).toEqual([]);
		expect(requests.unmatched).toEqual([]);
	});
});
