import type { INodeProperties } from 'n8n-workflow';

import { companyLocator, journalLocator, paymentLocator } from '../common.descriptions';
import {
	commentField,
	contactIdField,
	customerLocator,
	externalDocumentNumberField,
	invoiceLocator,
} from './lookups.descriptions';

/**
 * "Update Fields" is a collection rather than a resource mapper: it can hold
 * pickers (customer, open invoice) with search, gives each property its own
 * type and description, and only sends the fields the user added — which is
 * what a PATCH should carry. Bulk runs map input data per field with expressions.
 */
export const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Only the fields added here are sent; everything else keeps its value',
	options: [
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'number',
			default: 0,
			description:
				'Payment amount, stored exactly as sent. In a cash receipt journal a payment received from a customer is usually negative (it credits the customer).',
		},
		invoiceLocator(
			'Posted sales invoice the payment settles. Business Central fills in the invoice number and, if the payment has no customer yet, the customer.',
			false,
		),
		{
			displayName: 'Applies-to Invoice Number',
			name: 'appliesToInvoiceNumber',
			type: 'string',
			default: '',
			description:
				'Number of the invoice the payment settles (max 20 characters). Use either this or Applies-to Invoice.',
		},
		commentField,
		contactIdField,
		customerLocator(
			'Customer who paid. Business Central fills in the customer number. Use either this or Customer Number.',
			false,
		),
		{
			displayName: 'Customer Number',
			name: 'customerNumber',
			type: 'string',
			default: '',
			description:
				'Number of the customer who paid (max 20 characters); Business Central fills in the customer ID. Use either this or Customer.',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'Description of the journal line (max 100 characters)',
		},
		{
			displayName: 'Document Number',
			name: 'documentNumber',
			type: 'string',
			default: '',
			description: 'Document number of the payment (max 20 characters)',
		},
		externalDocumentNumberField,
		{
			displayName: 'Line Number',
			name: 'lineNumber',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 10000,
			description: 'Position of the line in its journal (whole number)',
		},
		{
			displayName: 'Posting Date',
			name: 'postingDate',
			type: 'dateTime',
			default: '',
			description: 'Date the payment is posted on (only the date part is sent, as YYYY-MM-DD)',
		},
	],
};

export const updateOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 100,
			description:
				'Operations per $batch request when "Use Batch Requests" is on (Business Central accepts at most 100)',
		},
		{
			displayName: 'eTag',
			name: 'eTag',
			type: 'string',
			default: '',
			placeholder: 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDA7Jw=="',
			description:
				'Version of the record your change is based on: map the @odata.etag output of a previous step. Empty: the node reads the payment and uses its current eTag.',
		},
		{
			displayName: 'Include Previous Values',
			name: 'includePreviousValues',
			type: 'boolean',
			default: false,
			description:
				'Whether to add "previousValues" to the output: the values the changed fields had before the update',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 5 },
			default: 5,
			description:
				'How many $batch requests may be in flight at once. Business Central processes at most 5 requests per user at a time and queues or throttles the rest.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description:
				'How often to retry a request that Business Central throttled (429) or could not serve (503; for reads also 408, 502, 504), waiting as it asks (Retry-After) or with exponential back-off. A PATCH that got no answer is sent again only after re-reading the payment shows it was not applied.',
		},
		{
			displayName: 'On eTag Conflict',
			name: 'onConflict',
			type: 'options',
			options: [
				{
					name: 'Fail',
					value: 'fail',
					description: 'Report that the record changed since it was read; nothing is written',
				},
				{
					name: 'Fetch Latest and Retry Once',
					value: 'retryOnce',
					description:
						'Read the current version and apply the change to it once more; fail if it changes again',
				},
				{
					name: 'Overwrite Regardless',
					value: 'overwrite',
					description:
						'Apply the change whatever changed in between (last writer wins): on a conflict, read the current version and write on top of it, up to Max Retries times',
				},
			],
			default: 'fail',
			description:
				'What to do when Business Central answers that the payment was changed by someone else (409 Request_EntityChanged or 412)',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 120000,
			description:
				'Time in ms each request may take in all, from connecting to the last byte of the answer, before the node gives up on it (an answer that keeps trickling in is cut too). A read is then repeated (up to Max Retries); a PATCH is never blindly sent again: the node re-reads the payment to see whether it was applied.',
		},
		{
			displayName: 'Use Batch Requests',
			name: 'batching',
			type: 'boolean',
			default: true,
			description:
				'Whether to send many items as $batch requests (reads of eTags, then PATCHes, up to 100 per request) instead of a GET and a PATCH per item. Used when more than one item arrives. Each item still succeeds or fails on its own.',
		},
	],
};

export const updateProperties: INodeProperties[] = [
	companyLocator,
	journalLocator,
	paymentLocator,
	updateFields,
	updateOptions,
];
