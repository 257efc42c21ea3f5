import type { IDataObject } from 'n8n-workflow';

import { customerPayment, type PaymentPatch, type WritablePaymentField } from '../../entities/customerPayment';
import type { ApiVersion } from '../../helpers/apiBase';
import { codeCondition, customCondition } from '../../helpers/listInput';
import { buildPatch, type PatchOptions } from '../../helpers/updateFields';
import {
	DEFAULT_TIME_ZONE,
	InputValidationError,
	isBlank,
	locatorValue,
	validateAs,
	validateField,
	validateGuid,
} from '../../helpers/validation';

/**
 * Input checks of the customer payment operations on the entity's field declarations
 * (`entities/customerPayment.ts`) and the shared zod rules (`helpers/validation.ts`):
 * GUIDs, calendar dates, numbers, Business Central's lengths. Every function throws
 * InputValidationError before any request is sent.
 */

/** Validates one customer payment property; the error names the field and the value. */
export function validatePaymentField(
	name: WritablePaymentField,
	value: unknown,
	apiVersion: ApiVersion,
	timeZone: string = DEFAULT_TIME_ZONE,
): string | number {
	return validateField(customerPayment, name, value, apiVersion, timeZone) as string | number;
}

/** "Update Fields" of Customer Payment → Update as the PATCH body. */
export function buildPaymentPatch(
	updateFields: Record<string, unknown>,
	apiVersion: ApiVersion,
	options: PatchOptions = {},
): PaymentPatch {
	return buildPatch(customerPayment, updateFields, apiVersion, options) as PaymentPatch;
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
 * The journal and the POST body of Create: `amount` (required) and whatever else was
 * given (the journal goes into the body or the URL: `collectionIn`). Empty values are
 * left out so Business Central fills in its defaults (next document number,
 * next line number, work date, the customer's name as description).
 */
export function buildPaymentCreate(
	input: CreateInput,
	apiVersion: ApiVersion,
	{ timeZone }: { timeZone?: string } = {},
): { journalId: string; body: IDataObject } {
	const body: IDataObject = {};
	const journal = locatorValue(input.journal);
	if (isBlank(journal)) {
		throw new InputValidationError(
			'Journal',
			journal,
			'is required: choose the customer payment journal to add the payment to',
		);
	}
	const journalId = validateGuid('Journal', String(journal).trim());
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
	return { journalId, body };
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

