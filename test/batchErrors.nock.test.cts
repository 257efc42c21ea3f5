/**
 * `$batch` as Business Central really runs it, and writes whose answer was
 * unclear, with nock through n8n's engine:
 * - every `$batch` carries `Prefer: odata.continue-on-error`;
 * - an answer that stops at the first failing operation (a server or proxy that
 *   ignores the header) leaves the later operations unrun: they are sent again,
 *   not treated as unclear writes, and nothing is read for them;
 * - a gap that is not such a stop is an unclear answer: re-read, never re-sent blindly;
 * - one retry budget per request: a server answering 429 to everything gets
 *   Max Retries + 1 `$batch` requests, not (Max Retries + 1)²;
 * - unclear inner answers (500, an empty or foreign 200) and an unparseable
 *   batch answer after applied writes are verified by re-reading;
 * - the re-read compares as Business Central stores: amounts rounded to 0.01,
 *   Code fields trimmed and upper-cased.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	applied,
	batches,
	conflict,
	eTagOf,
	indexOf,
	numberedUpdateWorkflow,
	type Answer,
	type Operation,
	paymentId,
} from './batchNock.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	PAYMENT,
	PAYMENT_URL,
	paymentRecord,
	saasApi,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const workflow = numberedUpdateWorkflow;

describe('$batch error handling', () => {
	test('every $batch asks Business Central to go on after a failing operation', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 1, (operations) =>
			operations.map((operation) =>
				indexOf(operation) === 1 ? conflict(operation) : applied(operation),
			),
		);

		const result = await runWorkflow(workflow(3), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output.map((item) => item.json.code ?? item.json.amount)).toEqual([
			-10,
			'Request_EntityChanged',
			-10,
		]);
		expect(sent).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('an answer that stops at the first failure (header ignored): later operations sent again, none read, 9 failures → 9 round trips, each item answered once', async () => {
		const failing = new Set([5, 17, 29, 41, 53, 65, 77, 89, 99]);
		const sent: Operation[][] = [];
		const scope = batches(sent, 9, (operations) => {
			const answers: Answer[] = [];
			for (const operation of operations) {
				const failed = failing.has(indexOf(operation));
				answers.push(failed ? conflict(operation) : applied(operation));
				if (failed) break; // as Business Central without the header: nothing after it runs or is listed
			}
			return answers;
		});

		const result = await runWorkflow(workflow(100), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output).toHaveLength(100);
		output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (failing.has(n))
				expect(item.json).toMatchObject({ httpStatus: 409, code: 'Request_EntityChanged' });
			else expect(item.json).toMatchObject({ id: paymentId(n), amount: -10 });
		});
		// each round carries exactly the operations after the previous round's stop
		expect(sent.map((operations) => operations.length)).toEqual([
			100, 94, 82, 70, 58, 46, 34, 22, 10,
		]);
		expect(sent.map((operations) => indexOf(operations[0]))).toEqual([
			0, 6, 18, 30, 42, 54, 66, 78, 90,
		]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('a gap that is not a stop at a failure is unclear: the missing write is re-read, not re-sent', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 2, (operations, call) => {
			if (call === 0)
				return operations.filter((operation) => indexOf(operation) !== 1).map(applied);
			// the re-read of item 1
			return operations.map((operation) => ({
				id: operation.id,
				status: 200,
				body: paymentRecord(paymentId(1), eTagOf(1, 2), { amount: -10 }),
			}));
		});

		const result = await runWorkflow(workflow(3), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output.map((item) => item.json.amount)).toEqual([-10, -10, -10]);
		expect(sent[0].map((operation) => operation.method)).toEqual(['PATCH', 'PATCH', 'PATCH']);
		expect(sent[1].map((operation) => [operation.method, indexOf(operation)])).toEqual([
			['GET', 1],
		]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test.each([
		[0, 1],
		[2, 3],
		[5, 6],
	])(
		'one retry budget: 429 to everything at Max Retries %i → %i $batch requests',
		async (maxRetries, expected) => {
			const sent: Operation[][] = [];
			const scope = batches(sent, expected, () => [
				429,
				bcError('Application_TooManyRequests', 'Too many requests.'),
				{ 'Retry-After': '0' },
			]);

			const result = await runWorkflow(workflow(3, { maxRetries }), {
				credentials: bearerCredentials(),
			});

			expect(sent).toHaveLength(expected);
			const output = result.output('Business Central');
			expect(output.map((item) => item.json.httpStatus)).toEqual([429, 429, 429]);
			expect(scope.isDone()).toBe(true);
			expect(requests.unmatched).toEqual([]); // no request beyond the budget
		},
	);

	test('inner answers after applied writes that are unclear (500, empty 200, a foreign record) are re-read: applied ones reported applied', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 2, (operations, call) => {
			if (call === 0) {
				return [
					{
						id: operations[0].id,
						status: 500,
						body: bcError('Unknown', 'An unexpected error occurred.'),
					},
					{ id: operations[1].id, status: 200 },
					{ id: operations[2].id, status: 200, body: paymentRecord(paymentId(9), eTagOf(9)) },
				];
			}
			return operations.map((operation) => ({
				id: operation.id,
				status: 200,
				body: paymentRecord(paymentId(indexOf(operation)), eTagOf(indexOf(operation), 2), {
					amount: -10,
				}),
			}));
		});

		const result = await runWorkflow(workflow(3), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output.map((item) => [item.json.id, item.json.amount, item.json.error])).toEqual([
			[paymentId(0), -10, undefined],
			[paymentId(1), -10, undefined],
			[paymentId(2), -10, undefined],
		]);
		expect(sent.map((operations) => operations.map((operation) => operation.method))).toEqual([
			['PATCH', 'PATCH', 'PATCH'],
			['GET', 'GET', 'GET'],
		]);
		expect(scope.isDone()).toBe(true);
	});

	test('a $batch of applied PATCHes answered with HTML: each write verified, none failed blindly, none re-sent', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 2, (operations, call) => {
			if (call === 0) return [200, '<html><body>Bad gateway</body></html>'];
			return operations.map((operation) => ({
				id: operation.id,
				status: 200,
				body: paymentRecord(paymentId(indexOf(operation)), eTagOf(indexOf(operation), 2), {
					amount: -10,
				}),
			}));
		});

		const result = await runWorkflow(workflow(4), { credentials: bearerCredentials() });

		expect(result.output('Business Central').map((item) => item.json.amount)).toEqual([
			-10, -10, -10, -10,
		]);
		expect(sent.map((operations) => operations[0].method)).toEqual(['PATCH', 'GET']);
		expect(scope.isDone()).toBe(true);
	});
});

describe('unclear writes compared as Business Central stores', () => {
	test.each<[string, IDataObject, IDataObject]>([
		['an amount of -100.005 stored rounded to -100.01', { amount: -100.005 }, { amount: -100.01 }],
		['an amount of 0.1 + 0.2 stored as 0.3', { amount: 0.1 + 0.2 }, { amount: 0.3 }],
		[
			'a document number " inv-9 " stored as "INV-9"',
			{ documentNumber: ' inv-9 ' },
			{ documentNumber: 'INV-9' },
		],
		[
			'an external document number stored upper-cased',
			{ externalDocumentNumber: 'ref-77a' },
			{ externalDocumentNumber: 'REF-77A' },
		],
	])(
		'504 after %s: the re-read shows it applied → success, one PATCH',
		async (_name, fields, stored) => {
			const scope = saasApi(nock)
				.patch(PAYMENT_URL)
				.matchHeader('if-match', ETAG_1)
				.reply(504, 'Gateway Timeout')
				.get(PAYMENT_URL)
				.reply(200, paymentRecord(PAYMENT, ETAG_2, stored));

			const result = await runWorkflow(
				updateWorkflow([{ n: 1 }], { updateFields: fields, options: { eTag: ETAG_1 } }),
				{ credentials: bearerCredentials() },
			);

			expect(result.error('Business Central')).toBeUndefined();
			expect(result.output('Business Central')[0].json).toMatchObject({
				id: PAYMENT,
				...stored,
				'@odata.etag': ETAG_2,
			});
			expect(scope.isDone()).toBe(true);
			expect(requests.unmatched).toEqual([]);
		},
	);

	test('Code fields are sent trimmed and upper-cased, as Business Central stores them; amounts as given', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL, { documentNumber: 'INV-9', customerNumber: 'C-10', amount: -100.005 })
			.matchHeader('if-match', ETAG_1)
			.reply(
				200,
				paymentRecord(PAYMENT, ETAG_2, {
					documentNumber: 'INV-9',
					customerNumber: 'C-10',
					amount: -100.01,
				}),
			);

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				updateFields: { documentNumber: ' inv-9 ', customerNumber: 'c-10 ', amount: -100.005 },
				options: { eTag: ETAG_1 },
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.error('Business Central')).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('504, re-read shows -100.02 for -100.005: not ours → outcome unknown, not "not applied"', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -100.02 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				updateFields: { amount: -100.005 },
				options: { eTag: ETAG_1 },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json).toMatchObject({
			code: 'UpdateOutcomeUnknown',
		});
		expect(scope.isDone()).toBe(true);
		expect(COMPANY).toBeDefined();
	});

	test('"Overwrite Regardless" after an unclear write and another user\'s change: written on top with the eTag just read', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(502, 'Bad Gateway')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -999 }))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_2)
			.reply(200, paymentRecord(PAYMENT, 'W/"JzM7"', { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1, onConflict: 'overwrite' } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error('Business Central')).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ amount: -1750 });
		expect(scope.isDone()).toBe(true);
	});
});
