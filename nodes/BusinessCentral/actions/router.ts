import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readingFixedParametersOnce } from '../helpers/parameterReader';
import * as customer from './customer/Customer.resource';
import * as customerPayment from './customerPayment/CustomerPayment.resource';
import * as salesInvoice from './salesInvoice/SalesInvoice.resource';
import * as customerPaymentJournal from './customerPaymentJournal/CustomerPaymentJournal.resource';
import type { BusinessCentralType } from './node.type';

/**
 * Dispatches to `actions/<resource>/<operation>.operation.ts`. The operations read their
 * parameters per item; through `context` a fixed value is read from n8n once per run.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const context = readingFixedParametersOnce(this);
	const items = context.getInputData();
	const resource = context.getNodeParameter<BusinessCentralType>('resource', 0);
	const operation = context.getNodeParameter('operation', 0);
	const businessCentral = { resource, operation } as BusinessCentralType;

	let returnData: INodeExecutionData[];
	switch (businessCentral.resource) {
		case 'customer':
			returnData = await customer[businessCentral.operation].execute.call(context, items);
			break;
		case 'customerPayment':
			returnData = await customerPayment[businessCentral.operation].execute.call(context, items);
			break;
		case 'salesInvoice':
			returnData = await salesInvoice[businessCentral.operation].execute.call(context, items);
			break;
		case 'customerPaymentJournal':
			returnData = await customerPaymentJournal[businessCentral.operation].execute.call(
				context,
				items,
			);
			break;
		default:
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" for resource "${resource}" is not supported`,
			);
	}
	return [returnData];
}
