import type { ApiVersion } from './apiBase';

/**
 * Kinds of writable customerPayment properties and how they are checked before a request.
 * `code`: a Code field of table 81 "Gen. Journal Line" (Document No. Code[20], External
 * Document No. Code[35], Account No. Code[20], Applies-to Doc. No. Code[20]), which
 * Business Central stores trimmed and upper-cased: the node sends it that way, so the
 * length is checked on what is stored and a re-read after an unclear write compares alike.
 */
export type FieldKind = 'guid' | 'string' | 'code' | 'date' | 'decimal' | 'integer';

export interface PaymentField {
	/** Label used in the node UI and in error messages. */
	displayName: string;
	kind: FieldKind;
	/** Server-side maximum length (Business Central's table field length). */
	maxLength?: number;
	/** API versions that expose the property; all when absent. */
	versions?: ApiVersion[];
	/**
	 * Free text whose empty value means something (no description, not applied to an
	 * invoice): Update v2 empties it only when listed in "Clear Fields". Code fields
	 * (document, customer number) are not: a journal line needs them to be posted.
	 */
	clearable?: true;
}

/**
 * Every property of the customerPayment entity a PATCH may change (API v2.0,
 * plus contactId on v1.0 and the beta). `journalId`, `journalDisplayName`, `id`
 * and `lastModifiedDateTime` cannot be changed by PATCH and are not listed.
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
} satisfies Record<string, PaymentField>;

export type WritablePaymentField = keyof typeof WRITABLE_PAYMENT_FIELDS;

export type PaymentPatch = Partial<Record<WritablePaymentField, string | number>>;

export function isWritablePaymentField(name: string): name is WritablePaymentField {
	return Object.prototype.hasOwnProperty.call(WRITABLE_PAYMENT_FIELDS, name);
}
