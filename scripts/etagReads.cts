/**
 * `npx tsx scripts/etagReads.cts`: the two ways a bulk update reads its eTags, measured side
 * by side against the sandbox (50 ms latency per request, Business Central's 20,000-entity
 * pages): `$batch` GETs (no journal stated) and one journal listing (the journal picked in
 * Journal), for journals of different sizes (operations/etagReads.ts says when each is used).
 * Prints round trips (listing pages in brackets) and wall time; exits 1 if an update is lost
 * or doubled.
 * ETAG_LATENCY_MS overrides the latency.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { sandboxBearerCredentials, startSandbox } from '../sandbox/index.cjs';
import { locator, updateWorkflow } from '../test/fixtures.cjs';
import { ensureBuilt } from './ensureBuilt.cjs';

const LATENCY_MS = Number(process.env.ETAG_LATENCY_MS ?? 50);

interface Scenario {
	/** Items updated (payments of the journal, in line order from `offset`). */
	items: number;
	/** Lines of the journal. */
	journal: number;
	/** Where the updated lines start in the journal (they are listed last when at the end). */
	offset: number;
}

const SCENARIOS: Scenario[] = [
	{ items: 1000, journal: 1000, offset: 0 },
	{ items: 1000, journal: 30_000, offset: 0 },
	{ items: 1000, journal: 30_000, offset: 29_000 },
	{ items: 150, journal: 50_000, offset: 49_850 },
	{ items: 100, journal: 1000, offset: 0 },
];

async function measure(scenario: Scenario, statedJournal: boolean) {
	const sandbox = await startSandbox({ seed: 3, paymentsPerJournal: 0, pageSize: 20_000, latencyMs: LATENCY_MS });
	try {
		const company = sandbox.companies()[0];
		const journal = sandbox.journals(company.id)[0];
		const payments = sandbox.seedPayments(company.id, journal.id, scenario.journal);
		const items: IDataObject[] = payments
			.slice(scenario.offset, scenario.offset + scenario.items)
			.map((payment, index) => ({ paymentId: payment.id, amount: -(1000 + index) }));
		sandbox.resetStats();
		const started = performance.now();
		const result = await runWorkflow(
			updateWorkflow(items, {
				company: company.id,
				journal: statedJournal ? locator(journal.id) : locator('', 'list'),
				payment: locator('={{ $json.paymentId }}'),
				updateFields: { amount: '={{ $json.amount }}' },
			}),
			{ credentials: sandboxBearerCredentials(sandbox) },
		);
		const seconds = (performance.now() - started) / 1000;
		const patches = new Map<string, number>();
		for (const write of sandbox.writes) patches.set(write.id, (patches.get(write.id) ?? 0) + 1);
		const exact = result.error() === undefined && patches.size === items.length && [...patches.values()].every((n) => n === 1);
		return { roundTrips: sandbox.stats.requests, listings: sandbox.stats.byMethod.GET ?? 0, seconds, exact };
	} finally {
		await sandbox.close();
	}
}

async function main(): Promise<void> {
	ensureBuilt();
	const out = (line: string) => process.stdout.write(`${line}\n`);
	out(`eTag reads of a bulk update, sandbox latency ${LATENCY_MS} ms, pages of 20,000`);
	out('items journal  updated lines   $batch GETs: trips  wall s | listing: trips (pages)  wall s');
	let ok = true;
	for (const scenario of SCENARIOS) {
		const gets = await measure(scenario, false);
		const listed = await measure(scenario, true);
		ok &&= gets.exact && listed.exact;
		const where = `${scenario.offset + 1}–${scenario.offset + scenario.items}`;
		out(
			`${String(scenario.items).padStart(5)} ${String(scenario.journal).padStart(7)}  ${where.padEnd(13)}  ${String(gets.roundTrips).padStart(18)}  ${gets.seconds.toFixed(2).padStart(6)} | ${`${listed.roundTrips} (${listed.listings})`.padStart(22)}  ${listed.seconds.toFixed(2).padStart(6)}`,
		);
	}
	out(ok ? 'Every item updated exactly once.' : 'LOST OR DOUBLED UPDATES');
	process.exitCode = ok ? 0 : 1;
}

void main();
