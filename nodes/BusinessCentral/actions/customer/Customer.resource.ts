import type { INodeProperties } from 'n8n-workflow';

import { apiDocsNotices } from '../apiDocs';

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
	...apiDocsNotices('customer', {
		get: { request: 'GET customers({id})', page: 'api/dynamics_customer_get' },
		getAll: { request: 'GET customers', page: 'api/dynamics_customer_get' },
		update: { request: 'PATCH customers({id})', page: 'api/dynamics_customer_update' },
	}),
	...get.description,
	...getAll.description,
	...update.description,
];
