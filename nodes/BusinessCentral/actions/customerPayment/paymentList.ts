import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { andAll } from '../../helpers/odata';
import { collectionSchema } from '../../helpers/schemas';
import { pagingProblem, SERVER_MAX_PAGE_SIZE, startPaging } from '../../transport/paging';
import { bcRequest, type RetryPolicy } from '../../transport/request';
import { paymentFailure } from './paymentErrors';

export interface ListPlan {
	companyId: string;
	/** Empty: every journal of the company, one after another. */
	journalId?: string;
	/** OData conditions ANDed after `journalId eq …`. */
	conditions: string[];
	select?: string;
	/** Undefined: Return All. */
	limit?: number;
}

interface PageRequest {
	url: string;
	qs?: IDataObject;
	/** Records still wanted (undefined: all). */
	wanted?: number;
}

function notAList(context: IExecuteFunctions, action: string, itemIndex: number, statusCode: number): NodeApiError {
	return new NodeApiError(
		context.getNode(),
		{ message: 'not an OData collection' },
		{
			message: `${action} failed: Business Central sent an answer that is not a list`,
			description:
				'The response was not used. Check that the API base URL points at Business Central (not a proxy or login page).',
			httpCode: String(statusCode),
			itemIndex,
		},
	);
}

function pagingStopped(context: IExecuteFunctions, action: string, itemIndex: number, problem: string): NodeApiError {
	return new NodeApiError(
		context.getNode(),
		{ message: 'paging stopped' },
		{
			message: `${action} failed: ${problem}`,
			description:
				'Paging stopped so that a server sending endless or inconsistent pages cannot hold the run. Nothing of this list was output.',
			itemIndex,
		},
	);
}

/** One page: its records and next link, or the error for a failed or non-list answer. */
async function readPage(
	context: IExecuteFunctions,
	request: { url: string; qs?: IDataObject; headers: IDataObject },
	action: string,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<{ value: IDataObject[]; next?: string }> {
	const response = await bcRequest.call(context, { method: 'GET', ...request }, policy);
	if (response.statusCode !== 200) {
		throw paymentFailure(context.getNode(), response, { action, itemIndex });
	}
	const page = collectionSchema.safeParse(response.body);
	if (!page.success) throw notAList(context, action, itemIndex, response.statusCode);
	return { value: page.data.value as IDataObject[], next: page.data['@odata.nextLink'] };
}

/**
 * Reads a collection page by page, following `@odata.nextLink` (bcRequest
 * refuses links outside the API base), until there is no next page or `wanted`
 * records are in. With a limit, `$top` and `Prefer: odata.maxpagesize` ask
 * Business Central for no more than needed. Paging stops with an error on links
 * that do not advance, oversized pages, or past the limits in transport/paging.ts.
 */
async function readPages(
	context: IExecuteFunctions,
	first: PageRequest,
	action: string,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const wanted = first.wanted;
	const pageSize = wanted === undefined ? SERVER_MAX_PAGE_SIZE : Math.min(wanted, SERVER_MAX_PAGE_SIZE);
	const headers = wanted === undefined ? {} : { Prefer: `odata.maxpagesize=${pageSize}` };
	const paging = startPaging(pageSize);
	let request: { url: string; qs?: IDataObject } | undefined = {
		url: first.url,
		qs: wanted === undefined ? first.qs : { ...first.qs, $top: wanted },
	};
	while (request) {
		const { value, next } = await readPage(context, { ...request, headers }, action, itemIndex, policy);
		records.push(...value);
		const done = wanted !== undefined && records.length >= wanted;
		// With enough records the next link is not followed, so only the page itself is checked.
		const problem = pagingProblem(paging, value.length, done ? undefined : next);
		if (problem) throw pagingStopped(context, action, itemIndex, problem);
		request = next && !done ? { url: next } : undefined;
	}
	return wanted === undefined ? records : records.slice(0, wanted);
}

/** Ids of the company's customer payment journals (every page). */
async function journalIds(
	context: IExecuteFunctions,
	companyId: string,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<string[]> {
	const journals = await readPages(
		context,
		{ url: `companies(${companyId})/customerPaymentJournals`, qs: { $select: 'id,code' } },
		`Listing the customer payment journals of company ${companyId}`,
		itemIndex,
		policy,
	);
	return journals.map((journal) => String(journal.id));
}

/**
 * Payments of one journal (`journalId eq <j>`, as Business Central requires for
 * the company-level collection), or of every journal in turn, with the filters,
 * up to the limit.
 */
export async function listPayments(
	context: IExecuteFunctions,
	plan: ListPlan,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<IDataObject[]> {
	const journals = plan.journalId
		? [plan.journalId]
		: await journalIds(context, plan.companyId, itemIndex, policy);
	const payments: IDataObject[] = [];
	for (const journalId of journals) {
		const wanted = plan.limit === undefined ? undefined : plan.limit - payments.length;
		if (wanted !== undefined && wanted <= 0) break;
		const qs: IDataObject = { $filter: andAll([`journalId eq ${journalId}`, ...plan.conditions]) };
		if (plan.select) qs.$select = plan.select;
		const page = await readPages(
			context,
			{ url: `companies(${plan.companyId})/customerPayments`, qs, wanted },
			`Listing the customer payments of journal ${journalId}`,
			itemIndex,
			policy,
		);
		payments.push(...page);
	}
	return payments;
}
