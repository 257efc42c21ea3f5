import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parseRecordLocator } from '../../helpers/locators';
import { readRecord, recordOutput } from '../../operations/records';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../../transport/request';
import { companyLocator, simplifyProperty } from '../common.descriptions';
import { runItems } from '../runItems';
import { journalLocator, paymentLocator } from './payment.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	journalLocator,
	paymentLocator(
		'The customer payment (a line of a customer payment journal) to read. By ID takes the GUID, e.g. the "id" of a previous step.',
	),
	simplifyProperty(customerPayment, 'journalId, customerId, appliesToInvoiceId, comment, lastModifiedDateTime'),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['get'] } },
	properties,
);

/** GET `companies(c)/customerPayments(p)` per item → the payment, with its `@odata.etag`. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		check: (itemIndex) => {
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			const raw = this.getNodeParameter('customerPayment', itemIndex);
			return {
				companyId,
				id: parseRecordLocator(raw, base, companyId, customerPayment),
				simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
			};
		},
		run: async (request, itemIndex) => {
			const record = await readRecord(this, customerPayment, request, itemIndex, DEFAULT_RETRY_POLICY);
			return recordOutput(customerPayment, record, request.simple);
		},
	});
}
