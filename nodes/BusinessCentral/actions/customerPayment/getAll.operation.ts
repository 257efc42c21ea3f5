import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator } from '../../helpers/locators';
import { buildPaymentFilters, isBlank, parseLimit, parseSelect } from '../../helpers/paymentInput';
import { locatorValue, validateGuid } from '../../helpers/validation';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../../transport/request';
import { runItems } from '../runItems';
import { getAllProperties } from './getAll.description';
import { listPayments, type ListPlan } from './paymentList';
import { paymentOutput } from './simplify';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['getAll'] } },
	getAllProperties,
);

interface GetAllPlan extends ListPlan {
	simple: boolean;
}

/**
 * Lists payments per input item: one journal (`journalId eq <j>`) or every
 * journal of the company in turn, with the filters ANDed, following
 * `@odata.nextLink` for Return All or until Limit is reached. Each payment is
 * an output item paired to the input item that asked for it.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems<GetAllPlan>(this, items, {
		plan: (itemIndex) => {
			const journal = locatorValue(this.getNodeParameter('journal', itemIndex, ''));
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return {
				companyId: parseCompanyLocator(this.getNodeParameter('company', itemIndex), base),
				journalId: isBlank(journal) ? undefined : validateGuid('Journal', String(journal).trim()),
				conditions: buildPaymentFilters(this.getNodeParameter('filters', itemIndex, {}) as IDataObject, {
					timeZone: this.getTimezone(),
				}),
				select: parseSelect(options.fields),
				limit: returnAll ? undefined : parseLimit(this.getNodeParameter('limit', itemIndex, 50)),
				simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
			};
		},
		run: async (plan, itemIndex) => {
			const payments = await listPayments(this, plan, itemIndex, DEFAULT_RETRY_POLICY);
			// Fields chosen in Options → Fields are returned as Business Central sent them:
			// Simplify must not drop a property the user asked for by name.
			return payments.map((payment) => paymentOutput(payment, plan.simple && !plan.select));
		},
	});
}
