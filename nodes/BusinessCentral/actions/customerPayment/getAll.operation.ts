import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseLimit, parseSelect } from '../../helpers/listInput';
import { parseCompanyLocator } from '../../helpers/locators';
import { isBlank, locatorValue, validateGuid } from '../../helpers/validation';
import { listRecords } from '../../operations/listRecords';
import { recordOutput } from '../../operations/records';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../../transport/request';
import { runItems } from '../runItems';
import { getAllProperties } from './getAll.description';
import { buildPaymentFilters } from './paymentInput';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['getAll'] } },
	getAllProperties,
);

/**
 * Lists payments per input item: one journal or every journal of the company in turn
 * (Business Central lists payments only per journal: `collectionIn`), with the filters
 * ANDed, following `@odata.nextLink` for Return All or until Limit is reached. Each
 * payment is an output item paired to the input item that asked for it.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		check: (itemIndex) => {
			const journal = locatorValue(this.getNodeParameter('journal', itemIndex, ''));
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			return {
				companyId: parseCompanyLocator(this.getNodeParameter('company', itemIndex), base),
				parentId: isBlank(journal) ? undefined : validateGuid('Journal', String(journal).trim()),
				conditions: buildPaymentFilters(filters, { timeZone: this.getTimezone() }),
				select: parseSelect(options.fields),
				limit: returnAll ? undefined : parseLimit(this.getNodeParameter('limit', itemIndex, 50)),
				simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
			};
		},
		run: async (request, itemIndex) => {
			const about = { itemIndex, policy: DEFAULT_RETRY_POLICY };
			const payments = await listRecords(this, customerPayment, base.version, request, about);
			// Fields chosen in Options → Fields are returned as Business Central sent them:
			// Simplify must not drop a property the user asked for by name.
			return payments.map((payment) => recordOutput(customerPayment, payment, request.simple && !request.select));
		},
	});
}
