import type { INodeProperties } from 'n8n-workflow';

import { FROM_VERSION_2, ONLY_VERSION_1 } from '../../helpers/nodeVersions';
import { companyLocator } from '../common.descriptions';
import {
	customerLocator,
	invoiceLocator,
	journalLocator,
	paymentField,
} from './payment.descriptions';

/**
 * Node version 1's Additional Fields, kept as they were: Line Number starts at 10000,
 * so adding it without typing sends 10000. Version 2 (`createAdditionalFieldsV2`)
 * starts it empty. In both, an empty value is left out of the body (Business Central
 * then fills in its default, as each field's description says): a new payment gets
 * every property anyway, and "empty = Business Central's default" is what a mapping
 * like {{ $json.documentNumber }} needs when some items have none.
 */
export const createAdditionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description:
		'Optional properties of the new payment. Left out or empty: Business Central fills in its defaults.',
	displayOptions: ONLY_VERSION_1,
	options: [
		paymentField('comment'),
		paymentField('contactId'),
		paymentField('description', "Empty: the customer's name."),
		paymentField(
			'documentNumber',
			"Empty: the next number of the journal's number series. Give your own to be able to find the payment again, e.g. after a timeout.",
		),
		paymentField('externalDocumentNumber'),
		paymentField('lineNumber', 'Unique in the journal. Left out: after the last line (+10000).'),
	],
};

/** Additional Fields from node version 2: Line Number starts empty instead of at 10000. */
export const createAdditionalFieldsV2: INodeProperties = {
	...createAdditionalFields,
	displayOptions: FROM_VERSION_2,
	options: (createAdditionalFields.options as INodeProperties[]).map((field) =>
		field.name === 'lineNumber'
			? paymentField('lineNumberV2', 'Unique in the journal. Empty: after the last line (+10000).')
			: field,
	),
};

export const createOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		'How the new payment is returned. Leave empty to return the whole record Business Central created.',
	options: [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: false,
			description:
				"Whether to return only the fields most workflows use (the same as Get's Simplify: document number, customer number, posting date, amount, description, invoice number, external document number, journal, line, then ID and eTag) instead of the whole record Business Central returned",
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
		'Customer who paid: from the list, by ID (customerId) or By No. (customerNumber, e.g. 10000). Business Central fills in the other. May stay empty when Applies-to Invoice is set: the invoice brings its customer.',
		true,
	),
	// Version 1: a number input pre-filled with 0 (a run without typing creates a 0 payment).
	paymentField('amount', undefined, { required: true, displayOptions: ONLY_VERSION_1 }),
	// Version 2: starts empty and an empty amount is refused, so no payment of 0 is created by accident.
	paymentField('amountV2', undefined, { required: true, displayOptions: FROM_VERSION_2 }),
	paymentField('postingDate', "Empty: Business Central's work date."),
	invoiceLocator(
		'Posted sales invoice the payment settles: from the list of open invoices (of the chosen customer), by ID (appliesToInvoiceId) or By No. (appliesToInvoiceNumber, e.g. 103001). Optional.',
		true,
	),
	createAdditionalFields,
	createAdditionalFieldsV2,
	createOptions,
];
