import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read one customer by ID, with its eTag',
				action: 'Get a customer',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List customers, with filters',
				action: 'Get many customers',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of a customer, guarded by its eTag',
				action: 'Update a customer',
			},
		],
		default: 'get',
	},
	...get.description,
	...getAll.description,
	...update.description,
];
