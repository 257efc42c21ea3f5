import { isWritable, type EntityDescriptor } from '../entities/entity';
import type { ApiVersion } from './apiBase';
import {
	describeValue,
	InputValidationError,
	isBlank,
	locatorValue,
	validateField,
	type FieldValues,
} from './validation';

/** How "Update Fields" is read; node version 1 keeps its first behaviour. */
export interface PatchOptions {
	/** The workflow's time zone, for dates given as instants. */
	timeZone?: string;
	/**
	 * Node version 2 and later. Version 1 pre-filled Amount with 0 and Line Number with
	 * 10000 and sent whatever a field held; from version 2 fields start empty and a field
	 * added but left empty (or an expression that gave nothing) is refused, never sent:
	 * an Update field says "change this property", and an empty value cannot say to
	 * what. Clearing a text property is asked for explicitly with "Clear Fields".
	 */
	refuseEmpty?: boolean;
}

/** UI name of the v2 option that lists the text properties to empty. */
const CLEAR_FIELDS = 'clearFields';

/** "Clear Fields" (v2): the text properties to set to "" — only those that can be cleared. */
function clearedFields(
	entity: EntityDescriptor,
	raw: unknown,
	apiVersion: ApiVersion,
): FieldValues {
	const names = Array.isArray(raw) ? (raw as unknown[]) : isBlank(raw) ? [] : [raw];
	const patch: FieldValues = {};
	for (const name of names) {
		const field =
			typeof name === 'string' && isWritable(entity, name) ? entity.fields[name] : undefined;
		if (!field?.clearable) {
			throw new InputValidationError(
				'Clear Fields',
				raw,
				`lists ${describeValue(name)}, which is not a text field that can be cleared`,
			);
		}
		patch[name as string] = validateField(entity, name as string, '', apiVersion);
	}
	return patch;
}

/** One "Update Fields" entry → its API property and checked value. */
function patchEntry(
	entity: EntityDescriptor,
	uiName: string,
	raw: unknown,
	apiVersion: ApiVersion,
	options: PatchOptions,
): [string, string | number | boolean] {
	const picked = entity.locatorFields?.[uiName];
	const apiName = picked ?? uiName;
	if (!isWritable(entity, apiName)) {
		throw new InputValidationError(
			uiName,
			raw,
			`is not a field of a ${entity.label} that can be changed`,
		);
	}
	// Only the pickers are resource locators: any other field holding an object is refused
	// as it is (an amount of { value: 5 } is not 5).
	const value = picked ? locatorValue(raw) : raw;
	if (options.refuseEmpty && isBlank(value)) {
		throw new InputValidationError(
			entity.fields[apiName].displayName,
			value,
			'is empty: enter a value or remove the field',
		);
	}
	return [apiName, validateField(entity, apiName, value, apiVersion, options.timeZone)];
}

/** Pairs (customer id and number, …): Business Central fills in the other member and rejects a pair that disagrees. */
function refuseBothOfAPair(entity: EntityDescriptor, patch: FieldValues): void {
	for (const [idField, numberField] of entity.pairs ?? []) {
		if (patch[idField] !== undefined && patch[numberField] !== undefined) {
			throw new InputValidationError(
				entity.fields[numberField].displayName,
				patch[numberField],
				`cannot be set together with ${entity.fields[idField].displayName}: set one, Business Central fills in the other`,
			);
		}
	}
}

/**
 * Turns the "Update Fields" collection into the PATCH body: only the fields the user
 * added, each checked against the entity's type and length limits. Throws
 * InputValidationError before any request is sent.
 */
export function buildPatch(
	entity: EntityDescriptor,
	updateFields: Record<string, unknown>,
	apiVersion: ApiVersion,
	options: PatchOptions = {},
): FieldValues {
	const patch: FieldValues = {};
	const { [CLEAR_FIELDS]: clear, ...fields } = updateFields;
	for (const [uiName, raw] of Object.entries(fields)) {
		const [name, value] = patchEntry(entity, uiName, raw, apiVersion, options);
		patch[name] = value;
	}
	for (const [name, value] of Object.entries(clearedFields(entity, clear, apiVersion))) {
		if (patch[name] !== undefined) {
			throw new InputValidationError(
				'Clear Fields',
				clear,
				`lists ${entity.fields[name].displayName}, which is also given a value: do one or the other`,
			);
		}
		patch[name] = value;
	}
	if (Object.keys(patch).length === 0) {
		throw new InputValidationError(
			'Update Fields',
			updateFields,
			'is empty: add at least one field to change',
		);
	}
	refuseBothOfAPair(entity, patch);
	return patch;
}
