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

const AMOUNT_FORMAT = new Intl.NumberFormat('en-US', {
	minimumFractionDigits: 2,
	maximumFractionDigits: 10,
});

/** An amount as a picker shows it: grouped, at least two decimals, nothing rounded away. */
export function pickerAmount(amount: unknown): string {
	return typeof amount === 'number' && Number.isFinite(amount)
		? AMOUNT_FORMAT.format(amount)
		: asText(amount);
}

/**
 * A payment as the picker shows it, the distinguishing parts first and labelled where a
 * bare value would be a riddle (n8n cuts long names at the list's width):
 * "Cust. 10000 · -1,500.00 · 2026-11-02 · G02001", then its journal's code when the
 * list spans every journal. The description is left out: it is the part that gets cut.
 */
export function paymentPickerLabel(payment: IDataObject, journalCode?: string): string {
	const customerNumber = asText(payment.customerNumber);
	return [
		customerNumber ? `Cust. ${customerNumber}` : 'No customer',
		pickerAmount(payment.amount),
		asText(payment.postingDate),
		asText(payment.documentNumber),
		journalCode,
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
	// Readable fields first (n8n's table view shows them leftmost), GUIDs and the eTag last.
	simpleFields: [
		'documentNumber',
		'customerNumber',
		'postingDate',
		'amount',
		'description',
		'appliesToInvoiceNumber',
		'externalDocumentNumber',
		'journalDisplayName',
		'lineNumber',
		'id',
		'@odata.etag',
	],
	pickerLabel: (payment) => paymentPickerLabel(payment),
	searchFields: ['documentNumber', 'customerNumber', 'description', 'externalDocumentNumber'],
};
