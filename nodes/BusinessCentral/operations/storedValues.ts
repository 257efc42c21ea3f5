import type { IDataObject } from 'n8n-workflow';

import type { EntityDescriptor } from '../entities/entity';

/**
 * Whether a stored amount is the one sent: as sent, or rounded to 0.01, the
 * default Amount Rounding Precision Business Central rounds to (half of a cent
 * either way: the sender's binary double cannot tell -100.005 from
 * -100.00499…). A currency with another precision that changed the value
 * makes the comparison fail, which ends as "outcome unknown", never as a false
 * "not applied".
 */
function sameAmount(sent: number, stored: number): boolean {
	if (stored === sent) return true;
	const cents = stored * 100;
	// binary doubles carry a relative error: above 100 million a fixed 1e-6 would judge
	// correctly rounded amounts different
	const ulps = (value: number, count: number) => Math.abs(value) * count * Number.EPSILON;
	return (
		Math.abs(cents - Math.round(cents)) <= Math.max(1e-6, ulps(cents, 4)) &&
		Math.abs(stored - sent) <= 0.005 + Math.max(1e-9, ulps(sent, 2))
	);
}

/**
 * Whether a value Business Central stored is the one sent, compared as Business Central
 * stores it: GUIDs in any case, Code fields trimmed and upper-cased, amounts rounded.
 */
export function storedAs(
	entity: EntityDescriptor,
	field: string,
	sent: unknown,
	stored: unknown,
): boolean {
	if (typeof sent === 'number') return typeof stored === 'number' && sameAmount(sent, stored);
	const kind = entity.fields[field]?.kind;
	if (typeof sent === 'string' && typeof stored === 'string') {
		if (kind === 'guid') return sent.toLowerCase() === stored.toLowerCase();
		if (kind === 'code') return sent.trim().toUpperCase() === stored.trim().toUpperCase();
	}
	return sent === stored;
}

/** Whether a record already carries every value of the patch (used after an unclear write). */
export function carriesPatch(
	entity: EntityDescriptor,
	record: IDataObject,
	patch: IDataObject,
): boolean {
	return Object.entries(patch).every(([field, value]) =>
		storedAs(entity, field, value, record[field]),
	);
}

/** The patch fields whose value the record does not carry: `{ field: { sent, stored } }`. */
export function differences(
	entity: EntityDescriptor,
	record: IDataObject,
	patch: IDataObject,
): IDataObject {
	const different: IDataObject = {};
	for (const [field, value] of Object.entries(patch)) {
		if (!storedAs(entity, field, value, record[field])) {
			different[field] = { sent: value, stored: record[field] as IDataObject[string] };
		}
	}
	return different;
}

const NOT_COMPARED = new Set(['@odata.etag', '@odata.context', 'lastModifiedDateTime']);

/** Before-image of every property the update changed (including ones the server derived). */
export function previousValues(before: IDataObject, after: IDataObject): IDataObject {
	const changed: IDataObject = {};
	for (const [field, value] of Object.entries(after)) {
		if (NOT_COMPARED.has(field)) continue;
		if (JSON.stringify(before[field]) !== JSON.stringify(value)) changed[field] = before[field];
	}
	return changed;
}

/** The entries of `changed` that the patch set, or that Business Central fills in from what it set. */
export function onlySetBy(
	entity: EntityDescriptor,
	patch: IDataObject,
	changed: IDataObject,
): IDataObject {
	const filledFrom = (entity.filledFrom ?? {}) as Record<string, string[] | undefined>;
	const set = new Set(Object.keys(patch).flatMap((field) => [field, ...(filledFrom[field] ?? [])]));
	return Object.fromEntries(Object.entries(changed).filter(([field]) => set.has(field)));
}
