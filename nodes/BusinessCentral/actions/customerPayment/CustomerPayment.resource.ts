import type { INodeProperties } from 'n8n-workflow';

import * as update from './update.operation';

export { update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerPayment'] } },
		options: [
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of a customer payment, guarded by its eTag',
				action: 'Update a customer payment',
			},
		],
		default: 'update',
	},
	...update.description,
];
