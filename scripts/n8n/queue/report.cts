/**
 * What the queue check reads from the sandbox's process (scripts/n8n/queue/sandbox.cts serves
 * it on its report port): the sandbox's counters, the PATCHes applied per customer payment,
 * and the first journal's payments with their stored values.
 */
import type { Sandbox } from '../../../sandbox/index.cjs';

export interface QueueReport {
	stats: Sandbox['stats'];
	/** PATCHes applied per payment id (a $batch operation counts as one PATCH). */
	patches: Record<string, number>;
	writes: number;
}

export function report(sandbox: Sandbox): QueueReport {
	const patches: Record<string, number> = {};
	for (const write of sandbox.writes) {
		if (write.method === 'PATCH') patches[write.id] = (patches[write.id] ?? 0) + 1;
	}
	return { stats: sandbox.stats, patches, writes: sandbox.writes.length };
}

export function firstJournalPayments(sandbox: Sandbox) {
	const company = sandbox.companies()[0];
	const journal = sandbox.journals(company.id)[0];
	return {
		companyId: company.id,
		journalId: journal.id,
		payments: sandbox
			.payments(company.id, journal.id)
			.map(({ id, amount, description }) => ({ id, amount, description })),
	};
}
