import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { collectionIn, recordPath, type EntityDescriptor } from '../entities/entity';
import type { ApiBase, ApiVersion } from '../helpers/apiBase';
import { parentKeyInRecordUrl } from '../helpers/locators';
import { andAll } from '../helpers/odata';
import { collectionSchema } from '../helpers/schemas';
import { ENTITY_TAG, GUID_PATTERN, locatorValue } from '../helpers/validation';
import { chunks, inPool } from '../transport/batchRunner';
import { getConnection, type BcFunctions } from '../transport/connection';
import { pagingProblem, SERVER_MAX_PAGE_SIZE, startPaging } from '../transport/paging';
import { bcRequest, type BcResponse, type RetryPolicy } from '../transport/request';
import { updateKey, type ItemUpdate } from './concurrency';
import type { RecordAccess } from './recordAccess';

/**
 * Reading the eTags of a bulk update ahead of its PATCH `$batch`es ("read-ahead").
 *
 * An update without an eTag (or with Include Previous Values) reads its record first. In
 * `$batch` mode that costs one `$batch` of GETs per Batch Size items (1,000 items: 10, plus
 * 10 PATCH `$batch`es). When more than Batch Size items need that read and share a scope —
 * for customer payments one journal (stated by the Update's Journal parameter or a payment
 * URL of the form `…/customerPaymentJournals(<j>)/customerPayments(<p>)`), for an entity
 * without a parent its company — the scope is listed instead: `GET <collection>?$select=id`
 * (`$filter=journalId eq <j>` on API v2.0, the journal's navigation path on v1.0 and the beta,
 * as `collectionIn` says), `Prefer: odata.maxpagesize=20000`. Each listed record carries its
 * own `@odata.etag` (OData JSON Format 4.01 §4.5.10 "Annotation odata.etag"; Business
 * Central's API pages serialise it on every entity of a collection), so 1,000 updates of one
 * journal cost 1 listing + 10 PATCH `$batch`es = 11 round trips.
 *
 * When each strategy wins: the GETs cost ceil(n / Batch Size) round trips whatever the journal
 * holds; the listing costs one page per 20,000 lines of the journal. So the listing is used only
 * when the GETs would need at least 2 round trips (n > Batch Size), and it may read at most
 * ceil(n / Batch Size) − 1 pages (strictly fewer than the GETs it replaces). It stops as soon
 * as every wanted id was seen; ids not seen when it ends (journal too big for the budget, a
 * record in another journal than the one stated, a deleted record) are read with the usual
 * `$batch` GETs, all of them together before the first PATCH, so a missing payment fails with
 * the same 404 error as before and a wrongly stated journal only costs those GETs. A listing
 * that fails, is not a list, or pages inconsistently (transport/paging.ts) ends there, and the
 * ids it has not shown are read by GET the same way; so are records listed twice and
 * records listed without a usable eTag (none, not text, `*`: If-Match is always a real
 * eTag). Paging stays bounded by the budget and by transport/paging.ts's limits.
 *
 * Nothing else changes: the listed record is handed to the update engine as the answer of its
 * initial read (`withReadAhead`), so If-Match is that record's listed eTag and a 409 after it
 * takes the conflict policy's path, whose re-reads (and those after unclear writes) are GETs as
 * before. With Include Previous Values the listing selects every field (`previousValues`
 * compares whole records). Only the first update of each record is read ahead: a record
 * updated again by a later item is read after the earlier write, in its own wave.
 */

/**
 * Where an item states its record's parent (a payment's journal): the record's URL
 * (`…/customerPaymentJournals(<j>)/…`) first, then the parent parameter (Update's Journal).
 * Only a hint for the read strategy, read so that it can never fail an item: Update did not
 * use the Journal parameter before (it scopes the payment picker), so a value that is no GUID
 * or an expression that fails just means "not stated", and the records are read one by one.
 */
export function statedParent(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	base: ApiBase,
	itemIndex: number,
	recordLocator: unknown,
): string | undefined {
	if (!entity.parent) return undefined;
	try {
		const inUrl = parentKeyInRecordUrl(recordLocator, base, entity);
		if (inUrl) return inUrl;
		const parameter = context.getNodeParameter(entity.parent.parameter, itemIndex, '');
		const value = String(locatorValue(parameter) ?? '').trim();
		return GUID_PATTERN.test(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** Batch Size, Max Concurrent Requests and the retry policy of the run. */
export interface ReadAheadOptions {
	size: number;
	concurrency: number;
	policy: RetryPolicy;
	stop: () => boolean;
}

/** The items that read before writing and are the first of their record (later ones read in their own wave). */
function firstReads(updates: ItemUpdate[]): ItemUpdate[] {
	const seen = new Set<string>();
	return updates.filter((update) => {
		const record = `${update.companyId}/${update.id}`.toLowerCase();
		const first = !seen.has(record);
		seen.add(record);
		return first && (!update.eTag || update.includePreviousValues);
	});
}

/** Items whose records one listing can read: one company and, for an entity under a parent, one parent. */
interface Scope {
	companyId: string;
	parentId?: string;
	updates: ItemUpdate[];
}

function byScope(entity: EntityDescriptor, reads: ItemUpdate[]): Scope[] {
	const scopes = new Map<string, Scope>();
	for (const update of reads) {
		if (entity.parent && !update.parentId) continue;
		const parentId = entity.parent ? update.parentId : undefined;
		const key = `${update.companyId}/${parentId ?? ''}`.toLowerCase();
		const scope = scopes.get(key) ?? { companyId: update.companyId, parentId, updates: [] };
		scope.updates.push(update);
		scopes.set(key, scope);
	}
	return [...scopes.values()];
}

/** Pages a listing may read: strictly fewer round trips than the `$batch` GETs it replaces. */
export function pageBudget(items: number, batchSize: number): number {
	return Math.ceil(items / batchSize) - 1;
}

/** The first request of a scope's listing: its collection, only ids unless whole records are needed. */
function firstPage(
	entity: EntityDescriptor,
	version: ApiVersion,
	scope: Scope,
): { url: string; qs: IDataObject } {
	const target = collectionIn(entity, scope.companyId, version, scope.parentId);
	const qs: IDataObject = {};
	const filter = andAll(target.conditions);
	if (filter) qs.$filter = filter;
	if (!scope.updates.some((update) => update.includePreviousValues)) qs.$select = 'id';
	return { url: target.url, qs };
}

/**
 * Adds the wanted records of a page (id, eTag). A record listed twice is marked doubtful,
 * whatever its eTags say: a listing that repeats a record is inconsistent, and its values
 * (Include Previous Values) or eTag could be either; it is read by GET.
 */
function collect(
	rows: IDataObject[],
	wanted: Set<string>,
	found: Map<string, IDataObject>,
	doubtful: Set<string>,
): void {
	for (const row of rows) {
		const id = typeof row.id === 'string' ? row.id.toLowerCase() : '';
		if (!wanted.has(id)) continue;
		const eTag = row['@odata.etag'];
		// no usable version (none, not text, `*`): If-Match is always a real entity-tag
		if (found.has(id) || typeof eTag !== 'string' || !ENTITY_TAG.test(eTag)) doubtful.add(id);
		found.set(id, row);
	}
}

/**
 * One page of a listing. Throttling (429, 503) is waited out as for any request (Max Retries);
 * a page that got no answer (dropped, Timeout, 408, 502, 504) is not asked again: the listing
 * is only a shortcut, and the ids it has not shown are read by `$batch` GETs, so a journal too
 * slow to list within Timeout costs one Timeout, not Max Retries + 1 of them.
 */
async function listingPage(
	context: BcFunctions,
	request: { url: string; qs?: IDataObject },
	policy: RetryPolicy,
): Promise<BcResponse> {
	const headers = { Prefer: `odata.maxpagesize=${SERVER_MAX_PAGE_SIZE}` };
	return await bcRequest.call(
		context,
		{ method: 'GET', ...request, headers },
		{ ...policy, retryUnansweredReads: false },
	);
}

/**
 * The listed records of a scope's wanted ids (by lower-case id), reading at most `budget`
 * pages and stopping once all are seen. Whatever goes wrong ends the listing early: the
 * ids not returned are read by GET.
 */
async function listScope(
	context: BcFunctions,
	first: { url: string; qs: IDataObject },
	wanted: Set<string>,
	budget: number,
	policy: RetryPolicy,
): Promise<Map<string, IDataObject>> {
	const found = new Map<string, IDataObject>();
	const doubtful = new Set<string>();
	const paging = startPaging(SERVER_MAX_PAGE_SIZE);
	let request: { url: string; qs?: IDataObject } | undefined = first;
	try {
		while (request && paging.pages < budget) {
			const response = await listingPage(context, request, policy);
			const page =
				response.statusCode === 200 ? collectionSchema.safeParse(response.body) : undefined;
			if (!page?.success) break;
			const rows = page.data.value as IDataObject[];
			const next: string | undefined = page.data['@odata.nextLink'];
			collect(rows, wanted, found, doubtful);
			const complete = found.size === wanted.size;
			if (pagingProblem(paging, rows.length, complete ? undefined : next)) break;
			request = next && !complete ? { url: next } : undefined;
		}
	} catch {
		// a refused link or a request that failed outright: the ids not yet seen are read by GET
	}
	for (const id of doubtful) found.delete(id);
	return found;
}

/** A listed record as the answer of a single GET of it, for the update engine. */
function listedAnswer(row: IDataObject): BcResponse {
	return { statusCode: 200, headers: {}, body: row, retries: 0 };
}

/** `$batch` GETs of the records the listings did not give, Batch Size per request, pooled. */
async function readByGet(
	entity: EntityDescriptor,
	updates: ItemUpdate[],
	access: RecordAccess,
	options: ReadAheadOptions,
): Promise<Map<string, BcResponse>> {
	const answers = new Map<string, BcResponse>();
	const tasks = chunks(updates, options.size).map((chunk) => async () => {
		const reads = chunk.map((update) => ({
			key: updateKey(update),
			url: recordPath(entity, update.companyId, update.id),
		}));
		try {
			for (const [key, answer] of await access.read(reads)) answers.set(key, answer);
		} catch {
			// not answered here: each is read again in its chunk, where a failure becomes its outcome
		}
	});
	await inPool(tasks, options.concurrency, options.stop);
	return answers;
}

/**
 * The answers of the initial reads of a bulk update, by update key, when at least one scope
 * is worth listing (see the top of this file); otherwise none, and the run reads as before.
 */
export async function readETagsAhead(
	context: BcFunctions,
	entity: EntityDescriptor,
	updates: ItemUpdate[],
	access: RecordAccess,
	options: ReadAheadOptions,
): Promise<Map<string, BcResponse>> {
	const reads = firstReads(updates);
	const listed = byScope(entity, reads).filter((scope) => scope.updates.length > options.size);
	const answers = new Map<string, BcResponse>();
	if (listed.length === 0) return answers;
	const { base } = await getConnection(context);
	const tasks = listed.map((scope) => async () => {
		const wanted = new Set(scope.updates.map((update) => update.id.toLowerCase()));
		const budget = pageBudget(scope.updates.length, options.size);
		const first = firstPage(entity, base.version, scope);
		const found = await listScope(context, first, wanted, budget, options.policy);
		for (const update of scope.updates) {
			const row = found.get(update.id.toLowerCase());
			if (row) answers.set(updateKey(update), listedAnswer(row));
		}
	});
	await inPool(tasks, options.concurrency, options.stop);
	const unread = reads.filter((update) => !answers.has(updateKey(update)));
	for (const [key, answer] of await readByGet(entity, unread, access, options))
		answers.set(key, answer);
	return answers;
}

/**
 * `access` with the answers read ahead: each is used once, for the item's first read; every
 * later read (after a conflict, after an unclear write) goes to Business Central.
 */
export function withReadAhead(access: RecordAccess, ahead: Map<string, BcResponse>): RecordAccess {
	return {
		patch: async (writes) => await access.patch(writes),
		read: async (reads) => {
			const answers = new Map<string, BcResponse>();
			const remaining = reads.filter((read) => {
				const answer = ahead.get(read.key);
				if (answer === undefined) return true;
				ahead.delete(read.key);
				answers.set(read.key, answer);
				return false;
			});
			if (remaining.length > 0) {
				for (const [key, answer] of await access.read(remaining)) answers.set(key, answer);
			}
			return answers;
		},
	};
}
