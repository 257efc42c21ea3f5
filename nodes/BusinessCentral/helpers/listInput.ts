import { odataString } from './odata';
import { InputValidationError, isBlank, validateAs } from './validation';

/**
 * Input of the Get Many operations, the same for every entity: filter conditions,
 * the Custom Filter, Fields ($select) and Limit. Every function throws
 * InputValidationError before any request is sent.
 */

/** Code fields: Business Central stores them upper-cased and `eq` compares exactly. */
export function codeCondition(
	property: string,
	label: string,
	value: unknown,
	maxLength = 20,
): string | undefined {
	if (isBlank(value)) return undefined;
	const text = String(validateAs(label, 'code', value, { maxLength }));
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
export function customCondition(raw: unknown): string | undefined {
	if (isBlank(raw)) return undefined;
	if (typeof raw !== 'string') throw new InputValidationError('Custom Filter', raw, 'is not text');
	const problem = filterEscape(raw);
	if (problem) throw new InputValidationError('Custom Filter', raw, problem);
	return `(${raw.trim()})`;
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
