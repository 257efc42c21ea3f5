/**
 * What every bench row measures, whatever ran the workflow: round trips counted at the
 * sandbox (429s included), wall time, peak memory, and the audit of what the sandbox stored
 * (each input applied by exactly one PATCH, none lost, none doubled).
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/index.cjs';

export interface Row {
	label: string;
	items: number;
	roundTrips: number;
	/** Requests answered 429 (or 503 after waiting in the queue). */
	throttled: number;
	seconds: number;
	peakHeapMb: number;
	peakRssMb: number;
	updated: number;
	failed: number;
	doubled: number;
	/** Why the workflow stopped, when it did. */
	stopped?: string;
}

export interface Prepared {
	sandbox: Sandbox;
	companyId: string;
	journalId: string;
	inputs: IDataObject[];
}

/** A fresh sandbox with `items` payments in one journal and one update per payment. */
export async function prepare(options: SandboxOptions, items: number): Promise<Prepared> {
	const sandbox = await startSandbox({ seed: 7, paymentsPerJournal: 0, ...options });
	const companyId = sandbox.companies()[0].id;
	const journalId = sandbox.journals(companyId)[0].id;
	const payments = sandbox.seedPayments(companyId, journalId, items);
	const inputs: IDataObject[] = payments.map((payment, index) => ({
		paymentId: payment.id,
		amount: -(1000 + index) - 0.25,
		description: `Bench update ${index}`,
	}));
	return { sandbox, companyId, journalId, inputs };
}

/** Each input applied exactly once, by one PATCH, and the stored record carries it. */
export function audit(sandbox: Sandbox, companyId: string, inputs: IDataObject[]) {
	const patches = new Map<string, number>();
	for (const write of sandbox.writes) {
		if (write.method === 'PATCH') patches.set(write.id, (patches.get(write.id) ?? 0) + 1);
	}
	let updated = 0;
	let doubled = 0;
	for (const input of inputs) {
		const stored = sandbox.getPayment(companyId, String(input.paymentId));
		const count = patches.get(String(input.paymentId)) ?? 0;
		const applied =
			stored && stored.amount === input.amount && stored.description === input.description;
		if (applied && count >= 1) updated++;
		if (count > 1) doubled++;
	}
	return { updated, failed: inputs.length - updated, doubled };
}

/** Runs `work` with the sandbox's counters reset, timing it and sampling memory. */
export async function timed<T>(sandbox: Sandbox, work: () => Promise<T>) {
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
	try {
		const result = await work();
		return {
			result,
			seconds: Number(process.hrtime.bigint() - started) / 1e9,
			peakHeapMb: (peakHeap - baseHeap) / 2 ** 20,
			peakRssMb: peakRss / 2 ** 20,
			roundTrips: sandbox.stats.requests,
			throttled: sandbox.stats.throttled,
		};
	} finally {
		clearInterval(sampler);
	}
}

export function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

export const HEADER =
	'workflow                                         items  round trips (429) wall (s) ms/item heap Δ MB rss MB  updated failed doubled';

export function formatRow(r: Row, note = ''): string {
	return [
		r.label.padEnd(48),
		String(r.items).padStart(6),
		String(r.roundTrips).padStart(7),
		`(${r.throttled})`.padStart(6),
		r.seconds.toFixed(2).padStart(8),
		((r.seconds * 1000) / r.items).toFixed(2).padStart(7),
		r.peakHeapMb.toFixed(1).padStart(9),
		r.peakRssMb.toFixed(0).padStart(6),
		String(r.updated).padStart(8),
		String(r.failed).padStart(6),
		String(r.doubled).padStart(7),
		note,
	]
		.join(' ')
		.trimEnd();
}
