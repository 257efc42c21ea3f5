import type { INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import {
	companyLocator,
	filtersCollection,
	getAllOptions,
	returnAllProperties,
	simplifyProperty,
} from '../common.descriptions';
import { customerLocator, invoiceLocator, journalLocator } from './payment.descriptions';

/** "Filters": each one becomes an OData condition; all of them (and the journal) are ANDed. */
export const getAllFilters: INodeProperties = filtersCollection('payments', [
	invoiceLocator(
		'Only payments applied to this posted sales invoice (appliesToInvoiceId eq …). The list shows open invoices, narrowed to the customer chosen in these filters.',
		false,
	),
	{
		displayName: 'Applies-to Invoice Number',
		name: 'appliesToInvoiceNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 103001',
		description:
			'Only payments applied to the invoice with this number (exact match, max 20 characters)',
	},
	{
		displayName: 'Custom Filter',
		name: 'odataFilter',
		type: 'string',
		default: '',
		placeholder: "e.g. amount lt -1000 and contains(description,'Adatum')",
		description:
			"An OData $filter expression over customer payment properties, ANDed with the other filters inside parentheses, so its parentheses must balance (outside text literals). GUIDs and dates unquoted (customerId eq 11aa0a52-…, postingDate ge 2026-01-01), text in single quotes with a quote inside written twice ('O''BRIEN'). Business Central refuses `or` between different properties (amount lt 0 or description eq 'x'); `or` on one property works.",
	},
	customerLocator('Only payments of this customer (customerId eq …)', false),
	{
		displayName: 'Customer Number',
		name: 'customerNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 10000',
		description: 'Only payments of the customer with this number (exact match, max 20 characters)',
	},
	{
		displayName: 'Document Number',
		name: 'documentNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. G02001',
		description:
			'Only payments with this document number (exact match, max 20 characters), e.g. to check whether a payment was already created',
	},
	{
		displayName: 'Posting Date From',
		name: 'postingDateFrom',
		type: 'dateTime',
		// a date picker (n8n stores YYYY-MM-DD); a YYYY-MM-DDTHH:mm:ss picked before is shown and read too
		typeOptions: { dateOnly: true },
		default: '',
		description:
			"Only payments posted on or after this date (postingDate ge YYYY-MM-DD). A date-time with a UTC offset, or a date from an expression, counts as the calendar date in the workflow's time zone.",
	},
	{
		displayName: 'Posting Date To',
		name: 'postingDateTo',
		type: 'dateTime',
		// a date picker (n8n stores YYYY-MM-DD); a YYYY-MM-DDTHH:mm:ss picked before is shown and read too
		typeOptions: { dateOnly: true },
		default: '',
		description:
			"Only payments posted on or before this date (postingDate le YYYY-MM-DD). A date-time with a UTC offset, or a date from an expression, counts as the calendar date in the workflow's time zone.",
	},
]);

export const getAllProperties: INodeProperties[] = [
	companyLocator,
	{
		...journalLocator,
		description:
			'Customer payment journal whose payments to return (Business Central lists payments only per journal: journalId eq …). Leave empty to return the payments of every journal of the company, journal by journal.',
	},
	...returnAllProperties,
	getAllFilters,
	simplifyProperty(
		customerPayment,
		'journalId, customerId, appliesToInvoiceId, comment, lastModifiedDateTime',
	),
	getAllOptions(customerPayment, 'documentNumber,amount,postingDate'),
];
