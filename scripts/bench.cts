/**
 * `npm run bench`: bulk updates of customer payments through n8n's engine against the
 * sandbox with Business Central online's per-user limits (`bcLimits`: 5 requests at once,
 * 95 queued, then 429; 6,000 per 5 minutes) and a latency model (BENCH_LATENCY_MS per request,
 * default 50, plus BENCH_OPERATION_MS per operation, default 10, a $batch's operations one
 * after another; see docs/bench.md). Side by side: this package's node (journal stated, so it
 * may list eTags; and not stated) and the workflow users build without it, n8n's own HTTP
 * Request node (GET, then PATCH with If-Match) as it comes and as a careful user sets it up.
 * Then 10 % conflicts or missing payments, sizes (BENCH_SIZES=100,1000; BENCH_BIG=10000 with
 * the rate window off), failures inside a batch, and the node's per-item cost in the engine. Round trips are counted at the
 * sandbox. A benchmark, not a test: targets are printed, not asserted; it exits 1 only when
 * an update of the node is lost or applied twice.
 */
import { runWorkflow } from '../dev/engine.cjs';
import { sandboxBearerCredentials, type SandboxOptions } from '../sandbox/index.cjs';
import { updateWorkflow } from '../test/fixtures.cjs';
import { HTTP_REQUEST_MISSING, httpRequestAvailable } from './bench/httpRequest.cjs';
import { audit, formatRow, HEADER, prepare, print, type Row } from './bench/measure.cjs';
import { httpRequestRow, nodeRow } from './bench/nodeRuns.cjs';
import { parameterCost } from './bench/paramCost.cjs';
import { ensureBuilt } from './ensureBuilt.cjs';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const OPERATION_MS = Number(process.env.BENCH_OPERATION_MS ?? 10);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);
/**
 * Run with Business Central's concurrency rules but the rate window off: 10,000 updates are
 * 10,001 to 20,000 operations, and at 6,000 per 5 minutes they cannot take less than 5 to 15
 * minutes against a real tenant (printed), too long for the bench. 0 skips it.
 */
const BIG = Number(process.env.BENCH_BIG ?? 10000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
/** Sections to run (all by default): side, spoiled, sizes, failures, params. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'side,spoiled,sizes,failures,params').split(','));
const BC: SandboxOptions = { bcLimits: true, latencyMs: LATENCY_MS, operationMs: OPERATION_MS };

let problems = 0;

/** Lost or doubled updates of the node (spoiled payments aside) make the bench fail. */
function check(row: Row, expectedFailures = 0): Row {
	problems += row.doubled + Math.max(0, row.failed - expectedFailures);
	return row;
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

function compare(http: Row, node: Row): string {
	const done = http.updated === http.items ? '' : `, ${http.failed} not updated`;
	return `requests ${ratio(http.roundTrips, node.roundTrips)}, time ${ratio(http.seconds, node.seconds)}${done}`;
}

interface CleanRuns {
	stated: Row;
	unstated: Row;
}

async function sideBySide(): Promise<CleanRuns> {
	print(`\n${ITEMS} updates of one journal's payments, Business Central limits, ${LATENCY_MS} ms per request + ${OPERATION_MS} ms per operation`);
	print(HEADER);
	const stated = check(await nodeRow('node, journal stated', ITEMS, BC, { journalStated: true }));
	print(formatRow(stated));
	const unstated = check(await nodeRow('node, journal not stated', ITEMS, BC, { journalStated: false }));
	print(formatRow(unstated));
	if (!httpRequestAvailable()) {
		print(`(HTTP Request rows skipped: ${HTTP_REQUEST_MISSING})`);
		return { stated, unstated };
	}
	const setups = [
		['HTTP Request ×2, as it comes', {}],
		['HTTP Request ×2, Retry On Fail', { retryOnFail: true }],
		['HTTP Request ×2, Batching 5/0 ms, Retry On Fail', { batching: { batchSize: 5, batchInterval: 0 }, retryOnFail: true }],
		['HTTP Request ×2, Batching 50/1000 ms, Retry', { batching: { batchSize: 50, batchInterval: 1000 }, retryOnFail: true }],
	] as const;
	const rows: Row[] = [];
	for (const [label, setup] of setups) {
		const row = await httpRequestRow(label, ITEMS, BC, setup);
		rows.push(row);
		print(formatRow(row, `vs node: ${compare(row, stated)}${row.stopped ? `; ${row.stopped}` : ''}`));
	}
	const careful = rows[rows.length - 1];
	print('Targets (printed, not asserted):');
	print(`  ${ITEMS} updates ≤ 11 round trips: ${stated.roundTrips} with the journal stated, ${unstated.roundTrips} without → ${met(stated.roundTrips <= 11)}`);
	print(`  ≥ 100× fewer requests than the HTTP Request workflow that completes (Batching 50/1000 ms): ${ratio(careful.roundTrips, stated.roundTrips)} → ${met(careful.roundTrips >= 100 * stated.roundTrips)}`);
	print(`  ≥ 10× faster than it: ${ratio(careful.seconds, stated.seconds)} → ${met(careful.seconds >= 10 * stated.seconds)}`);
	return { stated, unstated };
}

async function spoiledRun(clean: CleanRuns): Promise<void> {
	print(`\n${ITEMS} updates, 10 % spoiled before the run (5 % changed by another user between read and write, 5 % deleted)`);
	print(HEADER);
	for (const journalStated of [true, false]) {
		const label = journalStated ? 'journal stated' : 'journal not stated';
		const cleanRun = journalStated ? clean.stated : clean.unstated;
		const spoiled = check(await nodeRow(`node, ${label}, 10 % spoiled`, ITEMS, BC, { journalStated, spoiled: true }), ITEMS / 10);
		const times = spoiled.roundTrips / cleanRun.roundTrips;
		print(formatRow(spoiled, `${times.toFixed(2)}× the round trips of a clean run (${cleanRun.roundTrips}) → ≤ 1.1×: ${met(times <= 1.1)}`));
	}
}

/** Whole 5-minute windows a run of `operations` must wait at 6,000 operations per window. */
const windowsWaited = (operations: number) => Math.floor((operations - 1) / 6000);

async function sizes(stated: Row): Promise<void> {
	print(`\nSizes, node with the journal stated, Business Central limits (per item: batching off)`);
	print(HEADER);
	const perItem = check(await nodeRow('node, per item (batching off)', 100, BC, { journalStated: true, batching: false }));
	print(formatRow(perItem));
	for (const items of SIZES) {
		const row = items === ITEMS ? stated : check(await nodeRow('node, $batch', items, BC, { journalStated: true }));
		print(formatRow({ ...row, label: 'node, $batch' }));
	}
	if (BIG <= 0) return;
	const noRate = { ...BC, throttle: { maxRequests: Number.MAX_SAFE_INTEGER, windowMs: 1 } };
	const big = check(await nodeRow('node, $batch, rate window off', BIG, noRate, { journalStated: true }));
	print(formatRow(big));
	const operations = big.roundTrips <= Math.ceil(BIG / 100) + 1 ? BIG + 1 : 2 * BIG;
	print(
		`  with the 6,000-per-5-minutes window these ${operations} operations would wait ≥ ${5 * windowsWaited(operations)} min ` +
			`(${BIG + 1} with a journal listing, ${2 * BIG} with $batch GETs)`,
	);
}

/**
 * Issue 10's `$batch` case: 100 updates, 3 meeting another user's change at the PATCH and 6
 * of payments that do not exist. Business Central stops a batch at the first failing
 * operation unless asked (`Prefer: odata.continue-on-error`).
 */
async function failuresInBatch(batchOnError: 'honourPrefer' | 'stop'): Promise<string> {
	const p = await prepare({ ...BC, batchOnError }, 94);
	try {
		const missing = new Set([7, 23, 38, 54, 71, 96]);
		const stale = new Set([12, 47, 83]);
		const items = [];
		for (let n = 0, next = 0; n < 100; n++) {
			const ghost = `0000${String(n).padStart(4, '0')}-dead-4bee-8000-000000000000`;
			items.push(missing.has(n) ? { paymentId: ghost, amount: -1, description: 'gone' } : p.inputs[next++]);
		}
		for (const n of stale) p.sandbox.forceConflictOnce(String(items[n].paymentId));
		p.sandbox.resetStats();
		const result = await runWorkflow(
			updateWorkflow(items, {
				company: p.companyId,
				payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
				continueOnFail: true,
			}),
			{ credentials: sandboxBearerCredentials(p.sandbox) },
		);
		const statuses = result.output('Business Central').map((item) => item.json.httpStatus);
		const applied = audit(p.sandbox, p.companyId, items.filter((_item, n) => !missing.has(n) && !stale.has(n)));
		const own = [...missing].filter((n) => statuses[n] === 404).length + [...stale].filter((n) => statuses[n] === 409).length;
		problems += 91 - applied.updated + applied.doubled + (9 - own);
		return `${p.sandbox.stats.requests} round trips, applied once ${applied.updated}/91, twice ${applied.doubled}, failing with their own 409/404 ${own}/9`;
	} finally {
		await p.sandbox.close();
	}
}

/** Loads both node packages and runs each workflow once on 20 items, so no row pays for module loading or a cold JIT. */
async function warmUp(): Promise<void> {
	await nodeRow('warm-up', 20, {}, { journalStated: false });
	if (httpRequestAvailable()) await httpRequestRow('warm-up', 20, {}, {});
}

async function main(): Promise<number> {
	ensureBuilt();
	const started = Date.now();
	await warmUp();
	print(`Business Central customer payment updates through n8n's engine, Node ${process.version}`);
	const clean = PARTS.has('side') || PARTS.has('spoiled') || PARTS.has('sizes') ? await sideBySide() : undefined;
	if (clean && PARTS.has('spoiled')) await spoiledRun(clean);
	if (clean && PARTS.has('sizes')) await sizes(clean.stated);
	if (PARTS.has('failures')) {
		print('\nFailures inside a batch: 100 updates, 3 stale and 6 missing payments at spread positions');
		print(`  Business Central (Prefer: odata.continue-on-error honoured): ${await failuresInBatch('honourPrefer')}`);
		print(`  behind a proxy that strips the Prefer header: ${await failuresInBatch('stop')}`);
	}
	if (PARTS.has('params')) await parameterCost(ITEMS);
	print(`\nBench took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
	print(problems === 0 ? 'Every update of the node applied exactly once.' : `${problems} update(s) of the node lost or applied twice!`);
	return problems === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
