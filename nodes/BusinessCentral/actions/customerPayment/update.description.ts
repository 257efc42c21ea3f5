import type { INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { FROM_VERSION_2, ONLY_VERSION_1 } from '../../helpers/nodeVersions';
import { companyLocator, updateOptions } from '../common.descriptions';
import {
	customerLocator,
	invoiceLocator,
	journalLocator,
	paymentField,
	paymentLocator,
} from './payment.descriptions';

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
		paymentField('amount'),
		invoiceLocator(
			'Posted sales invoice the payment settles (from the list or by ID). Business Central fills in the invoice number and, if the payment has no customer yet, the customer. Applies-to Invoice Number does the same by number: add one of the two (both at once are refused before any request).',
			false,
		),
		paymentField('appliesToInvoiceNumber'),
		paymentField('comment'),
		paymentField('contactId'),
		customerLocator(
			'Customer who paid (from the list or by ID). Business Central fills in the customer number. Customer Number does the same by number: add one of the two (both at once are refused before any request).',
			false,
		),
		paymentField('customerNumber'),
		paymentField('description'),
		paymentField('documentNumber'),
		paymentField('externalDocumentNumber'),
		paymentField('lineNumber'),
		paymentField('postingDate'),
	],
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

/**
 * Version 2's Amount and Line Number: text that starts empty, so adding the field writes
 * nothing by itself (version 1's number inputs start at 0 and 10000 and a run right after
 * adding them writes those). An empty value is refused before any request.
 */
const V2_REPLACEMENTS = new Map([
	['amount', paymentField('amountV2', 'Must not be empty.')],
	['lineNumber', paymentField('lineNumberV2', 'Must not be empty.')],
]);

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

export const updateProperties: INodeProperties[] = [
	companyLocator,
	journalLocator,
	paymentLocator('The customer payment (a line of a customer payment journal) to update'),
	updateFields,
	updateFieldsV2,
	updateOptions(customerPayment),
];
