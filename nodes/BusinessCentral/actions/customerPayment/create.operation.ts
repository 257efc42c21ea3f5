import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator } from '../../helpers/locators';
import { createRecord } from '../../operations/createRecord';
import { recordOutput } from '../../operations/records';
import { getConnection } from '../../transport/connection';
import { runItems } from '../runItems';
import { createProperties } from './create.description';
import { buildPaymentCreate } from './paymentInput';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['create'] } },
	createProperties,
);

/** How to find out whether a payment whose POST got no answer exists after all. */
function howToCheck(journalId: string, body: IDataObject): string {
	const journal = `journal ${journalId}`;
	if (body.documentNumber) {
		return `Before running this item again, look for document number ${String(body.documentNumber)} in ${journal} (Customer Payment → Get Many with Filters → Document Number).`;
	}
	return `Before running this item again, look in ${journal} for a new line with amount ${String(body.amount)}${body.customerNumber || body.customerId ? ` for customer ${String(body.customerNumber ?? body.customerId)}` : ''} (Customer Payment → Get Many); set a Document Number in Additional Fields to make such checks exact.`;
}

/**
 * POST a payment line into its journal per item (`companies(c)/customerPayments` with
 * `journalId` on API v2.0; `companies(c)/customerPaymentJournals(j)/customerPayments` on
 * v1.0 and the beta, whose page has no journalId) → the new payment. Never re-sent after
 * an unclear answer (operations/createRecord.ts).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		done: 'created',
		check: (itemIndex) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const input = {
				journal: this.getNodeParameter('journal', itemIndex),
				customer: this.getNodeParameter('customer', itemIndex, ''),
				amount: this.getNodeParameter('amount', itemIndex),
				postingDate: this.getNodeParameter('postingDate', itemIndex, ''),
				appliesToInvoice: this.getNodeParameter('appliesToInvoice', itemIndex, ''),
				additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
			};
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			const { journalId, body } = buildPaymentCreate(input, base.version, {
				timeZone: this.getTimezone(),
			});
			return {
				companyId,
				parentId: journalId,
				body,
				where: `in journal ${journalId}`,
				howToCheck: howToCheck(journalId, body),
				simplify: options.simplify === true,
			};
		},
		run: async (request, itemIndex) => {
			const record = await createRecord(this, customerPayment, base.version, request, itemIndex);
			return recordOutput(customerPayment, record, request.simplify);
		},
	});
}
