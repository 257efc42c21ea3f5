import type { INodeProperties } from 'n8n-workflow';

import { apiDocsNotices } from '../apiDocs';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['salesInvoice'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read one sales invoice by ID: its status and remaining amount',
				action: 'Get a sales invoice',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List sales invoices, with filters for matching a payment (customer, status, due date, remaining amount, number)',
				action: 'Get many sales invoices',
			},
		],
		default: 'getAll',
	},
	...apiDocsNotices('salesInvoice', {
		get: { request: 'GET salesInvoices({id})', page: 'api/dynamics_salesinvoice_get' },
		getAll: { request: 'GET salesInvoices', page: 'api/dynamics_salesinvoice_get' },
	}),
	...get.description,
	...getAll.description,
];
