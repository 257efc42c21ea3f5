/**
 * Round trips of a 1,000-payment update against the sandbox over loopback, with the eTags
 * read from one journal listing (Journal stated) and, for comparison in the same file, with
 * `$batch` GETs (no journal). The sandbox pages at 20,000 here, as Business Central does
 * ("20,000 entities per page", Microsoft's "Operational limits for Business Central online");
 * its default of 50 is only there to exercise paging. Round trips are counted, not timed.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { locator, sandboxBearerCredentials, updateWorkflow } from './fixtures.cjs';

const SERVER_PAGE_SIZE = 20_000;

describe('eTags from one journal listing, against the sandbox', () => {
	let sandbox: Sandbox;
	afterEach(async () => await sandbox?.close());

	async function setup(count: number) {
		sandbox = await startSandbox({ seed: 13, pageSize: SERVER_PAGE_SIZE });
		const company = sandbox.companies()[0];
		const journal = sandbox.journals(company.id)[0];
		const payments = sandbox.seedPayments(company.id, journal.id, count);
		const eTags = new Map(
			payments.map((payment) => [payment.id, sandbox.getPayment(company.id, payment.id)!['@odata.etag']]),
		);
		const items: IDataObject[] = payments.map((payment, index) => ({
			paymentId: payment.id,
			journalId: journal.id,
			amount: -(1000 + index),
		}));
		sandbox.resetStats();
		return { company, journal, items, eTags };
	}

	async function run(companyId: string, items: IDataObject[], statedJournal: boolean, options: IDataObject = {}) {
		return await runWorkflow(
			updateWorkflow(items, {
				company: companyId,
				journal: statedJournal ? locator('={{ $json.journalId }}') : locator('', 'list'),
				payment: locator('={{ $json.paymentId }}'),
				updateFields: { amount: '={{ $json.amount }}' },
				options,
				continueOnFail: true,
			}),
			{ credentials: sandboxBearerCredentials(sandbox) },
		);
	}

	function patchesPerPayment(): Map<string, number> {
		const counts = new Map<string, number>();
		for (const write of sandbox.writes) {
			if (write.method === 'PATCH') counts.set(write.id, (counts.get(write.id) ?? 0) + 1);
		}
		return counts;
	}

	test('1,000 updates of one journal: 11 round trips (1 listing + 10 PATCH $batches); with $batch GETs 20', async () => {
		const { company, items, eTags } = await setup(1000);
		const listed = await run(company.id, items, true);
		const withListing = { ...sandbox.stats, byMethod: { ...sandbox.stats.byMethod } };
		expect(withListing.requests).toBeLessThanOrEqual(11);
		expect(withListing.byMethod).toEqual({ GET: 1, POST: 10 });
		expect(withListing.batchOperations).toBe(1000);
		for (const write of sandbox.writes) expect(write.ifMatch).toBe(eTags.get(write.id));
		const counts = patchesPerPayment();
		expect(counts.size).toBe(1000);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		listed.output('Business Central').forEach((item, index) => {
			expect(item.json).toMatchObject({ id: items[index].paymentId, amount: items[index].amount });
		});

		// the same 1,000 updates again, no journal stated: a $batch of GETs per 100 before each PATCH $batch
		sandbox.resetStats();
		const again = items.map((item) => ({ ...item, amount: Number(item.amount) - 1 }));
		const unlisted = await run(company.id, again, false);
		expect(sandbox.stats.requests).toBe(20);
		expect(unlisted.output('Business Central').every((item) => item.json.error === undefined)).toBe(true);
	});

	/** 950 payments of one journal, 50 of which another user changes before our PATCH, and 50 items naming payments not in it: 1,000 items. */
	async function conflictsAndMissing() {
		const { company, items } = await setup(950);
		// 50 payments another user changes between our listing and our PATCH (409 at the PATCH)…
		const stale = items.filter((_item, index) => index % 19 === 5).slice(0, 50);
		for (const item of stale) sandbox.forceConflictOnce(String(item.paymentId));
		// …and 50 items naming payments that are not in the journal (deleted, or never there)
		const input = [...items];
		for (let k = 0; k < 50; k++) {
			const paymentId = `00000000-${String(k).padStart(4, '0')}-4222-8333-444455556666`;
			input.splice(k * 20 + 3, 0, { paymentId, journalId: items[0].journalId, amount: -1 });
		}
		expect(input).toHaveLength(1000);
		return { company, input, stale };
	}

	test('10 % conflicts and missing payments under "Fail" (the default policy): 12 round trips, ≤ 1.1 × the clean run', async () => {
		const { company, input, stale } = await conflictsAndMissing();
		const result = await run(company.id, input, true);
		// 1 listing + 1 $batch GET of the 50 ids it did not show + 10 PATCH $batches
		expect(sandbox.stats.requests).toBe(12);
		expect(sandbox.stats.requests).toBeLessThanOrEqual(1.1 * 11);
		const output = result.output('Business Central');
		const status = (item: { json: IDataObject }) => item.json.httpStatus;
		expect(output.filter((item) => status(item) === 409)).toHaveLength(50);
		expect(output.filter((item) => status(item) === 404)).toHaveLength(50);
		expect(output.filter((item) => status(item) === undefined)).toHaveLength(900);
		const counts = patchesPerPayment();
		expect(counts.size).toBe(900);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		for (const item of stale) expect(counts.has(String(item.paymentId))).toBe(false);
	});

	test('the same under "Fetch Latest and Retry Once": each chunk with conflicts re-reads and re-sends them (2 more round trips per chunk)', async () => {
		const { company, input, stale } = await conflictsAndMissing();
		const result = await run(company.id, input, true, { onConflict: 'retryOnce' });
		// 12 as under Fail, + per chunk (10, each holding some of the 50): 1 $batch GET + 1 PATCH $batch
		expect(sandbox.stats.requests).toBe(32);
		const output = result.output('Business Central');
		expect(output.filter((item) => item.json.httpStatus === 404)).toHaveLength(50);
		expect(output.filter((item) => item.json.httpStatus === undefined)).toHaveLength(950);
		const counts = patchesPerPayment();
		expect(counts.size).toBe(950);
		for (const item of stale) expect(counts.get(String(item.paymentId))).toBe(1);
	});
});
