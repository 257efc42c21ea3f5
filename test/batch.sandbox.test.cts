/**
 * Batching against the sandbox over loopback: many items, real eTags, answers
 * in shuffled order, throttling — every item applied exactly once, in order.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { sandboxBearerCredentials, updateWorkflow } from './fixtures.cjs';

function patchesPerPayment(sandbox: Sandbox): Map<string, number> {
	const counts = new Map<string, number>();
	for (const write of sandbox.writes) {
		if (write.method === 'PATCH') counts.set(write.id, (counts.get(write.id) ?? 0) + 1);
	}
	return counts;
}

describe('$batch against the sandbox', () => {
	let sandbox: Sandbox;
	afterEach(async () => await sandbox?.close());

	async function setup(count: number, options: Parameters<typeof startSandbox>[0] = {}) {
		sandbox = await startSandbox({ seed: 11, ...options });
		const company = sandbox.companies()[0];
		const journal = sandbox.journals(company.id)[0];
		const payments = sandbox.seedPayments(company.id, journal.id, count);
		const items: IDataObject[] = payments.map((payment, index) => ({
			paymentId: payment.id,
			amount: -(500 + index) - 0.5,
			description: `batch item ${index}`,
		}));
		return { company, items };
	}

	function workflow(
		companyId: string,
		items: IDataObject[],
		options: IDataObject = {},
		continueOnFail = false,
	) {
		return updateWorkflow(items, {
			company: companyId,
			payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
			updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
			options,
			continueOnFail,
		});
	}

	test('250 items: 3 read batches + 3 write batches, each payment patched once with its own eTag, outputs in order', async () => {
		const { company, items } = await setup(250);
		const before = new Map(
			items.map((item) => [
				item.paymentId,
				sandbox.getPayment(company.id, String(item.paymentId))!['@odata.etag'],
			]),
		);
		sandbox.resetStats();
		const result = await runWorkflow(workflow(company.id, items), {
			credentials: sandboxBearerCredentials(sandbox),
		});
		expect(result.error()).toBeUndefined();
		expect(sandbox.stats.requests).toBe(6);
		expect(sandbox.stats.batchRequests).toBe(6);
		expect(sandbox.stats.batchOperations).toBe(500);
		const counts = patchesPerPayment(sandbox);
		for (const write of sandbox.writes) expect(write.ifMatch).toBe(before.get(write.id));
		const output = result.output('Business Central');
		expect(output).toHaveLength(250);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const stored = sandbox.getPayment(company.id, String(items[index].paymentId))!;
			expect(item.json).toMatchObject({
				id: items[index].paymentId,
				amount: items[index].amount,
				description: items[index].description,
			});
			expect(item.json['@odata.etag']).toBe(stored['@odata.etag']);
			expect(counts.get(String(items[index].paymentId))).toBe(1);
		});
	});

	test('success, forced conflict and unknown payment in one batch: each item gets its own outcome', async () => {
		const { company, items } = await setup(4);
		const unknown = {
			paymentId: '00000000-1111-4222-8333-444455556666',
			amount: -1,
			description: 'nobody',
		};
		sandbox.forceConflictOnce(String(items[1].paymentId));
		const input = [items[0], items[1], unknown, items[2], items[3]];
		const result = await runWorkflow(workflow(company.id, input, {}, true), {
			credentials: sandboxBearerCredentials(sandbox),
		});
		const output = result.output('Business Central');
		expect(output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(output[1].json).toMatchObject({ httpStatus: 409, code: 'Request_EntityChanged' });
		expect(output[2].json).toMatchObject({ httpStatus: 404 });
		for (const index of [0, 3, 4]) {
			expect(output[index].json).toMatchObject({
				id: input[index].paymentId,
				amount: input[index].amount,
			});
		}
		const counts = patchesPerPayment(sandbox);
		expect(counts.get(String(items[1].paymentId)) ?? 0).toBe(0);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect(counts.size).toBe(3);
	});

	test('throttled (429 with Retry-After): retried, every one of 120 items applied exactly once', async () => {
		const { company, items } = await setup(120, {
			throttle: { maxRequests: 150, windowMs: 1000, retryAfterSeconds: 1 },
		});
		const result = await runWorkflow(workflow(company.id, items, { batchSize: 40 }), {
			credentials: sandboxBearerCredentials(sandbox),
		});
		expect(result.error()).toBeUndefined();
		expect(sandbox.stats.throttled).toBeGreaterThan(0);
		const counts = patchesPerPayment(sandbox);
		expect(counts.size).toBe(120);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		result.output('Business Central').forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.amount).toBe(items[index].amount);
		});
	});

	/**
	 * Issue 10's target: 100 updates in one batch, 3 of them meeting another user's change at
	 * the PATCH and 6 of them payments that do not exist, at spread positions.
	 */
	async function staleAndMissing(options: Parameters<typeof startSandbox>[0] = {}) {
		const { company, items } = await setup(94, options);
		const missing = new Set([7, 23, 38, 54, 71, 96]);
		const stale = new Set([12, 47, 83]);
		const input: IDataObject[] = [];
		for (let n = 0, next = 0; n < 100; n++) {
			input.push(
				missing.has(n)
					? {
							paymentId: `0000000${n % 10}-dead-4bee-8000-${String(n).padStart(12, '0')}`,
							amount: -1,
							description: 'gone',
						}
					: items[next++],
			);
		}
		for (const n of stale) sandbox.forceConflictOnce(String(input[n].paymentId));
		sandbox.resetStats();
		const result = await runWorkflow(workflow(company.id, input, {}, true), {
			credentials: sandboxBearerCredentials(sandbox),
		});
		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(100);
		const counts = patchesPerPayment(sandbox);
		output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (missing.has(n)) expect(item.json).toMatchObject({ httpStatus: 404 });
			else if (stale.has(n))
				expect(item.json).toMatchObject({ httpStatus: 409, code: 'Request_EntityChanged' });
			else {
				expect(item.json).toMatchObject({ id: input[n].paymentId, amount: input[n].amount });
				expect(counts.get(String(input[n].paymentId))).toBe(1);
			}
		});
		expect(counts.size).toBe(91);
		return sandbox.stats;
	}

	test('100 updates, 3 stale and 6 missing: 2 round trips (continue-on-error honoured), 91 applied once, 9 failing with their own 409/404', async () => {
		const stats = await staleAndMissing();
		expect(stats.batchRequests).toBe(2);
		expect(stats.requests).toBe(2);
	});

	test('the same behind a proxy that strips the Prefer header: more round trips, still 91 applied once and 9 failing', async () => {
		const stats = await staleAndMissing({ batchOnError: 'stop' });
		// the read batch stops at each of the 6 missing payments, the write batch at each of the 3 conflicts
		expect(stats.batchRequests).toBe(7 + 4);
	});
});
