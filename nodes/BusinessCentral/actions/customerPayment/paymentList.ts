import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { andAll } from '../../helpers/odata';
import { collectionSchema } from '../../helpers/schemas';
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

/**
 * Reads a collection page by page, following `@odata.nextLink` (bcRequest
 * refuses links to another host), until there is no next page or `wanted`
 * records are in. With a limit, `$top` and `Prefer: odata.maxpagesize` ask
 * Business Central for no more than needed.
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
	const prefer = wanted === undefined ? {} : { Prefer: `odata.maxpagesize=${Math.min(wanted, 20000)}` };
	const seen = new Set<string>();
	let request: { url: string; qs?: IDataObject } | undefined = {
		url: first.url,
		qs: wanted === undefined ? first.qs : { ...first.qs, $top: wanted },
	};
	while (request) {
		const response = await bcRequest.call(
			context,
			{ method: 'GET', url: request.url, qs: request.qs, headers: prefer },
			policy,
		);
		if (response.statusCode !== 200) {
			throw paymentFailure(context.getNode(), response, { action, itemIndex });
		}
		const page = collectionSchema.safeParse(response.body);
		if (!page.success) {
			throw new NodeApiError(
				context.getNode(),
				{ message: 'not an OData collection' },
				{
					message: `${action} failed: Business Central sent an answer that is not a list`,
					description:
						'The response was not used. Check that the API base URL points at Business Central (not a proxy or login page).',
					httpCode: String(response.statusCode),
					itemIndex,
				},
			);
		}
		records.push(...(page.data.value as IDataObject[]));
		const next = page.data['@odata.nextLink'];
		if (!next || (wanted !== undefined && records.length >= wanted)) break;
		if (seen.has(next)) {
			throw new NodeApiError(
				context.getNode(),
				{ message: 'repeated next link' },
				{
					message: `${action} failed: Business Central sent the same next-page link twice`,
					description: `Paging stopped to avoid an endless loop. Link: ${next}`,
					itemIndex,
				},
			);
		}
		seen.add(next);
		request = { url: next };
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
