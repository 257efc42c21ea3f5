import type { IDataObject } from 'n8n-workflow';

import type { ApiVersion } from './apiBase';
import { odataString } from './odata';
import type { WritablePaymentField } from './paymentFields';
import {
	InputValidationError,
	locatorValue,
	validateAs,
	validateGuid,
	validatePaymentField,
} from './validation';

/**
 * Input checks of Create and Get Many, built on the same zod rules as Update
 * (`validation.ts`): GUIDs, calendar dates, numbers, Business Central's lengths.
 * Every function throws InputValidationError before any request is sent.
 */

/** A value the user left empty (or an expression that resolved to nothing). */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** A customer or invoice chosen from the list / by ID (→ `…Id`) or by number (→ `…Number`). */
export interface PartyRef {
	id?: string;
	number?: string;
}

/** Customer or applies-to invoice locator with modes list, id and number. */
export function parsePartyLocator(kind: 'customer' | 'invoice', raw: unknown): PartyRef {
	const value = locatorValue(raw);
	if (isBlank(value)) return {};
	const mode = raw && typeof raw === 'object' ? (raw as { mode?: string }).mode : 'id';
	const [idField, numberField]: WritablePaymentField[] =
		kind === 'customer'
			? ['customerId', 'customerNumber']
			: ['appliesToInvoiceId', 'appliesToInvoiceNumber'];
	if (mode === 'number') {
		return { number: String(validatePaymentField(numberField, String(value).trim(), 'v2.0')) };
	}
	return { id: String(validatePaymentField(idField, String(value).trim(), 'v2.0')) };
}

export interface CreateInput {
	journal: unknown;
	customer: unknown;
	amount: unknown;
	postingDate: unknown;
	appliesToInvoice: unknown;
	additionalFields: IDataObject;
}

/** "Additional Fields" of Create: the optional writable properties. */
const CREATE_ADDITIONAL: WritablePaymentField[] = [
	'comment',
	'contactId',
	'description',
	'documentNumber',
	'externalDocumentNumber',
	'lineNumber',
];

/**
 * The POST body of Create: `journalId` (required; the company-level collection
 * needs it), `amount` (required) and whatever else was given. Empty values are
 * left out so Business Central fills in its defaults (next document number,
 * next line number, work date, the customer's name as description).
 */
export function buildPaymentCreate(
	input: CreateInput,
	apiVersion: ApiVersion,
	{ timeZone }: { timeZone?: string } = {},
): IDataObject {
	const body: IDataObject = {};
	const journal = locatorValue(input.journal);
	if (isBlank(journal)) {
		throw new InputValidationError(
			'Journal',
			journal,
			'is required: choose the customer payment journal to add the payment to',
		);
	}
	body.journalId = validateGuid('Journal', String(journal).trim());
	const customer = parsePartyLocator('customer', input.customer);
	if (customer.id) body.customerId = customer.id;
	if (customer.number) body.customerNumber = customer.number;
	if (isBlank(input.amount)) {
		throw new InputValidationError('Amount', input.amount, 'is required');
	}
	body.amount = validatePaymentField('amount', input.amount, apiVersion);
	if (!isBlank(input.postingDate)) {
		body.postingDate = validatePaymentField('postingDate', input.postingDate, apiVersion, timeZone);
	}
	const invoice = parsePartyLocator('invoice', input.appliesToInvoice);
	if (invoice.id) body.appliesToInvoiceId = invoice.id;
	if (invoice.number) body.appliesToInvoiceNumber = invoice.number;
	for (const [name, value] of Object.entries(input.additionalFields ?? {})) {
		const field = CREATE_ADDITIONAL.find((candidate) => candidate === name);
		if (!field) {
			throw new InputValidationError(name, value, 'is not a field of a new customer payment');
		}
		if (isBlank(value)) continue;
		body[field] = validatePaymentField(field, value, apiVersion);
	}
	return body;
}

export interface PaymentFilters {
	customer?: unknown;
	customerNumber?: unknown;
	postingDateFrom?: unknown;
	postingDateTo?: unknown;
	documentNumber?: unknown;
	appliesToInvoice?: unknown;
	appliesToInvoiceNumber?: unknown;
	odataFilter?: unknown;
}

/** Code fields: Business Central stores them upper-cased and `eq` compares exactly. */
function codeCondition(property: string, label: string, value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	const text = String(validateAs(label, 'code', value, { maxLength: 20 }));
	return `${property} eq ${odataString(text)}`;
}

/**
 * Why a custom `$filter` could close the parentheses it is wrapped in, or undefined.
 * Parentheses count only outside OData string literals (`'it''s (fine)'`: a doubled
 * quote stays inside the literal), so `amount lt 0) or (amount ge 0` — which would turn
 * `journalId eq J and (…)` into an `or` without the journal condition — is caught.
 */
function filterEscape(filter: string): string | undefined {
	let depth = 0;
	let inLiteral = false;
	for (let index = 0; index < filter.length; index++) {
		const char = filter[index];
		if (inLiteral) {
			if (char === "'" && filter[index + 1] === "'") index++;
			else if (char === "'") inLiteral = false;
		} else if (char === "'") {
			inLiteral = true;
		} else if (char === '(') {
			depth++;
		} else if (char === ')' && --depth < 0) {
			return `closes a parenthesis it did not open (at character ${index + 1})`;
		}
	}
	if (inLiteral)
		return "has a text literal that is not closed (a ' without its partner; write '' for a quote inside text)";
	if (depth > 0) return `leaves ${depth} parenthesis(es) open`;
	return undefined;
}

/** The Custom Filter, wrapped in parentheses that it cannot close. */
function customCondition(raw: unknown): string | undefined {
	if (isBlank(raw)) return undefined;
	if (typeof raw !== 'string') throw new InputValidationError('Custom Filter', raw, 'is not text');
	const problem = filterEscape(raw);
	if (problem) throw new InputValidationError('Custom Filter', raw, problem);
	return `(${raw.trim()})`;
}

/**
 * The "Filters" of Get Many as OData conditions (ANDed by the caller with the
 * journal condition). GUIDs and dates are unquoted, as Business Central expects;
 * a custom `$filter` is wrapped in parentheses so its `or` cannot escape. Dates
 * given as instants count in `timeZone` (the workflow's).
 */
export function buildPaymentFilters(
	filters: PaymentFilters,
	{ timeZone }: { timeZone?: string } = {},
): string[] {
	const conditions: Array<string | undefined> = [];
	const customer = locatorValue(filters.customer);
	if (!isBlank(customer))
		conditions.push(`customerId eq ${validateGuid('Customer', String(customer).trim())}`);
	conditions.push(codeCondition('customerNumber', 'Customer Number', filters.customerNumber));
	const from = isBlank(filters.postingDateFrom)
		? undefined
		: String(validateAs('Posting Date From', 'date', filters.postingDateFrom, { timeZone }));
	const to = isBlank(filters.postingDateTo)
		? undefined
		: String(validateAs('Posting Date To', 'date', filters.postingDateTo, { timeZone }));
	if (from && to && from > to) {
		throw new InputValidationError('Posting Date To', to, `is before Posting Date From (${from})`);
	}
	if (from) conditions.push(`postingDate ge ${from}`);
	if (to) conditions.push(`postingDate le ${to}`);
	conditions.push(codeCondition('documentNumber', 'Document Number', filters.documentNumber));
	const invoice = locatorValue(filters.appliesToInvoice);
	if (!isBlank(invoice)) {
		conditions.push(
			`appliesToInvoiceId eq ${validateGuid('Applies-to Invoice', String(invoice).trim())}`,
		);
	}
	conditions.push(
		codeCondition(
			'appliesToInvoiceNumber',
			'Applies-to Invoice Number',
			filters.appliesToInvoiceNumber,
		),
	);
	conditions.push(customCondition(filters.odataFilter));
	return conditions.filter((condition): condition is string => condition !== undefined);
}

const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "Fields" (`$select`): comma-separated property names, blanks and repeats dropped. */
export function parseSelect(raw: unknown): string | undefined {
	if (isBlank(raw)) return undefined;
	const text = Array.isArray(raw) ? raw.join(',') : String(raw);
	const names = [
		...new Set(
			text
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean),
		),
	];
	const wrong = names.find((name) => !PROPERTY_NAME.test(name));
	if (wrong !== undefined) {
		throw new InputValidationError(
			'Fields',
			raw,
			`contains "${wrong}", which is not a property name`,
		);
	}
	return names.length ? names.join(',') : undefined;
}

/** Limit of Get Many: a whole number of at least 1. */
export function parseLimit(raw: unknown): number {
	const limit = Number(validateAs('Limit', 'integer', raw));
	if (limit < 1) throw new InputValidationError('Limit', raw, 'must be at least 1');
	return limit;
}
