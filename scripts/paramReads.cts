/**
 * `npm run bench:params`: what reading the node's parameters costs per item. Runs
 * Update of N payments (PARAM_ITEMS, default 1000; $batch on) against the in-process
 * sandbox without latency, through n8n's engine, with two parameter shapes: fixed
 * Company, Update Fields and Options (the payment from `$json`), and Update Fields from
 * `$json` too. The context n8n hands the node is wrapped here (the node's `execute` is
 * patched in this script, not in the node) to count the `getNodeParameter` calls that
 * reach n8n and time them with a plain clock (no profiler). Prints the median of
 * PARAM_RUNS runs (default 5) after one warm-up run. A measurement, not a test.
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { loadPackage, NODE_TYPE, runWorkflow } from '../dev/engine.cjs';
import { sandboxBearerCredentials, startSandbox } from '../sandbox/index.cjs';
import { locator, updateWorkflow, type UpdateNodeOptions } from '../test/fixtures.cjs';
import { ensureBuilt } from './ensureBuilt.cjs';

const ITEMS = Number(process.env.PARAM_ITEMS ?? 1000);
const RUNS = Number(process.env.PARAM_RUNS ?? 5);

/** n8n's parameter reads during one run: how many and how long. */
const reads = { calls: 0, ms: 0 };

async function countReads(): Promise<void> {
	const { nodeTypes } = await loadPackage();
	const nodeType = nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType;
	const execute = nodeType.execute!;
	nodeType.execute = async function (this: IExecuteFunctions) {
		const timed = new Proxy(this, {
			get(target, property) {
				const member: unknown = Reflect.get(target, property, target);
				if (typeof member !== 'function') return member;
				if (property !== 'getNodeParameter') return member.bind(target);
				return (...args: unknown[]) => {
					const started = performance.now();
					try {
						return member.apply(target, args);
					} finally {
						reads.calls++;
						reads.ms += performance.now() - started;
					}
				};
			},
		});
		return await execute.call(timed);
	};
}

interface Shape {
	name: string;
	parameters: (companyId: string) => UpdateNodeOptions;
}

const SHAPES: Shape[] = [
	{
		name: 'fixed Company, Fields, Options',
		parameters: (companyId) => ({
			company: companyId,
			payment: locator('={{ $json.paymentId }}'),
			updateFields: { amount: -10, description: 'Paid' },
			options: { maxRetries: 8 },
		}),
	},
	{
		name: 'Fields from $json',
		parameters: (companyId) => ({
			company: companyId,
			payment: locator('={{ $json.paymentId }}'),
			updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
			options: { maxRetries: 8 },
		}),
	},
];

interface Figures {
	nodeMs: number;
	calls: number;
	readMs: number;
}

async function runOnce(shape: Shape): Promise<Figures> {
	const sandbox = await startSandbox({ seed: 7, paymentsPerJournal: 0, latencyMs: 0 });
	try {
		const company = sandbox.companies()[0];
		const journal = sandbox.journals(company.id)[0];
		const inputs: IDataObject[] = sandbox
			.seedPayments(company.id, journal.id, ITEMS)
			.map((payment, index) => ({ paymentId: payment.id, amount: -index - 1, description: `n${index}` }));
		reads.calls = 0;
		reads.ms = 0;
		const result = await runWorkflow(updateWorkflow(inputs, shape.parameters(company.id)), {
			credentials: sandboxBearerCredentials(sandbox),
		});
		const failure = result.error();
		if (failure) throw new Error(`workflow failed: ${failure.message}`);
		const nodeRun = result.run.data.resultData.runData['Business Central'][0];
		return { nodeMs: nodeRun.executionTime, calls: reads.calls, readMs: reads.ms };
	} finally {
		await sandbox.close();
	}
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
	ensureBuilt();
	await countReads();
	process.stdout.write(`Update of ${ITEMS} payments, $batch, sandbox without latency; median of ${RUNS} runs\n`);
	process.stdout.write(
		'shape                            | n8n reads | reads ms | reads ms/item | node ms | node ms/item\n',
	);
	for (const shape of SHAPES) {
		await runOnce(shape); // warm-up
		const runs: Figures[] = [];
		for (let run = 0; run < RUNS; run++) runs.push(await runOnce(shape));
		const readMs = median(runs.map((figures) => figures.readMs));
		const nodeMs = median(runs.map((figures) => figures.nodeMs));
		const cells = [
			shape.name.padEnd(32),
			String(runs[0].calls).padStart(9),
			readMs.toFixed(0).padStart(8),
			(readMs / ITEMS).toFixed(3).padStart(13),
			nodeMs.toFixed(0).padStart(7),
			(nodeMs / ITEMS).toFixed(3).padStart(12),
		];
		process.stdout.write(`${cells.join(' | ')}\n`);
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
