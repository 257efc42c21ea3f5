import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as customer from './actions/customer/Customer.resource';
import * as customerPayment from './actions/customerPayment/CustomerPayment.resource';
import * as salesInvoice from './actions/salesInvoice/SalesInvoice.resource';
import * as customerPaymentJournal from './actions/customerPaymentJournal/CustomerPaymentJournal.resource';
import { authenticationProperty, businessCentralCredentials } from './actions/common.descriptions';
import { router } from './actions/router';
import { LATEST_NODE_VERSION } from './helpers/nodeVersions';
import { operationSubtitle } from './helpers/subtitle';
import { listSearch } from './methods';

const properties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer', value: 'customer' },
			{ name: 'Customer Payment', value: 'customerPayment' },
			{ name: 'Customer Payment Journal', value: 'customerPaymentJournal' },
			{ name: 'Sales Invoice', value: 'salesInvoice' },
		],
		default: 'customerPayment',
	},
	...customer.description,
	...customerPayment.description,
	...salesInvoice.description,
	...customerPaymentJournal.description,
];

export class BusinessCentral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Business Central',
		name: 'businessCentral',
		// one copy of the icons for node and credentials (icons/, copied to dist/icons by the build)
		icon: {
			light: 'file:../../icons/businessCentral.svg',
			dark: 'file:../../icons/businessCentral.dark.svg',
		},
		group: ['transform'],
		// What changed per version: helpers/nodeVersions.ts. New nodes get the latest.
		version: [1, 2],
		defaultVersion: LATEST_NODE_VERSION,
		// "Update Customer Payment", "Get Many Sales Invoices" (helpers/subtitle.ts)
		subtitle: operationSubtitle(properties),
		// Worded for the pair: n8n's nodes panel shows node and trigger as one entry (the
		// trigger's description wins there), so both descriptions say what the pair does.
		description:
			'Read and write customer payments, customers, sales invoices and payment journals in Microsoft Dynamics 365 Business Central (eTag concurrency control, safe journal Post); its Trigger starts workflows when they change',
		defaults: { name: 'Business Central' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: businessCentralCredentials,
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
