/**
 * Hostile and broken input, table-driven over every parameter of Customer
 * Payment → Update: each Update Field, the eTag option, and the Company and
 * Customer Payment locators by ID and by URL. Three items arrive; the bad value
 * is in item 2 only (an expression picks it by $itemIndex). Expected for every
 * row: the node stops before any request (nock has no interceptor and no real
 * network: useNock fails the test on any request), with a NodeOperationError
 * whose message names the field, shows the value and the item index.
 *
 * Empty text is not in the table for text fields: on node version 1 (these rows)
 * "" clears a text property in Business Central (description, comment, numbers)
 * and is sent as such; empty is refused where it cannot mean anything (GUIDs,
 * numbers, dates, locators). Node version 2 refuses every empty field, and Delete's
 * eTag, dates in the workflow's time zone and Get Many's Custom Filter have their
 * own rows: test/inputRules.nock.test.cts.
 * The Journal locator is not read by Update (payments are addressed at company
 * level) and so cannot carry anything into a request.
 */
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	INVOICE,
	locator,
	PAYMENT,
	SAAS_BASE,
	updateWorkflow,
	useNock,
	type UpdateNodeOptions,
} from './fixtures.cjs';

const requests = useNock(nock);

const BAD_ITEM = 2;
const OTHER_GUID = '6f1fe3d1-4b7c-ef11-8a6b-6045bde9c5a2';

/** `={{ item 2 ? bad : good }}` with both given as JavaScript source. */
function perItem(goodJs: string, badJs: string): string {
	return `={{ $itemIndex === ${BAD_ITEM} ? (${badJs}) : (${goodJs}) }}`;
}

/** JavaScript source for a value (strings quoted; NaN, Infinity and objects as written). */
type Js = string;
const js = (value: string): Js => JSON.stringify(value);

interface Case {
	/** Parameter label the message must name. */
	field: string;
	/** What of the value the message must show. */
	shows: string;
	parameters: UpdateNodeOptions;
}

const GUID_INJECTIONS: Array<[string, Js, string]> = [
	['OData injection x)/customers(', js('x)/customers('), '"x)/customers("'],
	['path traversal %2F..', js('%2F..'), '"%2F.."'],
	['encoded slash after a GUID', js(`${PAYMENT}%2F..%2Fcustomers`), `"${PAYMENT}%2F..`],
	['quotes', js(`'${PAYMENT}'`), `"'${PAYMENT}'"`],
	['a GUID and a key segment', js(`${PAYMENT})/customers(${CUSTOMER}`), `"${PAYMENT})/customers(`],
	['spaces inside', js(PAYMENT.replace('-', ' ')), `"${PAYMENT.replace('-', ' ')}"`],
	['a trailing space', js(`${PAYMENT} `), `"${PAYMENT} "`],
	['empty', js(''), '""'],
	['a number', '12345', '12345'],
	['an object', '({ id: 1 })', '{"id":1}'],
	['too long', js(`${PAYMENT}${'0'.repeat(300)}`), `"${PAYMENT}`],
	['a query string', js(`${PAYMENT}?$select=id`), `"${PAYMENT}?$select=id"`],
];

const TEXT_FIELDS: Array<[string, string, number]> = [
	['customerNumber', 'Customer Number', 20],
	['documentNumber', 'Document Number', 20],
	['externalDocumentNumber', 'External Document Number', 35],
	['appliesToInvoiceNumber', 'Applies-to Invoice Number', 20],
	['description', 'Description', 100],
	['comment', 'Comment', 250],
];

function updateFieldCase(field: string, label: string, goodJs: Js, badJs: Js, shows: string): Case {
	return {
		field: label,
		shows,
		parameters: { updateFields: { [field]: perItem(goodJs, badJs) } },
	};
}

const rows: Array<[string, Case]> = [];

// Amount (decimal)
for (const [what, bad, shows] of [
	['NaN', 'NaN', 'NaN'],
	['Infinity', 'Infinity', 'Infinity'],
	['-Infinity', '-Infinity', '-Infinity'],
	['text with a number in front', js('12abc'), '"12abc"'],
	['empty', js(''), '""'],
	['spaces', js('   '), '"   "'],
	['an object', '({ value: 5 })', '{"value":5}'],
	['a list', '[1, 2]', '[1,2]'],
	['a boolean', 'true', 'true'],
	['1e20 (beyond what Business Central stores)', '1e20', '100000000000000000000'],
	['a number with a comma', js('1,5'), '"1,5"'],
	['hex', js('0x10'), '"0x10"'],
] as Array<[string, Js, string]>) {
	rows.push([`Amount: ${what}`, updateFieldCase('amount', 'Amount', '-5', bad, shows)]);
}

// Posting Date
for (const [what, bad, shows] of [
	['February 30th', js('2025-02-30'), '"2025-02-30"'],
	['month 13', js('2025-13-01'), '"2025-13-01"'],
	['month 0', js('2025-00-10'), '"2025-00-10"'],
	['day 0', js('2025-01-00'), '"2025-01-00"'],
	['February 29th of a common year', js('2025-02-29'), '"2025-02-29"'],
	['day first', js('31/12/2025'), '"31/12/2025"'],
	['before 1753', js('1752-12-31'), '"1752-12-31"'],
	['year 9999', js('9999-12-31'), '"9999-12-31"'],
	['empty', js(''), '""'],
	['a number', '20250101', '20250101'],
	['words', js('tomorrow'), '"tomorrow"'],
	['an OData injection', js("2025-01-01' or 1 eq 1"), `"2025-01-01' or 1 eq 1"`],
	['hour 24', js('2025-01-31T24:00'), '"2025-01-31T24:00"'],
	['minute and second 99', js('2025-01-31T23:99:99Z'), '"2025-01-31T23:99:99Z"'],
	['hour 25', js('2025-01-31T25:00'), '"2025-01-31T25:00"'],
	['an offset of 25 hours', js('2025-01-31T10:00:00+25:00'), '"2025-01-31T10:00:00+25:00"'],
] as Array<[string, Js, string]>) {
	rows.push([`Posting Date: ${what}`, updateFieldCase('postingDate', 'Posting Date', js('2025-01-31'), bad, shows)]);
}

// Line Number (integer)
for (const [what, bad, shows] of [
	['a fraction', '1.5', '1.5'],
	['negative', '-10000', '-10000'],
	['beyond 32 bits', '3000000000', '3000000000'],
	['NaN', 'NaN', 'NaN'],
	['Infinity', 'Infinity', 'Infinity'],
	['text', js('abc'), '"abc"'],
	['empty', js(''), '""'],
] as Array<[string, Js, string]>) {
	rows.push([`Line Number: ${what}`, updateFieldCase('lineNumber', 'Line Number', '10000', bad, shows)]);
}

// Text fields: over-long by one, and wrong types
for (const [field, label, max] of TEXT_FIELDS) {
	rows.push([
		`${label}: ${max + 1} characters`,
		updateFieldCase(field, label, js('OK'), js('X'.repeat(max + 1)), `"${'X'.repeat(20)}`),
	]);
	rows.push([`${label}: an object`, updateFieldCase(field, label, js('OK'), '({ a: 1 })', '{"a":1}')]);
	rows.push([`${label}: a list`, updateFieldCase(field, label, js('OK'), "['a']", '["a"]')]);
	rows.push([`${label}: a boolean`, updateFieldCase(field, label, js('OK'), 'false', 'false')]);
	rows.push([`${label}: NaN`, updateFieldCase(field, label, js('OK'), 'NaN', 'NaN')]);
}


// Customer and Applies-to Invoice pickers (GUIDs)
for (const [what, bad, shows] of GUID_INJECTIONS) {
	rows.push([
		`Customer: ${what}`,
		{
			field: 'Customer',
			shows,
			parameters: { updateFields: { customer: locator(perItem(js(CUSTOMER), bad)) } },
		},
	]);
	rows.push([
		`Applies-to Invoice: ${what}`,
		{
			field: 'Applies-to Invoice',
			shows,
			parameters: { updateFields: { appliesToInvoice: locator(perItem(js(INVOICE), bad)) } },
		},
	]);
	rows.push([
		`Company by ID: ${what}`,
		{ field: 'Company', shows, parameters: { company: locator(perItem(js(COMPANY), bad)) } },
	]);
	rows.push([
		`Customer Payment by ID: ${what}`,
		{ field: 'Customer Payment', shows, parameters: { payment: locator(perItem(js(PAYMENT), bad)) } },
	]);
}

// Locators by URL
const PAYMENT_URL_OK = `${SAAS_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT})`;
const OTHER_BASE = 'https://api.businesscentral.dynamics.com/v2.0/other-tenant.onmicrosoft.com/production/api/v2.0';
const PAYMENT_URLS: Array<[string, string]> = [
	['another host', `https://bc.attacker.example/v2.0/t/production/api/v2.0/companies(${COMPANY})/customerPayments(${PAYMENT})`],
	['a look-alike host', `https://api.businesscentral.dynamics.com.attacker.example/companies(${COMPANY})/customerPayments(${PAYMENT})`],
	['credentials in the URL', `https://user:pw@bc.attacker.example/companies(${COMPANY})/customerPayments(${PAYMENT})`],
	['another tenant on the same host', `${OTHER_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT})`],
	['plain http', PAYMENT_URL_OK.replace('https:', 'http:')],
	['another entity (a customer)', `${SAAS_BASE}/companies(${COMPANY})/customers(${CUSTOMER})`],
	['a navigation past the payment', `${PAYMENT_URL_OK}/customer`],
	['another company than "Company"', `${SAAS_BASE}/companies(${OTHER_GUID})/customerPayments(${PAYMENT})`],
	['an injected key', `${SAAS_BASE}/companies(${COMPANY})/customerPayments(x)/customers(${CUSTOMER})`],
	['an encoded slash in the key', `${SAAS_BASE}/companies(${COMPANY})/customerPayments(${PAYMENT}%2F..)`],
	['a quoted key', `${SAAS_BASE}/companies(${COMPANY})/customerPayments('${PAYMENT}')`],
	['javascript:', `javascript:alert(1)//customerPayments(${PAYMENT})`],
	['not a URL', 'not a url at all'],
	['empty', ''],
];
for (const [what, url] of PAYMENT_URLS) {
	rows.push([
		`Customer Payment by URL: ${what}`,
		{
			field: 'Customer Payment',
			shows: JSON.stringify(url).slice(0, 40),
			parameters: { payment: locator(perItem(js(PAYMENT_URL_OK), js(url)), 'url') },
		},
	]);
}
const COMPANY_URL_OK = `${SAAS_BASE}/companies(${COMPANY})`;
const COMPANY_URLS: Array<[string, string]> = [
	['another host', `https://bc.attacker.example/companies(${COMPANY})`],
	['another tenant on the same host', `${OTHER_BASE}/companies(${COMPANY})`],
	['another entity (a customer)', `${SAAS_BASE}/customers(${CUSTOMER})`],
	['an injected key', `${SAAS_BASE}/companies(x)/customers(${CUSTOMER})`],
	['an encoded slash in the key', `${SAAS_BASE}/companies(${COMPANY}%2F..)`],
	['a quoted key', `${SAAS_BASE}/companies('${COMPANY}')`],
	['not a URL', 'http://'],
	['empty', ''],
];
for (const [what, url] of COMPANY_URLS) {
	rows.push([
		`Company by URL: ${what}`,
		{
			field: 'Company',
			shows: JSON.stringify(url).slice(0, 40),
			parameters: { company: locator(perItem(js(COMPANY_URL_OK), js(url)), 'url') },
		},
	]);
}

// eTag option
for (const [what, bad, shows] of [
	['a header injection (CR LF)', js(`${ETAG_1}\r\nX-Injected: 1`), '"W/\\"'],
	['a trailing CR LF', js(`${ETAG_1}\r\n`), '"W/\\"'],
	['a bare LF', js(`${ETAG_1}\nX: 1`), '"W/\\"'],
	['*', js('*'), '"*"'],
	['unquoted', js('JzQ0O0pYb2JQ'), '"JzQ0O0pYb2JQ"'],
	['a number', '42', '42'],
	['an object', '({ etag: 1 })', '{"etag":1}'],
	['over-long', js(`W/"${'A'.repeat(2000)}"`), '"W/\\"AAAA'],
] as Array<[string, Js, string]>) {
	rows.push([`eTag: ${what}`, { field: 'eTag', shows, parameters: { options: { eTag: perItem(js(ETAG_1), bad) } } }]);
}

describe('bad input: refused before any request, naming field, value and item', () => {
	test.each(rows)('%s', async (_name, { field, shows, parameters }) => {
		const items = [{ n: 0 }, { n: 1 }, { n: 2 }];
		const result = await runWorkflow(updateWorkflow(items, parameters), { credentials: bearerCredentials() });

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(`Invalid ${field}: `);
		expect(error?.message).toContain(shows);
		expect(error?.message).toMatch(new RegExp(`\\(item ${BAD_ITEM}\\)$`));
		expect(error?.context).toMatchObject({ itemIndex: BAD_ITEM });
		expect(error?.description).toContain('Nothing was sent to Business Central');
		expect(result.output('Business Central')).toEqual([]);
		// no request at all: not even items 0 and 1 went out (all items are checked first)
		expect(requests.unmatched).toEqual([]);
	});
});

describe('Update Fields as a whole', () => {
	test.each([1, 2])(
		'node version %i: Customer with Customer Number, Applies-to Invoice with its number → refused, naming both fields and the item',
		async (typeVersion) => {
			for (const [updateFields, expected] of [
				[
					{ customer: locator(CUSTOMER), customerNumber: '10000' },
					'Invalid Customer Number: "10000" cannot be set together with Customer',
				],
				[
					{ appliesToInvoice: locator(INVOICE), appliesToInvoiceNumber: '103001' },
					'Invalid Applies-to Invoice Number: "103001" cannot be set together with Applies-to Invoice',
				],
			] as const) {
				const workflow = updateWorkflow([{ n: 0 }, { n: 1 }], { updateFields });
				workflow.nodes[1].typeVersion = typeVersion;
				const result = await runWorkflow(workflow, { credentials: bearerCredentials() });
				expect(result.error('Business Central')?.message).toContain(expected);
				expect(result.error('Business Central')?.message).toMatch(/\(item 0\)$/);
			}
			expect(requests.unmatched).toEqual([]);
		},
	);

	test('empty Update Fields, fields the entity cannot change, contactId on v2.0: refused', async () => {
		for (const [updateFields, expected] of [
			[{}, 'Invalid Update Fields: {} is empty'],
			// n8n drops collection keys the node does not declare: nothing left to send
			[{ journalId: COMPANY }, 'Invalid Update Fields: {} is empty'],
			[{ id: PAYMENT }, 'Invalid Update Fields: {} is empty'],
			// contactId exists on API v1.0 and beta only
			[{ contactId: 'C1' }, 'Invalid Contact ID: "C1" cannot be set: API v2.0 has no "contactId" property'],
		] as const) {
			const result = await runWorkflow(updateWorkflow([{ n: 0 }], { updateFields }), {
				credentials: bearerCredentials(),
			});
			expect(result.error('Business Central')?.message).toContain(expected);
			expect(result.error('Business Central')?.message).toMatch(/\(item 0\)$/);
		}
		expect(requests.unmatched).toEqual([]);
	});
});
