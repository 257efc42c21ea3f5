/**
 * Entity metadata the OData layer needs: property names and EDM types per
 * entity set (for $filter type checks, $select, $orderby), which properties an
 * API version exposes (customerPayment.contactId only exists in v1.0 / beta),
 * and the navigation properties `$expand` may follow.
 */
import type { ApiVersion } from './types.cjs';

export type FieldType = 'guid' | 'string' | 'number' | 'date' | 'datetime' | 'boolean';

export interface EntityDef {
	/** Entity type name, as in `Microsoft.NAV.<type>` and in "The <type> does not exist." */
	type: string;
	/** Entity set name in URLs. */
	set: string;
	fields: Record<string, FieldType>;
	/** Properties only some API versions have. */
	versionOnly?: Record<string, ApiVersion[]>;
	/** Writable through the API (POST/PATCH/DELETE); others answer 405. */
	writable: boolean;
	/** Methods allowed besides GET when not `writable` (e.g. customers: PATCH only in the sandbox). */
	methods?: Array<'POST' | 'PATCH' | 'DELETE'>;
}

const payment: EntityDef = {
	type: 'customerPayment',
	set: 'customerPayments',
	writable: true,
	fields: {
		id: 'guid',
		journalId: 'guid',
		journalDisplayName: 'string',
		lineNumber: 'number',
		customerId: 'guid',
		customerNumber: 'string',
		contactId: 'string',
		postingDate: 'date',
		documentNumber: 'string',
		externalDocumentNumber: 'string',
		amount: 'number',
		appliesToInvoiceId: 'guid',
		appliesToInvoiceNumber: 'string',
		description: 'string',
		comment: 'string',
		lastModifiedDateTime: 'datetime',
	},
	versionOnly: { contactId: ['v1.0', 'beta'] },
};

export const ENTITIES: Record<string, EntityDef> = {
	companies: {
		type: 'company',
		set: 'companies',
		writable: false,
		fields: {
			id: 'guid',
			systemVersion: 'string',
			timestamp: 'number',
			name: 'string',
			displayName: 'string',
			businessProfileId: 'string',
			systemCreatedAt: 'datetime',
			systemModifiedAt: 'datetime',
		},
	},
	customers: {
		type: 'customer',
		set: 'customers',
		writable: false,
		methods: ['PATCH'],
		fields: {
			id: 'guid',
			number: 'string',
			displayName: 'string',
			type: 'string',
			phoneNumber: 'string',
			email: 'string',
			website: 'string',
			currencyCode: 'string',
			blocked: 'string',
			balanceDue: 'number',
			lastModifiedDateTime: 'datetime',
		},
	},
	salesInvoices: {
		type: 'salesInvoice',
		set: 'salesInvoices',
		writable: false,
		fields: {
			id: 'guid',
			number: 'string',
			externalDocumentNumber: 'string',
			invoiceDate: 'date',
			postingDate: 'date',
			dueDate: 'date',
			customerId: 'guid',
			customerNumber: 'string',
			customerName: 'string',
			totalAmountIncludingTax: 'number',
			remainingAmount: 'number',
			status: 'string',
			lastModifiedDateTime: 'datetime',
		},
	},
	customerPaymentJournals: {
		type: 'customerPaymentJournal',
		set: 'customerPaymentJournals',
		writable: false,
		methods: ['POST', 'PATCH', 'DELETE'],
		fields: {
			id: 'guid',
			code: 'string',
			displayName: 'string',
			balancingAccountId: 'guid',
			balancingAccountNumber: 'string',
			lastModifiedDateTime: 'datetime',
		},
	},
	// page 30016 "APIV2 - Journals" (APIV2Journals.Page.al): Gen. Journal Batch, field order of the page
	journals: {
		type: 'journal',
		set: 'journals',
		writable: false,
		fields: {
			id: 'guid',
			code: 'string',
			displayName: 'string',
			templateDisplayName: 'string',
			lastModifiedDateTime: 'datetime',
			balancingAccountId: 'guid',
			balancingAccountNumber: 'string',
		},
	},
	contacts: {
		type: 'contact',
		set: 'contacts',
		writable: false,
		fields: {
			id: 'guid',
			number: 'string',
			type: 'string',
			displayName: 'string',
			companyName: 'string',
			email: 'string',
			phoneNumber: 'string',
			lastModifiedDateTime: 'datetime',
		},
	},
	customerPayments: payment,
};

/** Property names of an entity in a given API version, in the order BC lists them. */
export function fieldsOf(def: EntityDef, api: ApiVersion): string[] {
	return Object.keys(def.fields).filter(
		(name) => !def.versionOnly?.[name] || def.versionOnly[name].includes(api),
	);
}

/** Field → type map for one API version. */
export function fieldTypes(def: EntityDef, api: ApiVersion): Record<string, FieldType> {
	const out: Record<string, FieldType> = {};
	for (const name of fieldsOf(def, api)) out[name] = def.fields[name];
	return out;
}

/** Navigation properties `$expand` can follow: name → target entity set and whether it is a collection. */
export const NAVIGATION: Record<string, Record<string, { set: string; many: boolean }>> = {
	customerPayments: {
		customer: { set: 'customers', many: false },
		customerPaymentJournal: { set: 'customerPaymentJournals', many: false },
	},
	salesInvoices: { customer: { set: 'customers', many: false } },
	customerPaymentJournals: { customerPayments: { set: 'customerPayments', many: true } },
};

/** Copy of a record restricted to the API version's properties, in BC's order. */
export function project(
	def: EntityDef,
	api: ApiVersion,
	record: object,
	select?: string[],
): Record<string, unknown> {
	const source = record as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const name of fieldsOf(def, api)) {
		if (select && !select.includes(name)) continue;
		out[name] = source[name] ?? (def.fields[name] === 'string' ? '' : source[name]);
	}
	return out;
}

export const GUID_RE =
	/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
