/**
 * eTag conflicts (409 Request_EntityChanged, 412) under each "On eTag Conflict"
 * policy, and PATCHes that got no clear answer (the node re-reads before resending).
 */
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	CORRELATION_ID,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	expectNoSecrets,
	PAYMENT,
	PAYMENT_URL,
	paymentRecord,
	saasApi,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const CHANGED = 'Another user has already changed the record.';

const api = () => saasApi(nock);

describe('eTag conflicts', () => {
	test.each([
		[409, 'Request_EntityChanged'],
		[412, 'Request_EntityChanged'],
		[412, 'PreconditionFailed'],
	])(
		'%i %s with policy Fail (default): node error, nothing written, no second PATCH',
		async (status, code) => {
			const scope = api()
				.get(PAYMENT_URL)
				.reply(200, paymentRecord(PAYMENT, ETAG_1))
				.patch(PAYMENT_URL, { amount: -1750 })
				.matchHeader('if-match', ETAG_1)
				.reply(status, bcError(code, CHANGED));

			const result = await runWorkflow(updateWorkflow([{ n: 1 }]), {
				credentials: bearerCredentials(),
			});

			expect(result.output('Business Central')).toEqual([]);
			const error = result.error('Business Central');
			expect(error).toBeDefined();
			expect(error!.name).toBe('NodeApiError');
			expect(error!.message).toContain(CHANGED);
			expect(error!.message).toContain(`Updating customer payment ${PAYMENT} failed`);
			expect(error!.message).toContain(`eTag ${ETAG_1}`);
			expect(error!.message).toContain('nothing was written');
			expect(error!.httpCode).toBe(String(status));
			expect(error!.description).toContain(`Code: ${code}.`);
			expect(error!.description).toContain('Fetch Latest and Retry Once');
			expect(error!.description).toContain(`CorrelationId: ${CORRELATION_ID}`);
			expect(error!.context).toMatchObject({
				itemIndex: 0,
				businessCentral: { httpStatus: status, code },
			});
			// The workflow stops with the node's error.
			expect(result.error()?.message).toBe(error!.message);
			expect(scope.isDone()).toBe(true);
			expect(requests.unmatched).toEqual([]);
			expectNoSecrets([error, result.error(), result.output('Business Central')]);
		},
	);

	test('"Fetch Latest and Retry Once": GET, PATCH 409, GET, PATCH 200 with the fresh eTag', async () => {
		const order: string[] = [];
		const scope = api()
			.get(PAYMENT_URL)
			.reply(
				200,
				() => (order.push('GET 1'), paymentRecord(PAYMENT, ETAG_1, { description: 'first' })),
			)
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(409, () => (order.push(`PATCH ${ETAG_1}`), bcError('Request_EntityChanged', CHANGED)))
			.get(PAYMENT_URL)
			.reply(
				200,
				() => (
					order.push('GET 2'),
					paymentRecord(PAYMENT, ETAG_2, { description: 'changed meanwhile' })
				),
			)
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_2)
			.reply(200, () => {
				order.push(`PATCH ${ETAG_2}`);
				return paymentRecord(PAYMENT, ETAG_3, { amount: -1750, description: 'changed meanwhile' });
			});

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				options: { onConflict: 'retryOnce', includePreviousValues: true },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_3 });
		// Previous values are those of the version the change was finally applied to.
		expect(output[0].json.previousValues).toEqual({ amount: -1500 });
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(order).toEqual(['GET 1', `PATCH ${ETAG_1}`, 'GET 2', `PATCH ${ETAG_2}`]);
		expect(scope.isDone()).toBe(true);
	});

	test('"Fetch Latest and Retry Once" with a given eTag: PATCH 412, GET, PATCH with the fresh eTag', async () => {
		const scope = api()
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(412, bcError('Request_EntityChanged', CHANGED))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_2)
			.reply(200, paymentRecord(PAYMENT, ETAG_3, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ etag: ETAG_1 }], {
				options: { eTag: '={{ $json.etag }}', onConflict: 'retryOnce' },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json['@odata.etag']).toBe(ETAG_3);
		expect(scope.isDone()).toBe(true);
	});

	test('"Fetch Latest and Retry Once" fails when the retry conflicts again (exactly two PATCHes)', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(409, bcError('Request_EntityChanged', CHANGED))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_2)
			.reply(409, bcError('Request_EntityChanged', CHANGED));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { onConflict: 'retryOnce' } }),
			{
				credentials: bearerCredentials(),
			},
		);

		const error = result.error('Business Central');
		expect(error?.message).toContain(CHANGED);
		expect(error?.message).toContain(`eTag ${ETAG_2}`);
		expect(error?.message).toContain('nothing was written');
		expect(error?.httpCode).toBe('409');
		expect(result.output('Business Central')).toEqual([]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('"Overwrite Regardless" with a given eTag: PATCH with it; no read when it is current; never If-Match: *', async () => {
		const scope = api()
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { onConflict: 'overwrite', eTag: ETAG_1 } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({
			amount: -1750,
			'@odata.etag': ETAG_2,
		});
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('"Overwrite Regardless": every conflict → re-read, write on top of the newer version (bounded by Max Retries)', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(409, bcError('Request_EntityChanged', CHANGED))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { description: 'theirs' }))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_2)
			.reply(409, bcError('Request_EntityChanged', CHANGED))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_3, { description: 'theirs again' }))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_3)
			.reply(200, paymentRecord(PAYMENT, ETAG_1, { amount: -1750, description: 'theirs again' }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				options: { onConflict: 'overwrite', includePreviousValues: true },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({
			amount: -1750,
			description: 'theirs again',
		});
		expect(result.output('Business Central')[0].json.previousValues).toEqual({ amount: -1500 });
		expect(scope.isDone()).toBe(true);
	});

	test('"Overwrite Regardless", unanswered PATCH, not applied yet → re-sent with the same eTag (a late copy then gets 409)', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { onConflict: 'overwrite' } }),
			{
				credentials: bearerCredentials(),
			},
		);

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({
			amount: -1750,
			'@odata.etag': ETAG_2,
		});
		expect(scope.isDone()).toBe(true);
	});

	test('a conflict under Continue On Fail becomes an error item with code and status', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(409, bcError('Request_EntityChanged', CHANGED));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { continueOnFail: true }), {
			credentials: bearerCredentials(),
		});

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			code: 'Request_EntityChanged',
			httpStatus: 409,
			correlationId: CORRELATION_ID,
		});
		expect(output[0].json.error).toContain('nothing was written');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});
});

describe('PATCH without a clear answer (408, 502, 504 or dropped connection)', () => {
	test.each([
		[408, 'Request Timeout'],
		[502, 'Bad Gateway'],
		[504, 'Gateway Timeout'],
	])('%i, record still has the sent eTag → not applied, sent once more', async (status, text) => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(status, text)
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), {
			credentials: bearerCredentials(),
		});

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({
			amount: -1750,
			'@odata.etag': ETAG_2,
		});
		expect(scope.isDone()).toBe(true);
	});

	test('502 from a gateway, record changed and carries the values → it was applied; no second PATCH', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(502, '<html><title>502 Bad Gateway</title></html>', { 'Content-Type': 'text/html' })
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), {
			credentials: bearerCredentials(),
		});

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central').map(({ json }) => json)).toEqual([
			expect.objectContaining({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 }),
		]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('connection reset, record changed and carries the values → it was applied; no second PATCH', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), {
			credentials: bearerCredentials(),
		});

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test.each([
		[502, 'Bad Gateway', 'fail'],
		[504, 'Gateway Timeout', 'fail'],
		[500, 'Internal Server Error', 'retryOnce'],
		[504, 'Gateway Timeout', 'retryOnce'],
	])(
		'%i, record changed to other values (%s, policy %s) → outcome unknown with the evidence, nothing resent',
		async (status, text, onConflict) => {
			const scope = api()
				.get(PAYMENT_URL)
				.reply(200, paymentRecord(PAYMENT, ETAG_1))
				.patch(PAYMENT_URL, { amount: -1750 })
				.matchHeader('if-match', ETAG_1)
				.reply(status, text)
				.get(PAYMENT_URL)
				.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -999 }));

			const result = await runWorkflow(
				updateWorkflow([{ n: 1 }], { options: { onConflict }, continueOnFail: true }),
				{ credentials: bearerCredentials() },
			);

			const [item] = result.output('Business Central');
			expect(item.json).toMatchObject({
				code: 'UpdateOutcomeUnknown',
				evidence: {
					eTagSent: ETAG_1,
					eTagNow: ETAG_2,
					differences: { amount: { sent: -1750, stored: -999 } },
				},
			});
			expect(item.json.error).toContain(
				'may have been applied and changed again by someone else, or not applied at all',
			);
			expect(item.json.error).not.toContain('nothing was written');
			expect(scope.isDone()).toBe(true);
			expect(requests.unmatched).toEqual([]);
		},
	);
});
