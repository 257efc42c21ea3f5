/**
 * The default path for more than one item: reads and PATCHes as JSON $batch
 * requests, answers matched by id (not position), every item on its own.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	CORRELATION_ID,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	paymentRecord,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const BATCH_PATH = `${SAAS_PATH}/$batch`;
const rel = (id: string) => `companies(${COMPANY})/customerPayments(${id})`;

interface BatchRequest {
	id: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: IDataObject;
}
interface BatchAnswer {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/**
 * One expected `$batch` POST: checks the Authorization and Content-Type, records
 * the operations it carried and answers each by id (in reverse order, as the
 * server may), via `answer`.
 */
function expectBatch(sent: BatchRequest[][], answer: (request: BatchRequest) => BatchAnswer) {
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.post(BATCH_PATH)
		.matchHeader('content-type', /application\/json/)
		.reply(200, (_uri, body) => {
			const operations = (body as { requests: BatchRequest[] }).requests;
			sent.push(operations);
			return {
				responses: operations
					.map((request) => ({ id: request.id, headers: {}, ...answer(request) }))
					.reverse(),
			};
		});
}

const ids = [PAYMENT, PAYMENT_2, PAYMENT_3];
const etagOf = (id: string) => `W/"JzE2OzEw${ids.indexOf(id)}Jw=="`;
const idOf = (request: BatchRequest) => /customerPayments\(([^)]+)\)/.exec(request.url)![1];

describe('$batch (default for more than one item)', () => {
	test('3 items: one $batch of GETs, one $batch of PATCHes with each If-Match; outputs in input order', async () => {
		const sent: BatchRequest[][] = [];
		const reads = expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), etagOf(idOf(request))) }));
		const writes = expectBatch(sent, (request) => ({
			status: 200,
			body: paymentRecord(idOf(request), ETAG_3, request.body),
		}));

		const result = await runWorkflow(
			updateWorkflow(
				ids.map((id, index) => ({ id, amount: -(index + 1) * 100 })),
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { amount: '={{ $json.amount }}' },
				},
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(sent).toEqual([
			ids.map((id, index) => ({ id: String(index), method: 'GET', url: rel(id), headers: {} })),
			ids.map((id, index) => ({
				id: String(index),
				method: 'PATCH',
				url: rel(id),
				headers: { 'If-Match': etagOf(id), 'Content-Type': 'application/json' },
				body: { amount: -(index + 1) * 100 },
			})),
		]);
		const output = result.output('Business Central');
		expect(output.map((item) => [item.json.id, item.json.amount, item.pairedItem])).toEqual([
			[PAYMENT, -100, { item: 0 }],
			[PAYMENT_2, -200, { item: 1 }],
			[PAYMENT_3, -300, { item: 2 }],
		]);
		expect(reads.isDone() && writes.isDone()).toBe(true);
	});

	test('given eTags: no read batch, only the PATCH batch', async () => {
		const sent: BatchRequest[][] = [];
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_3, request.body) }));

		const result = await runWorkflow(
			updateWorkflow(
				ids.slice(0, 2).map((id) => ({ id, etag: etagOf(id) })),
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					options: { eTag: '={{ $json.etag }}' },
				},
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(sent).toHaveLength(1);
		expect(sent[0].map((request) => [request.method, request.headers['If-Match']])).toEqual([
			['PATCH', etagOf(PAYMENT)],
			['PATCH', etagOf(PAYMENT_2)],
		]);
		expect(requests.unmatched).toEqual([]);
	});

	test('Continue On Fail, middle item not found: 3 items in order, the middle an error item, only 2 PATCHes', async () => {
		const sent: BatchRequest[][] = [];
		expectBatch(sent, (request) =>
			idOf(request) === PAYMENT_2
				? { status: 404, body: bcError('BadRequest_NotFound', 'The CustomerPayment does not exist.') }
				: { status: 200, body: paymentRecord(idOf(request), etagOf(idOf(request))) },
		);
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_3, request.body) }));

		const result = await runWorkflow(
			updateWorkflow(
				ids.map((id) => ({ id })),
				{ payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, continueOnFail: true },
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(sent[1].map(idOf)).toEqual([PAYMENT, PAYMENT_3]);
		const output = result.output('Business Central');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ id: PAYMENT, '@odata.etag': ETAG_3 });
		expect(output[1].json).toMatchObject({
			code: 'BadRequest_NotFound',
			httpStatus: 404,
			correlationId: CORRELATION_ID,
			error: `Reading customer payment ${PAYMENT_2} failed: The CustomerPayment does not exist.`,
		});
		expect(output[2].json).toMatchObject({ id: PAYMENT_3, '@odata.etag': ETAG_3 });
	});

	test('"Fetch Latest and Retry Once": only the conflicting item is read again and re-sent with its new eTag', async () => {
		const sent: BatchRequest[][] = [];
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_1) }));
		expectBatch(sent, (request) =>
			idOf(request) === PAYMENT_2
				? { status: 409, body: bcError('Request_EntityChanged', 'Another user has already changed the record.') }
				: { status: 200, body: paymentRecord(idOf(request), ETAG_3, request.body) },
		);
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_2) }));
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_3, request.body) }));

		const result = await runWorkflow(
			updateWorkflow(
				[{ id: PAYMENT }, { id: PAYMENT_2 }],
				{ payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, options: { onConflict: 'retryOnce' } },
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(sent.map((batch) => batch.map((request) => [request.method, idOf(request), request.headers['If-Match']]))).toEqual([
			[['GET', PAYMENT, undefined], ['GET', PAYMENT_2, undefined]],
			[['PATCH', PAYMENT, ETAG_1], ['PATCH', PAYMENT_2, ETAG_1]],
			[['GET', PAYMENT_2, undefined]],
			[['PATCH', PAYMENT_2, ETAG_2]],
		]);
		expect(result.output('Business Central').map((item) => item.json['@odata.etag'])).toEqual([ETAG_3, ETAG_3]);
	});

	test('an operation throttled inside the batch (429, Retry-After 0) is sent again in the next batch', async () => {
		const sent: BatchRequest[][] = [];
		expectBatch(sent, (request) =>
			idOf(request) === PAYMENT_2
				? { status: 429, headers: { 'Retry-After': '0' }, body: bcError('Application_TooManyRequests', 'Too many requests.') }
				: { status: 200, body: paymentRecord(idOf(request), ETAG_1) },
		);
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_1) }));
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(idOf(request), ETAG_2, request.body) }));

		const result = await runWorkflow(
			updateWorkflow([{ id: PAYMENT }, { id: PAYMENT_2 }], { payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		// (That Retry-After inside a batch answer is read whatever its case: see retryDelayMs in transport.nock.test.cts.)
		expect(sent.map((batch) => batch.map((request) => `${request.method} ${idOf(request)}`))).toEqual([
			[`GET ${PAYMENT}`, `GET ${PAYMENT_2}`],
			[`GET ${PAYMENT_2}`],
			[`PATCH ${PAYMENT}`, `PATCH ${PAYMENT_2}`],
		]);
		expect(result.output('Business Central')).toHaveLength(2);
	});

	test('the same payment twice: applied one after the other, the second with the eTag the first produced', async () => {
		const sent: BatchRequest[][] = [];
		expectBatch(sent, () => ({ status: 200, body: paymentRecord(PAYMENT, ETAG_1) }));
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(PAYMENT, ETAG_2, request.body) }));
		expectBatch(sent, () => ({ status: 200, body: paymentRecord(PAYMENT, ETAG_2, { comment: 'first' }) }));
		expectBatch(sent, (request) => ({ status: 200, body: paymentRecord(PAYMENT, ETAG_3, request.body) }));

		const result = await runWorkflow(
			updateWorkflow([{ c: 'first' }, { c: 'second' }], { updateFields: { comment: '={{ $json.c }}' } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(sent.map((batch) => batch.map((request) => [request.method, request.headers['If-Match'], request.body]))).toEqual([
			[['GET', undefined, undefined]],
			[['PATCH', ETAG_1, { comment: 'first' }]],
			[['GET', undefined, undefined]],
			[['PATCH', ETAG_2, { comment: 'second' }]],
		]);
		expect(result.output('Business Central').map((item) => item.json.comment)).toEqual(['first', 'second']);
	});

	test('"Use Batch Requests" off: one GET and one PATCH per item, no $batch', async () => {
		const scope = nock(SAAS_ORIGIN);
		for (const id of ids.slice(0, 2)) {
			scope
				.get(`${SAAS_PATH}/${rel(id)}`)
				.reply(200, paymentRecord(id, ETAG_1))
				.patch(`${SAAS_PATH}/${rel(id)}`)
				.matchHeader('if-match', ETAG_1)
				.reply(200, paymentRecord(id, ETAG_2));
		}

		const result = await runWorkflow(
			updateWorkflow([{ id: PAYMENT }, { id: PAYMENT_2 }], {
				payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				options: { batching: false },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')).toHaveLength(2);
		expect(scope.isDone()).toBe(true);
	});
});
