/**
 * Customer Payment → Create through n8n's engine (node loaded from dist/),
 * HTTP intercepted by nock: the exact POST (company-level collection with
 * `journalId` in the body, as Business Central requires), customer and
 * invoice by ID / number, optional fields, validation before any request,
 * ambiguous failures never re-sent, Continue On Fail.
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
	INVOICE,
	JOURNAL,
	JOURNAL_2,
	locator,
	PAYMENT,
	PAYMENT_2,
	paymentRecord,
	SAAS_PATH,
	saasApi,
	useNock,
} from './fixtures.cjs';
import { NODE, opsWorkflow } from './opsFixtures.cjs';

useNock(nock);

const COLLECTION = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;

const api = () => saasApi(nock, { 'content-type': /application\/json/ });

async function create(items: IDataObject[], parameters: IDataObject, continueOnFail = false, credentials = bearerCredentials()) {
	return await runWorkflow(
		opsWorkflow(items, 'create', { parameters: { journal: JOURNAL, amount: -1500, ...parameters }, continueOnFail }),
		{ credentials },
	);
}

describe('Customer Payment: Create (nock)', () => {
	test('POSTs journalId, customerNumber, amount and posting date to companies(c)/customerPayments; 201 → the new payment', async () => {
		const created = paymentRecord(PAYMENT, ETAG_1, { postingDate: '2026-11-24', amount: -1500 });
		const scope = api()
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '10000', amount: -1500, postingDate: '2026-11-24' })
			.reply(201, created);

		const result = await create([{ n: 1 }], {
			customer: locator('10000', 'number'),
			postingDate: '2026-11-24T00:00:00',
		});

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		const { '@odata.context': _context, ...expected } = created;
		// Options → Simplify is off by default: the whole record as Business Central returned it
		expect(output.map((item) => item.json)).toEqual([expected]);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});

	test('customer by ID (or from the list) is sent as customerId; the invoice by ID as appliesToInvoiceId', async () => {
		api()
			.post(COLLECTION, { journalId: JOURNAL, customerId: CUSTOMER, amount: -250.5, appliesToInvoiceId: INVOICE })
			.reply(201, paymentRecord(PAYMENT, ETAG_1, { appliesToInvoiceId: INVOICE, appliesToInvoiceNumber: '103001' }))
			.post(COLLECTION, { journalId: JOURNAL, customerId: CUSTOMER, amount: -250.5, appliesToInvoiceId: INVOICE })
			.reply(201, paymentRecord(PAYMENT_2, ETAG_2, { appliesToInvoiceId: INVOICE, appliesToInvoiceNumber: '103001' }));

		const byId = await create([{}], { customer: locator(CUSTOMER), amount: -250.5, appliesToInvoice: locator(INVOICE) });
		const fromList = await create([{}], {
			customer: locator(CUSTOMER, 'list'),
			amount: -250.5,
			appliesToInvoice: locator(INVOICE, 'list'),
		});

		expect(byId.output(NODE)[0].json).toMatchObject({ id: PAYMENT, appliesToInvoiceNumber: '103001' });
		expect(fromList.output(NODE)[0].json).toMatchObject({ id: PAYMENT_2, appliesToInvoiceNumber: '103001' });
	});

	test('applies-to invoice by number, no customer: Business Central takes the customer from the invoice', async () => {
		api()
			.post(COLLECTION, { journalId: JOURNAL, amount: -10841.62, appliesToInvoiceNumber: '103001' })
			.reply(201, paymentRecord(PAYMENT, ETAG_1, { amount: -10841.62, appliesToInvoiceNumber: '103001' }));

		const result = await create([{}], { amount: -10841.62, appliesToInvoice: locator('103001', 'number') });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ customerNumber: '10000', appliesToInvoiceNumber: '103001' });
	});

	test('Additional Fields are sent with their types; empty ones are left out; the journal from the list', async () => {
		api()
			.post(COLLECTION, {
				journalId: JOURNAL_2,
				customerNumber: '20000',
				amount: -99.99,
				documentNumber: 'PAY-0001',
				externalDocumentNumber: 'REMIT-77',
				description: "O'Brien payment",
				lineNumber: 30000,
			})
			.reply(201, paymentRecord(PAYMENT, ETAG_1, { journalId: JOURNAL_2, documentNumber: 'PAY-0001' }));

		const result = await create([{}], {
			journal: locator(JOURNAL_2, 'list'),
			customer: locator('20000', 'number'),
			amount: '-99.99',
			additionalFields: {
				documentNumber: 'PAY-0001',
				externalDocumentNumber: 'REMIT-77',
				description: "O'Brien payment",
				lineNumber: 30000,
				comment: '',
			},
		});

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json.documentNumber).toBe('PAY-0001');
	});

	test('Options → Simplify: only the fields most workflows use', async () => {
		api().post(COLLECTION).reply(201, paymentRecord(PAYMENT, ETAG_1));

		const result = await create([{}], { options: { simplify: true } });

		expect(Object.keys(result.output(NODE)[0].json)).toEqual([
			// readable fields first (n8n's table view), id and eTag last
			'documentNumber', 'customerNumber', 'postingDate', 'amount', 'description', 'appliesToInvoiceNumber',
			'externalDocumentNumber', 'journalDisplayName', 'lineNumber', 'id', '@odata.etag',
		]);
	});

	test('one POST per item, values from expressions, each output paired to its item', async () => {
		api()
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '10000', amount: -100, documentNumber: 'A1' })
			.reply(201, paymentRecord(PAYMENT, ETAG_1, { documentNumber: 'A1' }))
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '20000', amount: -200, documentNumber: 'A2' })
			.reply(201, paymentRecord(PAYMENT_2, ETAG_2, { documentNumber: 'A2' }));

		const result = await create(
			[
				{ customer: '10000', amount: -100, doc: 'A1' },
				{ customer: '20000', amount: -200, doc: 'A2' },
			],
			{
				customer: locator('={{ $json.customer }}', 'number'),
				amount: '={{ $json.amount }}',
				additionalFields: { documentNumber: '={{ $json.doc }}' },
			},
		);

		expect(result.output(NODE).map((item) => [item.json.id, item.json.documentNumber, item.pairedItem])).toEqual([
			[PAYMENT, 'A1', { item: 0 }],
			[PAYMENT_2, 'A2', { item: 1 }],
		]);
	});

	test.each([
		['Amount', { amount: '={{ $json.v }}' }, '-1', '12abc', 'Invalid Amount: "12abc" is not a number'],
		['Amount', { amount: '={{ $json.v }}' }, '-1', '', 'Invalid Amount: "" is required'],
		['Journal', { journal: locator('={{ $json.v }}') }, JOURNAL, '', 'Invalid Journal: "" is required'],
		['Journal', { journal: locator('={{ $json.v }}') }, JOURNAL, 'x)/customers(', 'Invalid Journal: "x)/customers(" is not a GUID'],
		['Customer', { customer: locator('={{ $json.v }}') }, CUSTOMER, 'nope', 'Invalid Customer: "nope" is not a GUID'],
		['Customer Number', { customer: locator('={{ $json.v }}', 'number') }, '10000', '1'.repeat(21), 'Invalid Customer Number:'],
		['Posting Date', { postingDate: '={{ $json.v }}' }, '2026-02-28', '2026-02-30', 'Invalid Posting Date: "2026-02-30"'],
		['Description', { additionalFields: { description: '={{ $json.v }}' } }, 'ok', 'd'.repeat(101), 'Invalid Description:'],
		['Contact ID', { additionalFields: { contactId: '={{ $json.v }}' } }, '', 'C1', 'Invalid Contact ID: "C1"'],
	])('invalid %s in item 1: nothing is sent for any item, the error names field and item', async (field, parameters, good, bad, start) => {
		// no interceptor: any request would be unmatched and fail the test
		const result = await create([{ v: good }, { v: bad }], { customer: locator('10000', 'number'), ...parameters });

		const error = result.error(NODE);
		expect(error?.message.startsWith(start)).toBe(true);
		expect(error?.message.endsWith('(item 1)')).toBe(true);
		expect(error?.description).toBe(`Fix "${field}" for item 1. Nothing was sent to Business Central.`);
	});

	test("Business Central's refusal (unknown customer) fails the item with its code and message", async () => {
		api()
			.post(COLLECTION)
			.reply(400, bcError('Internal_RecordNotFound', 'The "customerNumber" does not match to a Customer.'));

		const result = await create([{}], { customer: locator('99999', 'number') });

		const error = result.error(NODE);
		expect(error?.message).toBe(
			`Creating a customer payment in journal ${JOURNAL} failed: The "customerNumber" does not match to a Customer.`,
		);
		expect(error?.description).toContain('Code: Internal_RecordNotFound.');
		expect(error?.httpCode).toBe('400');
	});

	test.each([
		[408, 'Request Timeout'],
		[502, 'Bad Gateway'],
		[504, 'Gateway Timeout'],
	])('no clear answer (%i %s) after the POST: not sent again, the error says it may exist and how to check', async (status, text) => {
		api()
			.post(COLLECTION, { journalId: JOURNAL, amount: -1500, documentNumber: 'PAY-9' })
			.reply(status, text);

		const result = await create([{}], { additionalFields: { documentNumber: 'PAY-9' } });

		const error = result.error(NODE);
		expect(error?.message).toContain('The payment may or may not have been created; it was not sent again');
		expect(error?.description).toContain(`look for document number PAY-9 in journal ${JOURNAL}`);
	});

	test('a 201 whose payment is in another journal is reported, not passed on as success', async () => {
		api().post(COLLECTION).reply(201, paymentRecord(PAYMENT, ETAG_1, { journalId: JOURNAL_2 }));

		const result = await create([{}], {});

		expect(result.error(NODE)?.message).toBe(
			`Business Central sent an unexpected answer when creating a customer payment: the new payment is in journal ${JOURNAL_2}, not ${JOURNAL}`,
		);
	});

	test('throttled (429, Retry-After: 0): the POST was not processed, so it is sent again', async () => {
		api()
			.post(COLLECTION)
			.reply(429, bcError('Application_TooManyRequests', 'Too many requests.'), { 'Retry-After': '0' })
			.post(COLLECTION)
			.reply(201, paymentRecord(PAYMENT, ETAG_1));

		const result = await create([{}], {});

		expect(result.output(NODE)[0].json.id).toBe(PAYMENT);
	});

	test('Continue On Fail: invalid and refused items become error items; the others are created', async () => {
		api()
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '10000', amount: -1 })
			.reply(201, paymentRecord(PAYMENT, ETAG_1, { amount: -1 }))
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '99999', amount: -2 })
			.reply(400, bcError('Internal_RecordNotFound', 'The "customerNumber" does not match to a Customer.'))
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '30000', amount: -4 })
			.reply(201, paymentRecord(PAYMENT_2, ETAG_2, { amount: -4 }));

		const result = await create(
			[
				{ c: '10000', a: -1 },
				{ c: '99999', a: -2 },
				{ c: '20000', a: 'x' },
				{ c: '30000', a: -4 },
			],
			{ customer: locator('={{ $json.c }}', 'number'), amount: '={{ $json.a }}' },
			true,
		);

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json.id).toBe(PAYMENT);
		expect(output[1].json).toMatchObject({ httpStatus: 400, code: 'Internal_RecordNotFound' });
		expect(output[2].json).toMatchObject({ field: 'Amount' });
		expect(output[2].json.error).toBe('Invalid Amount: "x" is not a number (item 2)');
		expect(output[3].json.id).toBe(PAYMENT_2);
	});

	test('without Continue On Fail the node stops at a refused item and says how many were already created', async () => {
		api()
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '10000', amount: -1500 })
			.reply(201, paymentRecord(PAYMENT, ETAG_1))
			.post(COLLECTION, { journalId: JOURNAL, customerNumber: '99999', amount: -1500 })
			.reply(400, bcError('Internal_RecordNotFound', 'The "customerNumber" does not match to a Customer.'));

		const result = await create([{ c: '10000' }, { c: '99999' }, { c: '20000' }], { customer: locator('={{ $json.c }}', 'number') });

		const error = result.error(NODE);
		expect(error?.message).toContain('does not match to a Customer');
		expect(error?.description).toContain('1 earlier item(s) of this run were created before the node stopped and stay created');
	});
});
