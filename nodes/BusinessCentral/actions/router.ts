import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as customer from './customer/Customer.resource';
import * as customerPayment from './customerPayment/CustomerPayment.resource';
import * as salesInvoice from './salesInvoice/SalesInvoice.resource';
import * as customerPaymentJournal from './customerPaymentJournal/CustomerPaymentJournal.resource';
import type { BusinessCentralType } from './node.type';

/** Dispatches to `actions/<resource>/<operation>.operation.ts`. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter<BusinessCentralType>('resource', 0);
	const operation = this.getNodeParameter('operation', 0);
	const businessCentral = { resource, operation } as BusinessCentralType;

	let returnData: INodeExecutionData[];
	switch (businessCentral.resource) {
		case 'customer':
			returnData = await customer[businessCentral.operation].execute.call(this, items);
			break;
		case 'customerPayment':
			returnData = await customerPayment[businessCentral.operation].execute.call(this, items);
			break;
		case 'salesInvoice':
			returnData = await salesInvoice[businessCentral.operation].execute.call(this, items);
			break;
		case 'customerPaymentJournal':
			returnData = await customerPaymentJournal[businessCentral.operation].execute.call(this, items);
			break;
		default:
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" for resource "${resource}" is not supported`,
			);
	}
	return [returnData];
}
