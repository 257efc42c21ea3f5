import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { PaymentRecord } from '../../helpers/schemas';
import { errorDetails, toNodeApiError, type BcErrorDetails } from '../../transport/errors';
import type { BcResponse } from '../../transport/request';
import { isUnclearWriteAnswer } from '../../transport/unclear';
import type { PaymentIo } from './paymentIo';
import {
	carriesPatch,
	differences,
	previousValues,
	toOutput,
	toPaymentRecord,
} from './paymentRecords';
import type { UpdatePlan } from './updatePlan';

/** Updated record (as output) or the error that item ends with. */
export type UpdateOutcome = IDataObject | Error;

type ReadReason = 'initial' | 'refresh' | 'verify';

/** One item's update while it is under way. */
interface PendingUpdate {
	plan: UpdatePlan;
	key: string;
	ifMatch?: string;
	before?: PaymentRecord;
	/** A read is due before the next write, and why. */
	read?: ReadReason;
	/** Writes sent again on a newer version after a conflict (at most 1 for "Fetch Latest and Retry Once"). */
	conflictRetries: number;
	/** Writes sent again after a re-read showed that an unanswered one was not applied. */
	resends: number;
	/** The last write's answer when it was unclear (no answer, 408, 500, 502, 504, a 2xx that is not the record). */
	unclear?: BcResponse;
}

export interface UpdateEngineOptions {
	/**
	 * How often a write whose answer was unclear, and that a re-read showed was
	 * not applied, is sent again (default 1). Every unclear write is re-read,
	 * the re-sent ones too, so the outcome reported is what the record shows.
	 */
	maxResends?: number;
}

export function isConflict(response: BcResponse): boolean {
	return response.statusCode === 409 || response.statusCode === 412;
}

/**
 * Applies updates with optimistic concurrency, the same way whether the
 * requests go one by one or in `$batch`:
 * - If-Match is the given eTag, else the one just read — always a real eTag,
 *   never `*`: a write whose answer was lost may still land later, and only an
 *   eTag guarantees that then at most one of it and its re-sent copy applies.
 * - 409/412 → per the plan's policy: fail; re-read and write once more; or, for
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
	this: IExecuteFunctions,
	plans: UpdatePlan[],
	io: PaymentIo,
	engineOptions: UpdateEngineOptions = {},
): Promise<Map<number, UpdateOutcome>> {
	const run = new UpdateRun(this, Math.max(0, engineOptions.maxResends ?? 1));
	let pending = plans.map((plan) => run.start(plan));
	while (pending.length > 0) {
		const reading = pending.filter((update) => update.read);
		if (reading.length > 0) {
			const answers = await io.read(reading.map(({ key, plan }) => ({ key, ...plan })));
			for (const update of reading) run.onRead(update, answers.get(update.key)!);
		}
		const writing = pending.filter((update) => !run.finished(update) && !update.read);
		if (writing.length > 0) {
			const answers = await io.patch(
				writing.map(({ key, plan, ifMatch }) => ({
					key,
					companyId: plan.companyId,
					paymentId: plan.paymentId,
					ifMatch: ifMatch!,
					body: plan.patch as IDataObject,
				})),
			);
			for (const update of writing) run.onWrite(update, answers.get(update.key)!);
		}
		pending = pending.filter((update) => !run.finished(update));
	}
	return run.outcomes;
}

/** The decisions of one `runUpdates` call: what each answer means for its item. */
class UpdateRun {
	readonly outcomes = new Map<number, UpdateOutcome>();

	private readonly node: INode;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly maxResends: number,
	) {
		this.node = context.getNode();
	}

	start(plan: UpdatePlan): PendingUpdate {
		const ifMatch = plan.eTag || undefined;
		return {
			plan,
			key: String(plan.itemIndex),
			ifMatch,
			read: !ifMatch || plan.includePreviousValues ? 'initial' : undefined,
			conflictRetries: 0,
			resends: 0,
		};
	}

	finished(update: PendingUpdate): boolean {
		return this.outcomes.has(update.plan.itemIndex);
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
			// a re-read that is not the payment says nothing about the unclear write: its outcome is unknown
			if (reason === 'verify') this.failUnverified(update, notTheRecord(response, 'payment'));
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
			else this.verifyAfter(update, notTheRecord(response));
		} else if (isConflict(response) && update.resends > 0) {
			// The record changed since the re-read: possibly by our own unanswered write, applied
			// late. Re-read: carrying our values → it was ours; otherwise the outcome is unknown.
			update.read = 'verify';
		} else if (isConflict(response)) {
			this.onConflict(update, response);
		} else if (isUnclearWriteAnswer(response)) {
			this.verifyAfter(update, response);
		} else if (update.resends > 0) {
			// the re-sent copy failed outright; the unclear one before it is another matter
			const details = errorDetails(response);
			details.message = `${details.message} An earlier attempt got no clear answer (${errorDetails(update.unclear!).message}); re-reading showed it not applied then, but it may have landed since (at most once: every attempt carried eTag ${update.ifMatch}). Check the payment before running this item again.`;
			this.fail(update, details, 'Updating');
		} else {
			this.fail(update, errorDetails(response), 'Updating');
		}
	}

	private verifyAfter(update: PendingUpdate, response: BcResponse): void {
		update.unclear = response;
		update.read = 'verify';
	}

	/** What a re-read after an unclear write shows. */
	private judgeUnclearWrite(update: PendingUpdate, current: PaymentRecord): void {
		const unchanged = current['@odata.etag'] === update.ifMatch;
		if (!unchanged && carriesPatch(current, update.plan.patch)) {
			this.succeed(update, current, true);
		} else if (unchanged && update.resends < this.maxResends) {
			// Not applied: send again with the same eTag, so that if the unanswered write
			// is still applied late, only one of the two lands.
			update.resends++;
		} else if (unchanged) {
			this.failNotApplied(update);
		} else if (update.plan.onConflict === 'overwrite') {
			this.onConflict(update, changedMeanwhile(), current);
		} else {
			this.failOutcomeUnknown(update, current);
		}
	}

	/** Conflict: write once more on the current version if the policy allows, else fail. */
	private onConflict(update: PendingUpdate, response: BcResponse, current?: PaymentRecord): void {
		const policy = update.plan.onConflict;
		const allowed =
			policy === 'retryOnce' ? 1 : policy === 'overwrite' ? Math.max(1, this.maxResends) : 0;
		if (update.conflictRetries >= allowed) {
			const details = errorDetails(response);
			if (update.ifMatch) {
				details.message = `${details.message} The payment changed after eTag ${update.ifMatch} was read; nothing was written.`;
			}
			this.fail(update, details, 'Updating');
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

	/** The answer as a checked payment, or undefined after recording why it is not one. */
	private record(update: PendingUpdate, response: BcResponse, options: { quiet?: boolean } = {}) {
		try {
			return toPaymentRecord.call(
				this.context,
				response,
				update.plan.paymentId,
				update.plan.itemIndex,
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
	private succeed(update: PendingUpdate, record: PaymentRecord, fromReRead = false): void {
		const output = toOutput(record);
		if (update.plan.includePreviousValues && update.before) {
			const changed = previousValues(update.before, record);
			output.previousValues = fromReRead ? onlySetBy(update.plan.patch, changed) : changed;
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
				action: `${action} customer payment ${update.plan.paymentId}`,
				itemIndex: update.plan.itemIndex,
			}),
		);
	}

	/** An unclear write the re-read showed was not applied, and that may not be sent again. */
	private failNotApplied(update: PendingUpdate): void {
		const details = errorDetails(update.unclear!);
		// Only a snapshot: a request that got no answer (dropped, Timeout, 502, 504) may still be
		// running in Business Central and land after the re-read — at most one, as all carry this eTag.
		details.message = `${details.message} (${update.resends + 1} attempt(s)). Re-reading the payment showed its eTag unchanged: the update had not been applied when re-read. A request still running in Business Central may still land (at most once: every attempt carried eTag ${update.ifMatch}); check the payment before running this item again.`;
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
				message: `${unclear.message}, and re-reading the payment to check whether the update was applied failed too (${read.code}: ${read.message}). It may or may not have been applied: check the payment before running this item again.`,
			},
			'Updating',
		);
	}

	/**
	 * An unclear write after which the record changed but does not carry our values:
	 * ours may have landed and been changed since, or never landed. The evidence goes
	 * into the error (`businessCentral.evidence` of a Continue On Fail item).
	 */
	private failOutcomeUnknown(update: PendingUpdate, current: PaymentRecord): void {
		const unclear = errorDetails(update.unclear!);
		const evidence = {
			eTagSent: update.ifMatch ?? null,
			eTagNow: current['@odata.etag'],
			lastModifiedDateTime: (current.lastModifiedDateTime as string | undefined) ?? null,
			differences: differences(current, update.plan.patch),
		};
		this.fail(
			update,
			{
				httpStatus: unclear.httpStatus,
				code: 'UpdateOutcomeUnknown',
				message: `${unclear.message}. Re-reading the payment showed it changed since eTag ${update.ifMatch} but does not carry the values sent (${Object.keys(evidence.differences).join(', ')}): the update may have been applied and changed again by someone else, or not applied at all. It was not sent again; check the payment before running this item again.`,
			},
			'Updating',
		);
		const error = this.outcomes.get(update.plan.itemIndex) as { context?: IDataObject };
		if (error.context?.businessCentral)
			(error.context.businessCentral as IDataObject).evidence = evidence;
	}

	private finish(update: PendingUpdate, outcome: UpdateOutcome): void {
		this.outcomes.set(update.plan.itemIndex, outcome);
	}
}

/** Properties Business Central fills in when one of the pair is set. */
const FILLED_FROM: Record<string, string[]> = {
	customerId: ['customerNumber'],
	customerNumber: ['customerId'],
	appliesToInvoiceId: ['appliesToInvoiceNumber', 'customerId', 'customerNumber'],
	appliesToInvoiceNumber: ['appliesToInvoiceId', 'customerId', 'customerNumber'],
};

/** The entries of `changed` that the patch set, or that Business Central fills in from what it set. */
function onlySetBy(patch: IDataObject, changed: IDataObject): IDataObject {
	const set = new Set(Object.keys(patch).flatMap((field) => [field, ...(FILLED_FROM[field] ?? [])]));
	return Object.fromEntries(Object.entries(changed).filter(([field]) => set.has(field)));
}

/** A 2xx write answer whose body is not the record: as unclear as no answer. */
function notTheRecord(response: BcResponse, what = 'updated payment'): BcResponse {
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
