/**
 * End to end: the Business Central node (loaded from dist/) run by n8n-core's
 * WorkflowExecute against the sandbox over real loopback HTTP. Customer Payment
 * Update with the automatic eTag, chained updates with a mapped eTag, eTag
 * conflicts, locators, Continue On Fail and validation. No nock in this file.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runWorkflow, type RunResult } from '../dev/engine.cjs';
import {
	startSandbox,
	type CustomerPayment,
	type Sandbox,
	type SandboxOptions,
} from '../sandbox/index.cjs';
import {
	beforeNextRequest,
	chainedUpdateWorkflow,
	locator,
	sandboxActivity,
	sandboxBearerCredentials,
	updateWorkflow,
	type UpdateNodeOptions,
} from './fixtures.cjs';

const NODE = 'Business Central';

let sandbox: Sandbox;
let company: string;
let journal: string;
/** Payments handed out to tests, so no two tests touch the same record. */
let unused: CustomerPayment[];

/** A sandbox of its own for the calling `describe`: started before its tests, closed after them. */
function useSandbox(options: SandboxOptions): void {
	beforeAll(async () => {
		sandbox = await startSandbox(options);
		company = sandbox.companies()[0].id;
		journal = sandbox.journals(company)[0].id;
		unused = sandbox.journals(company).flatMap((j) => sandbox.payments(company, j.id));
	});
	afterAll(async () => {
		await sandbox.close();
	});
}

function takePayments(count: number): CustomerPayment[] {
	if (unused.length < count) unused.push(...sandbox.seedPayments(company, journal, count));
	return unused.splice(0, count);
}

function stored(paymentId: string): IDataObject {
	const record = sandbox.getPayment(company, paymentId);
	if (!record) throw new Error(`payment ${paymentId} is gone`);
	return record as unknown as IDataObject;
}

function etagOf(paymentId: string): string {
	return String(stored(paymentId)['@odata.etag']);
}

/** Update parameters driven by the input items: { paymentId, amount } (+ description when given). */
function byItem(overrides: UpdateNodeOptions = {}): UpdateNodeOptions {
	return {
		company,
		payment: locator('={{ $json.paymentId }}'),
		updateFields: { amount: '={{ $json.amount }}' },
		...overrides,
	};
}

async function run(
	items: IDataObject[],
	parameters: UpdateNodeOptions,
	api: 'v2.0' | 'v1.0' = 'v2.0',
): Promise<RunResult> {
	return await runWorkflow(updateWorkflow(items, parameters), {
		credentials: sandboxBearerCredentials(sandbox, api),
	});
}

function expectSuccess(result: RunResult, node = NODE): INodeExecutionData[] {
	const error = result.error(node) ?? result.error();
	if (error)
		throw new Error(`workflow failed: ${error.message} ${String(error.description ?? '')}`);
	return result.output(node);
}

/** A fresh amount that differs from the current one (derived from the record, not hard-coded). */
function newAmount(payment: CustomerPayment, delta = 11.25): number {
	return Math.round((payment.amount - delta) * 100) / 100;
}

describe('Customer Payment → Update with automatic eTag (sandbox, bearer token)', () => {
	useSandbox({ seed: 1701 });

	test.each([
		['one GET and one PATCH per item', false],
		['$batch requests (default for several items)', true],
	])(
		'3 items, %s: If-Match = the eTag read, output = what Business Central now stores',
		async (_mode, batching) => {
			const payments = takePayments(3);
			const before = payments.map((p) => stored(p.id));
			const items = payments.map((p, i) => ({
				paymentId: p.id,
				amount: newAmount(p, 10 + i),
				description: `${p.description} / matched ${i}`,
			}));
			const activity = sandboxActivity(sandbox);
			const batches = {
				requests: sandbox.stats.batchRequests,
				operations: sandbox.stats.batchOperations,
			};

			const result = await run(
				items,
				byItem({
					updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
					options: { batching },
				}),
			);
			const output = expectSuccess(result);

			expect(output).toHaveLength(3);
			output.forEach((item, i) => {
				const now = stored(payments[i].id);
				expect(item.json).toEqual(now);
				expect(now.amount).toBe(items[i].amount);
				expect(now.description).toBe(items[i].description);
				expect(item.json['@odata.etag']).not.toBe(before[i]['@odata.etag']);
				expect(item.json['@odata.etag']).toBe(now['@odata.etag']);
				expect(item.pairedItem).toEqual({ item: i });
				// untouched fields are kept
				expect(now.customerId).toBe(before[i].customerId);
				expect(now.documentNumber).toBe(before[i].documentNumber);
			});

			// exactly one applied PATCH per item, each with the eTag the payment had before
			const writes = activity.writes();
			expect(
				writes.map((w) => [w.method, w.id, w.ifMatch, w.etagBefore, w.etagAfter, w.viaBatch]),
			).toEqual(
				payments.map((p, i) => [
					'PATCH',
					p.id,
					before[i]['@odata.etag'],
					before[i]['@odata.etag'],
					output[i].json['@odata.etag'],
					batching,
				]),
			);
			if (batching) {
				// one $batch of 3 GETs, one $batch of 3 PATCHes
				expect(activity.byMethod()).toEqual({ POST: 2 });
				expect(sandbox.stats.batchRequests - batches.requests).toBe(2);
				expect(sandbox.stats.batchOperations - batches.operations).toBe(6);
			} else {
				expect(activity.byMethod()).toEqual({ GET: 3, PATCH: 3 });
				expect(sandbox.stats.batchRequests).toBe(batches.requests);
			}
		},
	);

	test('"Include Previous Values" reports the before-image, server-derived fields included', async () => {
		const [payment] = takePayments(1);
		const customer = sandbox.customers(company).find((c) => c.id !== payment.customerId)!;
		const before = stored(payment.id);

		const result = await run([{ paymentId: payment.id }], {
			company,
			payment: locator('={{ $json.paymentId }}'),
			updateFields: { customerNumber: customer.number },
			options: { includePreviousValues: true },
		});
		const [item] = expectSuccess(result);

		expect(item.json.customerId).toBe(customer.id);
		expect(stored(payment.id).customerId).toBe(customer.id);
		expect(item.json.previousValues).toEqual(
			expect.objectContaining({
				customerId: before.customerId,
				customerNumber: before.customerNumber,
			}),
		);
	});

	test.each([
		['one request per item', false],
		['$batch', true],
	])(
		"chained (%s): a second node maps the first node's @odata.etag and updates again without reading",
		async (_mode, batching) => {
			const payments = takePayments(2);
			const before = payments.map((p) => etagOf(p.id));
			const activity = sandboxActivity(sandbox);
			const batches = {
				requests: sandbox.stats.batchRequests,
				operations: sandbox.stats.batchOperations,
			};

			const result = await runWorkflow(
				chainedUpdateWorkflow(
					payments.map((p) => ({ paymentId: p.id, amount: newAmount(p) })),
					{ name: 'Set Amount', parameters: byItem({ options: { batching } }) },
					{
						name: 'Set Comment',
						parameters: {
							company,
							payment: locator('={{ $json.id }}'),
							updateFields: { comment: '={{ "reconciled at " + $json.amount }}' },
							options: { eTag: '={{ $json["@odata.etag"] }}', batching },
						},
					},
				),
				{ credentials: sandboxBearerCredentials(sandbox) },
			);
			const first = expectSuccess(result, 'Set Amount');
			const second = expectSuccess(result, 'Set Comment');

			expect(second).toHaveLength(2);
			second.forEach((item, i) => {
				const now = stored(payments[i].id);
				expect(item.json).toEqual(now);
				expect(now.amount).toBe(newAmount(payments[i]));
				expect(now.comment).toBe(`reconciled at ${newAmount(payments[i])}`);
				expect(item.pairedItem).toEqual({ item: i });
			});

			if (batching) {
				// first node: a $batch of 2 GETs and one of 2 PATCHes; second node: one $batch of 2 PATCHes, no reads
				expect(activity.byMethod()).toEqual({ POST: 3 });
				expect(sandbox.stats.batchRequests - batches.requests).toBe(3);
				expect(sandbox.stats.batchOperations - batches.operations).toBe(6);
			} else {
				// one GET per item (first node only), two PATCHes per item
				expect(activity.byMethod()).toEqual({ GET: 2, PATCH: 4 });
			}
			const writes = activity.writes();
			expect(writes).toHaveLength(4);
			for (const [i, payment] of payments.entries()) {
				const mine = writes.filter((w) => w.id === payment.id);
				expect(mine.map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
				expect(mine[0].ifMatch).toBe(before[i]);
				expect(mine[1].ifMatch).toBe(first[i].json['@odata.etag']);
				expect(mine[1].etagAfter).toBe(second[i].json['@odata.etag']);
			}
		},
	);
});

describe('eTag conflicts (sandbox)', () => {
	useSandbox({ seed: 1702 });

	afterEach(() => {
		sandbox.options.conflictStatus = 409;
	});

	function conflictError(result: RunResult): Error & IDataObject {
		expect(result.output(NODE)).toEqual([]);
		const error = result.error(NODE);
		expect(error).toBeDefined();
		return error!;
	}

	test('Fail: a forced conflict answers 409 Request_EntityChanged, nothing of ours is written', async () => {
		const [payment] = takePayments(1);
		const before = stored(payment.id);
		sandbox.forceConflictOnce(payment.id);
		const activity = sandboxActivity(sandbox);

		const result = await run(
			[{ paymentId: payment.id, amount: newAmount(payment) }],
			byItem({ options: { onConflict: 'fail' } }),
		);

		const error = conflictError(result);
		expect(error.httpCode).toBe('409');
		expect(error.message).toMatch(/another user has already changed the record/i);
		expect(String(error.description)).toContain('Request_EntityChanged');
		expect(activity.byMethod()).toEqual({ GET: 1, PATCH: 1 });
		// only the other user's change (the forced conflict) is in the log, none of ours
		const writes = activity.writes();
		expect(writes.map((w) => w.method)).toEqual(['EXTERNAL']);
		const now = stored(payment.id);
		expect(now['@odata.etag']).toBe(writes[0].etagAfter);
		expect(now.amount).toBe(before.amount);
	});

	test('Fail: another user changes the payment between our read and our write → 409, their change kept', async () => {
		const [payment] = takePayments(1);
		const theirs = `changed by another user ${randomUUID().slice(0, 8)}`;
		beforeNextRequest(sandbox, 'PATCH', () =>
			sandbox.simulateConcurrentChange(company, payment.id, { comment: theirs }),
		);
		const activity = sandboxActivity(sandbox);

		const result = await run([{ paymentId: payment.id, amount: newAmount(payment) }], byItem());

		const error = conflictError(result);
		expect(error.httpCode).toBe('409');
		expect(activity.writes().map((w) => w.method)).toEqual(['EXTERNAL']);
		const now = stored(payment.id);
		expect(now.comment).toBe(theirs);
		expect(now.amount).toBe(payment.amount);
	});

	test('Fail with a server answering 412 Precondition Failed is the same conflict', async () => {
		const [payment] = takePayments(1);
		sandbox.options.conflictStatus = 412;
		sandbox.forceConflictOnce(payment.id);
		const activity = sandboxActivity(sandbox);

		const result = await run([{ paymentId: payment.id, amount: newAmount(payment) }], byItem());

		const error = conflictError(result);
		expect(error.httpCode).toBe('412');
		expect(String(error.description)).toContain('Request_EntityChanged');
		expect(activity.writes().map((w) => w.method)).toEqual(['EXTERNAL']);
		expect(stored(payment.id).amount).toBe(payment.amount);
	});

	test("Fetch Latest and Retry Once: applied on top of the other user's change (both values present)", async () => {
		const [payment] = takePayments(1);
		const theirs = `their description ${randomUUID().slice(0, 8)}`;
		beforeNextRequest(sandbox, 'PATCH', () =>
			sandbox.simulateConcurrentChange(company, payment.id, { description: theirs }),
		);
		const activity = sandboxActivity(sandbox);
		const amount = newAmount(payment);

		const result = await run(
			[{ paymentId: payment.id, amount }],
			byItem({ options: { onConflict: 'retryOnce' } }),
		);
		const [item] = expectSuccess(result);

		const now = stored(payment.id);
		expect(item.json).toEqual(now);
		expect(now.description).toBe(theirs);
		expect(now.amount).toBe(amount);
		expect(activity.byMethod()).toEqual({ GET: 2, PATCH: 2 });
		const writes = activity.writes();
		expect(writes.map((w) => w.method)).toEqual(['EXTERNAL', 'PATCH']);
		expect(writes[1].ifMatch).toBe(writes[0].etagAfter);
	});

	test('Fetch Latest and Retry Once with a forced conflict: the retry succeeds; a second conflict fails', async () => {
		const [once, twice] = takePayments(2);
		sandbox.forceConflictOnce(once.id);
		sandbox.forceConflictOnce(twice.id, 2);
		const activity = sandboxActivity(sandbox);

		const ok = await run(
			[{ paymentId: once.id, amount: newAmount(once) }],
			byItem({ options: { onConflict: 'retryOnce' } }),
		);
		expect(expectSuccess(ok)[0].json).toEqual(stored(once.id));
		expect(stored(once.id).amount).toBe(newAmount(once));

		const failed = await run(
			[{ paymentId: twice.id, amount: newAmount(twice) }],
			byItem({ options: { onConflict: 'retryOnce' } }),
		);
		expect(conflictError(failed).httpCode).toBe('409');
		expect(stored(twice.id).amount).toBe(twice.amount);

		expect(
			activity.writes().map((w) => `${w.method} ${w.id === once.id ? 'once' : 'twice'}`),
		).toEqual(['EXTERNAL once', 'PATCH once', 'EXTERNAL twice', 'EXTERNAL twice']);
	});

	test('$batch, Fail + Continue On Fail: the forced conflict fails only its own item, the others are applied', async () => {
		const payments = takePayments(3);
		sandbox.forceConflictOnce(payments[1].id);
		const activity = sandboxActivity(sandbox);

		const result = await run(
			payments.map((p) => ({ paymentId: p.id, amount: newAmount(p) })),
			byItem({ continueOnFail: true, options: { onConflict: 'fail' } }),
		);
		const output = expectSuccess(result);

		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toEqual(stored(payments[0].id));
		expect(output[2].json).toEqual(stored(payments[2].id));
		expect(output[1].json).toMatchObject({ httpStatus: 409, code: 'Request_EntityChanged' });
		expect(stored(payments[1].id).amount).toBe(payments[1].amount);
		const writes = activity.writes();
		expect(writes.filter((w) => w.method === 'PATCH').map((w) => w.id)).toEqual([
			payments[0].id,
			payments[2].id,
		]);
		expect(writes.filter((w) => w.method === 'EXTERNAL').map((w) => w.id)).toEqual([
			payments[1].id,
		]);
		expect(writes.every((w) => w.method !== 'PATCH' || w.viaBatch)).toBe(true);
	});

	test('$batch, Retry Once: the conflicting item is re-read and applied on top, exactly one PATCH per item', async () => {
		const payments = takePayments(3);
		sandbox.forceConflictOnce(payments[1].id);
		const activity = sandboxActivity(sandbox);

		const result = await run(
			payments.map((p) => ({ paymentId: p.id, amount: newAmount(p) })),
			byItem({ options: { onConflict: 'retryOnce' } }),
		);
		const output = expectSuccess(result);

		output.forEach((item, i) => {
			expect(item.json).toEqual(stored(payments[i].id));
			expect(item.json.amount).toBe(newAmount(payments[i]));
		});
		const writes = activity.writes();
		const external = writes.find((w) => w.method === 'EXTERNAL')!;
		expect(external.id).toBe(payments[1].id);
		const patches = writes.filter((w) => w.method === 'PATCH');
		expect(patches.map((w) => w.id).sort()).toEqual(payments.map((p) => p.id).sort());
		expect(patches.find((w) => w.id === payments[1].id)?.ifMatch).toBe(external.etagAfter);
	});

	test("a stale given eTag (read before another user's change) with Fail → 409 and no GET", async () => {
		const [payment] = takePayments(1);
		const staleETag = etagOf(payment.id);
		const theirs = `their comment ${randomUUID().slice(0, 8)}`;
		sandbox.simulateConcurrentChange(company, payment.id, { comment: theirs });
		const activity = sandboxActivity(sandbox);

		const result = await run(
			[{ paymentId: payment.id, amount: newAmount(payment), etag: staleETag }],
			byItem({ options: { eTag: '={{ $json.etag }}', onConflict: 'fail' } }),
		);

		const error = conflictError(result);
		expect(error.httpCode).toBe('409');
		expect(error.message).toContain(staleETag);
		expect(activity.byMethod()).toEqual({ PATCH: 1 });
		expect(activity.writes()).toEqual([]);
		expect(stored(payment.id).comment).toBe(theirs);
		expect(stored(payment.id).amount).toBe(payment.amount);
	});

	test.each([
		['one request per item', false],
		['$batch', true],
	])(
		"a stale given eTag with Retry Once / Overwrite (%s): applied on top of the other user's change",
		async (_mode, batching) => {
			const [retried, overwritten] = takePayments(2);
			const stale = [etagOf(retried.id), etagOf(overwritten.id)];
			sandbox.simulateConcurrentChange(company, retried.id, { comment: 'theirs (retried)' });
			sandbox.simulateConcurrentChange(company, overwritten.id, {
				comment: 'theirs (overwritten)',
			});
			const current = [etagOf(retried.id), etagOf(overwritten.id)];
			const activity = sandboxActivity(sandbox);

			const result = await runWorkflow(
				updateWorkflow(
					[
						{
							paymentId: retried.id,
							amount: newAmount(retried),
							etag: stale[0],
							policy: 'retryOnce',
						},
						{
							paymentId: overwritten.id,
							amount: newAmount(overwritten),
							etag: stale[1],
							policy: 'overwrite',
						},
					],
					byItem({
						options: { eTag: '={{ $json.etag }}', onConflict: '={{ $json.policy }}', batching },
					}),
				),
				{ credentials: sandboxBearerCredentials(sandbox) },
			);
			const output = expectSuccess(result);

			expect(output.map((item) => item.json)).toEqual([stored(retried.id), stored(overwritten.id)]);
			expect(stored(retried.id)).toMatchObject({
				comment: 'theirs (retried)',
				amount: newAmount(retried),
			});
			expect(stored(overwritten.id)).toMatchObject({
				comment: 'theirs (overwritten)',
				amount: newAmount(overwritten),
			});
			// one applied PATCH each, both with the eTag re-read after the conflict (never If-Match: *)
			const patches = activity.writes().filter((w) => w.method === 'PATCH');
			expect(patches).toHaveLength(2);
			expect(patches.find((w) => w.id === retried.id)?.ifMatch).toBe(current[0]);
			expect(patches.find((w) => w.id === overwritten.id)?.ifMatch).toBe(current[1]);
			expect(sandbox.stats.conflicts).toBeGreaterThan(0);
			if (!batching) {
				// each: PATCH 409, GET, PATCH 200
				expect(activity.byMethod()).toEqual({ PATCH: 4, GET: 2 });
			}
		},
	);
});

describe('locators against the sandbox', () => {
	useSandbox({ seed: 1703 });

	test('payment "By URL" in the OData form and in the reference doc\'s slash form update the right record', async () => {
		const [odata, slash] = takePayments(2);
		const base = sandbox.baseUrl('v2.0');
		const odataUrl = `${base}/companies(${company})/customerPayments(${odata.id})`;
		const slashUrl = `${base}/companies/${company}/customerPaymentJournals/${slash.journalId}/customerPayments/${slash.id}`;
		const othersBefore = sandbox
			.payments(company)
			.filter((p) => p.id !== odata.id && p.id !== slash.id);
		const activity = sandboxActivity(sandbox);

		const result = await run(
			[
				{ url: odataUrl, amount: newAmount(odata) },
				{ url: slashUrl, amount: newAmount(slash) },
			],
			byItem({ payment: locator('={{ $json.url }}', 'url') }),
		);
		const output = expectSuccess(result);

		expect(output.map((item) => item.json.id)).toEqual([odata.id, slash.id]);
		expect(stored(odata.id).amount).toBe(newAmount(odata));
		expect(stored(slash.id).amount).toBe(newAmount(slash));
		expect(activity.writes().map((w) => [w.method, w.id])).toEqual([
			['PATCH', odata.id],
			['PATCH', slash.id],
		]);
		expect(sandbox.payments(company).filter((p) => p.id !== odata.id && p.id !== slash.id)).toEqual(
			othersBefore,
		);
	});

	test('company "By URL" works too; a payment URL of another company is refused before any request', async () => {
		const [payment] = takePayments(1);
		const base = sandbox.baseUrl('v2.0');
		const otherCompany = sandbox.companies()[1].id;

		const ok = await run(
			[{ paymentId: payment.id, amount: newAmount(payment) }],
			byItem({ company: locator(`${base}/companies(${company})`, 'url') }),
		);
		expect(expectSuccess(ok)[0].json).toEqual(stored(payment.id));

		const activity = sandboxActivity(sandbox);
		const refused = await run(
			[{ url: `${base}/companies(${otherCompany})/customerPayments(${payment.id})`, amount: 1 }],
			byItem({ payment: locator('={{ $json.url }}', 'url') }),
		);
		expect(refused.error(NODE)?.message).toContain(`belongs to company ${otherCompany}`);
		expect(activity.requests()).toBe(0);
	});
});

describe('Continue On Fail (sandbox)', () => {
	useSandbox({ seed: 1704 });

	test.each([
		['one request per item', false],
		['$batch', true],
	])(
		'3 items (%s), the middle one names an unknown payment → a 404 error item in the middle, the others applied',
		async (_mode, batching) => {
			const [first, last] = takePayments(2);
			const unknown = randomUUID();
			const activity = sandboxActivity(sandbox);

			const result = await run(
				[
					{ paymentId: first.id, amount: newAmount(first) },
					{ paymentId: unknown, amount: -1 },
					{ paymentId: last.id, amount: newAmount(last) },
				],
				byItem({ continueOnFail: true, options: { batching } }),
			);
			const output = expectSuccess(result);

			expect(output).toHaveLength(3);
			expect(output.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(output[0].json).toEqual(stored(first.id));
			expect(output[2].json).toEqual(stored(last.id));
			expect(output[1].json).toMatchObject({ httpStatus: 404, code: 'BadRequest_NotFound' });
			expect(String(output[1].json.error)).toContain(unknown);
			expect(stored(first.id).amount).toBe(newAmount(first));
			expect(stored(last.id).amount).toBe(newAmount(last));
			expect(activity.writes().map((w) => [w.method, w.id])).toEqual([
				['PATCH', first.id],
				['PATCH', last.id],
			]);
			expect(sandbox.getPayment(company, unknown)).toBeUndefined();
		},
	);
});

describe('validation against the real server', () => {
	useSandbox({ seed: 1705 });

	test('contactId on a v1.0 base is sent and stored', async () => {
		const [payment] = takePayments(1);
		const contactId = `CT-${randomUUID().slice(0, 8)}`;

		const result = await run(
			[{ paymentId: payment.id }],
			byItem({ updateFields: { contactId } }),
			'v1.0',
		);
		const [item] = expectSuccess(result);

		expect(item.json.contactId).toBe(contactId);
		const record = sandbox.payments(company).find((p) => p.id === payment.id)!;
		expect(record.contactId).toBe(contactId);
		expect(item.json['@odata.etag']).toBe(etagOf(payment.id));
	});

	test('contactId on a v2.0 base is refused before any request', async () => {
		const [payment] = takePayments(1);
		const requests = sandbox.stats.requests;
		const writes = sandbox.writes.length;

		const result = await run(
			[{ paymentId: payment.id }],
			byItem({ updateFields: { contactId: 'CT-1' } }),
		);

		const error = result.error(NODE);
		expect(error?.message).toMatch(/Contact ID/);
		expect(error?.message).toMatch(/v2\.0/);
		expect(sandbox.stats.requests).toBe(requests);
		expect(sandbox.writes.length).toBe(writes);
		expect(sandbox.payments(company).find((p) => p.id === payment.id)?.contactId).toBe(
			payment.contactId,
		);
	});

	test('customerNumber update: Business Central fills in the customerId', async () => {
		const [payment] = takePayments(1);
		const customer = sandbox.customers(company).find((c) => c.id !== payment.customerId)!;

		const result = await run(
			[{ paymentId: payment.id }],
			byItem({ updateFields: { customerNumber: customer.number } }),
		);
		const [item] = expectSuccess(result);

		expect(item.json).toMatchObject({ customerId: customer.id, customerNumber: customer.number });
		expect(stored(payment.id)).toMatchObject({
			customerId: customer.id,
			customerNumber: customer.number,
		});
	});

	test('a value Business Central refuses (unknown customer number) becomes a clear 400 error, nothing written', async () => {
		const [payment] = takePayments(1);
		const activity = sandboxActivity(sandbox);

		const result = await run(
			[{ paymentId: payment.id }],
			byItem({ updateFields: { customerNumber: 'NO-SUCH-CUST' } }),
		);

		const error = result.error(NODE);
		expect(error?.httpCode).toBe('400');
		// the customerPayments page's Error(CustomerNumberDoesNotMatchACustomerErr): a DialogException
		expect(String(error?.description)).toContain('Application_DialogException');
		expect(activity.writes()).toEqual([]);
		expect(stored(payment.id).customerId).toBe(payment.customerId);
	});
});
