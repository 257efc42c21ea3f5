import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parsePaymentLocator } from '../../helpers/locators';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../../transport/request';
import { companyLocator, journalLocator, paymentLocator } from '../common.descriptions';
import { runItems } from '../runItems';
import { readPayment } from './paymentRecords';
import { paymentOutput, simplifyProperty } from './simplify';

const properties: INodeProperties[] = [
	companyLocator,
	journalLocator,
	{
		...paymentLocator,
		description:
			'The customer payment (a line of a customer payment journal) to read. By ID takes the GUID, e.g. the "id" of a previous step.',
	},
	simplifyProperty,
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['get'] } },
	properties,
);

interface GetPlan {
	companyId: string;
	paymentId: string;
	simple: boolean;
}

/** GET `companies(c)/customerPayments(p)` per item → the payment, with its `@odata.etag`. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems<GetPlan>(this, items, {
		plan: (itemIndex): GetPlan => {
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			return {
				companyId,
				paymentId: parsePaymentLocator(this.getNodeParameter('customerPayment', itemIndex), base, companyId),
				simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
			};
		},
		run: async (plan, itemIndex) => {
			const record = await readPayment.call(this, plan.companyId, plan.paymentId, itemIndex, DEFAULT_RETRY_POLICY);
			return paymentOutput(record, plan.simple);
		},
	});
}
