/**
 * End to end over real loopback HTTP: the customer payment life cycle
 * (Create → Get → Get Many → Update → Delete) run by n8n-core's
 * WorkflowExecute against the sandbox, which pages every 4 entities, and the
 * pickers (customers, open invoices of the chosen customer, journals) through
 * n8n-core's LoadOptionsContext. State is checked in the sandbox itself.
 * No nock in this file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { listSearch, runWorkflow, type RunResult } from '../dev/engine.cjs';
import { startSandbox, type Customer, type Journal, type Sandbox } from '../sandbox/index.cjs';
import { locator, sandboxActivity, sandboxBearerCredentials } from './fixtures.cjs';
import { NODE, opsChain, opsNode, opsWorkflow, type Operation } from './opsFixtures.cjs';

const PAGE_SIZE = 4;

let sandbox: Sandbox;
let company: string;
let cashReceipts: Journal;
let general: Journal;
let customer20000: Customer;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 42, pageSize: PAGE_SIZE });
	company = sandbox.companies()[0].id;
	[cashReceipts, general] = sandbox.journals(company);
	customer20000 = sandbox.customers(company).find((customer) => customer.number === '20000') as Customer;
});

afterAll(async () => {
	await sandbox.close();
});

async function run(operation: Operation, items: IDataObject[], parameters: IDataObject, continueOnFail = false): Promise<RunResult> {
	return await runWorkflow(opsWorkflow(items, operation, { parameters: { company, ...parameters }, continueOnFail }), {
		credentials: sandboxBearerCredentials(sandbox),
	});
}

function jsonOf(result: RunResult, node = NODE): IDataObject[] {
	const error = result.error(node) ?? result.error();
	if (error) throw new Error(`workflow failed: ${error.message} ${String(error.description ?? '')}`);
	return result.output(node).map((item: INodeExecutionData) => item.json);
}

describe('Customer Payment life cycle against the sandbox', () => {
	let created: IDataObject;

	test('Create: customer by number, applies-to invoice by number, document number → stored in the journal, server fills the rest', async () => {
		const activity = sandboxActivity(sandbox);
		const linesBefore = sandbox.payments(company, cashReceipts.id).length;

		const [output] = jsonOf(
			await run('create', [{}], {
				journal: cashReceipts.id,
				customer: locator('20000', 'number'),
				amount: -8022.66,
				postingDate: '2026-11-24',
				appliesToInvoice: locator('103002', 'number'),
				additionalFields: { documentNumber: 'E2E-0001', externalDocumentNumber: 'REMIT-1' },
			}),
		);

		created = output;
		const stored = sandbox.getPayment(company, String(output.id));
		expect(stored).toMatchObject({
			journalId: cashReceipts.id,
			customerId: customer20000.id,
			customerNumber: '20000',
			amount: -8022.66,
			postingDate: '2026-11-24',
			documentNumber: 'E2E-0001',
			externalDocumentNumber: 'REMIT-1',
			appliesToInvoiceNumber: '103002',
			lineNumber: 110000,
		});
		expect(output['@odata.etag']).toBe(stored?.['@odata.etag']);
		expect(sandbox.payments(company, cashReceipts.id)).toHaveLength(linesBefore + 1);
		expect(activity.byMethod()).toEqual({ POST: 1 });
		expect(activity.writes().map((write) => [write.method, write.id])).toEqual([['POST', output.id]]);
	});

	test('Create without a journal ID the sandbox knows: Business Central refuses, nothing is stored', async () => {
		const activity = sandboxActivity(sandbox);

		const result = await run('create', [{}], { journal: '00000000-0000-4000-8000-000000000001', amount: -1 }, true);

		const [output] = result.output(NODE).map((item) => item.json);
		expect(output.error).toContain('Creating a customer payment in journal 00000000-0000-4000-8000-000000000001 failed');
		expect(activity.writes()).toEqual([]);
	});

	test('Get: the created payment by ID, simplified and raw', async () => {
		const [simple] = jsonOf(await run('get', [{}], { customerPayment: String(created.id) }));
		const [raw] = jsonOf(await run('get', [{}], { customerPayment: String(created.id), simple: false }));

		expect(simple).toEqual({
			id: created.id,
			'@odata.etag': created['@odata.etag'],
			journalDisplayName: 'CASH RCPT',
			lineNumber: 110000,
			customerNumber: '20000',
			postingDate: '2026-11-24',
			documentNumber: 'E2E-0001',
			externalDocumentNumber: 'REMIT-1',
			amount: -8022.66,
			appliesToInvoiceNumber: '103002',
			description: 'Trey Research',
		});
		const { '@odata.etag': etag, ...stored } = sandbox.getPayment(company, String(created.id)) as unknown as IDataObject;
		expect(raw).toMatchObject({ ...stored, '@odata.etag': etag });
		expect(raw).not.toHaveProperty('@odata.context');
	});

	test('Get Many, journal scope, Return All: 11 payments over 3 pages of 4 (3 GETs following @odata.nextLink)', async () => {
		const expected = sandbox.payments(company, cashReceipts.id).map((payment) => payment.id);
		expect(expected).toHaveLength(11);
		const activity = sandboxActivity(sandbox);

		const output = jsonOf(await run('getAll', [{}], { journal: cashReceipts.id, returnAll: true }));

		expect(output.map((payment) => payment.id)).toEqual(expected);
		expect(activity.byMethod()).toEqual({ GET: 3 });
	});

	test('Get Many, Limit 6: 6 payments from 2 pages, the third page is never asked for', async () => {
		const expected = sandbox.payments(company, cashReceipts.id).slice(0, 6).map((payment) => payment.id);
		const activity = sandboxActivity(sandbox);

		const output = jsonOf(await run('getAll', [{}], { journal: cashReceipts.id, returnAll: false, limit: 6 }));

		expect(output.map((payment) => payment.id)).toEqual(expected);
		expect(activity.byMethod()).toEqual({ GET: 2 });
	});

	test('Get Many, Limit 3 (below the page size): one GET', async () => {
		const activity = sandboxActivity(sandbox);

		const output = jsonOf(await run('getAll', [{}], { journal: cashReceipts.id, limit: 3 }));

		expect(output).toHaveLength(3);
		expect(activity.byMethod()).toEqual({ GET: 1 });
	});

	test('Get Many, company scope, Return All: every journal in turn (journal list + 3 + 3 pages + 1 for the empty STATEMENT)', async () => {
		const expected = [cashReceipts, general].flatMap((journal) => sandbox.payments(company, journal.id).map((payment) => payment.id));
		expect(expected).toHaveLength(21);
		const activity = sandboxActivity(sandbox);

		const output = jsonOf(await run('getAll', [{}], { journal: '', returnAll: true }));

		expect(output.map((payment) => payment.id)).toEqual(expected);
		expect(activity.byMethod()).toEqual({ GET: 8 });
	});

	test('Get Many filters against the sandbox: customer number, posting date range, document number, invoice, raw $filter', async () => {
		const all = [cashReceipts, general].flatMap((journal) => sandbox.payments(company, journal.id));
		const cases: Array<[IDataObject, (payment: (typeof all)[number]) => boolean]> = [
			[{ customerNumber: '10000' }, (payment) => payment.customerNumber === '10000'],
			[{ customer: locator(customer20000.id, 'list') }, (payment) => payment.customerId === customer20000.id],
			[
				{ postingDateFrom: '2024-02-01', postingDateTo: '2024-02-29' },
				(payment) => payment.postingDate >= '2024-02-01' && payment.postingDate <= '2024-02-29',
			],
			[{ documentNumber: 'e2e-0001' }, (payment) => payment.documentNumber === 'E2E-0001'],
			[{ appliesToInvoiceNumber: '103001' }, (payment) => payment.appliesToInvoiceNumber === '103001'],
			[{ odataFilter: 'amount gt -3000 or amount lt -20000' }, (payment) => payment.amount > -3000 || payment.amount < -20000],
			[
				{ customerNumber: '10000', odataFilter: "contains(description,'Adatum')" },
				(payment) => payment.customerNumber === '10000' && payment.description.includes('Adatum'),
			],
		];
		for (const [filters, predicate] of cases) {
			const output = jsonOf(await run('getAll', [{}], { journal: '', returnAll: true, filters }));
			const expected = all.filter(predicate).map((payment) => payment.id);
			expect(expected.length).toBeGreaterThan(0);
			expect({ filters, ids: output.map((payment) => payment.id) }).toEqual({ filters, ids: expected });
		}
	});

	test('Get Many, Fields ($select) with Simplify off: only the chosen properties and the eTag', async () => {
		const output = jsonOf(
			await run('getAll', [{}], { journal: general.id, limit: 2, simple: false, options: { fields: 'documentNumber,amount' } }),
		);

		expect(output).toHaveLength(2);
		for (const payment of output) expect(Object.keys(payment).sort()).toEqual(['@odata.etag', 'amount', 'documentNumber']);
	});

	test('Update the created payment with the eTag mapped from Get, then Delete it with automatic eTag: gone from the sandbox', async () => {
		const paymentId = String(created.id);
		const [got] = jsonOf(await run('get', [{}], { customerPayment: paymentId }));
		const [updated] = jsonOf(
			await run('update', [got], {
				customerPayment: locator('={{ $json.id }}'),
				updateFields: { amount: -4000, description: 'Partial payment, E2E' },
				options: { eTag: '={{ $json["@odata.etag"] }}' },
			}),
		);
		expect(sandbox.getPayment(company, paymentId)).toMatchObject({ amount: -4000, description: 'Partial payment, E2E' });
		expect(updated['@odata.etag']).toBe(sandbox.getPayment(company, paymentId)?.['@odata.etag']);

		const activity = sandboxActivity(sandbox);
		const [deleted] = jsonOf(await run('delete', [{}], { customerPayment: paymentId }));

		expect(deleted).toEqual({ deleted: true, id: paymentId });
		expect(sandbox.getPayment(company, paymentId)).toBeUndefined();
		expect(activity.byMethod()).toEqual({ GET: 1, DELETE: 1 });
		expect(activity.writes().map((write) => [write.method, write.ifMatch])).toEqual([['DELETE', updated['@odata.etag']]]);

		const gone = await run('get', [{}], { customerPayment: paymentId });
		expect(gone.error(NODE)?.httpCode).toBe('404');
	});

	test('Delete with a stale eTag (Fail policy): nothing is deleted; Fetch Latest and Retry Once: deleted', async () => {
		const [victim] = sandbox.seedPayments(company, general.id, 1);
		const stale = String(sandbox.getPayment(company, victim.id)?.['@odata.etag']);
		sandbox.simulateConcurrentChange(company, victim.id, { comment: 'changed by someone else' });

		const failed = await run('delete', [{}], { customerPayment: victim.id, options: { eTag: stale } });
		expect(failed.error(NODE)?.httpCode).toBe('409');
		expect(sandbox.getPayment(company, victim.id)).toBeDefined();

		const [retried] = jsonOf(await run('delete', [{}], { customerPayment: victim.id, options: { eTag: stale, onConflict: 'retryOnce' } }));
		expect(retried).toEqual({ deleted: true, id: victim.id });
		expect(sandbox.getPayment(company, victim.id)).toBeUndefined();
	});

	test('one workflow: Create → Get → Update (mapped eTag) → Delete, each step fed by the previous one', async () => {
		const before = sandbox.payments(company, general.id).length;
		const steps: Array<{ operation: Operation; name: string; parameters: IDataObject }> = [
			{
				operation: 'create',
				name: 'Create',
				parameters: {
					company,
					journal: general.id,
					customer: locator('={{ $json.customer }}', 'number'),
					amount: '={{ $json.amount }}',
					additionalFields: { documentNumber: '={{ $json.doc }}' },
				},
			},
			{ operation: 'get', name: 'Get', parameters: { company, customerPayment: locator('={{ $json.id }}') } },
			{
				operation: 'update',
				name: 'Update',
				parameters: {
					company,
					customerPayment: locator('={{ $json.id }}'),
					updateFields: { description: 'via chain' },
					options: { eTag: '={{ $json["@odata.etag"] }}', useBatch: false },
				},
			},
			{
				operation: 'delete',
				name: 'Delete',
				parameters: { company, customerPayment: locator('={{ $json.id }}'), options: { eTag: '={{ $json["@odata.etag"] }}' } },
			},
		];
		const activity = sandboxActivity(sandbox);

		const result = await runWorkflow(
			opsChain(
				[
					{ customer: '30000', amount: -11709.55, doc: 'CHAIN-1' },
					{ customer: '40000', amount: -943.86, doc: 'CHAIN-2' },
				],
				steps,
			),
			{ credentials: sandboxBearerCredentials(sandbox) },
		);

		const createdIds = jsonOf(result, 'Create').map((payment) => payment.id);
		expect(jsonOf(result, 'Get').map((payment) => payment.documentNumber)).toEqual(['CHAIN-1', 'CHAIN-2']);
		expect(jsonOf(result, 'Update').map((payment) => payment.description)).toEqual(['via chain', 'via chain']);
		expect(jsonOf(result, 'Delete')).toEqual(createdIds.map((id) => ({ deleted: true, id })));
		expect(sandbox.payments(company, general.id)).toHaveLength(before);
		expect(activity.writes().map((write) => write.method)).toEqual(['POST', 'POST', 'PATCH', 'PATCH', 'DELETE', 'DELETE']);
		// every write was guarded by the eTag of the step before it
		expect(activity.writes().every((write) => write.method === 'POST' || write.ifMatch === write.etagBefore)).toBe(true);
	});
});

describe('output schemas (nodes/BusinessCentral/__schema__) describe what the operations really return', () => {
	interface Schema {
		properties: Record<string, { type: string }>;
		required: string[];
	}

	function schema(operation: Operation): Schema {
		const file = path.resolve(__dirname, `../nodes/BusinessCentral/__schema__/v1.0.0/customerPayment/${operation}.json`);
		return JSON.parse(readFileSync(file, 'utf8')) as Schema;
	}

	function typeOf(value: unknown): string {
		if (Number.isInteger(value)) return 'integer';
		return typeof value;
	}

	function expectConforms(operation: Operation, outputs: IDataObject[]): void {
		const { properties, required } = schema(operation);
		expect(outputs.length).toBeGreaterThan(0);
		for (const output of outputs) {
			expect(Object.keys(output).filter((key) => !(key in properties))).toEqual([]);
			expect(required.filter((key) => !(key in output))).toEqual([]);
			for (const [key, value] of Object.entries(output)) {
				const wanted = properties[key].type;
				const actual = typeOf(value);
				expect({ key, type: wanted === 'number' && actual === 'integer' ? 'number' : actual }).toEqual({ key, type: wanted });
			}
		}
	}

	test('get, getAll, create, update and delete (default options)', async () => {
		const [general] = sandbox.journals(company).slice(1);
		const [createdPayment] = jsonOf(
			await run('create', [{}], { journal: general.id, customer: locator('10000', 'number'), amount: -10 }),
		);
		expectConforms('create', [createdPayment]);
		const id = String(createdPayment.id);
		expectConforms('get', jsonOf(await run('get', [{}], { customerPayment: id })));
		expectConforms('getAll', jsonOf(await run('getAll', [{}], { journal: general.id, limit: 5 })));
		expectConforms('update', jsonOf(await run('update', [{}], { customerPayment: id, updateFields: { amount: -11 } })));
		expectConforms('delete', jsonOf(await run('delete', [{}], { customerPayment: id })));
	});
});

describe('pickers against the sandbox (list search)', () => {
	async function search(method: string, parameters: IDataObject, filter?: string, paginationToken?: string, operation: Operation = 'create') {
		return await listSearch(method, opsNode(operation, { parameters: { company, ...parameters } }), {
			credentials: sandboxBearerCredentials(sandbox),
			filter,
			paginationToken,
		});
	}

	test('customers: number · name, paged by the server, searchable by name or number', async () => {
		// $orderby=number: Code fields sort as text (100000 before 20000)
		const byNumber = [...sandbox.customers(company)].sort((a, b) => (a.number < b.number ? -1 : 1));
		const names = byNumber.map((customer) => ({ name: `${customer.number} · ${customer.displayName}`, value: customer.id }));
		const pages = [];
		let token: string | undefined;
		do {
			const page = await search('searchCustomers', {}, undefined, token);
			pages.push(page.results);
			token = page.paginationToken as string | undefined;
		} while (token && pages.length < 10);
		expect(pages.map((page) => page.length)).toEqual([4, 4, 4]);
		expect(pages.flat()).toEqual(names);

		const found = await search('searchCustomers', {}, 'contoso');
		expect(found.results).toEqual([{ name: '90000 · Contoso Ltd.', value: sandbox.customers(company)[8].id }]);
	});

	test('open invoices of the chosen customer (by number, or from the list), only status Open', async () => {
		const expected = sandbox
			.invoices(company)
			.filter((invoice) => invoice.customerNumber === '20000' && invoice.status === 'Open')
			.map((invoice) => invoice.id);
		expect(expected).toHaveLength(2);

		const byNumber = await search('searchInvoices', { customer: locator('20000', 'number') });
		const fromList = await search('searchInvoices', { customer: locator(customer20000.id, 'list') });

		expect(byNumber.results.map((result) => result.value)).toEqual(expected);
		expect(fromList.results.map((result) => result.value)).toEqual(expected);
		// Get Many: narrowed by Filters → Customer Number; and searchable by invoice number
		const inGetMany = await search('searchInvoices', { filters: { customerNumber: '20000' } }, undefined, undefined, 'getAll');
		expect(inGetMany.results.map((result) => result.value)).toEqual(expected);
		const searched = await search('searchInvoices', { customer: locator('20000', 'number') }, '103003');
		expect(searched.results.map((result) => result.value)).toEqual([expected[1]]);
		expect(byNumber.results[0].name).toMatch(/^103002 · Trey Research · open 8022\.66 · due \d{4}-\d{2}-\d{2}$/);
	});

	test('customer payment journals: code · name', async () => {
		const result = await search('searchJournals', {});

		expect(result.results).toEqual([
			{ name: 'CASH RCPT · Cash receipts', value: cashReceipts.id },
			{ name: 'GENERAL · Default Journal Batch', value: general.id },
			// seeded empty for the cash-receipts example (sandbox/server.cts seedStatementJournals)
			{ name: 'STATEMENT · Bank statement receipts', value: sandbox.journals(company)[2].id },
		]);
	});
});
