import type { IDataObject } from 'n8n-workflow';

import { asText, type EntityDescriptor, type FieldSpec } from './entity';

/**
 * Every property of the customerPayment entity a PATCH may change (API v2.0, plus
 * contactId on v1.0 and the beta). `journalId`, `journalDisplayName`, `id` and
 * `lastModifiedDateTime` cannot be changed by PATCH and are not listed. Code fields are
 * table 81 "Gen. Journal Line"'s Document No. Code[20], External Document No. Code[35],
 * Account No. Code[20], Applies-to Doc. No. Code[20].
 */
export const WRITABLE_PAYMENT_FIELDS = {
	lineNumber: { displayName: 'Line Number', kind: 'integer' },
	customerId: { displayName: 'Customer', kind: 'guid' },
	customerNumber: { displayName: 'Customer Number', kind: 'code', maxLength: 20 },
	contactId: {
		displayName: 'Contact ID',
		kind: 'string',
		maxLength: 250,
		versions: ['v1.0', 'beta'],
		clearable: true,
	},
	postingDate: { displayName: 'Posting Date', kind: 'date' },
	documentNumber: { displayName: 'Document Number', kind: 'code', maxLength: 20 },
	externalDocumentNumber: {
		displayName: 'External Document Number',
		kind: 'code',
		maxLength: 35,
		clearable: true,
	},
	amount: { displayName: 'Amount', kind: 'decimal' },
	appliesToInvoiceId: { displayName: 'Applies-to Invoice', kind: 'guid' },
	appliesToInvoiceNumber: {
		displayName: 'Applies-to Invoice Number',
		kind: 'code',
		maxLength: 20,
		clearable: true,
	},
	description: { displayName: 'Description', kind: 'string', maxLength: 100, clearable: true },
	comment: { displayName: 'Comment', kind: 'string', maxLength: 250, clearable: true },
} satisfies Record<string, FieldSpec>;

export type WritablePaymentField = keyof typeof WRITABLE_PAYMENT_FIELDS;

export type PaymentPatch = Partial<Record<WritablePaymentField, string | number>>;

/** document no. · customer · amount · posting date · description */
function paymentName(payment: IDataObject): string {
	return [
		asText(payment.documentNumber) || '(no document no.)',
		asText(payment.customerNumber) || '(no customer)',
		asText(payment.amount),
		asText(payment.postingDate),
		asText(payment.description),
	]
		.filter(Boolean)
		.join(' · ');
}

/** A line of a customer payment journal (cash receipt journal), `companies(c)/customerPayments(p)`. */
export const customerPayment: EntityDescriptor<WritablePaymentField> = {
	entitySet: 'customerPayments',
	displayName: 'Customer Payment',
	locatorParameter: 'customerPayment',
	label: 'customer payment',
	shortLabel: 'payment',
	parent: {
		entitySet: 'customerPaymentJournals',
		label: 'journal',
		parameter: 'journal',
		parameterDisplayName: 'Journal',
		collectionLabel: 'customer payment journals',
		property: 'journalId',
		// APIV1CustomerPayments.Page.al (v1.0, and the beta before it) has no journalId:
		// its journal comes only from the navigation path.
		propertyVersions: ['v2.0'],
	},
	fields: WRITABLE_PAYMENT_FIELDS,
	locatorFields: { customer: 'customerId', appliesToInvoice: 'appliesToInvoiceId' },
	pairs: [
		['customerId', 'customerNumber'],
		['appliesToInvoiceId', 'appliesToInvoiceNumber'],
	],
	filledFrom: {
		customerId: ['customerNumber'],
		customerNumber: ['customerId'],
		appliesToInvoiceId: ['appliesToInvoiceNumber', 'customerId', 'customerNumber'],
		appliesToInvoiceNumber: ['appliesToInvoiceId', 'customerId', 'customerNumber'],
	},
	simpleFields: [
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
	],
	pickerLabel: paymentName,
	searchFields: ['documentNumber', 'customerNumber', 'description', 'externalDocumentNumber'],
};
