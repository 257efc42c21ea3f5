import type { EntityDescriptor } from '../entities/entity';
import type { ApiBase } from './apiBase';
import { segmentsUnderBase } from './apiBoundary';
import { describeValue, GUID_PATTERN, InputValidationError, locatorValue, validateGuid } from './validation';

interface LocatorValue {
	mode?: string;
	value?: unknown;
}

function asLocator(raw: unknown): LocatorValue {
	if (raw && typeof raw === 'object') return raw as LocatorValue;
	return { mode: 'id', value: raw };
}

/**
 * Parses a Business Central API URL the user pasted: the OData key form
 * `.../companies({id})/customerPayments({id})` or the reference doc's slash form
 * `.../companies/{id}/customerPaymentJournals/{id}/customerPayments/{id}`.
 * Only URLs under the configured API base are accepted (same host, tenant,
 * environment and API version, compared after normalising: see urlOnApiBase), so a
 * pasted link can never send the credential's token elsewhere or reach other records.
 */
function parseApiUrl(field: string, text: string, base: ApiBase): string[] {
	// Percent-encoding is kept: an encoded ")" stays inside its segment and fails the GUID check.
	const checked = segmentsUnderBase(base, text);
	if ('refusal' in checked) throw new InputValidationError(field, text, checked.refusal);
	return checked.segments;
}

interface Segment {
	entity: string;
	key?: string;
}

/** `companies(abc)` → { entity: 'companies', key: 'abc' }; `companies` + next segment form the slash form. */
function toSegments(parts: string[]): Segment[] {
	const segments: Segment[] = [];
	for (const part of parts) {
		const keyed = /^([A-Za-z]+)\((.*)\)$/.exec(part);
		if (keyed) {
			segments.push({ entity: keyed[1], key: keyed[2] });
		} else {
			segments.push({ entity: part });
		}
	}
	return segments;
}

function keyAfter(segments: Segment[], entity: string): { key: string; index: number } | undefined {
	for (let index = segments.length - 1; index >= 0; index--) {
		const segment = segments[index];
		if (segment.entity.toLowerCase() !== entity.toLowerCase()) continue;
		if (segment.key !== undefined) return { key: segment.key, index };
		const next = segments[index + 1];
		if (next && next.key === undefined) return { key: next.entity, index: index + 1 };
		return undefined;
	}
	return undefined;
}

/** The GUID key of a URL; the error shows the whole URL and the key at fault. */
function keyOf(field: string, url: string, key: string): string {
	if (!GUID_PATTERN.test(key)) {
		throw new InputValidationError(
			field,
			url,
			`has a key that is not a GUID: ${describeValue(key)} (expected 8-4-4-4-12 hex digits)`,
		);
	}
	return key;
}

/** Company GUID from the Company resource locator (list, ID or URL). */
export function parseCompanyLocator(raw: unknown, base: ApiBase): string {
	const locator = asLocator(raw);
	if (locator.mode === 'url') {
		const text = String(locator.value ?? '');
		const found = keyAfter(toSegments(parseApiUrl('Company', text, base)), 'companies');
		if (!found) {
			throw new InputValidationError('Company', text, 'is not a Business Central company URL (…/companies({id}))');
		}
		return keyOf('Company', text, found.key);
	}
	return validateGuid('Company', locatorValue(locator));
}

/**
 * A record's GUID from its resource locator (list, ID or URL). In URL mode the URL must
 * end at a record of the entity and, when it names a company, that company must be the
 * one chosen in "Company" (so a pasted link cannot silently update another company).
 * Business Central's slash form (`…/customerPaymentJournals/<j>/customerPayments/<p>`) is
 * read too; the request always goes to the company-level `companies(c)/<set>({id})`.
 */
export function parseRecordLocator(raw: unknown, base: ApiBase, companyId: string, entity: EntityDescriptor): string {
	const field = entity.displayName;
	const locator = asLocator(raw);
	if (locator.mode !== 'url') return validateGuid(field, locatorValue(locator));
	const text = String(locator.value ?? '');
	const segments = toSegments(parseApiUrl(field, text, base));
	const record = keyAfter(segments, entity.entitySet);
	if (!record || record.index !== segments.length - 1) {
		throw new InputValidationError(
			field,
			text,
			`is not a ${entity.label} URL (…/companies({id})/${entity.entitySet}({id}))`,
		);
	}
	const id = keyOf(field, text, record.key);
	const company = keyAfter(segments, 'companies');
	if (company) {
		const urlCompanyId = keyOf(field, text, company.key);
		if (urlCompanyId.toLowerCase() !== companyId.toLowerCase()) {
			throw new InputValidationError(field, text, `belongs to company ${urlCompanyId}, but "Company" is ${companyId}`);
		}
	}
	return id;
}

/**
 * The parent key a record URL states (a payment URL's `…/customerPaymentJournals(<j>)/…`, key
 * or slash form), read with the same segment rules as parseRecordLocator; undefined when the
 * locator is not a URL, the entity has no parent, or the key is no GUID. Call it only after
 * parseRecordLocator accepted the locator (it throws for a URL off the API base).
 */
export function parentKeyInRecordUrl(raw: unknown, base: ApiBase, entity: EntityDescriptor): string | undefined {
	const locator = asLocator(raw);
	if (!entity.parent || locator.mode !== 'url') return undefined;
	const text = String(locator.value ?? '');
	const parent = keyAfter(toSegments(parseApiUrl(entity.displayName, text, base)), entity.parent.entitySet);
	return parent && GUID_PATTERN.test(parent.key) ? parent.key : undefined;
}
