import type { INodeProperties } from 'n8n-workflow';

import { apiDocsNotices } from '../apiDocs';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as post from './post.operation';

export { create, get, getAll, post };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerPaymentJournal'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a customer payment journal (cash receipt journal batch)',
				action: 'Create a customer payment journal',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read one customer payment journal by ID',
				action: 'Get a customer payment journal',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the customer payment journals of a company, with filters',
				action: 'Get many customer payment journals',
			},
			{
				name: 'Post',
				value: 'post',
				description:
					"Post the journal's payment lines to the customer ledger, only when it holds exactly the expected lines (unless told to post everything)",
				action: 'Post a customer payment journal',
			},
		],
		default: 'post',
	},
	...apiDocsNotices('customerPaymentJournal', {
		create: {
			request: 'POST customerPaymentJournals',
			page: 'api/dynamics_customerpaymentjournal_create',
		},
		get: {
			request: 'GET customerPaymentJournals({id})',
			page: 'api/dynamics_customerpaymentjournal_get',
		},
		getAll: {
			request: 'GET customerPaymentJournals',
			page: 'api/dynamics_customerpaymentjournal_get',
		},
		post: { request: 'POST journals({id})/Microsoft.NAV.post', page: 'resources/dynamics_journal' },
	}),
	...create.description,
	...get.description,
	...getAll.description,
	...post.description,
];
