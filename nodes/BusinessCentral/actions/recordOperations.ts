import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { EntityDescriptor } from '../entities/entity';
import type { ApiBase } from '../helpers/apiBase';
import { parseLimit, parseSelect } from '../helpers/listInput';
import { parseCompanyLocator, parseRecordLocator } from '../helpers/locators';
import { refusesEmptyFields } from '../helpers/nodeVersions';
import { buildPatch } from '../helpers/updateFields';
import {
	InputValidationError,
	isBlank,
	locatorValue,
	validateAs,
	validateConflictPolicy,
	validateETag,
	validateGuid,
} from '../helpers/validation';
import { listRecords } from '../operations/listRecords';
import { readRecord, recordOutput } from '../operations/records';
import type { ItemUpdate } from '../operations/concurrency';
import { statedParent } from '../operations/etagReads';
import { updateRecords, type UpdateRequestOptions } from '../operations/updateRecords';
import { getConnection } from '../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../transport/request';
import { runItems } from './runItems';

/**
 * The `execute` of the operations that are the same for every entity, given its
 * descriptor: Get, Get Many and Update. A resource's `<operation>.operation.ts` holds
 * its parameters and `export const execute = getExecute(entity)`.
 */

type Execute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

/** Get: GET `companies(c)/<set>(id)` per item → the record with its `@odata.etag` (Simplify: the simple fields). */
export function getExecute(entity: EntityDescriptor): Execute {
	return async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
		const { base } = await getConnection(this);
		return await runItems(this, items, {
			check: (itemIndex) => {
				const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
				const raw = this.getNodeParameter(entity.locatorParameter, itemIndex);
				return {
					companyId,
					id: parseRecordLocator(raw, base, companyId, entity),
					simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
				};
			},
			run: async (request, itemIndex) => {
				const record = await readRecord(this, entity, request, itemIndex, DEFAULT_RETRY_POLICY);
				return recordOutput(entity, record, request.simple);
			},
		});
	};
}

/** How a Get Many reads its Filters: OData conditions, checked before any request. */
export type FilterConditions = (filters: IDataObject, context: { timeZone: string }) => string[];

/**
 * Get Many per input item: the filters ANDed, following `@odata.nextLink` for Return All or
 * until Limit is reached; for an entity under a parent (journal), of the one chosen in the
 * parameter `parent.parameter` or of every one in turn (operations/listRecords.ts). Each record
 * is an output item paired to the input item that asked for it.
 */
export function getAllExecute(entity: EntityDescriptor, conditions: FilterConditions): Execute {
	return async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
		const { base } = await getConnection(this);
		return await runItems(this, items, {
			check: (itemIndex) => {
				const parent =
					entity.parent &&
					locatorValue(this.getNodeParameter(entity.parent.parameter, itemIndex, ''));
				const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
				const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
				const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
				return {
					companyId: parseCompanyLocator(this.getNodeParameter('company', itemIndex), base),
					parentId: isBlank(parent)
						? undefined
						: validateGuid(entity.parent!.parameterDisplayName, String(parent).trim()),
					conditions: conditions(filters, { timeZone: this.getTimezone() }),
					select: parseSelect(options.fields),
					limit: returnAll ? undefined : parseLimit(this.getNodeParameter('limit', itemIndex, 50)),
					simple: this.getNodeParameter('simple', itemIndex, true) as boolean,
				};
			},
			run: async (request, itemIndex) => {
				const about = { itemIndex, policy: DEFAULT_RETRY_POLICY };
				const records = await listRecords(this, entity, base.version, request, about);
				// Fields chosen in Options → Fields are returned as Business Central sent them:
				// Simplify must not drop a property the user asked for by name.
				return records.map((record) =>
					recordOutput(entity, record, request.simple && !request.select),
				);
			},
		});
	};
}

/**
 * Update: PATCH `companies(c)/<set>(id)` with If-Match per item, one by one or in `$batch`;
 * eTags, conflicts and unclear answers as operations/updateRecords.ts says. `refuseEmpty`
 * refuses a field added but left empty on every node version (new resources), else from version 2.
 */
export function updateExecute(
	entity: EntityDescriptor,
	rules: { refuseEmpty?: boolean } = {},
): Execute {
	return async function (this: IExecuteFunctions, items: INodeExecutionData[]) {
		const { base } = await getConnection(this);
		return await runItems(this, items, {
			done: 'updated',
			doneInAnyOrder: true,
			check: (itemIndex) => checkUpdateInput(this, entity, base, itemIndex, rules),
			runAll: async (checked, report, stop) => {
				const options = this.getNodeParameter('options', 0, {}) as UpdateRequestOptions;
				await updateRecords(this, entity, checked, report, stop, options);
			},
		});
	};
}

/** Update's whole-number Options with their ranges, as the UI offers them. */
const WHOLE_OPTIONS: Array<[keyof UpdateRequestOptions, string, number, number]> = [
	['maxRetries', 'Max Retries', 0, 10],
	['timeout', 'Timeout', 1, 3_600_000],
	['batchSize', 'Batch Size', 1, 100],
	['maxConcurrency', 'Max Concurrent Requests', 1, 5],
];

/** Refuses a mapped "2m" or 50 rather than silently sending with the default or a clamped value. */
function checkWholeOptions(options: UpdateRequestOptions): void {
	for (const [name, label, min, max] of WHOLE_OPTIONS) {
		const raw = options[name];
		if (raw === undefined) continue;
		const value = Number(validateAs(label, 'integer', raw));
		if (value < min || value > max) {
			throw new InputValidationError(label, raw, `is not between ${min} and ${max}`);
		}
	}
}

/** Reads and checks one item's Update parameters (before any request): the record, the PATCH body, the eTag rules. */
function checkUpdateInput(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	base: ApiBase,
	itemIndex: number,
	rules: { refuseEmpty?: boolean } = {},
): ItemUpdate {
	const companyId = parseCompanyLocator(context.getNodeParameter('company', itemIndex), base);
	const locator = context.getNodeParameter(entity.locatorParameter, itemIndex);
	const id = parseRecordLocator(locator, base, companyId, entity);
	const fields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const options = context.getNodeParameter('options', itemIndex, {}) as UpdateRequestOptions;
	const refuseEmpty = rules.refuseEmpty ?? refusesEmptyFields(context.getNode().typeVersion);
	checkWholeOptions(options);
	const eTag = validateETag(options.eTag);
	return {
		itemIndex,
		companyId,
		id,
		patch: buildPatch(entity, fields, base.version, {
			timeZone: context.getTimezone(),
			refuseEmpty,
		}),
		eTag,
		onConflict: validateConflictPolicy(options.onConflict),
		includePreviousValues: options.includePreviousValues === true,
		// the journal, when stated, lets a bulk run read eTags with one listing (operations/etagReads.ts)
		parentId: statedParent(context, entity, base, itemIndex, locator),
	};
}
