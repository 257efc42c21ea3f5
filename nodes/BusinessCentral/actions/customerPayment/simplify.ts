import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { toOutput } from './paymentRecords';

/** What most workflows use of a payment: identity, eTag, journal line, customer, date, numbers, amount. */
export const SIMPLE_FIELDS = [
	'id',
	'@odata.etag',
	'journalDisplayName',
	'lineNumber',
	'customerNumber',
	'postingDate',
	'documentNumber',
	'externalDocumentNumber',
	'amount',
	'appliesToInvoiceNumber',
	'description',
] as const;

/** The simplified payment: only SIMPLE_FIELDS, in that order, those the record has. */
export function simplifyPayment(record: IDataObject): IDataObject {
	const simple: IDataObject = {};
	for (const field of SIMPLE_FIELDS) {
		if (record[field] !== undefined) simple[field] = record[field];
	}
	return simple;
}

/** A payment as output: simplified, or the record as Business Central sent it without `@odata.context`. */
export function paymentOutput(record: IDataObject, simple: boolean): IDataObject {
	return simple ? simplifyPayment(record) : toOutput(record);
}

/** Top-level "Simplify" of the read operations (n8n's convention: on by default). */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'Simplified: id, @odata.etag, journalDisplayName, lineNumber, customerNumber, postingDate, documentNumber, externalDocumentNumber, amount, appliesToInvoiceNumber, description. Off: every property Business Central returns (journalId, customerId, appliesToInvoiceId, comment, lastModifiedDateTime, …).',
};
