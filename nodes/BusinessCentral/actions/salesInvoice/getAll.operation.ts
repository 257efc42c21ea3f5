import type { INodeProperties } from 'n8n-workflow';

import { SALES_INVOICE_STATUSES, salesInvoice } from '../../entities/salesInvoice';
import { withDisplayOptions } from '../../helpers/displayOptions';
import {
	companyLocator,
	getAllOptions,
	returnAllProperties,
	simplifyProperty,
	filtersCollection,
} from '../common.descriptions';
import { customerLocator } from '../customerPayment/payment.descriptions';
import { getAllExecute } from '../recordOperations';
import { buildInvoiceFilters } from './invoiceFilters';
import { MORE_INVOICE_PROPERTIES } from './salesInvoice.descriptions';

/** "Filters": each one becomes an OData condition; all of them are ANDed. */
const filters: INodeProperties = filtersCollection('invoices', [
	{
		displayName: 'Custom Filter',
		name: 'odataFilter',
		type: 'string',
		default: '',
		placeholder: 'e.g. totalAmountIncludingTax gt 1000 and invoiceDate ge 2026-01-01',
		description:
			"An OData $filter expression over sales invoice properties, ANDed with the other filters inside parentheses, so its parentheses must balance (outside text literals). GUIDs and dates unquoted, text in single quotes with a quote inside written twice ('O''BRIEN'). Business Central refuses `or` between different properties (status eq 'Open' or number eq '103001'); `or` on one property works.",
	},
	customerLocator(
		"Only invoices of this customer: From List or By ID (customerId eq …), or By No. (customerNumber eq '…', max 20 characters, upper-cased as Business Central stores it)",
		true,
	),
	{
		displayName: 'Due Date From',
		name: 'dueDateFrom',
		type: 'dateTime',
		// a date picker (n8n stores YYYY-MM-DD); a YYYY-MM-DDTHH:mm:ss picked before is shown and read too
		typeOptions: { dateOnly: true },
		default: '',
		description:
			"Only invoices due on or after this date (dueDate ge YYYY-MM-DD). A date-time with a UTC offset, or a date from an expression, counts as the calendar date in the workflow's time zone.",
	},
	{
		displayName: 'Due Date To',
		name: 'dueDateTo',
		type: 'dateTime',
		// a date picker (n8n stores YYYY-MM-DD); a YYYY-MM-DDTHH:mm:ss picked before is shown and read too
		typeOptions: { dateOnly: true },
		default: '',
		description:
			"Only invoices due on or before this date (dueDate le YYYY-MM-DD). A date-time with a UTC offset, or a date from an expression, counts as the calendar date in the workflow's time zone.",
	},
	{
		displayName: 'External Document Number',
		name: 'externalDocumentNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. PO-12345',
		description:
			"Only invoices with this external document number, the customer's own reference such as their order number (exact match, max 35 characters; upper-cased as Business Central stores it)",
	},
	{
		displayName: 'Number',
		name: 'number',
		type: 'string',
		default: '',
		placeholder: 'e.g. 103001',
		description:
			'Only the invoice with this number (exact match, max 20 characters; upper-cased as Business Central stores it)',
	},
	{
		displayName: 'Remaining Amount Max',
		name: 'remainingAmountMax',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1500.00',
		description:
			'Only invoices with at most this amount still open (remainingAmount le …). A number such as 1500.00, typed or mapped from the input. Set Min and Max to the same value to find invoices with exactly that amount open. Business Central computes remainingAmount when it reads an invoice; where it cannot filter on it, use the Custom Filter on totalAmountIncludingTax or compare in a later step.',
	},
	{
		displayName: 'Remaining Amount Min',
		name: 'remainingAmountMin',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1500.00',
		description:
			'Only invoices with at least this amount still open (remainingAmount ge …). A number such as 1500.00, typed or mapped from the input. Set Min and Max to the same value to find invoices with exactly that amount open. Business Central computes remainingAmount when it reads an invoice; where it cannot filter on it, use the Custom Filter on totalAmountIncludingTax or compare in a later step.',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: SALES_INVOICE_STATUSES.map((status) => ({ name: status, value: status })),
		default: 'Open',
		description:
			'Only invoices with this status (status eq …): Open (posted, not fully paid), Paid, Canceled, Corrective (posted), Draft or In Review (not posted yet)',
	},
]);

const properties: INodeProperties[] = [
	companyLocator,
	...returnAllProperties,
	filters,
	simplifyProperty(salesInvoice, MORE_INVOICE_PROPERTIES),
	getAllOptions(salesInvoice, 'number,customerNumber,remainingAmount,status'),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['salesInvoice'], operation: ['getAll'] } },
	properties,
);

/** GET `companies(c)/salesInvoices` per input item with the filters ANDed, paged. */
export const execute = getAllExecute(salesInvoice, buildInvoiceFilters);
