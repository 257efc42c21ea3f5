import type { IDataObject } from 'n8n-workflow';

import { collectionIn, type EntityDescriptor } from '../entities/entity';
import type { ApiVersion } from '../helpers/apiBase';
import { andAll } from '../helpers/odata';
import { collectionSchema } from '../helpers/schemas';
import type { BcFunctions } from '../transport/connection';
import { failureFrom } from '../transport/errors';
import { pagingProblem, SERVER_MAX_PAGE_SIZE, startPaging } from '../transport/paging';
import { bcRequest, type RetryPolicy } from '../transport/request';
import { unexpectedAnswer } from './records';

/** The first request of a paged read. */
export interface PageRequest {
	url: string;
	qs?: IDataObject;
	/** Records still wanted (undefined: all). */
	wanted?: number;
	/** Rows per page to ask for with `Prefer: odata.maxpagesize` even when all are wanted (the pickers' 50). */
	pageSize?: number;
}

/** What the read is for, in errors: "Listing the customer payments of journal <id>". */
export interface ReadContext {
	action: string;
	itemIndex?: number;
	policy?: RetryPolicy;
}

/** One page: its records and next link, or the error for a failed or non-list answer. */
async function readPage(
	context: BcFunctions,
	request: { url: string; qs?: IDataObject; headers: IDataObject },
	{ action, itemIndex, policy }: ReadContext,
): Promise<{ value: IDataObject[]; next?: string }> {
	const response = await bcRequest.call(context, { method: 'GET', ...request }, policy);
	if (response.statusCode !== 200) {
		throw failureFrom(context.getNode(), response, { action, itemIndex });
	}
	const page = collectionSchema.safeParse(response.body);
	if (!page.success) {
		throw unexpectedAnswer(context.getNode(), {
			message: `${action} failed: Business Central sent an answer that is not a list`,
			problem: 'not an OData collection',
			statusCode: response.statusCode,
			itemIndex,
		});
	}
	return { value: page.data.value as IDataObject[], next: page.data['@odata.nextLink'] };
}

/**
 * Reads a collection page by page, following `@odata.nextLink` (bcRequest
 * refuses links outside the API base), until there is no next page or `wanted`
 * records are in. With a limit, `$top` and `Prefer: odata.maxpagesize` ask
 * Business Central for no more than needed. Paging stops with an error on links
 * that do not advance, oversized pages, or past the limits in transport/paging.ts.
 */
export async function readPages(
	context: BcFunctions,
	first: PageRequest,
	about: ReadContext,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	const wanted = first.wanted;
	const pageSize = Math.min(wanted ?? first.pageSize ?? SERVER_MAX_PAGE_SIZE, SERVER_MAX_PAGE_SIZE);
	const asked = wanted !== undefined || first.pageSize !== undefined;
	const headers = asked ? { Prefer: `odata.maxpagesize=${pageSize}` } : {};
	const paging = startPaging(pageSize);
	let request: { url: string; qs?: IDataObject } | undefined = {
		url: first.url,
		qs: wanted === undefined ? first.qs : { ...first.qs, $top: wanted },
	};
	while (request) {
		const { value, next } = await readPage(context, { ...request, headers }, about);
		records.push(...value);
		const done = wanted !== undefined && records.length >= wanted;
		// With enough records the next link is not followed, so only the page itself is checked.
		const problem = pagingProblem(paging, value.length, done ? undefined : next);
		if (problem) {
			throw unexpectedAnswer(context.getNode(), {
				message: `${about.action} failed: ${problem}`,
				problem: 'paging stopped',
				itemIndex: about.itemIndex,
				description:
					'Paging stopped so that a server sending endless or inconsistent pages cannot hold the run. Nothing of this list was output.',
			});
		}
		request = next && !done ? { url: next } : undefined;
	}
	return wanted === undefined ? records : records.slice(0, wanted);
}

/** Ids of the company's parent records of `entity` (its journals), every page. */
export async function parentIds(
	context: BcFunctions,
	entity: EntityDescriptor,
	companyId: string,
	request: { select: string; pageSize?: number },
	about: Omit<ReadContext, 'action'>,
): Promise<string[]> {
	const parent = entity.parent!;
	const parents = await readPages(
		context,
		{
			url: `companies(${companyId})/${parent.entitySet}`,
			qs: { $select: request.select },
			pageSize: request.pageSize,
		},
		{ ...about, action: `Listing the ${parent.collectionLabel} of company ${companyId}` },
	);
	return parents.map((record) => String(record.id));
}

/** What Get Many asks for: the scope, conditions, fields and how many. */
export interface ListQuery {
	companyId: string;
	/** Entities under a parent: one parent; empty → every parent of the company, one after another. */
	parentId?: string;
	/** OData conditions ANDed after the scope's own condition. */
	conditions: string[];
	select?: string;
	/** Undefined: Return All. */
	limit?: number;
}

/**
 * Records of `entity` with the filters, up to the limit. Entities under a parent (customer
 * payments) are listed per parent as Business Central requires (`collectionIn`): the one
 * given, or every parent of the company in turn.
 */
export async function listRecords(
	context: BcFunctions,
	entity: EntityDescriptor,
	version: ApiVersion,
	request: ListQuery,
	about: Omit<ReadContext, 'action'>,
): Promise<IDataObject[]> {
	const scopes: Array<string | undefined> = !entity.parent
		? [undefined]
		: request.parentId
			? [request.parentId]
			: await parentIds(context, entity, request.companyId, { select: 'id,code' }, about);
	const records: IDataObject[] = [];
	for (const parentId of scopes) {
		const wanted = request.limit === undefined ? undefined : request.limit - records.length;
		if (wanted !== undefined && wanted <= 0) break;
		const target = collectionIn(entity, request.companyId, version, parentId);
		const qs: IDataObject = {};
		const $filter = andAll([...target.conditions, ...request.conditions]);
		if ($filter) qs.$filter = $filter;
		if (request.select) qs.$select = request.select;
		const action = parentId
			? `Listing the ${entity.label}s of ${entity.parent!.label} ${parentId}`
			: `Listing the ${entity.label}s of company ${request.companyId}`;
		records.push(
			...(await readPages(context, { url: target.url, qs, wanted }, { ...about, action })),
		);
	}
	return records;
}
