/**
 * The pickers' list searches through n8n-core's LoadOptionsContext: OData
 * queries, result names, server-driven paging, and links that are not followed.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { listSearch } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	businessCentralNode,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	expectNoSecrets,
	INVOICE,
	JOURNAL,
	JOURNAL_2,
	locator,
	PAYMENT,
	PAYMENT_2,
	paymentRecord,
	SAAS_BASE,
	SAAS_PATH,
	saasApi,
	type UpdateNodeOptions,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const COMPANY_2 = '6f1fe3d1-4b7c-ef11-8a6b-6045bde9c5a2';
const COMPANY_PATH = `${SAAS_PATH}/companies(${COMPANY})`;

const api = () => saasApi(nock, { prefer: 'odata.maxpagesize=50' });

async function search(method: string, parameters: UpdateNodeOptions = {}, filter?: string, paginationToken?: string) {
	return await listSearch(method, businessCentralNode(parameters), {
		credentials: bearerCredentials(),
		filter,
		paginationToken,
	});
}

/** A search from a node of another operation than Update: its parameters laid over the Update node's. */
async function searchIn(method: string, parameters: IDataObject, filter?: string) {
	const node = businessCentralNode({});
	node.parameters = { ...node.parameters, ...parameters } as typeof node.parameters;
	return await listSearch(method, node, { credentials: bearerCredentials(), filter });
}

describe('searchCompanies', () => {
	test('a search asks name and display name one at a time (Business Central refuses `or` across properties), merges, each company once', async () => {
		const scope = api()
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName', $filter: "contains(name,'CRO')", $top: '50' })
			.reply(200, {
				value: [
					{ id: COMPANY, name: 'CRONUS USA', displayName: 'CRONUS USA, Inc.' },
					{ id: COMPANY_2, name: 'CRONUS UK', displayName: '' },
				],
				'@odata.nextLink': `${SAAS_BASE}/companies?$skiptoken=abc`,
			})
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName', $filter: "contains(displayName,'CRO')", $top: '50' })
			.reply(200, { value: [{ id: COMPANY, name: 'CRONUS USA', displayName: 'CRONUS USA, Inc.' }] });

		const result = await search('searchCompanies', {}, 'CRO');

		expect(result).toEqual({
			results: [
				{ name: 'CRONUS USA, Inc.', value: COMPANY },
				{ name: 'CRONUS UK', value: COMPANY_2 },
			],
		});
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('the pagination token is followed as is; the last page has no token', async () => {
		const scope = api()
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName', $skiptoken: 'abc' })
			.reply(200, { value: [{ id: COMPANY_2, name: 'CRONUS UK', displayName: 'CRONUS UK Ltd.' }] });

		const result = await search(
			'searchCompanies',
			{},
			undefined,
			`${SAAS_BASE}/companies?$select=id,name,displayName&$skiptoken=abc`,
		);

		expect(result).toEqual({ results: [{ name: 'CRONUS UK Ltd.', value: COMPANY_2 }], paginationToken: undefined });
		expect(scope.isDone()).toBe(true);
	});

	test('no filter: no $filter sent; a quote in the filter is escaped as in OData', async () => {
		const scope = api()
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName' })
			.reply(200, { value: [] })
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName', $filter: "contains(name,'O''Brien')", $top: '50' })
			.reply(200, { value: [] })
			.get(`${SAAS_PATH}/companies`)
			.query({ $select: 'id,name,displayName', $filter: "contains(displayName,'O''Brien')", $top: '50' })
			.reply(200, { value: [] });

		expect(await search('searchCompanies', {}, '  ')).toEqual({ results: [], paginationToken: undefined });
		expect(await search('searchCompanies', {}, "O'Brien")).toEqual({ results: [] });
		expect(scope.isDone()).toBe(true);
	});

	test.each([
		['another host', 'https://bc.attacker.example/v2.0/x/production/api/v2.0/companies?$skiptoken=abc'],
		['another tenant on the same host', 'https://api.businesscentral.dynamics.com/v2.0/fabrikam.onmicrosoft.com/production/api/v2.0/companies?$skiptoken=abc'],
		['a look-alike host', `https://api.businesscentral.dynamics.com.attacker.example/v2.0/${SAAS_PATH}/companies`],
	])('a nextLink to %s is refused, nothing is sent there (token stays home)', async (_name, link) => {
		await expect(search('searchCompanies', {}, undefined, link)).rejects.toThrow(
			`Refused to follow a link outside the configured Business Central API: ${link}`,
		);
		expect(requests.unmatched).toEqual([]);
	});

	test('an error answer becomes a NodeApiError with Business Central\'s code; the token is not in it', async () => {
		api()
			.get(`${SAAS_PATH}/companies`)
			.query(true)
			.reply(401, bcError('Authentication_InvalidCredentials', 'The server has rejected the client credentials.'));

		const error = await search('searchCompanies').catch((caught: Error & IDataObject) => caught);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe('Listing companies failed: The server has rejected the client credentials.');
		expect((error as IDataObject).httpCode).toBe('401');
		expect((error as IDataObject).description).toContain('Code: Authentication_InvalidCredentials.');
		expectNoSecrets([error]);
	});

	test('an answer that is not a list is reported', async () => {
		api().get(`${SAAS_PATH}/companies`).query(true).reply(200, '<html>Sign in to your account</html>');

		await expect(search('searchCompanies')).rejects.toThrow('Business Central sent an unexpected list for companies');
	});
});

describe('searchJournals', () => {
	test('lists the customer payment journals of the company', async () => {
		const scope = api()
			.get(`${COMPANY_PATH}/customerPaymentJournals`)
			.query({ $select: 'id,code,displayName', $filter: "contains(code,'CASH')", $top: '50' })
			.reply(200, {
				value: [
					{ id: JOURNAL, code: 'CASH RCPT', displayName: 'Cash receipts' },
					{ id: JOURNAL_2, code: 'CASH2', displayName: '' },
				],
			})
			.get(`${COMPANY_PATH}/customerPaymentJournals`)
			.query({ $select: 'id,code,displayName', $filter: "contains(displayName,'CASH')", $top: '50' })
			.reply(200, { value: [] });

		const result = await search('searchJournals', {}, 'CASH');

		expect(result).toEqual({
			results: [
				{ name: 'CASH RCPT · Cash receipts', value: JOURNAL },
				{ name: 'CASH2', value: JOURNAL_2 },
			],
		});
		expect(scope.isDone()).toBe(true);
	});

	test('the company may be given by URL', async () => {
		const scope = api().get(`${COMPANY_PATH}/customerPaymentJournals`).query(true).reply(200, { value: [] });

		await search('searchJournals', { company: locator(`${SAAS_BASE}/companies(${COMPANY})`, 'url') });

		expect(scope.isDone()).toBe(true);
	});

	test('no company chosen: "Choose a Company first", no request', async () => {
		await expect(search('searchJournals', { company: locator('', 'list') })).rejects.toThrow(
			'Choose a Company first',
		);
		expect(requests.unmatched).toEqual([]);
	});
});

const payment1 = paymentRecord(PAYMENT, ETAG_1);
const payment2 = paymentRecord(PAYMENT_2, ETAG_1, {
	documentNumber: 'G02002',
	customerNumber: '20000',
	amount: -250.5,
	postingDate: '2026-11-03',
	description: '',
});

describe('searchPayments', () => {
	test('with a journal: filter journalId eq <journal>, ordered by line number, the next link as the token', async () => {
		const nextLink = `${COMPANY_PATH.replace(SAAS_PATH, SAAS_BASE)}/customerPayments?$skiptoken=2`;
		const scope = api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}`, $orderby: 'lineNumber' })
			.reply(200, { value: [payment1, payment2], '@odata.nextLink': nextLink });

		const result = await search('searchPayments', { journal: locator(JOURNAL) });

		expect(result).toEqual({
			results: [
				{ name: 'Cust. 10000 · -1,500.00 · 2026-11-02 · G02001', value: PAYMENT },
				{ name: 'Cust. 20000 · -250.50 · 2026-11-03 · G02002', value: PAYMENT_2 },
			],
			paginationToken: nextLink,
		});
		expect(scope.isDone()).toBe(true);
	});

	test('with a journal and a search: each searched property on its own, ANDed with the journal, merged', async () => {
		let scope = api();
		const answers: Record<string, unknown[]> = { documentNumber: [payment1, payment2], customerNumber: [], description: [payment1], externalDocumentNumber: [] };
		for (const field of ['documentNumber', 'customerNumber', 'description', 'externalDocumentNumber']) {
			scope = scope
				.get(`${COMPANY_PATH}/customerPayments`)
				.query({ $filter: `journalId eq ${JOURNAL} and contains(${field},'G02')`, $orderby: 'lineNumber', $top: '50' })
				.reply(200, { value: answers[field] });
		}

		const result = await search('searchPayments', { journal: locator(JOURNAL) }, 'G02');

		expect(result).toEqual({
			results: [
				{ name: 'Cust. 10000 · -1,500.00 · 2026-11-02 · G02001', value: PAYMENT },
				{ name: 'Cust. 20000 · -250.50 · 2026-11-03 · G02002', value: PAYMENT_2 },
			],
		});
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('without a journal: lists the journals, then the payments of each journal (never company-wide)', async () => {
		const scope = api()
			.get(`${COMPANY_PATH}/customerPaymentJournals`)
			.query({ $select: 'id,code' })
			.reply(200, { value: [{ id: JOURNAL, code: 'CASH RCPT' }, { id: JOURNAL_2, code: 'GENERAL' }] })
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}`, $orderby: 'lineNumber' })
			.reply(200, { value: [] })
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL_2}`, $orderby: 'lineNumber' })
			.reply(200, { value: [payment2] });

		const result = await search('searchPayments');

		// no journal chosen: each label says which journal the payment is in
		expect(result.results).toEqual([{ name: 'Cust. 20000 · -250.50 · 2026-11-03 · G02002 · GENERAL', value: PAYMENT_2 }]);
		expect(result.paginationToken).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('without a journal, more than one journal with payments: the token leads to the next journal', async () => {
		const journals = () =>
			api()
				.get(`${COMPANY_PATH}/customerPaymentJournals`)
				.query({ $select: 'id,code' })
				.reply(200, { value: [{ id: JOURNAL, code: 'CASH RCPT' }, { id: JOURNAL_2, code: 'GENERAL' }] });
		const first = journals()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}`, $orderby: 'lineNumber' })
			.reply(200, { value: [payment1] });

		const page1 = await search('searchPayments');

		expect(page1.results.map((item) => item.value)).toEqual([PAYMENT]);
		expect(page1.paginationToken).toEqual(expect.any(String));
		expect(first.isDone()).toBe(true);

		const second = journals()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL_2}`, $orderby: 'lineNumber' })
			.reply(200, { value: [payment2] });

		const page2 = await search('searchPayments', {}, undefined, page1.paginationToken as string);

		expect(page2.results.map((item) => item.value)).toEqual([PAYMENT_2]);
		expect(page2.paginationToken).toBeUndefined();
		expect(second.isDone()).toBe(true);
	});
});

describe('searchPayments: the journal list behind "every journal" is paged with one guard', () => {
	// review (issue 13): each journal page was checked only against the link it came from,
	// so two links pointing at each other (A → B → A …) were followed without end.
	test('journal pages whose next links point at each other: stopped with an error, not followed forever', async () => {
		const journalsUrl = `${COMPANY_PATH}/customerPaymentJournals`;
		const link = (token: string) => `${journalsUrl.replace(SAAS_PATH, SAAS_BASE)}?$select=id,code&$skiptoken=${token}`;
		let asked = 0;
		// after 12 pages the fake server gives up (no next link), so a missing guard ends the test instead of hanging it
		const answer = (token: string, row: IDataObject) => () => {
			asked++;
			return [200, asked > 12 ? { value: [row] } : { value: [row], '@odata.nextLink': link(token) }];
		};
		api()
			.get(journalsUrl)
			.query({ $select: 'id,code' })
			.reply(answer('A', { id: JOURNAL, code: 'CASH RCPT' }))
			.get(journalsUrl)
			.query({ $select: 'id,code', $skiptoken: 'A' })
			.times(6)
			.reply(answer('B', { id: JOURNAL_2, code: 'GENERAL' }))
			.get(journalsUrl)
			.query({ $select: 'id,code', $skiptoken: 'B' })
			.times(6)
			.reply(answer('A', { id: JOURNAL, code: 'CASH RCPT' }));

		const outcome = await search('searchPayments', {}, 'G02').then(
			() => 'listed',
			(error: Error) => error.message,
		);

		expect({ outcome, asked }).toEqual({ outcome: expect.stringMatching(/same next-page link twice/), asked: 3 });
		nock.cleanAll(); // the pages a guarded read never asks for
	});
});

describe('searchPayments: what the labels show is what a search finds', () => {
	const TEXT_FIELDS = ['documentNumber', 'customerNumber', 'description', 'externalDocumentNumber'];

	/** The journal's payments asked once per condition (strict nock: nothing else may be asked). */
	function expectConditions(conditions: string[], answers: Record<string, unknown[]> = {}) {
		let scope = api();
		for (const condition of conditions) {
			scope = scope
				.get(`${COMPANY_PATH}/customerPayments`)
				.query({ $filter: `journalId eq ${JOURNAL} and ${condition}`, $orderby: 'lineNumber', $top: '50' })
				.reply(200, { value: answers[condition] ?? [] });
		}
		return scope;
	}
	const contains = (text: string) => TEXT_FIELDS.map((field) => `contains(${field},'${text}')`);

	test.each([
		['a number without sign: the amount with either sign (a received payment is usually negative)', '1500', ['(amount eq 1500 or amount eq -1500)']],
		['an amount as the list shows it (grouped, signed, decimals)', '-1,500.00', ['amount eq -1500']],
		['a date as the list shows it', '2026-11-02', ['postingDate eq 2026-11-02']],
		['a month', '2024-02', ['postingDate ge 2024-02-01 and postingDate le 2024-02-29']],
		['plain text: only the text properties', 'Adatum', []],
		['not a real date: only the text properties', '2026-02-30', []],
		// review (issue 13): the literal is written as typed, never in exponent form (String(1e-7) is "1e-7")
		['a small amount: a plain decimal literal', '0.0000001', ['(amount eq 0.0000001 or amount eq -0.0000001)']],
		['leading and trailing zeros dropped, a plus sign kept as positive', '+001500.50', ['amount eq 1500.5']],
		['minus zero is zero', '-0', ['amount eq 0']],
		['the largest amount Business Central stores (15 integer digits)', '999,999,999,999,999.99', ['(amount eq 999999999999999.99 or amount eq -999999999999999.99)']],
		// beyond Business Central's range (the node's own input rule) or in exponent form: text only
		['a grouped number beyond what Business Central stores: text only', '1,000,000,000,000,000,000', []],
		['exponent form is not an amount as the list shows it: text only', '1e3', []],
		// review (issue 13): the label starts with "Cust. 10000"; typed as shown it finds that customer's payments
		['the customer as the label shows it', 'Cust. 10000', ["contains(customerNumber,'10000')"]],
		["the label's customer typed without the space, in lower case", 'cust.10000', ["contains(customerNumber,'10000')"]],
	])('%s', async (_name, text, typed) => {
		const scope = expectConditions([...contains(text), ...typed], { [typed[0] ?? 'none']: [payment1] });

		const result = await search('searchPayments', { journal: locator(JOURNAL) }, text);

		expect(result.results).toEqual(typed.length ? [{ name: 'Cust. 10000 · -1,500.00 · 2026-11-02 · G02001', value: PAYMENT }] : []);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('quotes, percent, ampersand and hash in the search text stay inside the OData literal', async () => {
		const text = "O'Brien 100% & #1";
		const scope = expectConditions(TEXT_FIELDS.map((field) => `contains(${field},'O''Brien 100% & #1')`));

		const result = await search('searchPayments', { journal: locator(JOURNAL) }, text);

		expect(result.results).toEqual([]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('a search without a journal: every journal in turn, each label ends with its journal', async () => {
		let scope = api()
			.get(`${COMPANY_PATH}/customerPaymentJournals`)
			.query({ $select: 'id,code' })
			.reply(200, { value: [{ id: JOURNAL, code: 'CASH RCPT' }, { id: JOURNAL_2, code: 'GENERAL' }] });
		for (const [journal, found] of [[JOURNAL, payment1], [JOURNAL_2, payment2]] as const) {
			for (const condition of [...contains('2026-11'), 'postingDate ge 2026-11-01 and postingDate le 2026-11-30']) {
				scope = scope
					.get(`${COMPANY_PATH}/customerPayments`)
					.query({ $filter: `journalId eq ${journal} and ${condition}`, $orderby: 'lineNumber', $top: '50' })
					.reply(200, { value: condition.startsWith('postingDate') ? [found] : [] });
			}
		}

		const result = await search('searchPayments', {}, '2026-11');

		expect(result.results).toEqual([
			{ name: 'Cust. 10000 · -1,500.00 · 2026-11-02 · G02001 · CASH RCPT', value: PAYMENT },
			{ name: 'Cust. 20000 · -250.50 · 2026-11-03 · G02002 · GENERAL', value: PAYMENT_2 },
		]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('labels: a payment without customer says so; amounts keep every decimal Business Central sent', async () => {
		const scope = api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}`, $orderby: 'lineNumber' })
			.reply(200, {
				value: [paymentRecord(PAYMENT, ETAG_1, { customerNumber: '', amount: 1234567.125, documentNumber: '' })],
			});

		const result = await search('searchPayments', { journal: locator(JOURNAL) });

		expect(result.results).toEqual([{ name: 'No customer · 1,234,567.125 · 2026-11-02', value: PAYMENT }]);
		expect(scope.isDone()).toBe(true);
	});
});

describe('searchCustomers and searchInvoices', () => {
	test('customers: number and name, ordered by number', async () => {
		const scope = api()
			.get(`${COMPANY_PATH}/customers`)
			.query({ $select: 'id,number,displayName', $filter: "contains(number,'Ada')", $orderby: 'number', $top: '50' })
			.reply(200, { value: [] })
			.get(`${COMPANY_PATH}/customers`)
			.query({ $select: 'id,number,displayName', $filter: "contains(displayName,'Ada')", $orderby: 'number', $top: '50' })
			.reply(200, { value: [{ id: CUSTOMER, number: '10000', displayName: 'Adatum Corporation' }] });

		const result = await search('searchCustomers', {}, 'Ada');

		expect(result).toEqual({ results: [{ name: '10000 · Adatum Corporation', value: CUSTOMER }] });
		expect(scope.isDone()).toBe(true);
	});

	const invoice = {
		id: INVOICE,
		number: '103022',
		customerNumber: '10000',
		customerName: 'Adatum Corporation',
		remainingAmount: 1500,
		dueDate: '2026-12-01',
	};
	const select = 'id,number,customerNumber,customerName,remainingAmount,dueDate';

	test("invoices: only open ones (status eq 'Open')", async () => {
		const scope = api()
			.get(`${COMPANY_PATH}/salesInvoices`)
			.query({ $select: select, $filter: "status eq 'Open'", $orderby: 'number' })
			.reply(200, { value: [invoice] });

		const result = await search('searchInvoices');

		expect(result.results).toEqual([
			{ name: '103022 · Adatum Corporation · open 1500 · due 2026-12-01', value: INVOICE },
		]);
		expect(scope.isDone()).toBe(true);
	});

	test('invoices: narrowed to the customer chosen in Update Fields, and to the search text', async () => {
		let scope = api();
		for (const field of ['number', 'customerName', 'customerNumber']) {
			scope = scope
				.get(`${COMPANY_PATH}/salesInvoices`)
				.query({
					$select: select,
					$filter: `status eq 'Open' and customerId eq ${CUSTOMER} and contains(${field},'1030')`,
					$orderby: 'number',
					$top: '50',
				})
				.reply(200, { value: field === 'number' ? [invoice] : [] });
		}

		const result = await search('searchInvoices', { updateFields: { customer: locator(CUSTOMER, 'list') } }, '1030');

		expect(result.results).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
	});

	test.each([
		[
			'Update Fields → Customer',
			{ updateFields: { customer: locator(CUSTOMER, 'list') } },
			`customerId eq ${CUSTOMER}`,
			`No open invoices of the customer with ID ${CUSTOMER}: this list shows only the open invoices of the customer chosen in Update Fields → Customer or Customer Number.`,
		],
		[
			"Create's Customer By No.",
			{ operation: 'create', customer: locator('c10000', 'number') },
			"customerNumber eq 'C10000'",
			'No open invoices of customer C10000: this list shows only the open invoices of the customer chosen in Customer.',
		],
		[
			"Get Many's Filters → Customer Number",
			{ operation: 'getAll', filters: { customerNumber: '20000' } },
			"customerNumber eq '20000'",
			'No open invoices of customer 20000: this list shows only the open invoices of the customer chosen in Filters → Customer or Customer Number.',
		],
	])('invoices narrowed by %s, none open: an error says the list is narrowed and where (not a bare "No results")', async (_name, parameters, condition, message) => {
		const scope = api()
			.get(`${COMPANY_PATH}/salesInvoices`)
			.query({ $select: select, $filter: `status eq 'Open' and ${condition}`, $orderby: 'number' })
			.reply(200, { value: [] });

		const error = await searchIn('searchInvoices', parameters).catch((caught: Error) => caught);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe(
			`${message} Change or clear that customer to see other customers' open invoices.`,
		);
		expect(scope.isDone()).toBe(true);
	});

	test('invoices narrowed and searched, nothing matches: the message names the search too; not narrowed: an empty list', async () => {
		let scope = api();
		for (const field of ['number', 'customerName', 'customerNumber']) {
			scope = scope
				.get(`${COMPANY_PATH}/salesInvoices`)
				.query({ $select: select, $filter: `status eq 'Open' and customerId eq ${CUSTOMER} and contains(${field},'999')`, $orderby: 'number', $top: '50' })
				.reply(200, { value: [] });
		}
		scope = scope
			.get(`${COMPANY_PATH}/salesInvoices`)
			.query({ $select: select, $filter: "status eq 'Open'", $orderby: 'number' })
			.reply(200, { value: [] });

		await expect(
			searchIn('searchInvoices', { updateFields: { customer: locator(CUSTOMER, 'list') } }, '999'),
		).rejects.toThrow(`No open invoices of the customer with ID ${CUSTOMER} matching "999": this list shows only`);
		expect(await search('searchInvoices')).toEqual({ results: [], paginationToken: undefined });
		expect(scope.isDone()).toBe(true);
	});

	test('invoices: a customer value that is not a GUID is not put into the filter', async () => {
		const scope = api()
			.get(`${COMPANY_PATH}/salesInvoices`)
			.query({ $select: select, $filter: "status eq 'Open'", $orderby: 'number' })
			.reply(200, { value: [] });

		await search('searchInvoices', { updateFields: { customer: locator("x' or 1 eq 1 or id eq '", 'id') } });

		expect(scope.isDone()).toBe(true);
	});
});
