import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { collectionIn, type EntityDescriptor } from '../../BusinessCentral/entities/entity';
import type { ApiVersion } from '../../BusinessCentral/helpers/apiBase';
import { andAll } from '../../BusinessCentral/helpers/odata';
import { parentIds, readPages } from '../../BusinessCentral/operations/listRecords';
import { unexpectedAnswer } from '../../BusinessCentral/operations/records';
import type { BcFunctions } from '../../BusinessCentral/transport/connection';
import { windowStart, type ChangedRecord } from './state';

/** What one poll reads: the entity, the company, the parent (journal) if any, and the user's filters. */
export interface ChangeSource {
	entity: EntityDescriptor;
	companyId: string;
	version: ApiVersion;
	/** Parent id (journal); undefined: the company's collection (or every parent, see scopesOf). */
	parentId?: string;
	/** OData conditions from the filters (customer, status), ANDed in. */
	conditions: string[];
}

/** Business Central's timestamp and id, required on every row the trigger reads. */
const changeRow = z
	.object({
		id: z.string().min(1),
		lastModifiedDateTime: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
	})
	.passthrough();

/** The OData `$filter` of a read: scope (journal), filters, and `ge` the window's start if there is one. */
export function changeFilter(source: ChangeSource, since?: string): string | undefined {
	const target = collectionIn(source.entity, source.companyId, source.version, source.parentId);
	// `ge`, not `gt`: a record written in the watermark's tick after the last read must come too.
	const from = since === undefined ? undefined : `lastModifiedDateTime ge ${since}`;
	return andAll([...target.conditions, ...source.conditions, from]);
}

function scopeName(source: ChangeSource): string {
	const { entity, parentId, companyId } = source;
	return parentId ? `${entity.parent!.label} ${parentId}` : `company ${companyId}`;
}

function toChanges(
	context: BcFunctions,
	source: ChangeSource,
	rows: IDataObject[],
): ChangedRecord[] {
	return rows.map((row) => {
		const parsed = changeRow.safeParse(row);
		if (!parsed.success) {
			throw unexpectedAnswer(context.getNode(), {
				message: `Reading the changed ${source.entity.label}s of ${scopeName(source)} failed: a record has no id or no lastModifiedDateTime`,
				problem: 'a record without id or lastModifiedDateTime',
			});
		}
		return {
			id: parsed.data.id,
			lastModifiedDateTime: parsed.data.lastModifiedDateTime,
			record: row,
		};
	});
}

/**
 * Every record of the source changed at or after the watermark minus the overlap (all of them
 * without a watermark), oldest first, every page (`@odata.nextLink` is followed only on the API base: readPages / bcRequest).
 */
export async function readChanges(
	context: BcFunctions,
	source: ChangeSource,
	window: { watermark?: string; overlapMs: number },
): Promise<ChangedRecord[]> {
	const target = collectionIn(source.entity, source.companyId, source.version, source.parentId);
	const qs: IDataObject = { $orderby: 'lastModifiedDateTime asc' };
	const $filter = changeFilter(source, windowStart(window.watermark, window.overlapMs));
	if ($filter) qs.$filter = $filter;
	const rows = await readPages(
		context,
		{ url: target.url, qs },
		{ action: `Reading the changed ${source.entity.label}s of ${scopeName(source)}` },
	);
	return toChanges(context, source, rows);
}

/** The `count` most recently changed records of the source (newest first; only `select` if given): activation and test events. */
export async function readNewest(
	context: BcFunctions,
	source: ChangeSource,
	count: number,
	select?: string,
): Promise<ChangedRecord[]> {
	const target = collectionIn(source.entity, source.companyId, source.version, source.parentId);
	const qs: IDataObject = { $orderby: 'lastModifiedDateTime desc' };
	if (select) qs.$select = select;
	const $filter = changeFilter(source);
	if ($filter) qs.$filter = $filter;
	const rows = await readPages(
		context,
		{ url: target.url, qs, wanted: count },
		{ action: `Reading the newest ${source.entity.label}s of ${scopeName(source)}` },
	);
	return toChanges(context, source, rows);
}

/**
 * The scopes one poll reads, each with its own watermark: the source itself, or for an entity
 * under a parent with no parent chosen, every parent of the company (listed on each poll, so a
 * journal added later is read too). One watermark over several journals would skip a change
 * written in one journal while another was being read.
 */
export async function scopesOf(
	context: BcFunctions,
	source: ChangeSource,
): Promise<ChangeSource[]> {
	if (!source.entity.parent || source.parentId) return [source];
	const ids = await parentIds(context, source.entity, source.companyId, { select: 'id,code' }, {});
	return ids.map((parentId) => ({ ...source, parentId }));
}

/** The key of a scope in the trigger's state. */
export function scopeKey(source: ChangeSource): string {
	return source.parentId ?? 'all';
}
