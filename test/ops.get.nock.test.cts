/**
 * Customer Payment → Get through n8n's engine (node loaded from dist/), HTTP
 * intercepted by nock: the exact request, Simplify, locators, errors and
 * Continue On Fail.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	JOURNAL,
	locator,
	PAYMENT,
	PAYMENT_2,
	paymentPath,
	paymentRecord,
	SAAS_BASE,
	saasApi,
	useNock,
} from './fixtures.cjs';
import { NODE, opsWorkflow } from './opsFixtures.cjs';

useNock(nock);

// readable fields first (n8n's table view), id and eTag last
const SIMPLE_KEYS = [
	'documentNumber',
	'customerNumber',
	'postingDate',
	'amount',
	'description',
	'appliesToInvoiceNumber',
	'externalDocumentNumber',
	'journalDisplayName',
	'lineNumber',
	'id',
	'@odata.etag',
];

const api = () => saasApi(nock);

async function get(items: IDataObject[], parameters: IDataObject, continueOnFail = false) {
	return await runWorkflow(opsWorkflow(items, 'get', { parameters, continueOnFail }), {
		credentials: bearerCredentials(),
	});
}

describe('Customer Payment: Get (nock)', () => {
	test('GETs companies(c)/customerPayments(p) and returns the simplified payment (Simplify is on by default)', async () => {
		const scope = api().get(paymentPath(PAYMENT)).reply(200, paymentRecord(PAYMENT, ETAG_1));

		const result = await get([{ n: 1 }], { customerPayment: PAYMENT });

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(1);
		expect(Object.keys(output[0].json)).toEqual(SIMPLE_KEYS);
		expect(output[0].json).toMatchObject({ id: PAYMENT, '@odata.etag': ETAG_1, amount: -1500, documentNumber: 'G02001' });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});

	test('Simplify off: the whole record as Business Central sent it, without @odata.context', async () => {
		const record = paymentRecord(PAYMENT, ETAG_1, { comment: 'raw', unknownExtension: 7 });
		api().get(paymentPath(PAYMENT)).reply(200, record);

		const result = await get([{}], { customerPayment: PAYMENT, simple: false });

		const { '@odata.context': _context, ...expected } = record;
		expect(result.output(NODE).map((item) => item.json)).toEqual([expected]);
	});

	test('one GET per item, ids from expressions; each output paired to its item', async () => {
		api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.get(paymentPath(PAYMENT_2))
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2, { amount: -99 }));

		const result = await get([{ id: PAYMENT }, { id: PAYMENT_2 }], { customerPayment: locator('={{ $json.id }}') });

		const output = result.output(NODE);
		expect(output.map((item) => [item.json.id, item.json['@odata.etag'], item.pairedItem])).toEqual([
			[PAYMENT, ETAG_1, { item: 0 }],
			[PAYMENT_2, ETAG_2, { item: 1 }],
		]);
	});

	test("a pasted URL in the reference page's slash form is read at company level", async () => {
		const scope = api().get(paymentPath(PAYMENT)).reply(200, paymentRecord(PAYMENT, ETAG_1));
		const url = `${SAAS_BASE}/companies/${COMPANY}/customerPaymentJournals/${JOURNAL}/customerPayments/${PAYMENT}`;

		const result = await get([{}], { customerPayment: locator(url, 'url') });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json.id).toBe(PAYMENT);
		expect(scope.isDone()).toBe(true);
	});

	test('404: the node stops with Business Central\'s message, code and a hint', async () => {
		api()
			.get(paymentPath(PAYMENT))
			.reply(404, bcError('BadRequest_NotFound', `The customerPayment does not exist. Identification fields and values: Id='${PAYMENT}'.`));

		const result = await get([{}], { customerPayment: PAYMENT });

		const error = result.error(NODE);
		expect(error?.message).toBe(
			`Reading customer payment ${PAYMENT} failed: The customerPayment does not exist. Identification fields and values: Id='${PAYMENT}'.`,
		);
		expect(error?.description).toContain('Code: BadRequest_NotFound.');
		expect(error?.description).toContain('deleted or posted');
		expect(error?.httpCode).toBe('404');
	});

	test('Continue On Fail: the missing payment becomes an error item, the other item is read', async () => {
		api()
			.get(paymentPath(PAYMENT))
			.reply(404, bcError('BadRequest_NotFound', 'The customerPayment does not exist.'))
			.get(paymentPath(PAYMENT_2))
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2));

		const result = await get([{ id: PAYMENT }, { id: PAYMENT_2 }], { customerPayment: locator('={{ $json.id }}') }, true);

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output[0].json).toMatchObject({ httpStatus: 404, code: 'BadRequest_NotFound' });
		expect(output[0].json.error).toContain('does not exist');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[1].json.id).toBe(PAYMENT_2);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	test('an invalid ID in any item: nothing is sent, the error names field, value and item', async () => {
		// no interceptor: any request would be unmatched and fail the test
		const result = await get([{ id: PAYMENT }, { id: 'x)/customers(' }], { customerPayment: locator('={{ $json.id }}') });

		const error = result.error(NODE);
		expect(error?.message).toBe('Invalid Customer Payment: "x)/customers(" is not a GUID (expected 8-4-4-4-12 hex digits) (item 1)');
		expect(error?.description).toContain('Nothing was sent to Business Central.');
	});

	test('an answer for another payment is refused, not output', async () => {
		api().get(paymentPath(PAYMENT)).reply(200, paymentRecord(PAYMENT_2, ETAG_1));

		const result = await get([{}], { customerPayment: PAYMENT });

		expect(result.error(NODE)?.message).toBe(
			`Business Central sent an unexpected answer for customer payment ${PAYMENT}: the answer is payment ${PAYMENT_2}, not ${PAYMENT}`,
		);
	});

	test('throttled (429, Retry-After: 0): read again, then output', async () => {
		api()
			.get(paymentPath(PAYMENT))
			.reply(429, bcError('Application_TooManyRequests', 'Too many requests.'), { 'Retry-After': '0' })
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1));

		const result = await get([{}], { customerPayment: PAYMENT });

		expect(result.output(NODE)[0].json.id).toBe(PAYMENT);
	});
});
