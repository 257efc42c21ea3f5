/**
 * `npm run bench`: bulk updates against the sandbox at 50 ms latency per request,
 * per-item (GET + PATCH per item, batching off) vs batched ($batch of eTag reads,
 * then $batch of PATCHes, 100 per request, 5 in flight), run through n8n's engine.
 * Prints round trips, wall time, time per item, peak memory and the speed-up,
 * then a run against a throttling sandbox that must update every item exactly once.
 * A benchmark, not a test: it prints figures and exits 0 unless an update is lost
 * or doubled. BENCH_SIZES=100,1000 and BENCH_LATENCY_MS=50 override the defaults.
 * Last, failures inside a batch: 100 updates with 3 stale and 6 missing payments,
 * against Business Central honouring `Prefer: odata.continue-on-error` (2 round trips)
 * and behind a proxy that strips it (the batch stops at each failure).
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import {
	sandboxBearerCredentials,
	startSandbox,
	type Sandbox,
	type SandboxOptions,
} from '../sandbox/index.cjs';
import { updateWorkflow } from '../test/fixtures.cjs';
import { ensureBuilt } from './ensureBuilt.cjs';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
/** Per-item runs above this size are estimated from the 1,000 run instead of run (they would take ~20 minutes). */
const PER_ITEM_LIMIT = Number(process.env.BENCH_PER_ITEM_LIMIT ?? 1000);

interface Measurement {
	mode: 'per-item' | 'batched';
	items: number;
	roundTrips: number;
	operations: number;
	seconds: number;
	peakHeapMb: number;
	peakRssMb: number;
	updated: number;
	lost: number;
	doubled: number;
	throttled: number;
}

function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

async function prepare(options: SandboxOptions, items: number) {
	const sandbox = await startSandbox({ seed: 7, paymentsPerJournal: 0, ...options });
	const company = sandbox.companies()[0];
	const journal = sandbox.journals(company.id)[0];
	const payments = sandbox.seedPayments(company.id, journal.id, items);
	const inputs: IDataObject[] = payments.map((payment, index) => ({
		paymentId: payment.id,
		amount: -(1000 + index) - 0.25,
		description: `Bench update ${index}`,
	}));
	return { sandbox, company, inputs };
}

/** Each input applied exactly once, by one PATCH, and the stored record carries it. */
function audit(sandbox: Sandbox, companyId: string, inputs: IDataObject[]) {
	const patches = new Map<string, number>();
	for (const write of sandbox.writes) {
		if (write.method === 'PATCH') patches.set(write.id, (patches.get(write.id) ?? 0) + 1);
	}
	let updated = 0;
	let lost = 0;
	let doubled = 0;
	for (const input of inputs) {
		const stored = sandbox.getPayment(companyId, String(input.paymentId));
		const count = patches.get(String(input.paymentId)) ?? 0;
		if (
			stored &&
			stored.amount === input.amount &&
			stored.description === input.description &&
			count >= 1
		)
			updated++;
		else lost++;
		if (count > 1) doubled++;
	}
	return { updated, lost, doubled };
}

async function measure(
	mode: Measurement['mode'],
	items: number,
	sandboxOptions: SandboxOptions = {},
	extraOptions: IDataObject = {},
): Promise<Measurement> {
	const { sandbox, company, inputs } = await prepare(
		{ latencyMs: LATENCY_MS, ...sandboxOptions },
		items,
	);
	try {
		const workflow = updateWorkflow(inputs, {
			company: company.id,
			payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
			updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
			options: { batching: mode === 'batched', maxRetries: 8, ...extraOptions },
			continueOnFail: true,
		});
		global.gc?.();
		const baseHeap = process.memoryUsage().heapUsed;
		let peakHeap = baseHeap;
		let peakRss = process.memoryUsage().rss;
		const sampler = setInterval(() => {
			const usage = process.memoryUsage();
			peakHeap = Math.max(peakHeap, usage.heapUsed);
			peakRss = Math.max(peakRss, usage.rss);
		}, 5);
		sandbox.resetStats();
		const started = process.hrtime.bigint();
		const result = await runWorkflow(workflow, { credentials: sandboxBearerCredentials(sandbox) });
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		clearInterval(sampler);
		const failure = result.error();
		if (failure)
			throw new Error(
				`workflow failed: ${failure.message} ${String(failure.description ?? '')} ${failure.stack}`,
			);
		const output = result.output('Business Central');
		const orderOk = output.every(
			(item, index) => (item.pairedItem as { item: number }).item === index,
		);
		if (!orderOk || output.length !== items)
			throw new Error('output items are not paired with the inputs in order');
		const { updated, lost, doubled } = audit(sandbox, company.id, inputs);
		return {
			mode,
			items,
			roundTrips: sandbox.stats.requests,
			operations:
				sandbox.stats.batchOperations + sandbox.stats.requests - sandbox.stats.batchRequests,
			seconds,
			peakHeapMb: (peakHeap - baseHeap) / 2 ** 20,
			peakRssMb: peakRss / 2 ** 20,
			updated,
			lost,
			doubled,
			throttled: sandbox.stats.throttled,
		};
	} finally {
		await sandbox.close();
	}
}

/**
 * Issue 10's `$batch` target: 100 updates in one batch, 3 meeting another user's change at
 * the PATCH and 6 of payments that do not exist, at spread positions. Business Central stops
 * a batch at the first failing operation unless asked (`Prefer: odata.continue-on-error`).
 */
async function failuresInBatch(batchOnError: 'honourPrefer' | 'stop') {
	const { sandbox, company, inputs } = await prepare({ latencyMs: LATENCY_MS, batchOnError }, 94);
	try {
		const missing = new Set([7, 23, 38, 54, 71, 96]);
		const stale = new Set([12, 47, 83]);
		const items: IDataObject[] = [];
		for (let n = 0, next = 0; n < 100; n++) {
			const ghost = `0000${String(n).padStart(4, '0')}-dead-4bee-8000-000000000000`;
			items.push(
				missing.has(n) ? { paymentId: ghost, amount: -1, description: 'gone' } : inputs[next++],
			);
		}
		for (const n of stale) sandbox.forceConflictOnce(String(items[n].paymentId));
		sandbox.resetStats();
		const started = process.hrtime.bigint();
		const result = await runWorkflow(
			updateWorkflow(items, {
				company: company.id,
				payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
				continueOnFail: true,
			}),
			{ credentials: sandboxBearerCredentials(sandbox) },
		);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		const output = result.output('Business Central');
		const statuses = output.map((item) => item.json.httpStatus);
		const applied = audit(
			sandbox,
			company.id,
			items.filter((_item, n) => !missing.has(n) && !stale.has(n)),
		);
		return {
			roundTrips: sandbox.stats.requests,
			seconds,
			applied: applied.updated,
			doubled: applied.doubled,
			ownFailures:
				[...missing].filter((n) => statuses[n] === 404).length +
				[...stale].filter((n) => statuses[n] === 409).length,
		};
	} finally {
		await sandbox.close();
	}
}

function row(m: Measurement, note = ''): string {
	return [
		m.mode.padEnd(9),
		String(m.items).padStart(6),
		String(m.roundTrips).padStart(11),
		m.seconds.toFixed(2).padStart(9),
		((m.seconds * 1000) / m.items).toFixed(2).padStart(10),
		m.peakHeapMb.toFixed(1).padStart(12),
		m.peakRssMb.toFixed(0).padStart(9),
		`${m.updated}/${m.items}`.padStart(11),
		`${m.lost}/${m.doubled}`.padStart(12),
		note,
	].join(' ');
}

async function main(): Promise<number> {
	ensureBuilt();
	print(
		`Business Central customer payment updates, sandbox latency ${LATENCY_MS} ms per request, Node ${process.version}`,
	);
	print(
		'mode       items round trips  wall (s) ms / item heap Δ (MB)  rss (MB)     updated lost/doubled',
	);
	let problems = 0;
	for (const items of SIZES) {
		const batched = await measure('batched', items);
		let perItemSeconds: number;
		if (items <= PER_ITEM_LIMIT) {
			const perItem = await measure('per-item', items);
			print(row(perItem));
			problems += perItem.lost + perItem.doubled;
			perItemSeconds = perItem.seconds;
			print(row(batched, `speed-up ×${(perItem.seconds / batched.seconds).toFixed(1)}`));
		} else {
			perItemSeconds = (2 * items * (LATENCY_MS + 2)) / 1000;
			print(
				row(
					batched,
					`speed-up ×${(perItemSeconds / batched.seconds).toFixed(0)} vs per-item estimated at ${perItemSeconds.toFixed(0)} s (2 requests × ${items} items)`,
				),
			);
		}
		problems += batched.lost + batched.doubled;
	}

	print(
		'\nThrottling: 1,000 items, batched, sandbox answers 429 (Retry-After: 1) past 500 operations per second',
	);
	const throttled = await measure('batched', 1000, {
		throttle: { maxRequests: 500, windowMs: 1000, retryAfterSeconds: 1 },
	});
	print(
		`  ${throttled.roundTrips} round trips (${throttled.throttled} answered 429 and were retried), ${throttled.seconds.toFixed(2)} s, ` +
			`updated ${throttled.updated}/1000, lost ${throttled.lost}, applied twice ${throttled.doubled}`,
	);
	problems += throttled.lost + throttled.doubled;

	print(
		'\nFailures inside a batch: 100 updates, 3 stale and 6 missing payments at spread positions',
	);
	for (const [mode, label] of [
		['honourPrefer', 'Business Central (Prefer: odata.continue-on-error honoured)'],
		['stop', 'behind a proxy that strips the Prefer header (stops at each failure)'],
	] as const) {
		const run = await failuresInBatch(mode);
		print(
			`  ${label}: ${run.roundTrips} round trips, ${run.seconds.toFixed(2)} s, applied once ${run.applied}/91, ` +
				`applied twice ${run.doubled}, failing with their own 409/404 ${run.ownFailures}/9`,
		);
		problems += 91 - run.applied + run.doubled + (9 - run.ownFailures);
	}
	print(
		problems === 0
			? '\nEvery item updated exactly once.'
			: `\n${problems} item(s) lost or applied twice!`,
	);
	return problems === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
