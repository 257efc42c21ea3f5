import type { INodeProperties } from 'n8n-workflow';

import { FROM_VERSION_2, ONLY_VERSION_1 } from '../../helpers/nodeVersions';
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
 *
 * This is node version 1's definition, kept as it was so saved workflows behave the
 * same: Amount starts at 0 and Line Number at 10000, and adding one of them without
 * typing writes that value. Version 2 (`updateFieldsV2`) starts every field empty.
 */
export const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Only the fields added here are sent; everything else keeps its value',
	displayOptions: ONLY_VERSION_1,
	options: [
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'number',
			default: 0,
			description:
				'Payment amount, sent as given, sign included; Business Central rounds it to the amount precision of its currency (0.01 unless the currency has another). In a cash receipt journal a payment received from a customer is usually negative (it credits the customer).',
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
				'Number of the invoice the payment settles (max 20 characters; sent trimmed and upper-cased, as Business Central stores Code fields). Use either this or Applies-to Invoice.',
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
				'Number of the customer who paid (max 20 characters; sent trimmed and upper-cased, as Business Central stores Code fields); Business Central fills in the customer ID. Use either this or Customer.',
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
			description:
				'Document number of the payment (max 20 characters; sent trimmed and upper-cased, as Business Central stores Code fields)',
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
			description:
				"Date the payment is posted on, sent as YYYY-MM-DD. A date-time with a UTC offset, or a date from an expression, counts as the calendar date in the workflow's time zone.",
		},
	],
};

/**
 * Version 2's Amount and Line Number: text that starts empty, so adding the field writes
 * nothing by itself (version 1's number inputs start at 0 and 10000 and a run right after
 * adding them writes those). An empty value is refused before any request.
 */
const amountV2: INodeProperties = {
	displayName: 'Amount',
	name: 'amount',
	type: 'string',
	default: '',
	placeholder: 'e.g. -1500.00',
	description:
		'Payment amount (a number such as -1500.00, typed or mapped from the input), sent as given, sign included; Business Central rounds it to the amount precision of its currency (0.01 unless the currency has another). In a cash receipt journal a payment received from a customer is usually negative (it credits the customer). Must not be empty.',
};

const lineNumberV2: INodeProperties = {
	displayName: 'Line Number',
	name: 'lineNumber',
	type: 'string',
	default: '',
	placeholder: 'e.g. 10000',
	description: 'Position of the line in its journal (whole number). Must not be empty.',
};

/** Version 2 only: text properties to empty, since an empty field value is refused. */
const clearFields: INodeProperties = {
	displayName: 'Clear Fields',
	name: 'clearFields',
	type: 'multiOptions',
	default: [],
	description:
		'Text properties to empty (set to ""). Use this instead of an empty value, which version 2 of this node refuses so that a field added but not filled in is never written.',
	options: [
		{ name: 'Applies-to Invoice Number', value: 'appliesToInvoiceNumber' },
		{ name: 'Comment', value: 'comment' },
		{ name: 'Contact ID (API v1.0 and Beta Only)', value: 'contactId' },
		{ name: 'Description', value: 'description' },
		{ name: 'External Document Number', value: 'externalDocumentNumber' },
	],
};

const V2_REPLACEMENTS = new Map([amountV2, lineNumberV2].map((field) => [field.name, field]));

/**
 * "Update Fields" from node version 2: the same properties, every one starting empty
 * (a field added and left empty is refused, not sent), plus "Clear Fields".
 */
export const updateFieldsV2: INodeProperties = {
	...updateFields,
	displayOptions: FROM_VERSION_2,
	description:
		'Only the fields added here are sent, and each must have a value; everything else keeps its value',
	options: [
		...(updateFields.options as INodeProperties[]).map(
			(field) => V2_REPLACEMENTS.get(field.name) ?? field,
		),
		clearFields,
	].sort((a, b) => a.displayName.localeCompare(b.displayName)),
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
	updateFieldsV2,
	updateOptions,
];
