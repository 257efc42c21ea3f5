/**
 * Node versions against the sandbox: the examples are version 2, the version a new node
 * gets (test/examples.sandbox.test.cts runs them as shipped); the same workflows saved at
 * version 1 (as the examples were, and as users' saved copies of them are) still do the
 * same work, and a version 2 Update whose Amount was added but not filled in writes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { sandboxActivity, sandboxBearerCredentials } from './fixtures.cjs';

const EXAMPLES_DIR = path.resolve(__dirname, '../examples');

function example(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

function atVersion(workflow: WorkflowJson, typeVersion: number): WorkflowJson {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => (node.type === NODE_TYPE ? { ...node, typeVersion } : node)),
	};
}

function pinned(workflow: WorkflowJson): IDataObject[] {
	return (Object.values(workflow.pinData ?? {})[0] ?? []).map((item) => item.json);
}

describe('node versions against the sandbox', () => {
	let sandbox: Sandbox;

	beforeEach(async () => {
		sandbox = await startSandbox({ seed: 42 });
	});
	afterEach(async () => {
		await sandbox.close();
	});

	test('the examples are node version 2 as shipped; saved at version 1 they are valid there too (same parameters)', () => {
		for (const file of ['update-customer-payments.json', 'create-customer-payment.json', 'delete-customer-payment.json']) {
			const versions = example(file)
				.nodes.filter((node) => node.type === NODE_TYPE)
				.map((node) => node.typeVersion);
			expect({ file, versions: [...new Set(versions)] }).toEqual({ file, versions: [2] });
		}
	});

	test('the update example saved at version 1: the same payments get the same values', async () => {
		const workflow = atVersion(example('update-customer-payments.json'), 1);
		const company = (workflow.nodes.find((node) => node.type === NODE_TYPE)!.parameters.company as { value: string }).value;

		const result = await runWorkflow(workflow, { credentials: sandboxBearerCredentials(sandbox) });

		expect(result.error('Update Customer Payment')?.message).toBeUndefined();
		for (const wanted of pinned(workflow)) {
			expect(sandbox.getPayment(company, String(wanted.paymentId))).toMatchObject({
				amount: wanted.amount,
				description: wanted.description,
			});
		}
	});

	test('the create example saved at version 1 (Amount a number parameter there): the same payments are created', async () => {
		const workflow = atVersion(example('create-customer-payment.json'), 1);
		const company = (workflow.nodes.find((node) => node.type === NODE_TYPE)!.parameters.company as { value: string }).value;

		const result = await runWorkflow(workflow, { credentials: sandboxBearerCredentials(sandbox) });

		expect(result.error('Create Customer Payment')?.message).toBeUndefined();
		const created = result.output('Create Customer Payment').map((item) => item.json);
		expect(created).toHaveLength(pinned(workflow).length);
		created.forEach((payment, index) => {
			expect(sandbox.getPayment(company, String(payment.id))).toMatchObject({ amount: pinned(workflow)[index].amount });
		});
	});

	test('version 2: Amount added but left empty writes nothing; version 1 with its 0 writes 0', async () => {
		const base = example('update-customer-payments.json');
		const company = (base.nodes.find((node) => node.type === NODE_TYPE)!.parameters.company as { value: string }).value;
		const paymentId = String(pinned(base)[0].paymentId);
		const withAmount = (typeVersion: number, amount: string | number): WorkflowJson => {
			const workflow = atVersion(base, typeVersion);
			return {
				...workflow,
				pinData: { [Object.keys(base.pinData ?? {})[0]]: [{ json: { paymentId } }] },
				nodes: workflow.nodes.map((node) =>
					node.type === NODE_TYPE ? { ...node, parameters: { ...node.parameters, updateFields: { amount } } } : node,
				),
			};
		};
		const before = sandbox.getPayment(company, paymentId);
		expect(before?.amount).not.toBe(0);
		const activity = sandboxActivity(sandbox);

		const v2 = await runWorkflow(withAmount(2, ''), { credentials: sandboxBearerCredentials(sandbox) });

		expect(v2.error('Update Customer Payment')?.message).toBe('Invalid Amount: "" is empty: enter a value or remove the field (item 0)');
		expect(activity.requests()).toBe(0);
		expect(sandbox.getPayment(company, paymentId)).toEqual(before);

		const v1 = await runWorkflow(withAmount(1, 0), { credentials: sandboxBearerCredentials(sandbox) });

		expect(v1.error('Update Customer Payment')?.message).toBeUndefined();
		expect(sandbox.getPayment(company, paymentId)?.amount).toBe(0);
	});
});
