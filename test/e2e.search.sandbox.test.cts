/**
 * End to end over real loopback HTTP: the node's list searches (the pickers
 * of Company, Journal, Customer Payment, Customer and Applies-to Invoice) run
 * with n8n-core's LoadOptionsContext against a sandbox that pages every 5
 * entities, following `@odata.nextLink` through `paginationToken`.
 * No nock in this file.
 */
import type { INode, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { listSearch } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import {
	businessCentralNode,
	locator,
	sandboxActivity,
	sandboxBearerCredentials,
	sandboxOAuth2Credentials,
	type UpdateNodeOptions,
} from './fixtures.cjs';

const PAGE_SIZE = 5;

let sandbox: Sandbox;
let company: string;
let journal: string;
let otherJournal: string;

function node(parameters: UpdateNodeOptions = {}): INode {
	return businessCentralNode({ company, payment: locator('', 'list'), ...parameters });
}

async function search(
	method: string,
	parameters: UpdateNodeOptions = {},
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listSearch(method, node(parameters), {
		credentials: sandboxBearerCredentials(sandbox),
		filter,
		paginationToken,
	});
}

/** Follows paginationToken to the end; returns every page. */
async function allPages(
	method: string,
	parameters: UpdateNodeOptions = {},
	filter?: string,
): Promise<INodeListSearchResult[]> {
	const pages: INodeListSearchResult[] = [];
	let token: string | undefined;
	do {
		const page = await search(method, parameters, filter, token);
		pages.push(page);
		token = page.paginationToken as string | undefined;
		if (pages.length > 50) throw new Error('pagination does not end');
	} while (token);
	return pages;
}

const values = (items: INodeListSearchItems[]) => items.map((item) => String(item.value));

describe('list searches against the sandbox (server pages of 5)', () => {
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 99, pageSize: PAGE_SIZE });
		company = sandbox.companies()[0].id;
		[journal, otherJournal] = sandbox.journals(company).map((j) => j.id);
		// more than two pages in the first journal, a bit more in the other
		sandbox.seedPayments(company, journal, 9);
		sandbox.seedPayments(company, otherJournal, 2);
	});

	afterAll(async () => {
		await sandbox.close();
	});

	test('searchPayments with a journal: pages follow @odata.nextLink, no duplicates, every payment of the journal', async () => {
		const expected = sandbox.payments(company, journal);
		expect(expected.length).toBeGreaterThan(2 * PAGE_SIZE);

		const first = await search('searchPayments', { journal: locator(journal, 'id') });
		expect(first.results).toHaveLength(PAGE_SIZE);
		expect(first.paginationToken).toEqual(expect.any(String));
		expect(String(first.paginationToken)).toContain('$skiptoken=');

		const second = await search(
			'searchPayments',
			{ journal: locator(journal, 'id') },
			undefined,
			first.paginationToken as string,
		);
		expect(second.results).toHaveLength(PAGE_SIZE);
		expect(values(second.results).some((id) => values(first.results).includes(id))).toBe(false);

		const pages = await allPages('searchPayments', { journal: locator(journal, 'id') });
		expect(pages).toHaveLength(Math.ceil(expected.length / PAGE_SIZE));
		expect(pages[pages.length - 1].paginationToken).toBeUndefined();
		const seen = pages.flatMap((page) => values(page.results));
		expect(new Set(seen).size).toBe(seen.length);
		// in line-number order, exactly the journal's payments
		expect(seen).toEqual(expected.map((p) => p.id));
		const byId = new Map(expected.map((p) => [p.id, p]));
		for (const item of pages.flatMap((page) => page.results)) {
			const payment = byId.get(String(item.value))!;
			expect(item.name).toContain(payment.documentNumber);
			expect(item.name).toContain(payment.customerNumber);
		}
	});

	test('searchPayments with a journal and a filter: only matching payments', async () => {
		const target = sandbox.payments(company, journal)[7];
		const pages = await allPages(
			'searchPayments',
			{ journal: locator(journal, 'id') },
			target.documentNumber.toLowerCase(),
		);
		const seen = pages.flatMap((page) => values(page.results));
		const expected = sandbox
			.payments(company, journal)
			.filter((p) =>
				[p.documentNumber, p.customerNumber, p.description, p.externalDocumentNumber].some((text) =>
					text.toLowerCase().includes(target.documentNumber.toLowerCase()),
				),
			);
		expect(seen).toContain(target.id);
		expect(seen).toEqual(expected.map((p) => p.id));
	});

	test('searchPayments without a journal: payments of all journals, every one reachable, no duplicates', async () => {
		const expected = sandbox.payments(company);
		expect(new Set(expected.map((p) => p.journalId))).toEqual(new Set([journal, otherJournal]));

		const pages = await allPages('searchPayments', { journal: locator('', 'list') });
		const seen = pages.flatMap((page) => values(page.results));

		expect(new Set(seen).size).toBe(seen.length);
		// journal after journal, each in line-number order
		expect(seen).toEqual(expected.map((p) => p.id));
		expect(pages[0].paginationToken).toEqual(expect.any(String));
		// never more than a server page per call
		for (const page of pages) expect(page.results.length).toBeLessThanOrEqual(PAGE_SIZE);
	});

	test('searchPayments without a journal and a filter matching only the second journal: found in one call, no `or` across properties', async () => {
		const target = sandbox.payments(company, otherJournal)[2];
		const activity = sandboxActivity(sandbox);

		const result = await search(
			'searchPayments',
			{ journal: locator('', 'list') },
			target.documentNumber,
		);

		expect(values(result.results)).toEqual([target.id]);
		expect(result.paginationToken).toBeUndefined();
		// the journal list, then each of the 3 journals (STATEMENT seeded empty) × the 4 searched properties, one at a time
		expect(activity.byMethod()).toEqual({ GET: 1 + 3 * 4 });
	});

	test('searchCompanies: all companies, and with a filter only the matching one', async () => {
		const companies = sandbox.companies();
		const all = await allPages('searchCompanies');
		expect(all.flatMap((page) => values(page.results))).toEqual(companies.map((c) => c.id));

		const target = companies[1];
		const word = target.displayName
			.split(/[ ,]+/)
			.find((part) => !companies[0].displayName.includes(part))!;
		const filtered = await allPages('searchCompanies', {}, word.toUpperCase());
		const results = filtered.flatMap((page) => page.results);
		expect(results).toEqual([{ name: target.displayName, value: target.id }]);
	});

	test('searchCustomers: every customer across pages, by number', async () => {
		const customers = sandbox.customers(company);
		expect(customers.length).toBeGreaterThan(PAGE_SIZE);

		const pages = await allPages('searchCustomers');
		expect(pages.length).toBeGreaterThan(1);
		const results = pages.flatMap((page) => page.results);
		const sorted = [...customers].sort((a, b) =>
			a.number < b.number ? -1 : a.number > b.number ? 1 : 0,
		);
		expect(results.map((item) => item.value)).toEqual(sorted.map((c) => c.id));
		expect(results[0].name).toBe(`${sorted[0].number} · ${sorted[0].displayName}`);

		const one = await allPages('searchCustomers', {}, sorted[3].displayName.slice(0, 6));
		expect(one.flatMap((page) => values(page.results))).toContain(sorted[3].id);
	});

	test('searchInvoices: only Open posted invoices; narrowed to the chosen customer', async () => {
		const invoices = sandbox.invoices(company);
		const open = invoices.filter((invoice) => invoice.status === 'Open');
		expect(invoices.some((invoice) => invoice.status !== 'Open')).toBe(true);

		const pages = await allPages('searchInvoices');
		const seen = pages.flatMap((page) => values(page.results));
		expect(new Set(seen).size).toBe(seen.length);
		expect(new Set(seen)).toEqual(new Set(open.map((invoice) => invoice.id)));

		const customerId = open[0].customerId;
		const forCustomer = await allPages('searchInvoices', {
			updateFields: { customer: locator(customerId, 'id') },
		});
		expect(new Set(forCustomer.flatMap((page) => values(page.results)))).toEqual(
			new Set(
				open.filter((invoice) => invoice.customerId === customerId).map((invoice) => invoice.id),
			),
		);
	});

	test("searchJournals: the company's journals, filterable by code", async () => {
		const journals = sandbox.journals(company);
		const all = (await allPages('searchJournals')).flatMap((page) => page.results);
		expect(all.map((item) => item.value)).toEqual(journals.map((j) => j.id));
		expect(all[0].name).toContain(journals[0].code);

		const filtered = (await allPages('searchJournals', {}, journals[1].code.toLowerCase())).flatMap(
			(page) => page.results,
		);
		expect(filtered.map((item) => item.value)).toEqual([journals[1].id]);
	});

	test('list search with OAuth2 credentials fetches a token from the sandbox', async () => {
		const issued = sandbox.stats.tokensIssued;
		const activity = sandboxActivity(sandbox);

		const result = await listSearch('searchCompanies', node({ authentication: 'oAuth2' }), {
			credentials: sandboxOAuth2Credentials(sandbox),
		});

		expect(values(result.results)).toEqual(sandbox.companies().map((c) => c.id));
		expect(sandbox.stats.tokensIssued).toBe(issued + 1);
		expect(activity.byMethod()).toEqual({ POST: 1, GET: 1 });
	});

	test('a pagination token pointing outside the configured API is refused, nothing requested', async () => {
		const activity = sandboxActivity(sandbox);
		await expect(
			search(
				'searchCustomers',
				{},
				undefined,
				'http://127.0.0.1:1/elsewhere/companies?$skiptoken=5',
			),
		).rejects.toThrow(/outside the configured Business Central API/);
		expect(activity.requests()).toBe(0);
	});
});
