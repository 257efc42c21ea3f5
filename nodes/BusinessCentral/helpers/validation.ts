import { z } from 'zod';

import type { ApiVersion } from './apiBase';
import {
	WRITABLE_PAYMENT_FIELDS,
	type FieldKind,
	type PaymentField,
	type PaymentPatch,
	type WritablePaymentField,
} from './paymentFields';

export const GUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A value the user gave that cannot be sent; `field` is the parameter's label. */
export class InputValidationError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		reason: string,
	) {
		super(`Invalid ${field}: ${describeValue(value)} ${reason}`);
		this.name = 'InputValidationError';
	}
}

/** Short, printable rendering of a user value for error messages. */
export function describeValue(value: unknown): string {
	let rendered: string;
	if (value === undefined) rendered = 'undefined';
	else if (typeof value === 'number' && !Number.isFinite(value)) rendered = String(value);
	else {
		try {
			rendered = JSON.stringify(value) ?? String(value);
		} catch {
			rendered = String(value);
		}
	}
	return rendered.length > 80 ? `${rendered.slice(0, 77)}...` : rendered;
}

const NOT_A_GUID = 'is not a GUID (expected 8-4-4-4-12 hex digits)';

// required_error / invalid_type_error: without them zod says "Required" or "Expected string, received number".
const guidSchema = z
	.string({ required_error: NOT_A_GUID, invalid_type_error: NOT_A_GUID })
	.regex(GUID_PATTERN, NOT_A_GUID);

export function validateGuid(field: string, value: unknown): string {
	const result = guidSchema.safeParse(value);
	if (!result.success) {
		throw new InputValidationError(field, value, result.error.issues[0]?.message ?? 'is not a GUID');
	}
	return result.data;
}

/** Numbers coming from spreadsheets and expressions as strings are accepted when they are plain numbers. */
const numericText = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function toNumber(value: unknown): unknown {
	if (typeof value === 'string' && numericText.test(value.trim())) return Number(value.trim());
	return value;
}

const decimalSchema = z.preprocess(
	toNumber,
	z
		.number({ required_error: 'is not a number', invalid_type_error: 'is not a number' })
		.finite('is not a finite number')
		.refine((n) => Math.abs(n) < 1e15, 'is outside the range Business Central can store'),
);

const integerSchema = z.preprocess(
	toNumber,
	z
		.number({ required_error: 'is not a whole number', invalid_type_error: 'is not a whole number' })
		.int('is not a whole number')
		.min(0, 'must not be negative')
		.max(2147483647, 'is larger than 2147483647'),
);

interface DateLike {
	toISODate?: () => string | null;
	toISOString?: () => string;
}

function toDateText(value: unknown): unknown {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	if (value && typeof value === 'object') {
		const dateLike = value as DateLike;
		if (typeof dateLike.toISODate === 'function') return dateLike.toISODate() ?? 'Invalid DateTime';
		if (typeof dateLike.toISOString === 'function') return dateLike.toISOString();
	}
	return value;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** Business Central dates are `YYYY-MM-DD`; a date-time keeps its own calendar date. */
const dateSchema = z.preprocess(
	toDateText,
	z
		.string({ required_error: 'is not a date', invalid_type_error: 'is not a date' })
		.regex(
			/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
			'is not a date (expected YYYY-MM-DD)',
		)
		.transform((text) => text.slice(0, 10))
		.refine((text) => {
			const [year, month, day] = text.split('-').map(Number);
			return year >= 1753 && year <= 9998 && isCalendarDate(year, month, day);
		}, 'is not a real calendar date between 1753 and 9998'),
);

function stringSchema(maxLength: number) {
	return z.preprocess(
		(value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
		z
			.string({ required_error: 'is not text', invalid_type_error: 'is not text' })
			.max(maxLength, `is longer than ${maxLength} characters, the most Business Central stores`),
	);
}

function schemaFor(field: PaymentField): z.ZodTypeAny {
	switch (field.kind) {
		case 'guid':
			return guidSchema;
		case 'date':
			return dateSchema;
		case 'decimal':
			return decimalSchema;
		case 'integer':
			return integerSchema;
		default:
			return stringSchema(field.maxLength ?? 250);
	}
}

/**
 * Checks a value against one of the field kinds under the caller's label (filters,
 * create parameters): same rules and messages as the payment fields themselves.
 */
export function validateAs(
	label: string,
	kind: FieldKind,
	value: unknown,
	maxLength?: number,
): string | number {
	const result = schemaFor({ displayName: label, kind, maxLength }).safeParse(value);
	if (!result.success) {
		throw new InputValidationError(label, value, result.error.issues[0]?.message ?? 'is not valid');
	}
	return result.data as string | number;
}

/** Validates one property value; the error names the field and the value. */
export function validatePaymentField(
	name: WritablePaymentField,
	value: unknown,
	apiVersion: ApiVersion,
): string | number {
	const field: PaymentField = WRITABLE_PAYMENT_FIELDS[name];
	if (field.versions && !field.versions.includes(apiVersion)) {
		throw new InputValidationError(
			field.displayName,
			value,
			`cannot be set: API ${apiVersion} has no "${name}" property (only ${field.versions.join(' and ')})`,
		);
	}
	const result = schemaFor(field).safeParse(value);
	if (!result.success) {
		throw new InputValidationError(
			field.displayName,
			value,
			result.error.issues[0]?.message ?? 'is not valid',
		);
	}
	return result.data as string | number;
}

/**
 * The "eTag" option: empty (the node reads the current one), or an entity tag
 * exactly as Business Central sent it — `W/"…"` or `"…"`, printable, at most 1,000
 * characters. `*` is refused: writing without a concurrency check is what "On
 * eTag Conflict → Overwrite Regardless" is for, and it still sends a real eTag.
 */
export function validateETag(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') {
		throw new InputValidationError('eTag', value, 'is not text (expected an eTag such as W/"JzQ0O…")');
	}
	const eTag = value.trim();
	if (eTag === '') return '';
	if (eTag === '*') {
		throw new InputValidationError('eTag', value, 'is not an eTag: to write whatever changed, set "On eTag Conflict" to "Overwrite Regardless"');
	}
	if (eTag.length > 1000 || !/^(W\/)?"[\x21\x23-\x7E]*"$/.test(eTag)) {
		throw new InputValidationError('eTag', value, 'is not an eTag (expected W/"…" as in "@odata.etag")');
	}
	return eTag;
}

/** Value of a resource locator ({ __rl, mode, value }) or of a plain string. */
export function locatorValue(value: unknown): unknown {
	if (value && typeof value === 'object' && 'value' in value) {
		return (value as { value: unknown }).value;
	}
	return value;
}

/** UI parameter (in "Update Fields") → API property. */
const UI_TO_API: Record<string, WritablePaymentField> = {
	customer: 'customerId',
	appliesToInvoice: 'appliesToInvoiceId',
};

/**
 * Turns the "Update Fields" collection into the PATCH body: only the fields
 * the user added, each checked against the entity's type and length limits.
 * Throws InputValidationError before any request is sent.
 */
export function buildPaymentPatch(
	updateFields: Record<string, unknown>,
	apiVersion: ApiVersion,
): PaymentPatch {
	const patch: PaymentPatch = {};
	for (const [uiName, raw] of Object.entries(updateFields)) {
		const apiName = UI_TO_API[uiName] ?? uiName;
		if (!Object.prototype.hasOwnProperty.call(WRITABLE_PAYMENT_FIELDS, apiName)) {
			throw new InputValidationError(uiName, raw, 'is not a field of a customer payment that can be changed');
		}
		const name = apiName as WritablePaymentField;
		// Only the pickers are resource locators: any other field holding an object is refused
		// as it is (an amount of { value: 5 } is not 5).
		const value = UI_TO_API[uiName] ? locatorValue(raw) : raw;
		patch[name] = validatePaymentField(name, value, apiVersion);
	}
	if (Object.keys(patch).length === 0) {
		throw new InputValidationError(
			'Update Fields',
			updateFields,
			'is empty: add at least one field to change',
		);
	}
	if (patch.customerId !== undefined && patch.customerNumber !== undefined) {
		throw new InputValidationError(
			'Customer Number',
			patch.customerNumber,
			'cannot be set together with Customer: set one, Business Central fills in the other',
		);
	}
	if (patch.appliesToInvoiceId !== undefined && patch.appliesToInvoiceNumber !== undefined) {
		throw new InputValidationError(
			'Applies-to Invoice Number',
			patch.appliesToInvoiceNumber,
			'cannot be set together with Applies-to Invoice: set one, Business Central fills in the other',
		);
	}
	return patch;
}
