import { asText, type EntityDescriptor, type FieldSpec } from './entity';

/**
 * Properties of a customer payment journal a POST may set (page 30013 "APIV2 - Cust. Paym.
 * Journals", APIV2CustPaymJournals.Page.al, over table 232 "Gen. Journal Batch"): code = Name
 * Code[10] (NotBlank), displayName = Description Text[100], balancingAccountId = the G/L
 * account's SystemId (BalAccountId). balancingAccountNumber is `Editable = false` on the page
 * (Business Central fills it from the id), so it is output only.
 */
export const WRITABLE_JOURNAL_FIELDS = {
	code: { displayName: 'Code', kind: 'code', maxLength: 10 },
	displayName: { displayName: 'Display Name', kind: 'string', maxLength: 100 },
	balancingAccountId: { displayName: 'Balancing Account ID', kind: 'guid' },
} satisfies Record<string, FieldSpec>;

export type WritableJournalField = keyof typeof WRITABLE_JOURNAL_FIELDS;

/**
 * A customer payment journal (cash receipt journal batch), `companies(c)/customerPaymentJournals(id)`.
 * Its lines are customer payments (entities/customerPayment.ts, parent `journalId`); it is
 * posted through `journals(id)/Microsoft.NAV.post` (operations/postJournal.ts).
 */
export const customerPaymentJournal: EntityDescriptor<WritableJournalField> = {
	entitySet: 'customerPaymentJournals',
	displayName: 'Customer Payment Journal',
	// the parameter name Customer Payment already uses for its journal picker
	locatorParameter: 'journal',
	label: 'customer payment journal',
	shortLabel: 'journal',
	fields: WRITABLE_JOURNAL_FIELDS,
	// Readable fields first (n8n's table view shows them leftmost), GUIDs and the eTag last.
	simpleFields: [
		'code',
		'displayName',
		'balancingAccountNumber',
		'lastModifiedDateTime',
		'balancingAccountId',
		'id',
		'@odata.etag',
	],
	pickerLabel: (record) =>
		`${asText(record.code)}${record.displayName ? ` · ${asText(record.displayName)}` : ''}`,
	searchFields: ['code', 'displayName'],
};
