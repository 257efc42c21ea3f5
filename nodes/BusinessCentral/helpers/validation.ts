import { z } from 'zod';

import type { EntityDescriptor, FieldKind, FieldSpec } from '../entities/entity';
import type { ApiVersion } from './apiBase';

/** A GUID (8-4-4-4-12 hex digits), unanchored: UI regexes embed it, GUID_PATTERN anchors it. */
export const GUID_SOURCE =
	'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const GUID_PATTERN = new RegExp(`^${GUID_SOURCE}$`);

/** The checked values of a PATCH or POST body. */
export type FieldValues = Record<string, string | number | boolean>;

/** A value the user left empty (or an expression that resolved to nothing). */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

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

/** One of the node's rules for a value; `reason` completes "Invalid <field>: <value> …". */
interface Rule {
	holds: (value: unknown) => boolean;
	reason: string;
}

/**
 * A schema that normalizes a value, then applies the node's rules in order and fails with
 * the first broken rule's own reason. n8n provides `zod` at run time, and zod 4 ignores zod
 * 3's `required_error`/`invalid_type_error` and refuses Infinity before `.finite()`, so its
 * own texts ("Invalid input: expected number, received string") would replace the node's.
 * Only what zod 3.25 and zod 4 share is used: `unknown().transform`, a custom issue with its
 * message (an explicit message wins over any error map or locale n8n may configure) and NEVER.
 */
function ruleSchema<T>(normalize: (value: unknown) => unknown, rules: readonly Rule[]) {
	return z.unknown().transform((value, ctx): T => {
		const normal = normalize(value);
		const broken = rules.find((rule) => !rule.holds(normal));
		if (!broken) return normal as T;
		ctx.addIssue({ code: 'custom', message: broken.reason });
		return z.NEVER;
	});
}

const unchanged = (value: unknown): unknown => value;

const guidSchema = ruleSchema<string>(unchanged, [
	{ holds: (value) => typeof value === 'string' && GUID_PATTERN.test(value), reason: NOT_A_GUID },
]);

/** The first reason the node gives for refusing a value, from its own rules (never zod's words). */
function problemOf(result: { success: boolean; error?: { issues: Array<{ message: string }> } }) {
	return result.error?.issues[0]?.message ?? 'is not valid';
}

export function validateGuid(field: string, value: unknown): string {
	const result = guidSchema.safeParse(value);
	if (!result.success) {
		throw new InputValidationError(field, value, problemOf(result));
	}
	return result.data;
}

/** Numbers coming from spreadsheets and expressions as strings are accepted when they are plain numbers. */
const numericText = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function toNumber(value: unknown): unknown {
	if (typeof value === 'string' && numericText.test(value.trim())) return Number(value.trim());
	return value;
}

const isNumber = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value);

const decimalSchema = ruleSchema<number>(toNumber, [
	{ holds: isNumber, reason: 'is not a number' },
	{ holds: (value) => Number.isFinite(value), reason: 'is not a finite number' },
	{
		holds: (value) => Math.abs(value as number) < 1e15,
		reason: 'is outside the range Business Central can store',
	},
]);

const integerSchema = ruleSchema<number>(toNumber, [
	{ holds: (value) => Number.isInteger(value), reason: 'is not a whole number' },
	{ holds: (value) => (value as number) >= 0, reason: 'must not be negative' },
	{ holds: (value) => (value as number) <= 2147483647, reason: 'is larger than 2147483647' },
]);

/** Where a date-time becomes a calendar date; `UTC` when the caller has no workflow time zone. */
export const DEFAULT_TIME_ZONE = 'UTC';

const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A checked calendar date `YYYY-MM-DD`, or why the value is none. */
type DateCheck = { date: string } | { problem: string };

const NOT_A_DATE = 'is not a date (expected YYYY-MM-DD)';
const OUT_OF_RANGE = 'is not a real calendar date between 1753 and 9998';

function calendarDate(year: number, month: number, day: number): DateCheck {
	const date = new Date(Date.UTC(year, month - 1, day));
	const real =
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
	if (!real || year < 1753 || year > 9998) return { problem: OUT_OF_RANGE };
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	return { date: `${pad(year, 4)}-${pad(month)}-${pad(day)}` };
}

/**
 * The calendar date of an instant in a time zone. Intl rather than Luxon: node code
 * may import only n8n-workflow and zod, and n8n-workflow does not re-export Luxon.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateInZone(epochMs: number, timeZone: string): DateCheck {
	let parts: Intl.DateTimeFormatPart[];
	try {
		// one formatter per zone: bulk runs convert thousands of dates
		let format = dateFormats.get(timeZone);
		if (!format) {
			format = new Intl.DateTimeFormat('en-US', {
				timeZone,
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
			});
			dateFormats.set(timeZone, format);
		}
		parts = format.formatToParts(new Date(epochMs));
	} catch {
		return {
			problem: `cannot be turned into a date: the workflow's time zone "${timeZone}" is unknown`,
		};
	}
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	return calendarDate(part('year'), part('month'), part('day'));
}

/** `Z`, `+05:30` or `-0500` in minutes east of UTC; undefined when it is no real offset. */
function offsetMinutes(offset: string): number | undefined {
	if (offset === 'Z') return 0;
	const hours = Number(offset.slice(1, 3));
	const minutes = Number(offset.slice(-2));
	if (hours > 18 || minutes > 59) return undefined;
	return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * `YYYY-MM-DD`, optionally with a time. Without an offset the time is wall-clock time
 * (what n8n's date picker stores, in the workflow's zone) and the text's own date is
 * kept; with an offset (`Z` too) it is an instant, and its date is the one in the
 * workflow's time zone. Impossible times (`T24:00`, `T23:99`) are refused.
 */
function dateFromText(text: string, timeZone: string): DateCheck {
	const match = ISO_DATE_TIME.exec(text.trim());
	if (!match) return { problem: NOT_A_DATE };
	const [year, month, day, hour, minute, second] = match
		.slice(1, 7)
		.map((part) => Number(part ?? 0));
	const own = calendarDate(year, month, day);
	if ('problem' in own) return own;
	if (hour > 23 || minute > 59 || second > 59) {
		return { problem: 'has an impossible time of day (hours 00-23, minutes and seconds 00-59)' };
	}
	const offset = match[7];
	if (offset === undefined) return own;
	const minutesEast = offsetMinutes(offset);
	if (minutesEast === undefined)
		return { problem: 'has an impossible UTC offset (at most ±18:00)' };
	return dateInZone(
		Date.UTC(year, month - 1, day, hour, minute, second) - minutesEast * 60_000,
		timeZone,
	);
}

interface LuxonLike {
	toISODate: () => string | null;
}

/**
 * Any value a date parameter may hold: text, a JS Date (an instant: its date in the
 * workflow's time zone, not UTC's), or a Luxon DateTime from an expression (it carries
 * its own zone, so its own calendar date).
 */
export function toCalendarDate(value: unknown, timeZone: string = DEFAULT_TIME_ZONE): DateCheck {
	if (typeof value === 'string') return dateFromText(value, timeZone);
	if (Object.prototype.toString.call(value) === '[object Date]') {
		const epochMs = (value as Date).getTime();
		return Number.isNaN(epochMs)
			? { problem: 'is not a date (an invalid Date)' }
			: dateInZone(epochMs, timeZone);
	}
	if (value && typeof value === 'object' && typeof (value as LuxonLike).toISODate === 'function') {
		const text = (value as LuxonLike).toISODate();
		return text === null
			? { problem: 'is not a date (an invalid DateTime)' }
			: dateFromText(text, timeZone);
	}
	return { problem: 'is not a date' };
}

function dateSchema(timeZone: string) {
	return z.unknown().transform((value, ctx) => {
		const check = toCalendarDate(value, timeZone);
		if ('date' in check) return check.date;
		ctx.addIssue({ code: 'custom', message: check.problem });
		return z.NEVER;
	});
}

/** A number in a text field (from a spreadsheet or an expression) is sent as its text. */
const numberAsText = (value: unknown): unknown =>
	typeof value === 'number' && Number.isFinite(value) ? String(value) : value;

function textRules(maxLength: number): Rule[] {
	return [
		{ holds: (value) => typeof value === 'string', reason: 'is not text' },
		{
			holds: (value) => (value as string).length <= maxLength,
			reason: `is longer than ${maxLength} characters, the most Business Central stores`,
		},
	];
}

function stringSchema(maxLength: number) {
	return ruleSchema<string>(numberAsText, textRules(maxLength));
}

/** A Code field: trimmed and upper-cased as Business Central stores it, then its length checked. */
function codeSchema(maxLength: number) {
	const normalize = (value: unknown): unknown => {
		const text = numberAsText(value);
		return typeof text === 'string' ? text.trim().toUpperCase() : text;
	};
	return ruleSchema<string>(normalize, textRules(maxLength));
}

const booleanSchema = ruleSchema<boolean>(
	(value) => (value === 'true' ? true : value === 'false' ? false : value),
	[{ holds: (value) => typeof value === 'boolean', reason: 'is not true or false' }],
);

function optionSchema(values: readonly string[]) {
	const allowed = `is not one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;
	return ruleSchema<string>(unchanged, [
		{ holds: (value) => typeof value === 'string' && values.includes(value), reason: allowed },
	]);
}

function schemaFor(field: FieldSpec, timeZone: string): z.ZodTypeAny {
	switch (field.kind) {
		case 'boolean':
			return booleanSchema;
		case 'option':
			return optionSchema(field.values ?? []);
		case 'code':
			return codeSchema(field.maxLength ?? 20);
		case 'guid':
			return guidSchema;
		case 'date':
			return dateSchema(timeZone);
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
 * create parameters): same rules and messages as the entity fields themselves.
 */
export function validateAs(
	label: string,
	kind: FieldKind,
	value: unknown,
	{ maxLength, timeZone = DEFAULT_TIME_ZONE }: { maxLength?: number; timeZone?: string } = {},
): string | number {
	const result = schemaFor({ displayName: label, kind, maxLength }, timeZone).safeParse(value);
	if (!result.success) throw new InputValidationError(label, value, problemOf(result));
	return result.data as string | number;
}

/** Validates one property of an entity; the error names the field and the value. */
export function validateField(
	entity: EntityDescriptor,
	name: string,
	value: unknown,
	apiVersion: ApiVersion,
	timeZone: string = DEFAULT_TIME_ZONE,
): string | number | boolean {
	const field: FieldSpec = entity.fields[name];
	if (field.versions && !field.versions.includes(apiVersion)) {
		throw new InputValidationError(
			field.displayName,
			value,
			`cannot be set: API ${apiVersion} has no "${name}" property (only ${field.versions.join(' and ')})`,
		);
	}
	const result = schemaFor(field, timeZone).safeParse(value);
	if (!result.success) throw new InputValidationError(field.displayName, value, problemOf(result));
	return result.data as string | number | boolean;
}

/** "On eTag Conflict" of Update and Delete, checked: a mapped label or typo is refused, not taken as "Fail". */
const CONFLICT_POLICIES = ['fail', 'retryOnce', 'overwrite'] as const;

export function validateConflictPolicy(value: unknown): (typeof CONFLICT_POLICIES)[number] {
	if (value === undefined || value === null || value === '') return 'fail';
	if (!CONFLICT_POLICIES.includes(value as (typeof CONFLICT_POLICIES)[number])) {
		throw new InputValidationError(
			'On eTag Conflict',
			value,
			`is not one of ${CONFLICT_POLICIES.join(', ')}`,
		);
	}
	return value as (typeof CONFLICT_POLICIES)[number];
}
/**
 * An entity-tag as HTTP writes it (`W/"…"` or `"…"`, RFC 9110 §8.8.3), which Business Central
 * always sends. Anything else is no version: `*` in If-Match would write unconditionally.
 */
export const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7E]*"$/;

/** How an operation treats `*` in its eTag option. */
export interface ETagRules {
	/** Whether `*` (no concurrency check) may be given: only where the user chose to write regardless. */
	allowWildcard: boolean;
	/** What to do instead when `*` is refused. */
	wildcardHint: string;
}

const UPDATE_ETAG_RULES: ETagRules = {
	allowWildcard: false,
	wildcardHint: 'to write whatever changed, set "On eTag Conflict" to "Overwrite Regardless"',
};

/**
 * The "eTag" option of Update and Delete: empty (the node reads the current one), or an
 * entity tag exactly as Business Central sent it — `W/"…"` or `"…"`, printable, at most
 * 1,000 characters, no CR/LF anywhere (it becomes an If-Match header). A number or an
 * object is refused rather than ignored: it is a mapping mistake, not "no eTag". `*` only
 * where `rules` allow it: Update never (Overwrite Regardless still sends a real eTag),
 * Delete only with "Delete Regardless".
 */
export function validateETag(value: unknown, rules: ETagRules = UPDATE_ETAG_RULES): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') {
		throw new InputValidationError(
			'eTag',
			value,
			'is not text (expected an eTag such as W/"JzQ0O…")',
		);
	}
	if (/[\r\n]/.test(value)) {
		throw new InputValidationError('eTag', value, 'contains a line break, which no eTag has');
	}
	const eTag = value.trim();
	if (eTag === '') return '';
	if (eTag === '*') {
		if (rules.allowWildcard) return eTag;
		throw new InputValidationError('eTag', value, `is not an eTag: ${rules.wildcardHint}`);
	}
	if (eTag.length > 1000 || !ENTITY_TAG.test(eTag)) {
		throw new InputValidationError(
			'eTag',
			value,
			'is not an eTag (expected W/"…" as in "@odata.etag")',
		);
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
