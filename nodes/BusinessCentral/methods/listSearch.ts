import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { customer } from '../entities/customer';
import { customerPayment, paymentPickerLabel } from '../entities/customerPayment';
import { salesInvoice } from '../entities/salesInvoice';
import { asText as text, collectionIn } from '../entities/entity';
import { parseCompanyLocator } from '../helpers/locators';
import { andAll, odataString } from '../helpers/odata';
import { collectionSchema } from '../helpers/schemas';
import { GUID_PATTERN, locatorValue } from '../helpers/validation';
import { readPages } from '../operations/listRecords';
import { unexpectedAnswer } from '../operations/records';
import { getConnection } from '../transport/connection';
import { errorDetails, toNodeApiError } from '../transport/errors';
import { pagingProblem, resumePaging } from '../transport/paging';
import { bcRequest } from '../transport/request';
import { invoiceNarrowing } from './invoiceCustomer';
import { paymentValueConditions } from './paymentSearch';

const PAGE_SIZE = 50;

/**
 * What a picker searches: the typed text and the conditions it may meet, each asked on
 * its own (see searchEachCondition): `contains(property,'text')` per text property, and
 * typed conditions such as an amount or a date when the text reads as one.
 */
interface Search {
	text: string;
	conditions: string[];
}

function searchFor(
	fields: readonly string[],
	filter?: string,
	typed: (text: string) => string[] = () => [],
): Search | undefined {
	const text = filter?.trim();
	if (!text) return undefined;
	const contains = fields.map((field) => `contains(${field},${odataString(text)})`);
	return { text, conditions: [...contains, ...typed(text)] };
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
			description:
				'Paging stopped so that a server sending endless or inconsistent pages cannot hold the picker.',
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
 * Microsoft's "OData known limitations"), so each search condition is asked on its own
 * (ANDed with `conditions`) and the answers merged, first condition first, each record
 * once. A search shows the first page of matches per condition and no further pages:
 * typing more narrows it.
 */
async function searchEachCondition(
	this: ILoadOptionsFunctions,
	path: string,
	query: IDataObject,
	conditions: Array<string | undefined>,
	search: Search,
): Promise<IDataObject[]> {
	const found = new Map<string, IDataObject>();
	for (const condition of search.conditions) {
		const $filter = andAll([...conditions, condition]);
		const { value } = await page.call(this, path, { ...query, $filter, $top: PAGE_SIZE });
		for (const record of value) if (!found.has(text(record.id))) found.set(text(record.id), record);
	}
	return [...found.values()];
}

/**
 * One page of a collection as list-search results (`name` per record, its `id` as the
 * value), filtered by `conditions`; with a search, its matches (see searchEachCondition).
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
		return {
			results: toResults(
				await searchEachCondition.call(this, path, query, conditions, filter.search),
			),
		};
	}
	const $filter = andAll(conditions);
	const { value, next } = await page.call(
		this,
		path,
		$filter ? { ...query, $filter } : query,
		paginationToken,
	);
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
		(journal) =>
			`${text(journal.code)}${journal.displayName ? ` · ${text(journal.displayName)}` : ''}`,
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
			return {
				journal: parsed.journal,
				next: typeof parsed.next === 'string' ? parsed.next : undefined,
			};
		}
	} catch {
		// not one of ours
	}
	return undefined;
}

/** A journal as the payment picker names it: its id and code. */
interface JournalRef {
	id: string;
	code: string;
}

/**
 * Every journal of the company (all pages, 50 per page as every picker asks), with its
 * code. Read as one list (readPages): one paging guard over all its pages, so next links
 * that lead back to an earlier page stop it (`page` alone checks a page against the link
 * it came from only, which is all a picker page that the editor pages through can do).
 */
async function journalsOf(this: ILoadOptionsFunctions, company: string): Promise<JournalRef[]> {
	const parent = customerPayment.parent!;
	const journals = await readPages(
		this,
		{
			url: `companies(${company})/${parent.entitySet}`,
			qs: { $select: 'id,code' },
			pageSize: PAGE_SIZE,
		},
		{ action: `Listing the ${parent.collectionLabel} of company ${company}` },
	);
	return journals.map((journal) => ({ id: text(journal.id), code: text(journal.code) }));
}

/** Picker results for payments; with `journal`, each label ends with that journal's code. */
function paymentResults(records: IDataObject[], journal?: JournalRef): INodeListSearchItems[] {
	return records.map((record) => ({
		name: paymentPickerLabel(record, journal?.code),
		value: text(record.id),
	}));
}

/**
 * Payments of the chosen journal (Business Central refuses to list them without
 * one). With no journal chosen, the journals one after another, each label naming its
 * journal: each call returns one page, and the pagination token says which journal and
 * page come next. A search looks in the text properties and, when the text reads as an
 * amount or a date, in amount and posting date (paymentSearch.ts).
 */
export async function searchPayments(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	const { base } = await getConnection(this);
	const search = searchFor(customerPayment.searchFields, filter, paymentValueConditions);
	const query: IDataObject = { $orderby: 'lineNumber' };
	const chosen = text(locatorValue(this.getNodeParameter('journal', undefined)));
	// company level with `journalId eq <j>` on API v2.0, the journal's own path on v1.0 and beta
	const inJournal = (journalId: string) =>
		collectionIn(customerPayment, company, base.version, journalId);
	const journals = chosen ? undefined : await journalsOf.call(this, company);
	if (search) {
		const found: INodeListSearchItems[] = [];
		for (const journal of journals ?? [{ id: chosen, code: '' }]) {
			const { url, conditions } = inJournal(journal.id);
			const records = await searchEachCondition.call(this, url, query, conditions, search);
			found.push(...paymentResults(records, journals ? journal : undefined));
		}
		return { results: found };
	}
	const pageOf = async (journalId: string, link?: string) => {
		const { url, conditions } = inJournal(journalId);
		const $filter = andAll(conditions);
		return await page.call(this, url, $filter ? { ...query, $filter } : query, link);
	};
	if (!journals) {
		const { value, next } = await pageOf(chosen, paginationToken);
		return { results: paymentResults(value), paginationToken: next };
	}
	return await everyJournal.call(this, journals, paginationToken, pageOf);
}

/** One page of payments over every journal: the pagination token says which journal and page come next. */
async function everyJournal(
	this: ILoadOptionsFunctions,
	journals: JournalRef[],
	paginationToken: string | undefined,
	pageOf: (journalId: string, link?: string) => Promise<{ value: IDataObject[]; next?: string }>,
): Promise<INodeListSearchResult> {
	const position = allJournalsPosition(paginationToken);
	const wanted = position?.journal.toLowerCase();
	let index = wanted ? journals.findIndex((journal) => journal.id.toLowerCase() === wanted) : 0;
	let link = position?.next;
	if (index < 0) return { results: [] };
	for (; index < journals.length; index++, link = undefined) {
		const journal = journals[index];
		const { value, next } = await pageOf(journal.id, link);
		if (next) {
			return {
				results: paymentResults(value, journal),
				paginationToken: JSON.stringify({ journal: journal.id, next }),
			};
		}
		if (value.length > 0) {
			const following = journals[index + 1];
			return {
				results: paymentResults(value, journal),
				paginationToken: following ? JSON.stringify({ journal: following.id }) : undefined,
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
		{ search: searchFor(customer.searchFields, filter) },
	);
}

/**
 * Open posted sales invoices, narrowed to the customer chosen for the payment if any
 * (see invoiceCustomer.ts). A narrowed list that comes back empty is not shown as n8n's
 * bare "No results", which reads as "no open invoices at all": it fails with a message
 * saying the list is narrowed and where to change that. n8n's editor shows a list
 * search's error under "Could not load list" with the error's message (only a
 * NodeApiError's description reaches it), so the whole explanation is in the message.
 */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const company = await companyId.call(this);
	const narrowing = invoiceNarrowing(this);
	const result = await listPage.call(
		this,
		`companies(${company})/salesInvoices`,
		{
			$select: 'id,number,customerNumber,customerName,remainingAmount,dueDate',
			$orderby: 'number',
		},
		paginationToken,
		(invoice) =>
			`${text(invoice.number)} · ${text(invoice.customerName) || text(invoice.customerNumber)} · open ${text(invoice.remainingAmount)} · due ${text(invoice.dueDate)}`,
		{
			conditions: ["status eq 'Open'", narrowing?.condition],
			search: searchFor(['number', 'customerName', 'customerNumber'], filter),
		},
	);
	if (narrowing && !paginationToken && result.results.length === 0) {
		const matching = filter?.trim() ? ` matching "${filter.trim()}"` : '';
		throw new NodeOperationError(
			this.getNode(),
			`No open invoices of ${narrowing.customer}${matching}: this list shows only the open invoices of the customer chosen in ${narrowing.chosenIn}. Change or clear that customer to see other customers' open invoices.`,
		);
	}
	return result;
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
		{ search: searchFor(salesInvoice.searchFields, filter) },
	);
}
