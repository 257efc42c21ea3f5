import type { INodeProperties } from 'n8n-workflow';

import { salesInvoice } from '../../entities/salesInvoice';
import { recordLocator } from '../common.descriptions';

/** The invoice a Get reads: every invoice of the company in the list (any status), by ID, by URL. */
export const salesInvoiceLocator: INodeProperties = recordLocator(salesInvoice, {
	description:
		'The sales invoice to read. From List shows every invoice (number · customer · status · open amount · due date); By ID takes the GUID, e.g. the "appliesToInvoiceId" of a payment or the "id" of Get Many.',
	searchListMethod: 'searchSalesInvoices',
	idExample: '44cc0a52-4b7c-ef11-8a6b-6045bde9c5a4',
	urlForms: '…/companies({id})/salesInvoices({id})',
});

/** What Simplify Off adds, in its hint. */
export const MORE_INVOICE_PROPERTIES =
	'postingDate, billToCustomerNumber, currencyCode, totalAmountExcludingTax, totalTaxAmount, lastModifiedDateTime';
