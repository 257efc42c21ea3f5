/**
 * The audit of `npm run n8n -- queue` (scripts/n8n/queue/queue.cjs) against the sandbox:
 * disjoint runs updated by the node through n8n's engine pass it; a run applied twice, a
 * run never applied and a payment changed afterwards are each caught. (The queue run itself
 * needs Redis, PostgreSQL and a real n8n: `npm run n8n -- queue`, not part of the suite.)
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { firstJournalPayments, report } from '../scripts/n8n/queue/report.cjs';
import { locator, sandboxBearerCredentials, updateWorkflow } from './fixtures.cjs';

interface Expected {
	[paymentId: string]: { run: number; amount: number; description: string };
}
interface Audit {
	updated: number;
	lost: string[];
	doubled: string[];
	wrong: string[];
	extra: string[];
}
// a plain CommonJS script (run with node by queue.sh): required, with its types here
const queue = require('../scripts/n8n/queue/queue.cjs') as {
	makeBodies(
		payments: Array<{ id: string }>,
		runs: number,
		items: number,
	): { bodies: Array<{ run: number; payments: IDataObject[] }>; expected: Expected };
	auditPayments(
		expected: Expected,
		payments: Array<{ id: string; amount: number; description: string }>,
		patches: Record<string, number>,
	): Audit;
};

describe('queue mode check: the audit against the sandbox', () => {
	let sandbox: Sandbox;
	afterEach(async () => await sandbox?.close());

	async function setup() {
		sandbox = await startSandbox({ seed: 42, paymentsPerJournal: 30 });
		const journal = firstJournalPayments(sandbox);
		const made = queue.makeBodies(journal.payments, 3, 10);
		return { ...made, companyId: journal.companyId };
	}

	async function applyRun(companyId: string, payments: IDataObject[]) {
		const workflow = updateWorkflow(payments, {
			company: companyId,
			payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
			updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
		});
		const result = await runWorkflow(workflow, { credentials: sandboxBearerCredentials(sandbox) });
		expect(result.error()).toBeUndefined();
	}

	const audit = (expected: Expected) =>
		queue.auditPayments(expected, firstJournalPayments(sandbox).payments, report(sandbox).patches);

	test('the runs take disjoint payments, each with values no other holds', async () => {
		const { bodies, expected } = await setup();
		const ids = bodies.flatMap((body) => body.payments.map((item) => String(item.paymentId)));
		expect(new Set(ids).size).toBe(30);
		expect(Object.keys(expected).sort()).toEqual([...ids].sort());
		const amounts = bodies.flatMap((body) => body.payments.map((item) => item.amount));
		expect(new Set(amounts).size).toBe(30);
		expect(() => queue.makeBodies(firstJournalPayments(sandbox).payments, 4, 10)).toThrow(
			'the sandbox journal holds 30 payments; 4 runs × 10 need 40',
		);
	});

	test('every run applied once through the node: 30 updated, nothing lost, doubled or wrong', async () => {
		const { bodies, expected, companyId } = await setup();
		for (const body of bodies) await applyRun(companyId, body.payments);
		expect(audit(expected)).toEqual({ updated: 30, lost: [], doubled: [], wrong: [], extra: [] });
	});

	test('a run applied twice, a run never applied and a later change are each reported', async () => {
		const { bodies, expected, companyId } = await setup();
		await applyRun(companyId, bodies[0].payments);
		await applyRun(companyId, bodies[0].payments);
		await applyRun(companyId, bodies[2].payments);
		const changed = String(bodies[2].payments[0].paymentId);
		await applyRun(companyId, [{ ...bodies[2].payments[0], amount: -1.23 }]);
		const result = audit(expected);
		expect(result.doubled).toHaveLength(10 + 1);
		expect(result.lost.sort()).toEqual(
			bodies[1].payments.map((item) => String(item.paymentId)).sort(),
		);
		expect(result.wrong).toEqual([
			`${changed}: -1.23 '${String(bodies[2].payments[0].description)}'`,
		]);
		expect(result.updated).toBe(9);
		expect(result.extra).toEqual([]);
	});

	/**
	 * Why the queue run states the journal (scripts/n8n/queue/queue.cjs workflow): under
	 * --bc-limits every $batch operation counts against the 6,000 per 5 minutes. One Update of
	 * 150 payments of one journal, the journal stated: 1 listing of the journal + 150 PATCHes;
	 * left empty: 150 GETs + 150 PATCHes, twice the budget.
	 */
	test.each([
		['stated', 1, 150],
		['left empty', 0, 300],
	])(
		'the Update with its journal %s: %d listing(s), %d $batch operations, all updated once',
		async (how, listings, operations) => {
			sandbox = await startSandbox({ seed: 42, paymentsPerJournal: 150, bcLimits: true });
			const journal = firstJournalPayments(sandbox);
			const { bodies, expected } = queue.makeBodies(journal.payments, 1, 150);
			const workflow = updateWorkflow(bodies[0].payments, {
				company: journal.companyId,
				journal: how === 'stated' ? locator(journal.journalId) : locator('', 'list'),
				payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
			});
			const result = await runWorkflow(workflow, {
				credentials: sandboxBearerCredentials(sandbox),
			});
			expect(result.error()).toBeUndefined();
			const { stats } = report(sandbox);
			expect(stats.byMethod.GET ?? 0).toBe(listings);
			expect(stats.batchOperations).toBe(operations);
			expect(stats.throttled).toBe(0);
			expect(audit(expected)).toEqual({
				updated: 150,
				lost: [],
				doubled: [],
				wrong: [],
				extra: [],
			});
		},
	);
});
