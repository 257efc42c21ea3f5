/**
 * Per-item cost of the node inside n8n's engine, network aside: 1,000 updates against a
 * sandbox without latency or limits, once with fixed field values and once with every field
 * an expression. Time spent in n8n-core's `getNodeParameter` (where parameters and their
 * expressions are resolved, for every item the node asks about) is summed apart from the
 * rest, so the table says how much of an item's cost is parameter reading and how much the
 * node's own code, the engine and the loopback requests.
 */
import { ExecuteContext } from 'n8n-core';

import { runWorkflow } from '../../dev/engine.cjs';
import { sandboxBearerCredentials } from '../../sandbox/index.cjs';
import { updateWorkflow } from '../../test/fixtures.cjs';
import { prepare, print } from './measure.cjs';

/** ExecuteContext's getNodeParameter is an arrow bound per context that calls this method. */
interface ParameterReader {
	_getNodeParameter: (...args: unknown[]) => unknown;
}

/** Sums the time spent in getNodeParameter while `work` runs. */
async function withParameterClock<T>(work: () => Promise<T>) {
	const proto = Object.getPrototypeOf(ExecuteContext.prototype) as ParameterReader;
	const original = proto._getNodeParameter;
	let spent = 0n;
	let calls = 0;
	proto._getNodeParameter = function (this: unknown, ...args: unknown[]) {
		const start = process.hrtime.bigint();
		try {
			return original.apply(this, args);
		} finally {
			spent += process.hrtime.bigint() - start;
			calls++;
		}
	};
	try {
		const result = await work();
		return { result, parameterMs: Number(spent) / 1e6, calls };
	} finally {
		proto._getNodeParameter = original;
	}
}

async function costOf(expressions: boolean, items: number) {
	const p = await prepare({}, items);
	try {
		const workflow = updateWorkflow(p.inputs, {
			company: expressions ? `={{ '${p.companyId}' }}` : p.companyId,
			payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
			updateFields: expressions
				? { amount: '={{ $json.amount }}', description: '={{ $json.description }}' }
				: { amount: -1000.25, description: 'Bench update' },
			options: expressions ? { batching: '={{ true }}', maxRetries: '={{ 8 }}' } : { batching: true, maxRetries: 8 },
			continueOnFail: true,
		});
		const started = process.hrtime.bigint();
		const { parameterMs, calls } = await withParameterClock(() =>
			runWorkflow(workflow, { credentials: sandboxBearerCredentials(p.sandbox) }),
		);
		const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
		return { totalMs, parameterMs, calls, roundTrips: p.sandbox.stats.requests };
	} finally {
		await p.sandbox.close();
	}
}

export async function parameterCost(items = 1000): Promise<void> {
	print(`\nPer-item cost in n8n's engine (n8n-core 2.8.x), ${items} updates, sandbox without latency or limits`);
	print('parameters                               ms/item  of which getNodeParameter  calls/item  rest (node code, engine, loopback)');
	await costOf(false, 100); // warm-up: module loading and JIT out of the figures
	for (const expressions of [false, true]) {
		const c = await costOf(expressions, items);
		print(
			[
				(expressions ? 'every parameter an expression' : 'fixed values (payment id by expression)').padEnd(40),
				(c.totalMs / items).toFixed(3).padStart(7),
				`${(c.parameterMs / items).toFixed(3)} ms (${((100 * c.parameterMs) / c.totalMs).toFixed(0)} %)`.padStart(26),
				(c.calls / items).toFixed(1).padStart(11),
				`${((c.totalMs - c.parameterMs) / items).toFixed(3)} ms/item, ${c.roundTrips} round trips`.padStart(36),
			].join(' '),
		);
	}
}
