import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { customer } from '../entities/customer';
import { customerPayment } from '../entities/customerPayment';
import { salesInvoice } from '../entities/salesInvoice';
import { asText as text, collectionIn, type EntityDescriptor } from '../entities/entity';
import { parseCompanyLocator } from '../helpers/locators';
import { andAll, odataString } from '../helpers/odata';
import { collectionSchema } from '../helpers/schemas';
import { GUID_PATTERN, locatorValue } from '../helpers/validation';
import { parentIds } from '../operations/listRecords';
import { unexpectedAnswer } from '../operations/records';
import { getConnection } from '../transport/connection';
import { errorDetails, toNodeApiError } from '../transport/errors';
import { pagingProblem, resumePaging } from '../transport/paging';
import { bcRequest } from '../transport/request';
import { invoiceCustomerFilter } from './invoiceCustomer';

const PAGE_SIZE = 50;

/** What a picker searches: the typed text and the properties it may be in. */
interface Search {
	text: string;
	fields: string[];
}

function searchFor(fields: string[], filter?: string): Search | undefined {
	const text = filter?.trim();
	return text ? { text, fields } : undefined;
}

/**
 * One page of a collection; `paginationToken` is the server's @odata.nextLink (bcRequest
 * refuses it outside the API base). The page is checked by transport/paging.ts against
 * the link it was asked for.
 */
async function page(
	this: ILoadOptionsFunctions,
	path: string,
	query: IDataObject,
	paginationToken?: string,
): Promise<{ value: IDataObject[]; next?: string }> {
	// the next link already carries the query
	const response = await bcRequest.call(this, {
		method: 'GET',
		url: paginationToken ?? path,
		qs: paginationToken ? undefined : query,
		headers: { Prefer: `odata.maxpagesize=${PAGE_SIZE}` },
	});
	if (response.statusCode !== 200) {
		throw toNodeApiError(this.getNode(), errorDetails(response), { action: `Listing ${path}` });
	}
	const parsed = collectionSchema.safeParse(response.body);
	if (!parsed.success) {
		throw unexpectedAnswer(this.getNode(), {
			message: `Business Central sent an unexpected list for ${path}`,
			problem: 'not an OData collection',
			statusCode: response.statusCode,
		});
	}
	const value = parsed.data.value as IDataObject[];
	const next = parsed.data['@odata.nextLink'];
	const problem = pagingProblem(resumePaging(PAGE_SIZE, paginationToken), value.length, next);
	if (problem) {
		throw new NodeOperationError(this.getNode(), `Listing ${path} failed: ${problem}`, {
			description: 'Paging stopped so that a server sending endless or inconsistent pages cannot hold the picker.',
		});
	}
	return { value, next };
}

async function companyId(this: ILoadOptionsFunctions): Promise<string> {
	const { base } = await getConnection(this);
	const raw = this.getNodeParameter('company', undefined);
	if (!locatorValue(raw)) {
		throw new NodeOperationError(this.getNode(), 'Choose a Company first');
	}
	return parseCompanyLocator(raw, base);
}

/**
 * The records matching a search: Business Central refuses `or` between different
 * properties in `$filter` (501 "The 'OR' operator is not supported on distinct fields",
 * Microsoft's "OData known limitations"), so each property is asked on its own
 * (`contains(property,'text')` ANDed with `conditions`) and the answers merged, first
 * property first, each record once. A search shows the first page of matches per
 * property and no further pages: typing more narrows it.
 */
async function searchEachField(
	this: ILoadOptionsFunctions,
	path: string,
	query: IDataObject,
	conditions: Array<string | undefined>,
	search: Search,
): Promise<IDataObject[]> {
	const found = new Map<string, IDataObject>();
	for (const field of search.fields) {
		const $filter = andAll([...conditions, `contains(${field},${odataString(search.text)})`]);
		const { value } = await page.call(this, path, { ...query, $filter, $top: PAGE_SIZE });
		for (const record of value) if (!found.has(text(record.id))) found.set(text(record.id), record);
	}
	return [...found.values()];
}

/**
 * One page of a collection as list-search results (`name` per record, its `id` as the
 * value), filtered by `conditions`; with a search, its matches (see searchEachField).
 */
async function listPage(
	this: ILoadOptionsFunctions,
	path: string,
	query: IDataObject,
	paginationToken: string | undefined,
	name: (record: IDataObject) => string,
	filter: { conditions?: Array<string | undefined>; search?: Search } = {},
): Promise<INodeListSearchResult> {
	const toResults = (records: IDataObject[]) =>
		records.map((record): INodeListSearchItems => ({ name: name(record), value: text(record.id) }));
	const conditions = filter.conditions ?? [];
	if (filter.search) {
		return { results: toResults(await searchEachField.call(this, path, query, conditions, filter.search)) };
	}
	const $filter = andAll(conditions);
	const { value, next } = await page.call(this, path, $filter ? { ...query, $filter } : query, paginationToken);
	return { results: toResults(value), paginationToken: next };
}

export async function searchCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listPage.call(
		this,
		'companies',
		{ $select: 'id,name,displayName' },
		paginationToken,
		(company) => text(company.displayName) || text(company.name),
		{ search: searchFor(['name', 'displayName'], filter) },
	);
}

export async function searchJournals(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	return await listPage.call(
		this,
		`companies(${company})/customerPaymentJournals`,
		{ $select: 'id,code,displayName' },
		paginationToken,
		(journal) => `${text(journal.code)}${journal.displayName ? ` · ${text(journal.displayName)}` : ''}`,
		{ search: searchFor(['code', 'displayName'], filter) },
	);
}

/** Where a search over all journals goes on: a journal, and the next page link within it if any. */
interface AllJournalsPosition {
	journal: string;
	next?: string;
}

function allJournalsPosition(token?: string): AllJournalsPosition | undefined {
	if (!token) return undefined;
	try {
		const parsed = JSON.parse(token) as Partial<AllJournalsPosition>;
		if (typeof parsed.journal === 'string' && GUID_PATTERN.test(parsed.journal)) {
			return { journal: parsed.journal, next: typeof parsed.next === 'string' ? parsed.next : undefined };
		}
	} catch {
		// not one of ours
	}
	return undefined;
}

/** Ids of every journal of the company (all pages, 50 per page as every picker asks). */
async function journalIds(this: ILoadOptionsFunctions, company: string): Promise<string[]> {
	return await parentIds(this, customerPayment, company, { select: 'id', pageSize: PAGE_SIZE }, {});
}

/** A picker result per record, named by the entity's picker label. */
function toResults(entity: EntityDescriptor, records: IDataObject[]): INodeListSearchItems[] {
	return records.map((record) => ({ name: entity.pickerLabel(record), value: text(record.id) }));
}

/**
 * Payments of the chosen journal (Business Central refuses to list them without
 * one). With no journal chosen, the journals one after another: each call
 * returns one page, and the pagination token says which journal and page come next.
 */
export async function searchPayments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	const { base } = await getConnection(this);
	const search = searchFor([...customerPayment.searchFields], filter);
	const query: IDataObject = { $orderby: 'lineNumber' };
	const journal = text(locatorValue(this.getNodeParameter('journal', undefined)));
	// company level with `journalId eq <j>` on API v2.0, the journal's own path on v1.0 and beta
	const inJournal = (journalId: string) => collectionIn(customerPayment, company, base.version, journalId);
	if (search) {
		const journals = journal ? [journal] : await journalIds.call(this, company);
		const found: IDataObject[] = [];
		for (const id of journals) {
			const { url, conditions } = inJournal(id);
			found.push(...(await searchEachField.call(this, url, query, conditions, search)));
		}
		return { results: toResults(customerPayment, found) };
	}
	const pageOf = async (journalId: string, link?: string) => {
		const { url, conditions } = inJournal(journalId);
		const $filter = andAll(conditions);
		return await page.call(this, url, $filter ? { ...query, $filter } : query, link);
	};
	if (journal) {
		const { value, next } = await pageOf(journal, paginationToken);
		return { results: toResults(customerPayment, value), paginationToken: next };
	}
	return await everyJournal.call(this, await journalIds.call(this, company), paginationToken, pageOf);
}

/** One page of payments over every journal: the pagination token says which journal and page come next. */
async function everyJournal(
	this: ILoadOptionsFunctions,
	journals: string[],
	paginationToken: string | undefined,
	pageOf: (journalId: string, link?: string) => Promise<{ value: IDataObject[]; next?: string }>,
): Promise<INodeListSearchResult> {
	const position = allJournalsPosition(paginationToken);
	let index = position ? journals.findIndex((id) => id.toLowerCase() === position.journal.toLowerCase()) : 0;
	let link = position?.next;
	if (index < 0) return { results: [] };
	for (; index < journals.length; index++, link = undefined) {
		const { value, next } = await pageOf(journals[index], link);
		if (next) {
			return {
				results: toResults(customerPayment, value),
				paginationToken: JSON.stringify({ journal: journals[index], next }),
			};
		}
		if (value.length > 0) {
			const following = journals[index + 1];
			return {
				results: toResults(customerPayment, value),
				paginationToken: following ? JSON.stringify({ journal: following }) : undefined,
			};
		}
	}
	return { results: [] };
}

export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	return await listPage.call(
		this,
		`companies(${company})/${customer.entitySet}`,
		{ $select: 'id,number,displayName', $orderby: 'number' },
		paginationToken,
		customer.pickerLabel,
		{ search: searchFor([...customer.searchFields], filter) },
	);
}

/** Open posted sales invoices, narrowed to the customer chosen for the payment if any (see invoiceCustomer.ts). */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	return await listPage.call(
		this,
		`companies(${company})/salesInvoices`,
		{ $select: 'id,number,customerNumber,customerName,remainingAmount,dueDate', $orderby: 'number' },
		paginationToken,
		(invoice) =>
			`${text(invoice.number)} · ${text(invoice.customerName) || text(invoice.customerNumber)} · open ${text(invoice.remainingAmount)} · due ${text(invoice.dueDate)}`,
		{
			conditions: ["status eq 'Open'", invoiceCustomerFilter(this)],
			search: searchFor(['number', 'customerName', 'customerNumber'], filter),
		},
	);
}

/** Every sales invoice of the company (any status), newest number last, for Sales Invoice → Get. */
export async function searchSalesInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	return await listPage.call(
		this,
		`companies(${company})/${salesInvoice.entitySet}`,
		{
			$select: 'id,number,customerNumber,customerName,status,remainingAmount,dueDate',
			$orderby: 'number',
		},
		paginationToken,
		salesInvoice.pickerLabel,
		{ search: searchFor([...salesInvoice.searchFields], filter) },
	);
}
