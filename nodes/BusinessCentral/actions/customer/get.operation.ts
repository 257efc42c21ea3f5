import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customer } from '../../entities/customer';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parseRecordLocator } from '../../helpers/locators';
import { readRecord, recordOutput } from '../../operations/records';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../../transport/request';
import { companyLocator, simplifyProperty } from '../common.descriptions';
import { runItems } from '../runItems';
import { customerRecordLocator } from './customer.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	customerRecordLocator('The customer to read. By ID takes the GUID, e.g. the "customerId" of a payment.'),
	simplifyProperty(customer, 'type, addressLine1, postalCode, website, taxLiable, paymentTermsId, lastModifiedDateTime'),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customer'], operation: ['get'] } },
	properties,
);

/** GET `companies(c)/customers(id)` per item → the customer, with its `@odata.etag`. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		check: (itemIndex) => {
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			const raw = this.getNodeParameter('customer', itemIndex);
			return {
				companyId,
				id: parseRecordLocator(raw, base, companyId, customer),
				simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
			};
		},
		run: async (request, itemIndex) =>
			recordOutput(customer, await readRecord(this, customer, request, itemIndex, DEFAULT_RETRY_POLICY), request.simple),
	});
}
