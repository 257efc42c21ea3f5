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

	test('250 items go out as 3 read batches and 3 write batches of 100/100/50, outputs in input order with pairedItem', async () => {
		const many = Array.from({ length: 250 }, (_, index) => {
			const suffix = index.toString(16).padStart(12, '0');
			return `c0ffee00-0000-4000-8000-${suffix}`;
		});
		const etag = (id: string) => `W/"JzE2OzEw${many.indexOf(id)}Jw=="`;
		const reads: BatchRequest[][] = [];
		const writes: BatchRequest[][] = [];
		for (let batch = 0; batch < 3; batch++) {
			expectBatch(reads, (request) => ({ status: 200, body: paymentRecord(idOf(request), etag(idOf(request))) }));
			expectBatch(writes, (request) => ({
				status: 200,
				body: paymentRecord(idOf(request), `W/"new-${idOf(request)}"`, request.body),
			}));
		}
		// nock serves the interceptors in order: per chunk (one in flight) a read batch, then a write batch
		const result = await runWorkflow(
			updateWorkflow(
				many.map((paymentId, index) => ({ paymentId, amount: -(index + 1) })),
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
					updateFields: { amount: '={{ $json.amount }}' },
					options: { maxConcurrency: 1 },
				},
			),
			{ credentials: bearerCredentials() },
		);
		expect(result.error()).toBeUndefined();
		const all = [...reads, ...writes];
		expect(all.map((operations) => operations.length).sort((a, b) => b - a)).toEqual([100, 100, 100, 100, 50, 50]);
		const gets = all.filter((operations) => operations.every((operation) => operation.method === 'GET'));
		const patches = all.filter((operations) => operations.every((operation) => operation.method === 'PATCH'));
		expect(gets).toHaveLength(3);
		expect(patches).toHaveLength(3);
		const patched = patches.flat();
		expect(new Set(patched.map(idOf)).size).toBe(250);
		for (const operation of patched) {
			expect(operation.headers['If-Match']).toBe(etag(idOf(operation)));
			expect(operation.body).toEqual({ amount: -(many.indexOf(idOf(operation)) + 1) });
		}
		const output = result.output('Business Central');
		expect(output).toHaveLength(250);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.id).toBe(many[index]);
			expect(item.json.amount).toBe(-(index + 1));
			expect(item.json['@odata.etag']).toBe(`W/"new-${many[index]}"`);
		});
		expect(requests.unmatched).toEqual([]);
	});

	test('mixed answers in one PATCH batch (200, 409, 404, 400) fail only their own items', async () => {
		const sent: BatchRequest[][] = [];
		const answers: Record<string, BatchAnswer> = {
			[PAYMENT]: { status: 200, body: paymentRecord(PAYMENT, ETAG_2, { amount: -1 }) },
			[PAYMENT_2]: { status: 409, body: bcError('Request_EntityChanged', 'Another user has already changed the record.') },
			[PAYMENT_3]: { status: 404, body: bcError('BadRequest_NotFound', `The customerPayment does not exist. Identification fields and values: Id='${PAYMENT_3}'`) },
		};
		const fourth = 'd03c0a52-4b7c-ef11-8a6b-6045bde9c5a4';
		answers[fourth] = {
			status: 400,
			body: bcError('Application_StringExceededLength', 'The length of the string is 120, but it must be less than or equal to 100 characters. Value: x. Property: description'),
		};
		expectBatch(sent, (request) => answers[idOf(request)]);
		const result = await runWorkflow(
			updateWorkflow(
				[PAYMENT, PAYMENT_2, PAYMENT_3, fourth].map((paymentId) => ({ paymentId, etag: ETAG_1 })),
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
					updateFields: { amount: -1 },
					options: { eTag: '={{ $json.etag }}' },
					continueOnFail: true,
				},
			),
			{ credentials: bearerCredentials() },
		);
		expect(sent).toHaveLength(1);
		expect(sent[0].map((operation) => operation.headers['If-Match'])).toEqual([ETAG_1, ETAG_1, ETAG_1, ETAG_1]);
		const output = result.output('Business Central');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -1, '@odata.etag': ETAG_2 });
		expect(output[1].json).toMatchObject({ httpStatus: 409, code: 'Request_EntityChanged' });
		expect(output[2].json).toMatchObject({ httpStatus: 404, code: 'BadRequest_NotFound', correlationId: CORRELATION_ID });
		expect(output[3].json).toMatchObject({ httpStatus: 400, code: 'Application_StringExceededLength' });
		expect(String(output[1].json.error)).toContain('nothing was written');
		expect(requests.unmatched).toEqual([]);
	});

	test('a whole $batch answered 429 with Retry-After is sent again, then applied once', async () => {
		const sent: BatchRequest[][] = [];
		nock(SAAS_ORIGIN)
			.post(BATCH_PATH)
			.reply(429, bcError('Application_TooManyRequests', 'Too many requests.'), { 'Retry-After': '0' });
		expectBatch(sent, (request) => ({
			status: 200,
			body: paymentRecord(idOf(request), ETAG_3, request.body),
		}));
		const result = await runWorkflow(
			updateWorkflow([PAYMENT, PAYMENT_2].map((paymentId) => ({ paymentId })), {
				payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { description: 'after throttling' },
				options: { eTag: ETAG_1 },
			}),
			{ credentials: bearerCredentials() },
		);
		expect(result.error()).toBeUndefined();
		expect(sent).toHaveLength(1);
		expect(sent[0].map(idOf)).toEqual([PAYMENT, PAYMENT_2]);
		expect(result.output('Business Central').map((item) => item.json.description)).toEqual([
			'after throttling',
			'after throttling',
		]);
		expect(requests.unmatched).toEqual([]);
	});
});
