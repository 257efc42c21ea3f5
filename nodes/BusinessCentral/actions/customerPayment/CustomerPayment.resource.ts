import type { INodeProperties } from 'n8n-workflow';

import { apiDocsNotices } from '../apiDocs';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, del as delete, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerPayment'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a payment line to a customer payment journal',
				action: 'Create a customer payment',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a customer payment, guarded by its eTag',
				action: 'Delete a customer payment',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read one customer payment by ID, with its eTag',
				action: 'Get a customer payment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List customer payments of a journal or of every journal, with filters',
				action: 'Get many customer payments',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of a customer payment, guarded by its eTag',
				action: 'Update a customer payment',
			},
		],
		default: 'update',
	},
	...apiDocsNotices('customerPayment', {
		create: { request: 'POST customerPayments', page: 'api/dynamics_customerpayment_create' },
		delete: {
			request: 'DELETE customerPayments({id})',
			page: 'api/dynamics_customerpayment_delete',
		},
		get: { request: 'GET customerPayments({id})', page: 'api/dynamics_customerpayment_get' },
		getAll: { request: 'GET customerPayments', page: 'api/dynamics_customerpayment_get' },
		update: {
			request: 'PATCH customerPayments({id})',
			page: 'api/dynamics_customerpayment_update',
		},
	}),
	...create.description,
	...del.description,
	...get.description,
	...getAll.description,
	...update.description,
];
