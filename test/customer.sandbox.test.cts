/**
 * Resource Customer end to end over real loopback HTTP: Get and Get Many run by
 * n8n-core's WorkflowExecute against the sandbox (which pages every 4 entities),
 * checked against the sandbox's own customers. No nock in this file. (Update needs
 * customer PATCH in the sandbox; its rules are covered by test/customer.nock.test.cts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type RunResult } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { itemsNode, locator, sandboxBearerCredentials } from './fixtures.cjs';

const NODE = 'Business Central';

let sandbox: Sandbox;
let company: string;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 42, pageSize: 4 });
	company = sandbox.companies()[0].id;
});

afterAll(async () => {
	await sandbox.close();
});

async function run(operation: string, items: IDataObject[], parameters: IDataObject): Promise<IDataObject[]> {
	const node: INode = {
		id: 'bc-customer',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [220, 0],
		parameters: { authentication: 'bearerToken', resource: 'customer', operation, company: locator(company), ...parameters } as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
	};
	const result: RunResult = await runWorkflow(
		{ nodes: [itemsNode(items), node], connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } } },
		{ credentials: sandboxBearerCredentials(sandbox) },
	);
	const error = result.error(NODE) ?? result.error();
	if (error) throw new Error(`workflow failed: ${error.message} ${String(error.description ?? '')}`);
	return result.output(NODE).map((item) => item.json);
}

describe('Customer against the sandbox', () => {
	test('Get: each customer by id, with its eTag, simplified', async () => {
		const [first, second] = sandbox.customers(company);
		const output = await run('get', [{ id: first.id }, { id: second.id }], { customer: locator('={{ $json.id }}') });

		expect(output.map((customer) => [customer.id, customer.number, customer.displayName])).toEqual([
			[first.id, first.number, first.displayName],
			[second.id, second.number, second.displayName],
		]);
		expect(String(output[0]['@odata.etag'])).toMatch(/^W\/"/);
	});

	test('Get Many, Return All: every customer of the company over the sandbox pages of 4', async () => {
		const output = await run('getAll', [{}], { returnAll: true, simple: false });

		expect(output.map((customer) => customer.id).sort()).toEqual(sandbox.customers(company).map((customer) => customer.id).sort());
	});

	test('Get Many with Number and Name Contains filters and a Limit', async () => {
		const target = sandbox.customers(company)[2];
		const byNumber = await run('getAll', [{}], { filters: { number: target.number } });
		expect(byNumber.map((customer) => customer.id)).toEqual([target.id]);

		const word = target.displayName.split(' ')[0];
		const expected = sandbox.customers(company).filter((customer) => customer.displayName.includes(word));
		const byName = await run('getAll', [{}], { filters: { nameContains: word }, limit: 2 });
		expect(byName.length).toBe(Math.min(2, expected.length));
		for (const customer of byName) expect(String(customer.displayName)).toContain(word);
	});
});

describe('output schemas of Customer describe what Get and Get Many really return', () => {
	function expectConforms(operation: string, outputs: IDataObject[]): void {
		const file = path.resolve(__dirname, `../nodes/BusinessCentral/__schema__/v2.0.0/customer/${operation}.json`);
		const { properties, required } = JSON.parse(readFileSync(file, 'utf8')) as {
			properties: Record<string, { type: string }>;
			required: string[];
		};
		expect(outputs.length).toBeGreaterThan(0);
		for (const output of outputs) {
			expect(Object.keys(output).filter((key) => !(key in properties))).toEqual([]);
			expect(required.filter((key) => !(key in output))).toEqual([]);
			for (const [key, value] of Object.entries(output)) expect({ key, type: typeof value }).toEqual({ key, type: properties[key].type });
		}
	}

	test('get and getAll (Simplify on)', async () => {
		const [first] = sandbox.customers(company);
		expectConforms('get', await run('get', [{}], { customer: locator(first.id) }));
		expectConforms('getAll', await run('getAll', [{}], { limit: 6 }));
	});
});
