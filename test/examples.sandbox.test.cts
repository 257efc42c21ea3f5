/**
 * Every example workflow in examples/ (except the `*.n8n.json` variants made
 * for the real n8n CLI) runs through n8n-core's WorkflowExecute against a fresh
 * sandbox (seed 42, the IDs the examples name) and must do what its name says:
 * no error, the expected records out, and the sandbox in the expected state.
 * A new example without a check here fails the suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { loadPackage, NODE_TYPE, runWorkflow, type RunResult, type WorkflowJson } from '../dev/engine.cjs';
import { LATEST_NODE_VERSION } from '../nodes/BusinessCentral/helpers/nodeVersions';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { sandboxActivity, sandboxBearerCredentials } from './fixtures.cjs';

const EXAMPLES_DIR = path.resolve(__dirname, '../examples');
const EXAMPLES = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json') && !file.endsWith('.n8n.json'))
	// its own test: test/cashReceipts.sandbox.test.cts (the whole job as shipped, Post included)
	.filter((file) => file !== 'cash-receipts.json')
	.sort();

interface Example {
	workflow: WorkflowJson;
	result: RunResult;
	sandbox: Sandbox;
	company: string;
	pinned: IDataObject[];
	/** Output of the Business Central node with this name. */
	output(node: string): IDataObject[];
}

type Check = (example: Example, before: Snapshot) => void;

interface Snapshot {
	payments: Map<string, IDataObject>;
}

const CHECKS: Record<string, Check> = {
	'get-customer-payment.json': ({ output, sandbox, company, pinned }) => {
		const [payment] = output('Get Customer Payment');
		const stored = sandbox.getPayment(company, String(pinned[0].paymentId));
		expect(payment).toMatchObject({
			id: pinned[0].paymentId,
			'@odata.etag': stored?.['@odata.etag'],
			documentNumber: 'G02003',
			customerNumber: '10000',
			appliesToInvoiceNumber: '103001',
			amount: stored?.amount,
		});
	},
	'get-many-customer-payments.json': ({ output, sandbox, company }) => {
		const [cashReceipts] = sandbox.journals(company);
		const expected = sandbox
			.payments(company, cashReceipts.id)
			.filter((payment) => payment.postingDate >= '2024-02-01' && payment.postingDate <= '2024-02-29')
			.map((payment) => payment.documentNumber);
		expect(expected.length).toBeGreaterThan(1);
		expect(output('Get Many Customer Payments').map((payment) => payment.documentNumber)).toEqual(expected);
	},
	'create-customer-payment.json': ({ output, sandbox, company, pinned }, before) => {
		const created = output('Create Customer Payment');
		expect(created).toHaveLength(pinned.length);
		created.forEach((payment, index) => {
			const wanted = pinned[index];
			expect(before.payments.has(String(payment.id))).toBe(false);
			expect(sandbox.getPayment(company, String(payment.id))).toMatchObject({
				journalDisplayName: 'CASH RCPT',
				customerNumber: wanted.customerNumber,
				appliesToInvoiceNumber: wanted.invoiceNumber,
				amount: wanted.amount,
				postingDate: wanted.postingDate,
				documentNumber: wanted.documentNumber,
				externalDocumentNumber: wanted.remittance,
				'@odata.etag': payment['@odata.etag'],
			});
		});
	},
	'delete-customer-payment.json': ({ output, sandbox, company, pinned }, before) => {
		const [found] = output('Find Customer Payment');
		expect(found.documentNumber).toBe(pinned[0].documentNumber);
		expect(before.payments.has(String(found.id))).toBe(true);
		expect(output('Delete Customer Payment')).toEqual([{ deleted: true, id: found.id }]);
		expect(sandbox.getPayment(company, String(found.id))).toBeUndefined();
	},
	'update-customer-payments.json': ({ output, sandbox, company, pinned }) => {
		const updated = output('Update Customer Payment');
		expect(updated).toHaveLength(pinned.length);
		updated.forEach((payment, index) => {
			expect(payment.id).toBe(pinned[index].paymentId);
			expect(sandbox.getPayment(company, String(payment.id))).toMatchObject({
				amount: pinned[index].amount,
				description: pinned[index].description,
				'@odata.etag': payment['@odata.etag'],
			});
			expect(payment.previousValues).toEqual(expect.objectContaining({ amount: expect.any(Number) }));
		});
	},
};

/** Every example file, the cash-receipts job and the `*.n8n.json` variants included. */
const ALL_EXAMPLES = readdirSync(EXAMPLES_DIR)
	.filter((file) => file.endsWith('.json'))
	.sort();
const readExample = (file: string) =>
	JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson & { name: string };

// n8n 2.x refuses to save a workflow whose name is longer (n8n's WorkflowEntity: `@Length(1, 128)`,
// "Workflow name must be 128 characters or less"): an imported example could not be saved.
test.each(ALL_EXAMPLES)('examples/%s: its name fits n8n (at most 128 characters)', (file) => {
	const { name } = readExample(file);
	expect({ file, length: name.length }).toEqual({ file, length: Math.min(name.length, 128) });
	expect(name.length).toBeGreaterThan(0);
});

// Examples are where new workflows start: they use the version a new node gets (the
// legacy version 1 is kept for saved workflows only).
test.each(ALL_EXAMPLES)('examples/%s: every Business Central node is the newest node version', async (file) => {
	const { nodeTypes } = await loadPackage();
	const { defaultVersion } = nodeTypes.getByName(NODE_TYPE).description as { defaultVersion?: number };
	expect(defaultVersion).toBe(LATEST_NODE_VERSION);
	const versions = readExample(file)
		.nodes.filter((node) => node.type === NODE_TYPE)
		.map((node) => [node.name, node.typeVersion]);
	expect(versions.length).toBeGreaterThan(0);
	expect(versions).toEqual(versions.map(([name]) => [name, LATEST_NODE_VERSION]));
});

test('every example has a check', () => {
	expect(EXAMPLES.filter((file) => !CHECKS[file])).toEqual([]);
	expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
});

describe.each(EXAMPLES)('examples/%s against the sandbox', (file) => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 42, pageSize: 4 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	test('runs without error and does what it says', async () => {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
		const bcNodes = workflow.nodes.filter((node) => node.type === NODE_TYPE);
		expect(bcNodes.length).toBeGreaterThan(0);
		const companyId = (bcNodes[0].parameters.company as { value: string }).value;
		expect(sandbox.companies().map((company) => company.id)).toContain(companyId);
		const snapshot: Snapshot = {
			payments: new Map(
				sandbox
					.journals(companyId)
					.flatMap((journal) => sandbox.payments(companyId, journal.id))
					.map((payment) => [payment.id, payment as unknown as IDataObject]),
			),
		};
		const activity = sandboxActivity(sandbox);

		const result = await runWorkflow(workflow, { credentials: sandboxBearerCredentials(sandbox) });

		const error = result.error() ?? bcNodes.map((node) => result.error(node.name)).find(Boolean);
		expect(error?.message).toBeUndefined();
		for (const node of bcNodes) {
			const items = result.output(node.name);
			expect({ node: node.name, count: items.length > 0 }).toEqual({ node: node.name, count: true });
			for (const item of items) expect(item.json).not.toHaveProperty('error');
		}
		expect(activity.requests()).toBeGreaterThan(0);
		CHECKS[file](
			{
				workflow,
				result,
				sandbox,
				company: companyId,
				pinned: (Object.values(workflow.pinData ?? {})[0] ?? []).map((item) => item.json),
				output: (node) => result.output(node).map((item) => item.json),
			},
			snapshot,
		);
	});
});
