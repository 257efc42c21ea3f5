import type { IDataObject, INode } from 'n8n-workflow';

import type { EntityDescriptor } from '../entities/entity';
import type { BcRecord } from '../helpers/schemas';
import { errorDetails, toNodeApiError, type BcErrorDetails } from '../transport/errors';
import type { BcResponse } from '../transport/request';
import { isUnclearWriteAnswer } from '../transport/unclear';
import { toOutput, toRecord } from './records';
import { carriesPatch, differences, onlySetBy, previousValues } from './storedValues';

/**
 * What an answer means for a write: the eTag / conflict / verification rules of Update
 * and Delete (docs/reliability.md). Conflict policies, conflicts, and the decisions of an
 * update run. Nothing here sends a request.
 */

export type ConflictPolicy = 'fail' | 'retryOnce' | 'overwrite';

/** One item's validated update. */
export interface ItemUpdate {
	itemIndex: number;
	companyId: string;
	/** The record's id. */
	id: string;
	patch: IDataObject;
	/** eTag the user gave; empty → read it first. */
	eTag: string;
	onConflict: ConflictPolicy;
	includePreviousValues: boolean;
	/** The parent (journal) the record is stated to be in, if any: lets a bulk run list its eTags (etagReads.ts). */
	parentId?: string;
}

/** The key of an item's reads and writes in a run (and in `$batch` operation ids). */
export function updateKey(request: ItemUpdate): string {
	return String(request.itemIndex);
}

/** Updated record (as output) or the error that item ends with. */
export type UpdateOutcome = IDataObject | Error;

type ReadReason = 'initial' | 'refresh' | 'verify';

/** One item's update while it is under way. */
export interface PendingUpdate {
	request: ItemUpdate;
	key: string;
	ifMatch?: string;
	before?: BcRecord;
	/** A read is due before the next write, and why. */
	read?: ReadReason;
	/** Writes sent again on a newer version after a conflict (at most 1 for "Fetch Latest and Retry Once"). */
	conflictRetries: number;
	/** Writes sent again after a re-read showed that an unanswered one was not applied. */
	resends: number;
	/** The last write's answer when it was unclear (no answer, 408, 500, 502, 504, a 2xx that is not the record). */
	unclear?: BcResponse;
	/**
	 * Set once an unclear write was not settled as "not applied" for good (re-sent after an
	 * unchanged eTag, or written on top under Overwrite Regardless): it may have landed, so a
	 * later write that fails outright cannot mean "nothing was written".
	 */
	mayHaveLanded?: string;
}

export interface UpdateRunOptions {
	/**
	 * How often a write whose answer was unclear, and that a re-read showed was
	 * not applied, is sent again (default 1). Every unclear write is re-read,
	 * the re-sent ones too, so the outcome reported is what the record shows.
	 */
	maxResends?: number;
}

/** 409 Request_EntityChanged, or 412 from deployments and proxies that answer HTTP's way. */
export function isConflict(response: BcResponse): boolean {
	return response.statusCode === 409 || response.statusCode === 412;
}

/**
 * What each answer means for an item's update, one instance per `runUpdates` call (see
 * `runUpdates` in updateRecords.ts for the rules). It never sends anything: it records the
 * outcome or what is due next (a read, or a write with the eTag to use).
 */
export class UpdateDecisions {
	readonly outcomes = new Map<number, UpdateOutcome>();

	private readonly node: INode;

	constructor(
		node: INode,
		private readonly entity: EntityDescriptor,
		private readonly maxResends: number,
	) {
		this.node = node;
	}

	start(request: ItemUpdate): PendingUpdate {
		const ifMatch = request.eTag || undefined;
		return {
			request,
			key: updateKey(request),
			ifMatch,
			read: !ifMatch || request.includePreviousValues ? 'initial' : undefined,
			conflictRetries: 0,
			resends: 0,
		};
	}

	finished(update: PendingUpdate): boolean {
		return this.outcomes.has(update.request.itemIndex);
	}

	onRead(update: PendingUpdate, response: BcResponse): void {
		const reason = update.read!;
		update.read = undefined;
		if (response.statusCode !== 200) {
			if (reason === 'verify') this.failUnverified(update, response);
			else this.fail(update, errorDetails(response), 'Reading');
			return;
		}
		const current = this.record(update, response, { quiet: reason === 'verify' });
		if (!current) {
			// a re-read that is not the record says nothing about the unclear write: its outcome is unknown
			if (reason === 'verify')
				this.failUnverified(update, notTheRecord(response, this.entity.shortLabel));
			return;
		}
		if (reason === 'verify') {
			this.judgeUnclearWrite(update, current);
			return;
		}
		update.before = current;
		update.ifMatch =
			reason === 'initial' ? (update.ifMatch ?? current['@odata.etag']) : current['@odata.etag'];
	}

	onWrite(update: PendingUpdate, response: BcResponse): void {
		if (response.statusCode >= 200 && response.statusCode < 300) {
			// 200 with the record; any other 2xx (204 without a body, …) is verified by re-reading
			const written = this.record(update, response, { quiet: true });
			if (written) this.succeed(update, written);
			else this.verifyAfter(update, notTheRecord(response, `updated ${this.entity.shortLabel}`));
		} else if (isConflict(response) && update.resends > 0) {
			// The record changed since the re-read: possibly by our own unanswered write, applied
			// late. Re-read: carrying our values → it was ours; otherwise the outcome is unknown.
			update.read = 'verify';
		} else if (isConflict(response)) {
			this.onConflict(update, response);
		} else if (isUnclearWriteAnswer(response)) {
			this.verifyAfter(update, response);
		} else {
			this.failWrite(update, errorDetails(response));
		}
	}

	/**
	 * A write that failed outright. When an earlier unclear write of the item may have landed,
	 * that failure says nothing about it: the outcome is unknown, and the error says why.
	 */
	private failWrite(update: PendingUpdate, details: BcErrorDetails): void {
		if (update.mayHaveLanded !== undefined) {
			details.message = `${details.message} An earlier attempt got no clear answer (${update.mayHaveLanded}); it may have landed (at most once: every attempt carried a real eTag). Check the ${this.entity.shortLabel} before running this item again.`;
			details.code = 'UpdateOutcomeUnknown';
		}
		this.fail(update, details, 'Updating');
	}

	private verifyAfter(update: PendingUpdate, response: BcResponse): void {
		update.unclear = response;
		update.read = 'verify';
	}

	/** What a re-read after an unclear write shows. */
	private judgeUnclearWrite(update: PendingUpdate, current: BcRecord): void {
		const unchanged = current['@odata.etag'] === update.ifMatch;
		if (!unchanged && carriesPatch(this.entity, current, update.request.patch)) {
			this.succeed(update, current, true);
		} else if (unchanged && update.resends < this.maxResends) {
			// Not applied: send again with the same eTag, so that if the unanswered write
			// is still applied late, only one of the two lands.
			update.resends++;
			update.mayHaveLanded = errorDetails(update.unclear!).message;
		} else if (unchanged) {
			this.failNotApplied(update);
		} else if (update.request.onConflict === 'overwrite') {
			update.mayHaveLanded = errorDetails(update.unclear!).message;
			this.onConflict(update, changedMeanwhile(), current);
		} else {
			this.failOutcomeUnknown(update, current);
		}
	}

	/** Conflict: write once more on the current version if the policy allows, else fail. */
	private onConflict(update: PendingUpdate, response: BcResponse, current?: BcRecord): void {
		const policy = update.request.onConflict;
		const allowed =
			policy === 'retryOnce' ? 1 : policy === 'overwrite' ? Math.max(1, this.maxResends) : 0;
		if (update.conflictRetries >= allowed) {
			const details = errorDetails(response);
			if (update.ifMatch && update.mayHaveLanded === undefined) {
				details.message = `${details.message} The ${this.entity.shortLabel} changed after eTag ${update.ifMatch} was read; nothing was written.`;
			}
			this.failWrite(update, details);
			return;
		}
		update.conflictRetries++;
		if (current) {
			update.before = current;
			update.ifMatch = current['@odata.etag'];
		} else {
			update.read = 'refresh';
		}
	}

	/** The answer as a checked record, or undefined after recording why it is not one. */
	private record(update: PendingUpdate, response: BcResponse, options: { quiet?: boolean } = {}) {
		try {
			return toRecord(
				this.node,
				this.entity,
				response,
				update.request.id,
				update.request.itemIndex,
			);
		} catch (error) {
			if (!options.quiet) this.finish(update, error as Error);
			return undefined;
		}
	}

	/**
	 * `fromReRead`: the record came from a re-read after an unclear write, so it may also
	 * carry later changes of other users; previousValues then lists only the properties the
	 * update set and the ones Business Central fills in from them.
	 */
	private succeed(update: PendingUpdate, record: BcRecord, fromReRead = false): void {
		const output = toOutput(record);
		if (update.request.includePreviousValues && update.before) {
			const changed = previousValues(update.before, record);
			output.previousValues = fromReRead
				? onlySetBy(this.entity, update.request.patch, changed)
				: changed;
		}
		this.finish(update, output);
	}

	private fail(
		update: PendingUpdate,
		details: BcErrorDetails,
		action: 'Reading' | 'Updating',
	): void {
		this.finish(
			update,
			toNodeApiError(this.node, details, {
				action: `${action} ${this.entity.label} ${update.request.id}`,
				itemIndex: update.request.itemIndex,
			}),
		);
	}

	/** An unclear write the re-read showed was not applied, and that may not be sent again. */
	private failNotApplied(update: PendingUpdate): void {
		const details = errorDetails(update.unclear!);
		// Only a snapshot: a request that got no answer (dropped, Timeout, 502, 504) may still be
		// running in Business Central and land after the re-read — at most one, as all carry this eTag.
		details.message = `${details.message} (${update.resends + 1} attempt(s)). Re-reading the ${this.entity.shortLabel} showed its eTag unchanged: the update had not been applied when re-read. A request still running in Business Central may still land (at most once: every attempt carried eTag ${update.ifMatch}); check the ${this.entity.shortLabel} before running this item again.`;
		this.fail(update, details, 'Updating');
	}

	/** An unclear write whose re-read failed too: whether it was applied is not known. */
	private failUnverified(update: PendingUpdate, response: BcResponse): void {
		const read = errorDetails(response);
		const unclear = errorDetails(update.unclear ?? response);
		this.fail(
			update,
			{
				...read,
				code: 'UpdateOutcomeUnknown',
				message: `${unclear.message}, and re-reading the ${this.entity.shortLabel} to check whether the update was applied failed too (${read.code}: ${read.message}). It may or may not have been applied: check the ${this.entity.shortLabel} before running this item again.`,
			},
			'Updating',
		);
	}

	/**
	 * An unclear write after which the record changed but does not carry our values:
	 * ours may have landed and been changed since, or never landed. The evidence goes
	 * into the error (`businessCentral.evidence` of a Continue On Fail item).
	 */
	private failOutcomeUnknown(update: PendingUpdate, current: BcRecord): void {
		const unclear = errorDetails(update.unclear!);
		const evidence = {
			eTagSent: update.ifMatch ?? null,
			eTagNow: current['@odata.etag'],
			lastModifiedDateTime: (current.lastModifiedDateTime as string | undefined) ?? null,
			differences: differences(this.entity, current, update.request.patch),
		};
		this.fail(
			update,
			{
				httpStatus: unclear.httpStatus,
				code: 'UpdateOutcomeUnknown',
				message: `${unclear.message}. Re-reading the ${this.entity.shortLabel} showed it changed since eTag ${update.ifMatch} but does not carry the values sent (${Object.keys(evidence.differences).join(', ')}): the update may have been applied and changed again by someone else, or not applied at all. It was not sent again; check the ${this.entity.shortLabel} before running this item again.`,
			},
			'Updating',
		);
		const error = this.outcomes.get(update.request.itemIndex) as { context?: IDataObject };
		if (error.context?.businessCentral)
			(error.context.businessCentral as IDataObject).evidence = evidence;
	}

	private finish(update: PendingUpdate, outcome: UpdateOutcome): void {
		this.outcomes.set(update.request.itemIndex, outcome);
	}
}

/** A 2xx write answer whose body is not the record: as unclear as no answer. */
function notTheRecord(response: BcResponse, what: string): BcResponse {
	return {
		...response,
		statusCode: 0,
		networkError: `Business Central answered HTTP ${response.statusCode} with a body that is not the ${what}`,
	};
}

/** What a re-read after an unanswered write (`request`: "a delete", …) shows when another user changed the record. */
export function changedMeanwhile(request = 'a request'): BcResponse {
	return {
		statusCode: 409,
		headers: {},
		body: {
			error: {
				code: 'Request_EntityChanged',
				message: `Another user has already changed the record (seen when re-reading it after ${request} that got no answer).`,
			},
		},
		retries: 0,
	};
}
