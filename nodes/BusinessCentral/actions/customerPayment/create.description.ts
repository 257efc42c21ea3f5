import type { INodeProperties } from 'n8n-workflow';

import { companyLocator, journalLocator } from '../common.descriptions';
import {
	commentField,
	contactIdField,
	customerLocator,
	externalDocumentNumberField,
	invoiceLocator,
} from './lookups.descriptions';

export const createAdditionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description:
		'Optional properties of the new payment. Left out or empty: Business Central fills in its defaults.',
	options: [
		commentField,
		contactIdField,
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: "Description of the journal line (max 100 characters). Empty: the customer's name.",
		},
		{
			displayName: 'Document Number',
			name: 'documentNumber',
			type: 'string',
			default: '',
			description:
				"Document number of the payment (max 20 characters). Empty: the next number of the journal's number series. Give your own to be able to find the payment again, e.g. after a timeout.",
		},
		externalDocumentNumberField,
		{
			displayName: 'Line Number',
			name: 'lineNumber',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 10000,
			description:
				'Position of the line in its journal (whole number, unique in the journal). Left out: after the last line (+10000).',
		},
	],
};

export const createOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'How the new payment is returned. Leave empty to return the whole record Business Central created.',
	options: [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: false,
			description:
				'Whether to return only the fields most workflows use (the same as Get\'s Simplify: ID, eTag, journal, line, customer number, posting date, document numbers, amount, invoice number, description) instead of the whole record Business Central returned',
		},
	],
};

export const createProperties: INodeProperties[] = [
	companyLocator,
	{
		...journalLocator,
		required: true,
		description:
			'Customer payment journal (cash receipt journal batch) the new payment line is added to',
	},
	customerLocator(
		'Customer who paid: from the list, by ID (customerId) or By Number (customerNumber, e.g. 10000). Business Central fills in the other. May stay empty when Applies-to Invoice is set: the invoice brings its customer.',
		true,
	),
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { numberPrecision: 2 },
		description:
			'Payment amount, stored exactly as sent. In a cash receipt journal a payment received from a customer is usually negative (it credits the customer).',
	},
	{
		displayName: 'Posting Date',
		name: 'postingDate',
		type: 'dateTime',
		default: '',
		description:
			"Date the payment is posted on (only the date part is sent, as YYYY-MM-DD). Empty: Business Central's work date.",
	},
	invoiceLocator(
		'Posted sales invoice the payment settles: from the list of open invoices (of the chosen customer), by ID (appliesToInvoiceId) or By Number (appliesToInvoiceNumber, e.g. 103001). Optional.',
		true,
	),
	createAdditionalFields,
	createOptions,
];
