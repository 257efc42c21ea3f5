import type { IDataObject } from 'n8n-workflow';

import { asText, type EntityDescriptor } from './entity';

/**
 * Status values of a sales invoice (API v2.0, APIV2SalesInvoices.Page.al): Draft and In
 * Review are unposted documents (Sales Header); Open, Paid, Canceled and Corrective are
 * posted invoices (Sales Invoice Header). Only posted invoices carry a remaining amount a
 * payment can close.
 */
export const SALES_INVOICE_STATUSES = [
	'Draft',
	'In Review',
	'Open',
	'Paid',
	'Canceled',
	'Corrective',
] as const;

/** number · customer · status · open amount · due date (as the open-invoice picker, plus the status) */
function invoiceName(invoice: IDataObject): string {
	return [
		asText(invoice.number),
		asText(invoice.customerName) || asText(invoice.customerNumber),
		asText(invoice.status),
		`open ${asText(invoice.remainingAmount)}`,
		`due ${asText(invoice.dueDate)}`,
	].join(' · ');
}

/**
 * A sales invoice, `companies(c)/salesInvoices(id)`: read-only here (Get, Get Many), so no
 * writable fields. The API v2.0 page has many more properties (addresses, currency, lines,
 * tax amounts, …); Simplify keeps those that matter for matching a payment: who owes it,
 * how much is still open, by when, and the references a bank line may quote.
 * `remainingAmount` is computed on read (the page's GetRemainingAmount()), not stored.
 */
export const salesInvoice: EntityDescriptor<never> = {
	entitySet: 'salesInvoices',
	displayName: 'Sales Invoice',
	locatorParameter: 'salesInvoice',
	label: 'sales invoice',
	shortLabel: 'invoice',
	fields: {},
	// Readable fields first (n8n's table view shows them leftmost), GUIDs and the eTag last.
	simpleFields: [
		'number',
		'customerNumber',
		'customerName',
		'invoiceDate',
		'dueDate',
		'totalAmountIncludingTax',
		'remainingAmount',
		'status',
		'externalDocumentNumber',
		'customerId',
		'id',
		'@odata.etag',
	],
	pickerLabel: invoiceName,
	searchFields: ['number', 'customerName', 'customerNumber', 'externalDocumentNumber'],
};
