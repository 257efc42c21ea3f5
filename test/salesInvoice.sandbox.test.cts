/**
 * Resource Sales Invoice end to end over real loopback HTTP: Get and Get Many run by
 * n8n-core's WorkflowExecute against the sandbox (which pages every 4 entities and filters
 * salesInvoices as Business Central's page does), checked against the sandbox's own
 * invoices; the invoice picker; the output schemas against what really comes back. No nock.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { listSearch, NODE_TYPE, runWorkflow, type RunResult } from '../dev/engine.cjs';
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

function invoiceNode(operation: string, parameters: IDataObject): INode {
	return {
		id: 'bc-invoice',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [220, 0],
		parameters: { authentication: 'bearerToken', resource: 'salesInvoice', operation, company: locator(company), ...parameters } as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
	};
}

async function run(operation: string, items: IDataObject[], parameters: IDataObject): Promise<IDataObject[]> {
	const result: RunResult = await runWorkflow(
		{ nodes: [itemsNode(items), invoiceNode(operation, parameters)], connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } } },
		{ credentials: sandboxBearerCredentials(sandbox) },
	);
	const error = result.error(NODE) ?? result.error();
	if (error) throw new Error(`workflow failed: ${error.message} ${String(error.description ?? '')}`);
	return result.output(NODE).map((item) => item.json);
}

const ids = (records: Array<{ id?: unknown }>) => records.map((record) => String(record.id)).sort();

describe('Sales Invoice against the sandbox', () => {
	test('Get: each invoice by id, with its eTag, simplified', async () => {
		const [first, second] = sandbox.invoices(company);
		const output = await run('get', [{ id: first.id }, { id: second.id }], { salesInvoice: locator('={{ $json.id }}') });

		expect(output.map((invoice) => [invoice.id, invoice.number, invoice.status, invoice.remainingAmount])).toEqual([
			[first.id, first.number, first.status, first.remainingAmount],
			[second.id, second.number, second.status, second.remainingAmount],
		]);
		expect(output[0]['@odata.etag']).toBe(sandbox.invoice(company, first.id)?.['@odata.etag']);
	});

	test('Get Many, Return All, no filters: every invoice of the company over the pages of 4', async () => {
		const output = await run('getAll', [{}], { returnAll: true });

		expect(ids(output)).toEqual(ids(sandbox.invoices(company)));
	});

	test('Get Many: customer (ID and By Number) + status Open: exactly its open invoices', async () => {
		const open = sandbox.invoices(company).filter((invoice) => invoice.status === 'Open');
		const customerId = open[0].customerId;
		const expected = open.filter((invoice) => invoice.customerId === customerId);
		const customerNumber = expected[0].customerNumber;
		expect(expected.length).toBeGreaterThan(0);

		const byId = await run('getAll', [{}], { returnAll: true, filters: { customer: locator(customerId), status: 'Open' } });
		const byNumber = await run('getAll', [{}], { returnAll: true, filters: { customer: locator(customerNumber, 'number'), status: 'Open' } });

		expect(ids(byId)).toEqual(ids(expected));
		expect(ids(byNumber)).toEqual(ids(expected));
	});

	test('Get Many: due date range, remaining amount range, number, external document number, custom filter', async () => {
		const invoices = sandbox.invoices(company);
		const dueInRange = invoices.filter((invoice) => invoice.dueDate >= '2024-02-15' && invoice.dueDate <= '2024-03-15');
		expect(dueInRange.length).toBeGreaterThan(1);
		expect(ids(await run('getAll', [{}], { returnAll: true, filters: { dueDateFrom: '2024-02-15', dueDateTo: '2024-03-15' } }))).toEqual(ids(dueInRange));

		const target = invoices.find((invoice) => invoice.status === 'Open')!;
		const exactAmount = invoices.filter((invoice) => invoice.remainingAmount === target.remainingAmount);
		const byAmount = await run('getAll', [{}], {
			returnAll: true,
			filters: { remainingAmountMin: target.remainingAmount, remainingAmountMax: String(target.remainingAmount) },
		});
		expect(ids(byAmount)).toEqual(ids(exactAmount));

		expect(ids(await run('getAll', [{}], { filters: { number: target.number } }))).toEqual([target.id]);

		const withPo = invoices.find((invoice) => invoice.externalDocumentNumber)!;
		const samePo = invoices.filter((invoice) => invoice.externalDocumentNumber === withPo.externalDocumentNumber);
		expect(ids(await run('getAll', [{}], { returnAll: true, filters: { externalDocumentNumber: withPo.externalDocumentNumber.toLowerCase() } }))).toEqual(ids(samePo));

		const big = invoices.filter((invoice) => invoice.totalAmountIncludingTax > 20000 && invoice.status === 'Paid');
		expect(big.length).toBeGreaterThan(0);
		const custom = await run('getAll', [{}], { returnAll: true, filters: { status: 'Paid', odataFilter: 'totalAmountIncludingTax gt 20000' } });
		expect(ids(custom)).toEqual(ids(big));
	});

	test('Get Many, Limit 6 over pages of 4: exactly 6', async () => {
		expect(await run('getAll', [{}], { limit: 6 })).toHaveLength(6);
	});

	test('picker searchSalesInvoices: every invoice (any status) as number · customer · status · open amount · due date; searchable', async () => {
		const node = invoiceNode('get', {});
		const [first] = [...sandbox.invoices(company)].sort((a, b) => (a.number < b.number ? -1 : 1));
		const page = await listSearch('searchSalesInvoices', node, { credentials: sandboxBearerCredentials(sandbox) });
		expect(page.results[0]).toEqual({
			name: `${first.number} · ${first.customerName} · ${first.status} · open ${first.remainingAmount} · due ${first.dueDate}`,
			value: first.id,
		});
		expect(page.paginationToken).toBeDefined();

		const found = await listSearch('searchSalesInvoices', node, { credentials: sandboxBearerCredentials(sandbox), filter: first.number });
		expect(found.results.map((result) => result.value)).toContain(first.id);
	});
});

describe('output schemas of Sales Invoice describe what Get and Get Many really return', () => {
	function expectConforms(operation: string, outputs: IDataObject[]): void {
		for (const version of ['v1.0.0', 'v2.0.0']) {
			const file = path.resolve(__dirname, `../nodes/BusinessCentral/__schema__/${version}/salesInvoice/${operation}.json`);
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
	}

	test('get and getAll (Simplify on)', async () => {
		const [first] = sandbox.invoices(company);
		expectConforms('get', await run('get', [{}], { salesInvoice: locator(first.id) }));
		expectConforms('getAll', await run('getAll', [{}], { limit: 6 }));
	});
});
