/**
 * The listing must change how eTags are read, not what a run does: the same 150 updates with
 * Include Previous Values against two sandboxes seeded alike, once with the journal stated (one
 * listing of whole records) and once without (`$batch` GETs), give the same outputs, previousValues
 * included, and the same writes.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { locator, sandboxBearerCredentials, updateWorkflow } from './fixtures.cjs';

describe('listing or GETs: the same run', () => {
	const sandboxes: Sandbox[] = [];
	afterEach(async () => {
		for (const sandbox of sandboxes.splice(0)) await sandbox.close();
	});

	async function runOn(statedJournal: boolean) {
		const sandbox = await startSandbox({ seed: 31, pageSize: 20_000 });
		sandboxes.push(sandbox);
		const company = sandbox.companies()[0];
		const journal = sandbox.journals(company.id)[0];
		const payments = sandbox.seedPayments(company.id, journal.id, 150);
		const items: IDataObject[] = payments.map((payment, index) => ({ paymentId: payment.id, journalId: journal.id, amount: -(2000 + index) }));
		sandbox.resetStats();
		const result = await runWorkflow(
			updateWorkflow(items, {
				company: company.id,
				journal: statedJournal ? locator('={{ $json.journalId }}') : locator('', 'list'),
				payment: locator('={{ $json.paymentId }}'),
				updateFields: { amount: '={{ $json.amount }}', description: 'listing check' },
				options: { includePreviousValues: true },
				continueOnFail: true,
			}),
			{ credentials: sandboxBearerCredentials(sandbox) },
		);
		const output = result.output('Business Central').map((item) => item.json);
		// sorted: the two PATCH $batches run side by side
		const writes = sandbox.writes
			.map((write) => ({ method: write.method, id: write.id, ifMatch: write.ifMatch }))
			.sort((a, b) => a.id.localeCompare(b.id));
		return { output, writes, byMethod: { ...sandbox.stats.byMethod } };
	}

	test('150 updates with Include Previous Values: identical previousValues and writes, listed (1 GET + 2 $batches) or read by $batch GETs (4 $batches)', async () => {
		const listed = await runOn(true);
		const read = await runOn(false);
		expect(listed.byMethod).toEqual({ GET: 1, POST: 2 });
		expect(read.byMethod).toEqual({ POST: 4 });
		expect(listed.output.every((item) => item.error === undefined && item.previousValues !== undefined)).toBe(true);
		expect(listed.output[0].previousValues).toHaveProperty('amount');
		expect(listed.writes).toHaveLength(150);
		expect(listed.output.map((item) => item.previousValues)).toEqual(read.output.map((item) => item.previousValues));
		expect(listed.output.map((item) => [item.id, item.amount, item['@odata.etag']])).toEqual(
			read.output.map((item) => [item.id, item.amount, item['@odata.etag']]),
		);
		expect(listed.writes).toEqual(read.writes);
	});
});
