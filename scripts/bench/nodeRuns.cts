/**
 * Bench rows for this package's node (Customer Payment → Update) and for the HTTP Request
 * workflow, each against a fresh sandbox with the same options and seed (a fresh one per row,
 * so one row's 5-minute rate window does not throttle the next: on a real tenant that would
 * mean waiting 5 minutes or another user).
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../dev/engine.cjs';
import { sandboxBearerCredentials, type SandboxOptions } from '../../sandbox/index.cjs';
import { locator, updateWorkflow } from '../../test/fixtures.cjs';
import { httpRequestWorkflow, registerHttpRequest, type HttpRequestSetup } from './httpRequest.cjs';
import { audit, prepare, timed, type Prepared, type Row } from './measure.cjs';

export interface NodeSetup {
	/** The Update's Journal parameter set (lets the node list the journal's eTags), or left empty. */
	journalStated: boolean;
	batching?: boolean;
	/** Spoil 10 % of the payments before the run: half changed by another user, half deleted. */
	spoiled?: boolean;
}

/**
 * 10 % of the payments spoiled: every 20th (from the 3rd) is changed by another user between
 * the node's read and its PATCH (`forceConflictOnce`: a change before the run would be read
 * fresh and cause no conflict), every 20th (from the 13th) deleted before the run.
 */
async function spoil(p: Prepared): Promise<Set<number>> {
	const spoiled = new Set<number>();
	for (let n = 2; n < p.inputs.length; n += 20) {
		p.sandbox.forceConflictOnce(String(p.inputs[n].paymentId));
		spoiled.add(n);
	}
	for (let n = 12; n < p.inputs.length; n += 20) {
		const url = `${p.sandbox.baseUrl()}/companies(${p.companyId})/customerPayments(${String(p.inputs[n].paymentId)})`;
		const res = await fetch(url, {
			method: 'DELETE',
			headers: { Authorization: `Bearer ${p.sandbox.token}`, 'If-Match': '*' },
		});
		if (res.status !== 204) throw new Error(`could not delete payment ${n}: ${res.status}`);
		spoiled.add(n);
	}
	return spoiled;
}

function auditRow(label: string, p: Prepared, spoiled: Set<number>) {
	const clean = p.inputs.filter((_input, n) => !spoiled.has(n));
	const result = audit(p.sandbox, p.companyId, clean);
	return { ...result, failed: p.inputs.length - result.updated, label };
}

export async function nodeRow(
	label: string,
	items: number,
	sandboxOptions: SandboxOptions,
	setup: NodeSetup,
): Promise<Row> {
	const p = await prepare(sandboxOptions, items);
	try {
		const spoiled = setup.spoiled ? await spoil(p) : new Set<number>();
		const workflow = updateWorkflow(p.inputs, {
			company: p.companyId,
			journal: setup.journalStated ? locator(p.journalId) : locator('', 'list'),
			payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
			updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
			options: { batching: setup.batching ?? true, maxRetries: 8 },
			continueOnFail: true,
		});
		const run = await timed(p.sandbox, () =>
			runWorkflow(workflow, { credentials: sandboxBearerCredentials(p.sandbox) }),
		);
		const failure = run.result.error();
		const output = run.result.output('Business Central');
		if (!failure && output.length !== items) throw new Error(`${label}: ${output.length} output items for ${items}`);
		return { ...run, ...auditRow(label, p, spoiled), items, stopped: failure?.message };
	} finally {
		await p.sandbox.close();
	}
}

export async function httpRequestRow(
	label: string,
	items: number,
	sandboxOptions: SandboxOptions,
	setup: HttpRequestSetup,
): Promise<Row> {
	await registerHttpRequest();
	const p = await prepare(sandboxOptions, items);
	try {
		const workflow = httpRequestWorkflow(
			p.inputs,
			{ base: p.sandbox.baseUrl(), companyId: p.companyId, token: p.sandbox.token },
			setup,
		);
		const run = await timed(p.sandbox, () =>
			runWorkflow(workflow, { credentials: {} }),
		);
		const failure = run.result.error();
		const stopped = failure
			? `stopped: ${String((failure as IDataObject).httpCode ?? '')} ${failure.message}`.slice(0, 90)
			: undefined;
		return { ...run, ...auditRow(label, p, new Set()), items, stopped };
	} finally {
		await p.sandbox.close();
	}
}
