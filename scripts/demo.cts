/**
 * `npm run demo`: the package's main job on the bundled sandbox. Starts the
 * Business Central sandbox on loopback, runs examples/update-customer-payments.json
 * (Manual Trigger → Business Central: Customer Payment Update, automatic eTag)
 * through n8n's engine with the built package, prints every output item and a
 * summary line per item, checks the sandbox now holds the new values; then the cash-receipt
 * job, examples/cash-receipts.json (scripts/cashReceiptsDemo.cts); stops.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import { sandboxBearerCredentials, startSandbox } from '../sandbox/index.cjs';
import { cashReceiptsDemo } from './cashReceiptsDemo.cjs';
import { ensureBuilt } from './ensureBuilt.cjs';

const EXAMPLE = path.resolve(__dirname, '../examples/update-customer-payments.json');

function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
	ensureBuilt();
	const started = Date.now();
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as WorkflowJson & { name: string };
	const sandbox = await startSandbox({ seed: 42 });
	try {
		print(`Business Central sandbox: ${sandbox.baseUrl('v2.0')}`);
		print(`Workflow: ${workflow.name} (${path.relative(process.cwd(), EXAMPLE)})`);
		const bcNode = workflow.nodes.find((node) => node.type.endsWith('.businessCentral'));
		if (!bcNode) throw new Error('The example has no Business Central node');
		const companyId = (bcNode.parameters.company as { value: string }).value;
		const pinned = Object.values(workflow.pinData ?? {})[0] ?? [];
		const before = pinned.map(({ json }) => sandbox.getPayment(companyId, String(json.paymentId)));
		if (before.some((record) => !record)) {
			throw new Error('The example names payments the sandbox does not have (was the seed changed?)');
		}

		const result = await runWorkflow(workflow, { credentials: sandboxBearerCredentials(sandbox) });
		const error = result.error(bcNode.name) ?? result.error();
		if (error) throw new Error(`The workflow failed: ${error.message} ${error.description ?? ''}`);

		const output = result.output(bcNode.name);
		print(`\n${bcNode.name}: ${output.length} item(s)\n`);
		for (const item of output) print(JSON.stringify(item, null, 2));

		print('\nSummary');
		let mismatches = 0;
		output.forEach((item, index) => {
			const old = before[index]!;
			const json = item.json;
			const stored = sandbox.getPayment(companyId, String(json.id));
			const wanted = pinned[index].json;
			const ok =
				stored?.amount === wanted.amount &&
				stored?.description === wanted.description &&
				stored?.['@odata.etag'] === json['@odata.etag'];
			if (!ok) mismatches++;
			print(
				`  item ${index} → payment ${String(json.documentNumber)} (customer ${String(json.customerNumber)}): ` +
					`amount ${old.amount} → ${String(json.amount)}, description "${old.description}" → "${String(json.description)}", ` +
					`eTag ${old['@odata.etag']} → ${String(json['@odata.etag'])} [${ok ? 'stored in Business Central' : 'NOT as stored!'}]`,
			);
		});
		const { requests, batchRequests, batchOperations } = sandbox.stats;
		print(
			`\n${output.length} payment(s) updated in ${((Date.now() - started) / 1000).toFixed(1)} s with ${requests} request(s) to Business Central` +
				(batchRequests > 0
					? ` ($batch: ${batchOperations} operations — eTag reads, then PATCHes with If-Match).`
					: ' (GET for the eTag, then PATCH with If-Match, per payment).'),
		);
		return mismatches === 0 && output.length === pinned.length ? 0 : 1;
	} finally {
		await sandbox.close();
	}
}

main()
	.then(async (code) => (code === 0 ? await cashReceiptsDemo() : code))
	.then(
		(code) => process.exit(code),
		(error: Error) => {
			process.stderr.write(`demo failed: ${error.message}\n`);
			process.exit(1);
		},
	);
