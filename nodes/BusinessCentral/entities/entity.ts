import type { IDataObject } from 'n8n-workflow';

import type { ApiVersion } from '../helpers/apiBase';

/**
 * Kinds of writable properties and how each is checked and sent.
 * `code`: a Code field (e.g. Code[20]): Business Central stores it trimmed and upper-cased,
 * so the node sends it that way, checks the length of what is stored and compares alike
 * when it re-reads a record after an unclear write. `decimal`: sent as given (Business
 * Central rounds amounts to the currency's precision; the comparison allows for it).
 */
export type FieldKind =
	| 'guid'
	| 'string'
	| 'code'
	| 'date'
	| 'decimal'
	| 'integer'
	| 'boolean'
	| 'option';

/** One writable property of an entity: declared once, used by Create, Update, validation and comparisons. */
export interface FieldSpec {
	/** Label used in the node UI and in error messages. */
	displayName: string;
	kind: FieldKind;
	/** Server-side maximum length (Business Central's table field length). */
	maxLength?: number;
	/** API versions that expose the property; all when absent. */
	versions?: ApiVersion[];
	/** Values an `option` field accepts, as the API spells them. */
	values?: readonly string[];
	/**
	 * Text whose empty value means something (no description): Update v2 empties it only
	 * when listed in "Clear Fields".
	 */
	clearable?: true;
}

/**
 * Where the records of an entity live below a parent record (customer payments in their
 * journal). Business Central lists and creates them only for one parent: at company level
 * with `<property> eq <parent id>` on the versions whose page has that property, else
 * through the parent's navigation path `companies(c)/<parent set>(<id>)/<entity set>`
 * (API v1.0 and the beta's customerPayments page has no journalId at all).
 */
export interface ParentScope {
	/** Entity set of the parent, e.g. `customerPaymentJournals`. */
	entitySet: string;
	/** What the parent is called in messages ("journal"). */
	label: string;
	/** The parameter that picks it in Get Many and Create ("journal"), and its label in input errors ("Journal"). */
	parameter: string;
	parameterDisplayName: string;
	/** Its collection in messages ("customer payment journals"). */
	collectionLabel: string;
	/** Company-level property naming the parent, e.g. `journalId`. */
	property: string;
	/** API versions whose page has `property`. */
	propertyVersions: readonly ApiVersion[];
}

/**
 * What the generic operations need to know about one Business Central entity. One file per
 * entity in `entities/`; add one to give an entity Get, Get Many, Create, Update and Delete
 * with the same checks, eTag rules and batching (see docs/architecture.md).
 */
export interface EntityDescriptor<Field extends string = string> {
	/** OData entity set, e.g. `customerPayments`; records are `companies(c)/<entitySet>(<id>)`. */
	entitySet: string;
	/** In the UI and in input errors: "Customer Payment". */
	displayName: string;
	/** Name of the resource locator parameter that picks one record ("customerPayment"). */
	locatorParameter: string;
	/** In messages: "customer payment". */
	label: string;
	/** In shorter messages: "payment" ("the answer is payment X, not Y"). */
	shortLabel: string;
	/** The parent records live under, if any (see ParentScope). */
	parent?: ParentScope;
	/** Every property a PATCH (and a POST) may set. */
	fields: Record<Field, FieldSpec>;
	/** UI parameters that are pickers (resource locators) → the property they set. */
	locatorFields?: Record<string, Field>;
	/** Pairs naming the same thing (id, number): Business Central fills in the other and rejects two that disagree. */
	pairs?: ReadonlyArray<readonly [Field, Field]>;
	/** Properties Business Central fills in when one of these is set (for previousValues after a re-read). */
	filledFrom?: Partial<Record<Field, string[]>>;
	/** What "Simplify" keeps, in this order. */
	simpleFields: readonly string[];
	/** The name a picker shows for a record. */
	pickerLabel: (record: IDataObject) => string;
	/** Properties a picker search looks in (`contains`, one property per request). */
	searchFields: readonly string[];
}

/** Company-level OData path of one record (works for GET, PATCH and DELETE). */
export function recordPath(entity: EntityDescriptor, companyId: string, id: string): string {
	return `companies(${companyId})/${entity.entitySet}(${id})`;
}

/** Where to list or create records of an entity: the URL, conditions to AND in, and properties a POST body needs. */
export interface CollectionTarget {
	url: string;
	conditions: string[];
	body: IDataObject;
}

/**
 * The collection of an entity in a company, or, for an entity under a parent, of one
 * parent: company level with the parent property where the API version has it, else the
 * parent's navigation path (ParentScope says why).
 */
export function collectionIn(
	entity: EntityDescriptor,
	companyId: string,
	version: ApiVersion,
	parentId?: string,
): CollectionTarget {
	const company = `companies(${companyId})`;
	const parent = entity.parent;
	if (!parent || parentId === undefined) {
		return { url: `${company}/${entity.entitySet}`, conditions: [], body: {} };
	}
	if (parent.propertyVersions.includes(version)) {
		return {
			url: `${company}/${entity.entitySet}`,
			conditions: [`${parent.property} eq ${parentId}`],
			body: { [parent.property]: parentId },
		};
	}
	return {
		url: `${company}/${parent.entitySet}(${parentId})/${entity.entitySet}`,
		conditions: [],
		body: {},
	};
}

/** Whether `name` is a writable property of the entity. */
export function isWritable<Field extends string>(
	entity: EntityDescriptor<Field>,
	name: string,
): name is Field {
	return Object.prototype.hasOwnProperty.call(entity.fields, name);
}

/** Value to output: text of any value, empty for none (picker labels, ids). */
export function asText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}
