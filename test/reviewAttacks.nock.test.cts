/**
 * Adversarial review of a9ec30d ($batch continue-on-error / early stop,
 * unclear writes verified by re-reading), with nock through n8n's engine:
 * - a stop-early answer that also carries an id never sent, or an id twice,
 *   is not "exactly the prefix up to a failure": the missing write may have
 *   run under the wrong id, so it is unclear (re-read), never re-sent;
 * - one retry budget per operation: an operation throttled for the first time
 *   after an early stop still gets its own retries;
 * - a 2xx PATCH answer that is not the record (204) is unclear: re-read;
 * - a DELETE re-sent after an unclear one that answers 404: the first one
 *   landed, the payment is deleted.
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
	landed,
	numberedUpdateWorkflow,
	type Answer,
	type Operation,
	paymentId,
	throttled,
} from './batchNock.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY as COMPANY_ID,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	JOURNAL,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_URL,
	paymentPath,
	paymentRecord,
	SAAS_PATH,
	saasApi,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';
import { NODE, opsChain, opsWorkflow } from './opsFixtures.cjs';

const requests = useNock(nock);

const workflow = (count: number, options: IDataObject = {}) => numberedUpdateWorkflow(count, options);

describe('review: early stop is inferred only from an answer that is exactly a prefix', () => {
	test.each<[string, (operations: Operation[]) => Answer]>([
		// op 2 ran and was applied, but its answer came back under an id never sent
		['an id never sent', (operations) => ({ ...applied(operations[2]), id: '99' })],
		// op 2 ran and was applied, but its answer came back under op 1's id (a duplicate)
		['a duplicated id', (operations) => ({ ...applied(operations[2]), id: operations[1].id })],
	])(
		'a stop at a failure plus an answer under %s: the unlisted write is re-read, not re-sent (its late 409 would say "nothing was written")',
		async (_name, stray) => {
			const sent: Operation[][] = [];
			const scope = batches(sent, 2, (operations, call) => {
				if (call === 0) return [applied(operations[0]), conflict(operations[1]), stray(operations)];
				// op 2 was applied in call 0: a re-sent PATCH with the old eTag conflicts; a GET shows it applied
				return operations.map((operation) => {
					const n = indexOf(operation);
					if (operation.method === 'PATCH') return conflict(operation);
					return {
						id: operation.id,
						status: 200,
						body: n === 2 ? landed(2) : paymentRecord(paymentId(n), eTagOf(n, 3), { amount: -999 }),
					};
				});
			});

			const result = await runWorkflow(workflow(3), { credentials: bearerCredentials() });

			const output = result.output('Business Central');
			expect(output[0].json).toMatchObject({ id: paymentId(0), amount: -10 });
			expect(output[1].json.amount).toBeUndefined(); // a conflict or an unknown outcome: an error item
			// observed before the fix: 409 "Another user has already changed the record … nothing was written"
			expect(output[2].json).toMatchObject({ id: paymentId(2), amount: -10 });
			expect(sent[1].every((operation) => operation.method === 'GET')).toBe(true);
			expect(scope.isDone()).toBe(true);
			expect(requests.unmatched).toEqual([]);
		},
	);
});

describe('review: one retry budget per operation', () => {
	test('early stops at 429 on op 0, then on op 1 (Max Retries 1): op 1 gets its own retry, not the budget op 0 used', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 3, (operations, call) => {
			if (call === 0) return [throttled(operations[0])]; // stops at op 0
			if (call === 1) return [applied(operations[0]), throttled(operations[1])]; // stops at op 1
			return operations.map(applied);
		});

		const result = await runWorkflow(workflow(3, { maxRetries: 1 }), {
			credentials: bearerCredentials(),
		});

		const output = result.output('Business Central');
		// observed before the fix: item 1 → 429, never retried once
		expect(output.map((item) => item.json.amount ?? item.json.httpStatus)).toEqual([-10, -10, -10]);
		expect(sent.map((operations) => operations.map(indexOf))).toEqual([
			[0, 1, 2],
			[0, 1, 2],
			[1, 2],
		]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});
});

describe('review: a 2xx that is not the record is unclear', () => {
	test('PATCH answered 204 (no body): re-read, the record carries the values → applied, not an error', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(204)
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);

		// observed before the fix: error item "Unexpected answer from Business Central (HTTP 204)", no re-read
		expect(result.output('Business Central')[0].json).toMatchObject({
			id: PAYMENT,
			amount: -1750,
			'@odata.etag': ETAG_2,
		});
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: Delete answered 500', () => {
	test('DELETE 500, re-read shows it still there, DELETE again → 404 (the first one landed meanwhile): deleted', async () => {
		const scope = saasApi(nock)
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(500, bcError('Unknown', 'An unexpected error occurred.'))
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(404, bcError('Internal_RecordNotFound', 'The Gen. Journal Line does not exist.'));

		const result = await runWorkflow(
			opsWorkflow([{ n: 1 }], 'delete', {
				parameters: { customerPayment: PAYMENT, options: { eTag: ETAG_1 } },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		// observed before the fix: error item 404 Internal_RecordNotFound
		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: "not applied" is what the re-read saw, not a fact about a request still running', () => {
	test('504 (Business Central may still be running it), re-read shows the eTag unchanged, Max Retries 0: the item must not say "nothing was written" — the PATCH lands afterwards', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			// the next step reads the payment: the 504'd PATCH has landed meanwhile
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			opsChain(
				[{ n: 1 }],
				[
					{
						operation: 'update',
						name: 'Update',
						parameters: {
							customerPayment: PAYMENT,
							updateFields: { amount: -1750 },
							options: { eTag: ETAG_1, maxRetries: 0 },
						},
						continueOnFail: true,
					},
					{ operation: 'get', name: 'Get', parameters: { customerPayment: PAYMENT } },
				],
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Get')[0].json).toMatchObject({ amount: -1750, '@odata.etag': ETAG_2 });
		const update = result.output('Update')[0].json;
		expect(typeof update.error).toBe('string');
		// observed before the fix: "… Re-reading the payment showed its eTag unchanged: the update was not applied; nothing was written."
		expect(update.error).not.toContain('nothing was written');
		expect(update.error).toContain('may still');
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: amounts compared as Business Central stores, whatever their size', () => {
	test('504 after an amount of -134381483.331 stored rounded to -134381483.33: applied, not "outcome unknown"', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -134381483.33 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				updateFields: { amount: -134381483.331 },
				options: { eTag: ETAG_1 },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		// observed before the fix: UpdateOutcomeUnknown (differences: amount), as if another user had changed it;
		// under "Overwrite Regardless" the same comparison writes the payment a second time
		expect(result.output('Business Central')[0].json).toMatchObject({
			id: PAYMENT,
			amount: -134381483.33,
			'@odata.etag': ETAG_2,
		});
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: Create and Delete answered 500 (claim 3)', () => {
	const COLLECTION = `${SAAS_PATH}/companies(${COMPANY_ID})/customerPayments`;

	test.each<[string, number, unknown]>([
		['500', 500, bcError('Unknown', 'An unexpected error occurred.')],
		['202 without a body', 202, ''],
		['204 without a body', 204, ''],
	])(
		'Create answered %s: one POST, never re-sent, the item says the payment may or may not have been created',
		async (_name, status, body) => {
			const scope = saasApi(nock)
				.post(COLLECTION, { journalId: JOURNAL, amount: -1500, documentNumber: 'PAY-9' })
				.reply(status, body as never);

			const result = await runWorkflow(
				opsWorkflow([{ n: 1 }], 'create', {
					parameters: {
						journal: JOURNAL,
						amount: -1500,
						additionalFields: { documentNumber: 'PAY-9' },
					},
					continueOnFail: true,
				}),
				{ credentials: bearerCredentials() },
			);

			const item = result.output(NODE)[0].json;
			// observed before the fix for 202/204: "Unexpected answer from Business Central (HTTP 204)",
			// "See Business Central's message above." — nothing says the payment may exist, a re-run duplicates it
			expect(item.id).toBeUndefined();
			expect(String(item.error)).toContain('may or may not have been created');
			expect(String(item.description)).toContain('PAY-9');
			expect(scope.isDone()).toBe(true);
			expect(requests.unmatched).toEqual([]);
		},
	);

	test('Delete answered 500, re-read 404: deleted, one DELETE', async () => {
		const scope = saasApi(nock)
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(500, bcError('Unknown', 'An unexpected error occurred.'))
			.get(paymentPath(PAYMENT))
			.reply(404, bcError('Internal_RecordNotFound', 'The Gen. Journal Line does not exist.'));

		const result = await runWorkflow(
			opsWorkflow([{ n: 1 }], 'delete', {
				parameters: { customerPayment: PAYMENT, options: { eTag: ETAG_1 } },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: a re-read that is not the payment leaves the outcome unknown', () => {
	test.each<[string, unknown, Record<string, string>]>([
		['an HTML login page', '<html><body>Sign in</body></html>', { 'content-type': 'text/html' }],
		['another payment', paymentRecord(PAYMENT_2, ETAG_2, { amount: -1750 }), {}],
	])(
		'504, then the re-read answers 200 with %s: UpdateOutcomeUnknown, not a plain "unexpected answer" that reads as not applied',
		async (_name, body, headers) => {
			const scope = saasApi(nock)
				.patch(PAYMENT_URL)
				.matchHeader('if-match', ETAG_1)
				.reply(504, 'Gateway Timeout')
				.get(PAYMENT_URL)
				.reply(200, body as never, headers);

			const result = await runWorkflow(
				updateWorkflow([{ n: 1 }], {
					options: { eTag: ETAG_1, maxRetries: 0 },
					continueOnFail: true,
				}),
				{ credentials: bearerCredentials() },
			);

			const item = result.output('Business Central')[0].json;
			// observed before the fix: code UnexpectedAnswer, "The response was not used." — nothing about the PATCH
			expect(item).toMatchObject({ code: 'UpdateOutcomeUnknown' });
			expect(String(item.error)).toContain('may or may not have been applied');
			expect(scope.isDone()).toBe(true);
		},
	);
});

describe('review: Delete re-read that is not the payment', () => {
	test('DELETE 500, the re-read answers 200 with an HTML page: the item says whether it was deleted is unknown', async () => {
		const scope = saasApi(nock)
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(500, bcError('Unknown', 'An unexpected error occurred.'))
			.get(paymentPath(PAYMENT))
			.reply(200, '<html><body>Sign in</body></html>', { 'content-type': 'text/html' });

		const result = await runWorkflow(
			opsWorkflow([{ n: 1 }], 'delete', {
				parameters: { customerPayment: PAYMENT, options: { eTag: ETAG_1 } },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		// observed before the fix: "Business Central sent an unexpected answer … The response was not used."
		expect(String(result.output(NODE)[0].json.error)).toContain(
			'Whether the payment was deleted is unknown',
		);
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: attacks the change withstands', () => {
	test('a stop at a failure that is also missing an earlier id: nothing is taken as unrun, both gaps are re-read', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 2, (operations, call) => {
			if (call === 0) return [applied(operations[0]), conflict(operations[2])]; // 1 and 3 missing
			return operations.map((operation) => ({
				id: operation.id,
				status: 200,
				body: landed(indexOf(operation)),
			}));
		});

		const result = await runWorkflow(workflow(4), { credentials: bearerCredentials() });

		const output = result.output('Business Central');
		expect(output.map((item) => item.json.amount ?? item.json.httpStatus)).toEqual([
			-10, -10, 409, -10,
		]);
		expect(sent[1].map((operation) => [operation.method, indexOf(operation)])).toEqual([
			['GET', 1],
			['GET', 3],
		]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('a server that always stops at its first operation with 429 (Max Retries 1): terminates, each operation sent at most twice', async () => {
		const sent: Operation[][] = [];
		const scope = batches(sent, 6, (operations) => [throttled(operations[0])]);

		const result = await runWorkflow(workflow(3, { maxRetries: 1 }), {
			credentials: bearerCredentials(),
		});

		expect(result.output('Business Central').map((item) => item.json.httpStatus)).toEqual([
			429, 429, 429,
		]);
		expect(sent.map((operations) => indexOf(operations[0]))).toEqual([0, 0, 1, 1, 2, 2]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('Max Retries 0: 504, re-read unchanged → one PATCH only, error item', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				options: { eTag: ETAG_1, maxRetries: 0 },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json.httpStatus).toBe(504);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('late landing: 504, re-read unchanged, re-sent → 409 (the first one landed meanwhile), re-read carries ours → applied once', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(409, bcError('Request_EntityChanged', 'Another user has already changed the record.'))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json).toMatchObject({
			amount: -1750,
			'@odata.etag': ETAG_2,
		});
		expect(scope.isDone()).toBe(true);
	});

	test('Fail policy, 500, another user changed the amount: UpdateOutcomeUnknown with evidence, never re-sent', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.reply(500, bcError('Unknown', 'An unexpected error occurred.'))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -999 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json).toMatchObject({
			code: 'UpdateOutcomeUnknown',
			evidence: {
				eTagSent: ETAG_1,
				eTagNow: ETAG_2,
				differences: { amount: { sent: -1750, stored: -999 } },
			},
		});
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('an integer Line Number is compared exactly: 10001 stored for 10000 is not "carried"', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.reply(502, 'Bad Gateway')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { lineNumber: 10001 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				updateFields: { lineNumber: 10000 },
				options: { eTag: ETAG_1 },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json).toMatchObject({
			code: 'UpdateOutcomeUnknown',
		});
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: known defect left unfixed', () => {
	// Include Previous Values after a write verified by re-reading: the re-read record may carry
	// another user's later change, which previousValues then attributes to this update.
	test(
		"504, the re-read carries our amount and another user's later description: previousValues lists only what the update changed",
		async () => {
			const scope = saasApi(nock)
				.get(PAYMENT_URL)
				.reply(200, paymentRecord(PAYMENT, ETAG_1))
				.patch(PAYMENT_URL)
				.reply(504, 'Gateway Timeout')
				.get(PAYMENT_URL)
				.reply(
					200,
					paymentRecord(PAYMENT, ETAG_3, { amount: -1750, description: 'changed by someone else' }),
				);

			const result = await runWorkflow(
				updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1, includePreviousValues: true } }),
				{ credentials: bearerCredentials() },
			);

			expect(result.output('Business Central')[0].json.previousValues).toEqual({ amount: -1500 });
			expect(scope.isDone()).toBe(true);
		},
	);
});

describe('review: a re-sent write that fails outright says the unclear one may still land', () => {
	test('504, re-read unchanged, re-sent → 404 (the journal was posted): the item does not read as a plain "not found"', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(404, bcError('Internal_RecordNotFound', 'The Gen. Journal Line does not exist.'));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);

		const item = result.output('Business Central')[0].json;
		expect(item.httpStatus).toBe(404);
		// observed before the fix: "… failed: The Gen. Journal Line does not exist." — nothing about the 504'd first PATCH,
		// which may have landed before the line was posted
		expect(String(item.error)).toContain('An earlier attempt got no clear answer');
		expect(item.code).toBe('UpdateOutcomeUnknown');
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: more attacks the change withstands', () => {
	test('a Code-field-only PATCH equal to the old value once normalised, 502, another user changed the description: reported applied, nothing written over the other change', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL, { documentNumber: 'G02001' }) // sent as Business Central stores it
			.matchHeader('if-match', ETAG_1)
			.reply(502, 'Bad Gateway')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { description: 'changed by someone else' }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				updateFields: { documentNumber: ' g02001 ' },
				options: { eTag: ETAG_1 },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json).toMatchObject({
			documentNumber: 'G02001',
			description: 'changed by someone else',
		});
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]); // one PATCH only
	});

	test('two items for one payment (waves), the first answered 500 inside the $batch and verified applied: the second reads the new eTag and writes after it, each applied once', async () => {
		const sent: Operation[][] = [];
		let version = 1;
		const scope = batches(sent, 5, (operations) =>
			operations.map((operation) => {
				if (operation.method === 'GET')
					return {
						id: operation.id,
						status: 200,
						body: paymentRecord(paymentId(0), eTagOf(0, version), {
							amount: version === 1 ? -1500 : -10 * (version - 1),
						}),
					};
				expect(operation.headers['If-Match']).toBe(eTagOf(0, version));
				version++;
				const body = paymentRecord(paymentId(0), eTagOf(0, version), operation.body);
				// the first write lands but its answer is lost (500)
				return version === 2
					? {
							id: operation.id,
							status: 500,
							body: bcError('Unknown', 'An unexpected error occurred.'),
						}
					: { id: operation.id, status: 200, body };
			}),
		);

		const result = await runWorkflow(
			updateWorkflow(
				[
					{ id: paymentId(0), amount: -10 },
					{ id: paymentId(0), amount: -20 },
				],
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { amount: '={{ $json.amount }}' },
					options: { maxRetries: 0 },
					continueOnFail: true,
				},
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central').map((item) => item.json.amount)).toEqual([-10, -20]);
		expect(sent.map((operations) => operations.map((operation) => operation.method))).toEqual([
			['GET'],
			['PATCH'],
			['GET'],
			['GET'],
			['PATCH'],
		]);
		expect(version).toBe(3);
		expect(scope.isDone()).toBe(true);
	});
});

describe('review: a later write that fails outright after an earlier one may have landed', () => {
	test('Overwrite Regardless: 504, re-read shows another user\'s change, the write on top is redirected → outcome unknown, not a plain failure', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -999 }))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_2)
			.reply(302, '', { Location: 'https://elsewhere.example/x' });

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1, onConflict: 'overwrite' }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);

		const [item] = result.output('Business Central');
		expect(item.json.code).toBe('UpdateOutcomeUnknown');
		expect(String(item.json.error)).toContain('An earlier attempt got no clear answer');
		expect(scope.isDone()).toBe(true);
	});

	test('a re-sent write that fails outright (404) after an unclear one: outcome unknown', async () => {
		const scope = saasApi(nock)
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(404, bcError('Internal_RecordNotFound', 'The Gen. Journal Line does not exist.'));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { options: { eTag: ETAG_1 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);

		expect(result.output('Business Central')[0].json.code).toBe('UpdateOutcomeUnknown');
		expect(scope.isDone()).toBe(true);
	});
});
