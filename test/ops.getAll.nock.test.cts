/**
 * Customer Payment → Get Many through n8n's engine (node loaded from dist/),
 * HTTP intercepted by nock: journal and company scope (Business Central lists
 * payments only with `journalId eq …`), Return All over three pages of
 * `@odata.nextLink`, Limit with `$top`, every filter field as its exact
 * `$filter`, raw `$filter`, `$select`, Simplify, and links to a foreign host.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	INVOICE,
	JOURNAL,
	JOURNAL_2,
	locator,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	paymentRecord,
	SAAS_BASE,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	useNock,
} from './fixtures.cjs';
import { NODE, opsWorkflow } from './opsFixtures.cjs';

useNock(nock);

const LIST_PATH = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;
const JOURNALS_PATH = `${SAAS_PATH}/companies(${COMPANY})/customerPaymentJournals`;

function api(options: nock.Options = {}) {
	return nock(SAAS_ORIGIN, { ...options, reqheaders: { authorization: `Bearer ${TOKEN}`, ...(options.reqheaders ?? {}) } });
}

/** Records the raw request paths (query string as sent, percent-encoded) a scope answered. */
function recordPaths(scope: nock.Scope): string[] {
	const paths: string[] = [];
	scope.on('request', (request: { path: string }) => paths.push(request.path));
	return paths;
}

/** A collection page the way Business Central sends it. */
function page(records: IDataObject[], nextLink?: string): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customerPayments`,
		value: records,
		...(nextLink ? { '@odata.nextLink': nextLink } : {}),
	};
}

function payments(count: number, from = 1, journalId = JOURNAL): IDataObject[] {
	return Array.from({ length: count }, (_, index) => {
		const n = from + index;
		const hex = n.toString(16).padStart(12, '0');
		return paymentRecord(`${hex.slice(0, 8)}-0000-4000-8000-${hex}`, `W/"JzE7${n}Jw=="`, {
			journalId,
			documentNumber: `G02${String(n).padStart(3, '0')}`,
			lineNumber: n * 10000,
		});
	});
}

async function getAll(items: IDataObject[], parameters: IDataObject, continueOnFail = false) {
	return await runWorkflow(opsWorkflow(items, 'getAll', { parameters: { journal: JOURNAL, ...parameters }, continueOnFail }), {
		credentials: bearerCredentials(),
	});
}

describe('Customer Payment: Get Many (nock)', () => {
	test('journal scope, default Limit 50: one GET with journalId filter, $top=50 and Prefer odata.maxpagesize=50', async () => {
		const scope = api({ reqheaders: { prefer: 'odata.maxpagesize=50' } })
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $top: '50' })
			.reply(200, page([paymentRecord(PAYMENT, ETAG_1), paymentRecord(PAYMENT_2, ETAG_2)]));

		const result = await getAll([{ n: 1 }], {});

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => [item.json.id, item.json['@odata.etag'], item.pairedItem])).toEqual([
			[PAYMENT, ETAG_1, { item: 0 }],
			[PAYMENT_2, ETAG_2, { item: 0 }],
		]);
		// Simplify is on by default: no journalId / customerId / comment
		expect(output[0].json).not.toHaveProperty('customerId');
		expect(output[0].json).not.toHaveProperty('@odata.context');
		expect(scope.isDone()).toBe(true);
	});

	test('Return All follows @odata.nextLink over 3 pages, without $top or Prefer, and returns every record in order', async () => {
		const filter = `journalId eq ${JOURNAL}`;
		const next = (token: string) => `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$filter=${encodeURIComponent(filter)}&$skiptoken=${token}`;
		const scope = api({ badheaders: ['prefer'] })
			.get(LIST_PATH)
			.query({ $filter: filter })
			.reply(200, page(payments(3, 1), next('p2')))
			.get(LIST_PATH)
			.query({ $filter: filter, $skiptoken: 'p2' })
			.reply(200, page(payments(3, 4), next('p3')))
			.get(LIST_PATH)
			.query({ $filter: filter, $skiptoken: 'p3' })
			.reply(200, page(payments(2, 7)));
		const paths = recordPaths(scope);

		const result = await getAll([{}], { returnAll: true });

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.json.documentNumber)).toEqual([
			'G02001', 'G02002', 'G02003', 'G02004', 'G02005', 'G02006', 'G02007', 'G02008',
		]);
		expect(output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(paths).toHaveLength(3);
		expect(paths.every((path) => !path.includes('top'))).toBe(true);
		expect(scope.isDone()).toBe(true);
	});

	test('Limit stops early: $top and Prefer ask for the limit, the next page is followed only while records are missing', async () => {
		const filter = `journalId eq ${JOURNAL}`;
		const link = (token: string) => `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$filter=${encodeURIComponent(filter)}&$top=5&$skiptoken=${token}`;
		// The server pages by 3 even though 5 were asked for: the node follows one link, then stops.
		const scope = api({ reqheaders: { prefer: 'odata.maxpagesize=5' } })
			.get(LIST_PATH)
			.query({ $filter: filter, $top: '5' })
			.reply(200, page(payments(3, 1), link('p2')))
			.get(LIST_PATH)
			.query({ $filter: filter, $top: '5', $skiptoken: 'p2' })
			// a server ignoring $top would send more; the node keeps only 5 and does not follow p3
			.reply(200, page(payments(3, 4), link('p3')));

		const result = await getAll([{}], { returnAll: false, limit: 5 });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.documentNumber)).toEqual([
			'G02001', 'G02002', 'G02003', 'G02004', 'G02005',
		]);
		expect(scope.isDone()).toBe(true);
	});

	test('Limit smaller than the server page: one request with $top=2, the nextLink is not followed', async () => {
		const filter = `journalId eq ${JOURNAL}`;
		api()
			.get(LIST_PATH)
			.query({ $filter: filter, $top: '2' })
			.reply(200, page(payments(2, 1), `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$skiptoken=x`));

		const limited = await getAll([{}], { limit: 2 });

		expect(limited.output(NODE).map((item) => item.json.documentNumber)).toEqual(['G02001', 'G02002']);
	});

	test('company scope (no journal): lists the journals, then each journal with journalId eq … as the API requires', async () => {
		const scope = api()
			.get(JOURNALS_PATH)
			.query({ $select: 'id,code' })
			.reply(200, { value: [{ id: JOURNAL, code: 'CASH RCPT' }, { id: JOURNAL_2, code: 'GENERAL' }] })
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}` })
			.reply(200, page(payments(2, 1, JOURNAL)))
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL_2}` })
			.reply(200, page(payments(1, 3, JOURNAL_2)));

		const result = await getAll([{}], { journal: '', returnAll: true, simple: false });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE).map((item) => [item.json.documentNumber, item.json.journalId])).toEqual([
			['G02001', JOURNAL],
			['G02002', JOURNAL],
			['G02003', JOURNAL_2],
		]);
		expect(scope.isDone()).toBe(true);
	});

	test('company scope with Limit: the second journal is asked only for what is missing, a third is not asked at all', async () => {
		const JOURNAL_3 = '4d9f6e3c-4b7c-ef11-8a6b-6045bde9c5a3';
		const scope = api()
			.get(JOURNALS_PATH)
			.query({ $select: 'id,code' })
			.reply(200, { value: [{ id: JOURNAL }, { id: JOURNAL_2 }, { id: JOURNAL_3 }] })
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $top: '3' })
			.matchHeader('prefer', 'odata.maxpagesize=3')
			.reply(200, page(payments(2, 1, JOURNAL)))
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL_2}`, $top: '1' })
			.matchHeader('prefer', 'odata.maxpagesize=1')
			.reply(200, page(payments(1, 3, JOURNAL_2)));

		const result = await getAll([{}], { journal: '', limit: 3 });

		expect(result.output(NODE)).toHaveLength(3);
		expect(scope.isDone()).toBe(true);
	});

	test.each([
		['Customer (by ID)', { customer: locator(CUSTOMER) }, `customerId eq ${CUSTOMER}`],
		['Customer (from list)', { customer: locator(CUSTOMER, 'list') }, `customerId eq ${CUSTOMER}`],
		['Customer Number (upper-cased, quotes doubled)', { customerNumber: " c'10000 " }, "customerNumber eq 'C''10000'"],
		['Posting Date From', { postingDateFrom: '2026-01-01T00:00:00' }, 'postingDate ge 2026-01-01'],
		['Posting Date To', { postingDateTo: '2026-03-31' }, 'postingDate le 2026-03-31'],
		[
			'Posting Date range',
			{ postingDateFrom: '2026-01-01', postingDateTo: '2026-03-31T23:59:59' },
			'postingDate ge 2026-01-01 and postingDate le 2026-03-31',
		],
		['Document Number', { documentNumber: "g'02001" }, "documentNumber eq 'G''02001'"],
		['Applies-to Invoice (by ID)', { appliesToInvoice: locator(INVOICE) }, `appliesToInvoiceId eq ${INVOICE}`],
		['Applies-to Invoice Number', { appliesToInvoiceNumber: '103001' }, "appliesToInvoiceNumber eq '103001'"],
		['Custom Filter (wrapped in parentheses)', { odataFilter: "amount lt -1000 or description eq 'x'" }, "(amount lt -1000 or description eq 'x')"],
	])('filter %s → exact $filter after the journal condition', async (_name, filters, condition) => {
		const expected = `journalId eq ${JOURNAL} and ${condition}`;
		const scope = api().get(LIST_PATH).query({ $filter: expected, $top: '50' }).reply(200, page([paymentRecord(PAYMENT, ETAG_1)]));
		const paths = recordPaths(scope);

		const result = await getAll([{}], { filters });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(1);
		// the raw query string: the filter is sent URL-encoded, quotes doubled inside the literal
		const sent = new URL(`https://x${paths[0]}`).searchParams.get('$filter');
		expect(sent).toBe(expected);
	});

	test('every filter field plus a raw $filter: all ANDed in a fixed order', async () => {
		const expected = [
			`journalId eq ${JOURNAL}`,
			`customerId eq ${CUSTOMER}`,
			"customerNumber eq '10000'",
			'postingDate ge 2026-01-01',
			'postingDate le 2026-01-31',
			"documentNumber eq 'G02001'",
			`appliesToInvoiceId eq ${INVOICE}`,
			"appliesToInvoiceNumber eq '103001'",
			"(contains(description,'O''Brien') or amount lt -5000)",
		].join(' and ');
		api().get(LIST_PATH).query({ $filter: expected, $top: '50' }).reply(200, page([]));

		const result = await getAll([{}], {
			filters: {
				customer: locator(CUSTOMER),
				customerNumber: '10000',
				postingDateFrom: '2026-01-01',
				postingDateTo: '2026-01-31',
				documentNumber: 'G02001',
				appliesToInvoice: locator(INVOICE),
				appliesToInvoiceNumber: '103001',
				odataFilter: "contains(description,'O''Brien') or amount lt -5000",
			},
		});

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)).toEqual([]);
	});

	test('filters from expressions per item: one list request per item, outputs paired to their item', async () => {
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL} and documentNumber eq 'G02001'`, $top: '50' })
			.reply(200, page([paymentRecord(PAYMENT, ETAG_1)]))
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL} and documentNumber eq 'G02002'`, $top: '50' })
			.reply(200, page([paymentRecord(PAYMENT_2, ETAG_2), paymentRecord(PAYMENT_3, ETAG_3)]));

		const result = await getAll([{ doc: 'G02001' }, { doc: 'G02002' }], { filters: { documentNumber: '={{ $json.doc }}' } });

		expect(result.output(NODE).map((item) => [item.json.id, item.pairedItem])).toEqual([
			[PAYMENT, { item: 0 }],
			[PAYMENT_2, { item: 1 }],
			[PAYMENT_3, { item: 1 }],
		]);
	});

	test('Options → Fields sends $select (blanks and repeats dropped); with Simplify off the record is as sent', async () => {
		const record = { '@odata.etag': ETAG_1, id: PAYMENT, documentNumber: 'G02001', amount: -1500 };
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $select: 'id,documentNumber,amount', $top: '50' })
			.reply(200, page([record]));

		const result = await getAll([{}], { simple: false, options: { fields: ' id, documentNumber,,amount,id ' } });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json)).toEqual([record]);
	});

	test('Fields with Simplify on (the default): the chosen properties are returned, even those Simplify would drop', async () => {
		const record = { '@odata.etag': ETAG_1, id: PAYMENT, comment: 'Paid by wire transfer', customerId: CUSTOMER };
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $select: 'id,comment,customerId', $top: '50' })
			.reply(200, page([record]));

		const result = await getAll([{}], { options: { fields: 'id,comment,customerId' } });

		expect(result.output(NODE).map((item) => item.json)).toEqual([record]);
	});

	test('Simplify off: every property Business Central returned, @odata.context dropped; on: only the simple fields', async () => {
		const record = paymentRecord(PAYMENT, ETAG_1, { comment: 'raw', extension: 1 });
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $top: '50' })
			.reply(200, page([record]))
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $top: '50' })
			.reply(200, page([record]));

		const raw = await getAll([{}], { simple: false });
		const simple = await getAll([{}], { simple: true });

		const { '@odata.context': _context, ...expected } = record;
		expect(raw.output(NODE)[0].json).toEqual(expected);
		expect(Object.keys(simple.output(NODE)[0].json)).toEqual([
			// readable fields first (n8n's table view), id and eTag last
			'documentNumber', 'customerNumber', 'postingDate', 'amount', 'description', 'appliesToInvoiceNumber',
			'externalDocumentNumber', 'journalDisplayName', 'lineNumber', 'id', '@odata.etag',
		]);
	});

	test('a nextLink to another host is refused: no request goes there, the token cannot leak', async () => {
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}` })
			.reply(200, page(payments(2), 'https://evil.example.com/v2.0/x/api/v2.0/companies(1)/customerPayments?$skiptoken=2'));
		// no interceptor for evil.example.com: a request there would be recorded as unmatched

		const result = await getAll([{}], { returnAll: true });

		const error = result.error(NODE);
		expect(error?.message).toBe(
			'Refused to follow a link outside the configured Business Central API: https://evil.example.com/v2.0/x/api/v2.0/companies(1)/customerPayments?$skiptoken=2',
		);
		expect(result.output(NODE)).toEqual([]);
	});

	test('the same nextLink twice stops paging with an error instead of looping', async () => {
		const link = `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$skiptoken=loop`;
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}` })
			.reply(200, page(payments(1, 1), link))
			.get(LIST_PATH)
			.query({ $skiptoken: 'loop' })
			.reply(200, page(payments(1, 2), link));

		const result = await getAll([{}], { returnAll: true });

		expect(result.error(NODE)?.message).toBe(
			`Listing the customer payments of journal ${JOURNAL} failed: Business Central sent the same next-page link twice`,
		);
	});

	test("company-level list without journal filter (400 from Business Central) surfaces Business Central's message", async () => {
		api()
			.get(LIST_PATH)
			.query(true)
			.reply(400, bcError('BadRequest_NotFound', 'You must specify a journal batch ID or a journal ID to get a journal line.'));

		const result = await getAll([{}], {});

		const error = result.error(NODE);
		expect(error?.message).toBe(
			`Listing the customer payments of journal ${JOURNAL} failed: You must specify a journal batch ID or a journal ID to get a journal line.`,
		);
		expect(error?.httpCode).toBe('400');
	});

	test('an answer that is not a list becomes an error, not output', async () => {
		api().get(LIST_PATH).query(true).reply(200, '<html>login</html>', { 'Content-Type': 'text/html' });

		const result = await getAll([{}], {});

		expect(result.error(NODE)?.message).toBe(
			`Listing the customer payments of journal ${JOURNAL} failed: Business Central sent an answer that is not a list`,
		);
	});

	test.each([
		[{ filters: { postingDateFrom: '2026-02-30' } }, 'Posting Date From'],
		[{ filters: { postingDateFrom: '2026-03-01', postingDateTo: '2026-02-01' } }, 'Posting Date To'],
		[{ filters: { customer: locator('x)/customers(') } }, 'Customer'],
		[{ filters: { documentNumber: 'D'.repeat(21) } }, 'Document Number'],
		[{ options: { fields: 'amount,$expand=customer' } }, 'Fields'],
		[{ limit: 0 }, 'Limit'],
		[{ journal: locator("={{ 'not-a-guid' }}") }, 'Journal'],
	])('invalid input %j: nothing is sent, the error names the field and the item', async (parameters, field) => {
		const result = await getAll([{}, {}], parameters as IDataObject);

		const error = result.error(NODE);
		expect(error?.message).toMatch(new RegExp(`^Invalid ${field}: .* \\(item 0\\)$`));
		expect(error?.description).toBe(`Fix "${field}" for item 0. Nothing was sent to Business Central.`);
	});

	test('Continue On Fail: a failing item becomes an error item, the others are listed', async () => {
		api()
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL} and documentNumber eq 'A'`, $top: '50' })
			.reply(200, page([paymentRecord(PAYMENT, ETAG_1)]))
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL} and documentNumber eq 'B'`, $top: '50' })
			.reply(403, bcError('Authorization_Failed', 'You do not have permission to read customer payments.'))
			.get(LIST_PATH)
			.query({ $filter: `journalId eq ${JOURNAL}`, $top: '50' })
			.reply(200, page([paymentRecord(PAYMENT_3, ETAG_3)]));

		const result = await getAll([{ doc: 'A' }, { doc: 'B' }, { doc: '' }], { filters: { documentNumber: '={{ $json.doc }}' } }, true);

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(3);
		expect(output[0].json.id).toBe(PAYMENT);
		expect(output[1].json).toMatchObject({ httpStatus: 403, code: 'Authorization_Failed' });
		expect(output[1].json.error).toContain('You do not have permission');
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect([output[2].json.id, output[2].pairedItem]).toEqual([PAYMENT_3, { item: 2 }]);
	});
});
