/**
 * The pickers as a new user meets them, against the sandbox over loopback HTTP (its
 * OData evaluator refuses `or` across properties as Business Central does), through
 * n8n-core's LoadOptionsContext. No nock in this file.
 *
 * - The payment list's labels show customer, amount, date, document number (and journal
 *   when no journal is chosen), and what they show can be searched: an amount typed as
 *   shown or without its sign, a date, a month.
 * - The open-invoice list narrowed to a customer without open invoices says so.
 * - The examples' company and journal names are the names the pickers give them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { INode, INodeListSearchItems } from 'n8n-workflow';

import { listSearch, NODE_TYPE, type WorkflowJson } from '../dev/engine.cjs';
import { startSandbox, type CustomerPayment, type Sandbox } from '../sandbox/index.cjs';
import { businessCentralNode, locator, sandboxBearerCredentials } from './fixtures.cjs';

const EXAMPLES_DIR = path.resolve(__dirname, '../examples');

let sandbox: Sandbox;
let company: string;
let journal: string;

/** The Update node of the fixtures with `parameters` laid over it. */
function node(parameters: Record<string, unknown> = {}): INode {
	const base = businessCentralNode({ company, payment: locator('', 'list') });
	base.parameters = { ...base.parameters, ...parameters } as INode['parameters'];
	return base;
}

async function search(method: string, parameters: Record<string, unknown> = {}, filter?: string) {
	return await listSearch(method, node(parameters), { credentials: sandboxBearerCredentials(sandbox), filter });
}

const ids = (items: INodeListSearchItems[]) => items.map((item) => String(item.value)).sort();
const idsOf = (payments: CustomerPayment[]) => payments.map((payment) => payment.id).sort();

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 42, pageSize: 50 });
	company = sandbox.companies()[0].id;
	journal = sandbox.journals(company)[0].id;
});

afterAll(async () => {
	await sandbox.close();
});

describe('payment picker', () => {
	test('labels: "Cust. <no.> · amount as grouped number · posting date · document no."', async () => {
		const [first] = sandbox.payments(company, journal);
		const { results } = await search('searchPayments', { journal: locator(journal, 'id') });
		const label = results.find((item) => item.value === first.id)!.name;
		const amount = first.amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 10 });
		expect(label).toBe(`Cust. ${first.customerNumber} · ${amount} · ${first.postingDate} · ${first.documentNumber}`);
	});

	test('the amount as the label shows it, or without its sign, finds exactly the payments of that amount', async () => {
		const payments = sandbox.payments(company, journal);
		const target = payments.find((payment) => Math.abs(payment.amount) >= 1000)!;
		const shown = target.amount.toLocaleString('en-US', { minimumFractionDigits: 2 });
		const sameAmount = payments.filter((payment) => payment.amount === target.amount);
		const eitherSign = payments.filter((payment) => Math.abs(payment.amount) === Math.abs(target.amount));

		const asShown = await search('searchPayments', { journal: locator(journal, 'id') }, shown);
		const unsigned = await search('searchPayments', { journal: locator(journal, 'id') }, String(Math.abs(target.amount)));

		expect(ids(asShown.results)).toEqual(idsOf(sameAmount));
		// plus any payment whose text properties contain the digits (e.g. a document number)
		expect(ids(unsigned.results)).toEqual(expect.arrayContaining(idsOf(eitherSign)));
	});

	test('a date and a month find the payments posted then (a refused `or` would fail the search), in every journal when none is chosen, each label naming its journal', async () => {
		const all = sandbox.payments(company);
		const target = all[all.length - 1];
		const codes = new Map(sandbox.journals(company).map((j) => [j.id, j.code]));

		const onDay = await search('searchPayments', { journal: locator('', 'list') }, target.postingDate);
		const month = target.postingDate.slice(0, 7);
		const inMonth = await search('searchPayments', { journal: locator('', 'list') }, month);

		expect(ids(onDay.results)).toEqual(idsOf(all.filter((payment) => payment.postingDate === target.postingDate)));
		expect(ids(inMonth.results)).toEqual(idsOf(all.filter((payment) => payment.postingDate.startsWith(month))));
		for (const item of onDay.results) {
			const payment = all.find((candidate) => candidate.id === item.value)!;
			expect(item.name.endsWith(` · ${codes.get(payment.journalId)}`)).toBe(true);
		}
	});
});

test('invoice picker narrowed to a customer without open invoices says so instead of "No results"', async () => {
	const open = new Set(
		sandbox
			.invoices(company)
			.filter((invoice) => invoice.status === 'Open')
			.map((invoice) => invoice.customerId),
	);
	const without = sandbox.customers(company).find((customer) => !open.has(customer.id));
	expect(without).toBeDefined();

	await expect(
		search('searchInvoices', { operation: 'create', customer: locator(without!.number, 'number') }),
	).rejects.toThrow(
		`No open invoices of customer ${without!.number}: this list shows only the open invoices of the customer chosen in Customer.`,
	);
	const withOpen = sandbox.customers(company).find((customer) => open.has(customer.id))!;
	const { results } = await search('searchInvoices', { operation: 'create', customer: locator(withOpen.id, 'list') });
	expect(results.length).toBeGreaterThan(0);
});

test("the examples' company and journal names are the names the pickers show for them", async () => {
	const named: string[] = [];
	for (const file of readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'))) {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
		for (const example of workflow.nodes.filter((candidate) => candidate.type === NODE_TYPE)) {
			for (const [key, method] of [['company', 'searchCompanies'], ['journal', 'searchJournals']]) {
				const chosen = example.parameters[key] as { value?: string; cachedResultName?: string } | undefined;
				if (!chosen?.cachedResultName) continue;
				const { results } = await search(method, { company: example.parameters.company });
				expect({ file, key, name: results.find((item) => item.value === chosen.value)?.name }).toEqual({
					file,
					key,
					name: chosen.cachedResultName,
				});
				named.push(`${file}:${key}`);
			}
		}
	}
	expect(named.length).toBeGreaterThanOrEqual(14);
});
