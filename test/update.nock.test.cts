import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	CUSTOMER_2,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	INVOICE,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	paymentPath,
	paymentRecord,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const paymentUrl = `${SAAS_PATH}/companies(${COMPANY})/customerPayments(${PAYMENT})`;

const requests = useNock(nock);

describe('Customer Payment: Update (nock)', () => {
	test('reads the eTag, then PATCHes with If-Match and returns the updated record', async () => {
		const api = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(paymentUrl)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(paymentUrl, { amount: -1750, description: 'Paid by wire' })
			.matchHeader('if-match', ETAG_1)
			.matchHeader('content-type', /application\/json/)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750, description: 'Paid by wire' }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { updateFields: { amount: -1750, description: 'Paid by wire' } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
		expect(output[0].json).not.toHaveProperty('@odata.context');
		expect(output[0].json).not.toHaveProperty('previousValues');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(api.isDone()).toBe(true);
	});

	test('"Include Previous Values" adds the before-image of every changed field, server-derived ones included', async () => {
		const before = paymentRecord(PAYMENT, ETAG_1, {
			customerId: CUSTOMER,
			customerNumber: '10000',
			appliesToInvoiceId: '00000000-0000-0000-0000-000000000000',
			appliesToInvoiceNumber: '',
			lastModifiedDateTime: '2026-11-02T10:00:00Z',
		});
		// The PATCH sends only the invoice; Business Central derives its number and the customer.
		const after = paymentRecord(PAYMENT, ETAG_2, {
			customerId: CUSTOMER_2,
			customerNumber: '20000',
			appliesToInvoiceId: INVOICE,
			appliesToInvoiceNumber: '103022',
			lastModifiedDateTime: '2026-11-03T08:30:00Z',
		});
		const api = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(paymentUrl)
			.reply(200, before)
			.patch(paymentUrl, { appliesToInvoiceId: INVOICE })
			.matchHeader('if-match', ETAG_1)
			.reply(200, after);

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				updateFields: { appliesToInvoice: { __rl: true, mode: 'id', value: INVOICE } },
				options: { includePreviousValues: true },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			id: PAYMENT,
			'@odata.etag': ETAG_2,
			appliesToInvoiceId: INVOICE,
			customerNumber: '20000',
		});
		// Exactly the changed properties, with their old values; eTag and timestamp are not "values".
		expect(output[0].json.previousValues).toEqual({
			customerId: CUSTOMER,
			customerNumber: '10000',
			appliesToInvoiceId: '00000000-0000-0000-0000-000000000000',
			appliesToInvoiceNumber: '',
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(api.isDone()).toBe(true);
	});

	test('a given eTag (expression over the input item) is sent as If-Match and no GET is made', async () => {
		// No GET interceptor: a GET would be an unmatched request and fail the test.
		const api = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.patch(paymentPath(PAYMENT), { amount: -100 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_3, { amount: -100 }))
			.patch(paymentPath(PAYMENT_2), { amount: -200 })
			.matchHeader('if-match', ETAG_2)
			.reply(200, paymentRecord(PAYMENT_2, ETAG_3, { amount: -200 }));

		const result = await runWorkflow(
			updateWorkflow(
				[
					{ id: PAYMENT, etag: ETAG_1, amount: -100 },
					{ id: PAYMENT_2, etag: ETAG_2, amount: -200 },
				],
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { amount: '={{ $json.amount }}' },
					// One request per item (the $batch path has its own tests).
					options: { eTag: '={{ $json.etag }}', batching: false },
				},
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output.map((item) => [item.json.id, item.json.amount, item.pairedItem])).toEqual([
			[PAYMENT, -100, { item: 0 }],
			[PAYMENT_2, -200, { item: 1 }],
		]);
		expect(api.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('a given eTag with "Include Previous Values" still reads the record but sends the given eTag', async () => {
		// The record read has ETAG_2 (someone changed it); the user's ETAG_1 must win as If-Match.
		const api = nock(SAAS_ORIGIN)
			.get(paymentUrl)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { description: 'old' }))
			.patch(paymentUrl, { description: 'new' })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_3, { description: 'new' }));

		const result = await runWorkflow(
			updateWorkflow([{ etag: ETAG_1 }], {
				updateFields: { description: 'new' },
				options: { eTag: '={{ $json.etag }}', includePreviousValues: true },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ description: 'new', previousValues: { description: 'old' } });
		expect(api.isDone()).toBe(true);
	});

	test('every Update Field is converted to its API property and type', async () => {
		const body = {
			amount: -1234.56,
			postingDate: '2026-11-05',
			customerId: CUSTOMER_2,
			documentNumber: 'G02099',
			externalDocumentNumber: 'ADV-7781',
			lineNumber: 20000,
			description: 'Wire transfer',
			comment: 'checked',
			appliesToInvoiceNumber: '103022',
		};
		const api = nock(SAAS_ORIGIN)
			.get(paymentUrl)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(paymentUrl, body)
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, body));

		const result = await runWorkflow(
			updateWorkflow([{ amount: '-1234.56', line: '20000' }], {
				updateFields: {
					amount: '={{ $json.amount }}', // numeric string from a spreadsheet
					postingDate: '2026-11-05T13:45:00', // the date part only is sent
					customer: { __rl: true, mode: 'list', value: CUSTOMER_2, cachedResultName: '20000 · Trey' },
					documentNumber: 'G02099',
					externalDocumentNumber: 'ADV-7781',
					lineNumber: '={{ $json.line }}',
					description: 'Wire transfer',
					comment: 'checked',
					appliesToInvoiceNumber: '103022',
				},
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ ...body, '@odata.etag': ETAG_2 });
		expect(api.isDone()).toBe(true);
	});

	test('three items: each is read and updated with its own eTag, in input order, paired to its item', async () => {
		const order: string[] = [];
		const scope = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
		for (const [index, id] of [PAYMENT, PAYMENT_2, PAYMENT_3].entries()) {
			const eTag = `W/"JzE2OzEyMzQ1Njc4OTA${index}Jw=="`;
			scope
				.get(paymentPath(id))
				.reply(200, () => {
					order.push(`GET ${index}`);
					return paymentRecord(id, eTag);
				})
				.patch(paymentPath(id), { comment: `item ${index}` })
				.matchHeader('if-match', eTag)
				.reply(200, () => {
					order.push(`PATCH ${index}`);
					return paymentRecord(id, ETAG_3, { comment: `item ${index}` });
				});
		}

		const result = await runWorkflow(
			updateWorkflow(
				[PAYMENT, PAYMENT_2, PAYMENT_3].map((id) => ({ id })),
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { comment: '=item {{ $itemIndex }}' },
					options: { batching: false },
				},
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output.map((item) => [item.json.id, item.json.comment, item.pairedItem])).toEqual([
			[PAYMENT, 'item 0', { item: 0 }],
			[PAYMENT_2, 'item 1', { item: 1 }],
			[PAYMENT_3, 'item 2', { item: 2 }],
		]);
		expect(order).toEqual(['GET 0', 'PATCH 0', 'GET 1', 'PATCH 1', 'GET 2', 'PATCH 2']);
		expect(scope.isDone()).toBe(true);
	});
});
