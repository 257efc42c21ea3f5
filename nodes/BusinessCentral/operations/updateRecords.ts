import type { IExecuteFunctions } from 'n8n-workflow';

import { recordPath, type EntityDescriptor } from '../entities/entity';
import { itemError } from '../helpers/itemErrors';
import { MAX_BATCH_OPERATIONS } from '../transport/batch';
import { runInBatches } from '../transport/batchRunner';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transport/request';
import {
	UpdateDecisions,
	type ConflictPolicy,
	type PendingUpdate,
	type UpdateOutcome,
	type ItemUpdate,
	type UpdateRunOptions,
} from './concurrency';
import { readETagsAhead, withReadAhead } from './etagReads';
import { batchAccess, directAccess, type RecordAccess } from './recordAccess';

/**
 * Applies updates with optimistic concurrency, the same way whether the
 * requests go one by one or in `$batch` (the decisions: UpdateDecisions in concurrency.ts):
 * - If-Match is the given eTag, else the one just read — always a real eTag,
 *   never `*`: a write whose answer was lost may still land later, and only an
 *   eTag guarantees that then at most one of it and its re-sent copy applies.
 * - 409/412 → per the request's policy: fail; re-read and write once more; or, for
 *   "Overwrite Regardless", re-read and write on top of the newer version
 *   (up to `maxResends` times, at least once).
 * - An unclear answer (see `isUnclearWriteAnswer`, or a 2xx whose body is not
 *   the record) → re-read before anything else, and judge by the record:
 *   - eTag still the one sent → not applied: sent again with that eTag (up to
 *     `maxResends` times), or reported "not applied when re-read" (a request still running may land later, at most once);
 *   - eTag changed, record carries our values (compared as Business Central
 *     stores them) → applied;
 *   - eTag changed, values differ → ours may have landed and been changed
 *     afterwards by someone else, or never landed: "outcome unknown" with the
 *     evidence, never re-sent under Fail or Retry Once. Under "Overwrite
 *     Regardless" it is written on top, as for any other user's change.
 *   - the re-read fails too → "outcome unknown".
 */
export async function runUpdates(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	updates: ItemUpdate[],
	access: RecordAccess,
	options: UpdateRunOptions = {},
): Promise<Map<number, UpdateOutcome>> {
	const decisions = new UpdateDecisions(
		context.getNode(),
		entity,
		Math.max(0, options.maxResends ?? 1),
	);
	const url = (update: PendingUpdate) =>
		recordPath(entity, update.request.companyId, update.request.id);
	let pending = updates.map((request) => decisions.start(request));
	while (pending.length > 0) {
		const reading = pending.filter((update) => update.read);
		if (reading.length > 0) {
			const answers = await access.read(
				reading.map((update) => ({ key: update.key, url: url(update) })),
			);
			for (const update of reading) decisions.onRead(update, answers.get(update.key)!);
		}
		const writing = pending.filter((update) => !decisions.finished(update) && !update.read);
		if (writing.length > 0) {
			const answers = await access.patch(
				writing.map((update) => ({
					key: update.key,
					url: url(update),
					ifMatch: update.ifMatch!,
					body: update.request.patch,
				})),
			);
			for (const update of writing) decisions.onWrite(update, answers.get(update.key)!);
		}
		pending = pending.filter((update) => !decisions.finished(update));
	}
	return decisions.outcomes;
}

/** Options → Use Batch Requests, Batch Size, Max Concurrent Requests, Max Retries, Timeout. */
export interface UpdateRequestOptions {
	eTag?: unknown;
	onConflict?: ConflictPolicy;
	includePreviousValues?: boolean;
	maxRetries?: number;
	batching?: boolean;
	batchSize?: number;
	maxConcurrency?: number;
	timeout?: number;
}

function wholeNumber(value: unknown, fallback: number, min: number, max: number): number {
	const number = Number(value ?? fallback);
	return Number.isInteger(number) ? Math.min(Math.max(number, min), max) : fallback;
}

export function retryPolicy(options: UpdateRequestOptions): RetryPolicy {
	return {
		...DEFAULT_RETRY_POLICY,
		maxRetries: wholeNumber(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0, 10),
		// per request, in ms; at most an hour (Business Central itself gives up after 10 minutes: 504)
		timeoutMs: wholeNumber(options.timeout, DEFAULT_RETRY_POLICY.timeoutMs, 1, 3_600_000),
	};
}

/**
 * runUpdates turns Business Central's answers into per-item outcomes, but a request
 * can also fail outright (token endpoint refused, TLS error, ...): that becomes the
 * outcome of every item of the chunk, so "Continue On Fail" still gives one error
 * item per input item instead of passing the input through as if it had been updated.
 */
async function runChunk(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	updates: ItemUpdate[],
	access: RecordAccess,
	options: UpdateRunOptions,
): Promise<Map<number, UpdateOutcome>> {
	try {
		return await runUpdates(context, entity, updates, access, options);
	} catch (error) {
		const node = context.getNode();
		return new Map(
			updates.map((request) => [
				request.itemIndex,
				itemError(node, error as Error, request.itemIndex),
			]),
		);
	}
}

/**
 * The updates of a run: one by one, or (Use Batch Requests, more than one item) as `$batch`
 * chunks with waves for repeated records and a pool of concurrent requests (transport/batchRunner.ts).
 * `options`: the Update's Options (the first item's: bulk settings are per node).
 */
export async function updateRecords(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	items: Array<{ itemIndex: number; request: ItemUpdate }>,
	report: (itemIndex: number, outcome: UpdateOutcome) => void,
	stop: () => boolean,
	options: UpdateRequestOptions,
): Promise<void> {
	const policy = retryPolicy(options);
	// "Max Retries" also bounds how often an unanswered PATCH is re-sent (each time only after a re-read)
	const runOptions: UpdateRunOptions = { maxResends: policy.maxRetries };
	const updates = items.map((item) => item.request);
	const send = async (chunk: ItemUpdate[], access: RecordAccess) => {
		for (const [index, outcome] of await runChunk(context, entity, chunk, access, runOptions))
			report(index, outcome);
	};
	if (options.batching !== false && updates.length > 1) {
		const batching = {
			size: wholeNumber(options.batchSize, MAX_BATCH_OPERATIONS, 1, MAX_BATCH_OPERATIONS),
			concurrency: wholeNumber(options.maxConcurrency, 5, 1, 5),
			stop,
		};
		// eTags of many records of one journal (or company) from one listing: operations/etagReads.ts
		const gets = batchAccess(context, policy);
		const ahead = await readETagsAhead(context, entity, updates, gets, { ...batching, policy });
		const access = withReadAhead(gets, ahead);
		await runInBatches(
			updates,
			(request) => `${request.companyId}/${request.id}`,
			batching,
			async (chunk) => await send(chunk, access),
		);
		return;
	}
	const access = directAccess(context, policy);
	for (const request of updates) {
		if (stop()) break;
		await send([request], access);
	}
}
