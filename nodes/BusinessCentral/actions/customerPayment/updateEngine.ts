import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PaymentRecord } from '../../helpers/schemas';
import { errorDetails, toNodeApiError } from '../../transport/errors';
import { isAmbiguous, type BcResponse } from '../../transport/request';
import type { PaymentIo } from './paymentIo';
import { carriesPatch, previousValues, toOutput, toPaymentRecord } from './paymentRecords';
import type { UpdatePlan } from './updatePlan';

/** Updated record (as output) or the error that item ends with. */
export type UpdateOutcome = IDataObject | Error;

type ReadReason = 'initial' | 'refresh' | 'verify';

interface Work {
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
	/** The last write's answer when it was no answer (dropped, timed out, 408, 502, 504). */
	unanswered?: BcResponse;
}

export interface UpdateEngineOptions {
	/**
	 * How often a write that got no answer, and that a re-read showed was not
	 * applied, is sent again (default 1). Every unanswered write is re-read,
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
 * - No answer / 408 / 502 / 504 (a dropped connection, the Timeout, a gateway) → re-read
 *   before anything else: eTag unchanged → the write did not happen, send it
 *   again (up to `maxResends` times, each re-sent write verified the same way);
 *   record carries our values → it did; else someone else changed it → a
 *   conflict. So a write is never applied twice, never lands on top of another
 *   user's change without If-Match allowing it, and an item is reported failed
 *   only when the record shows it was not applied — or, when even the re-read
 *   fails, with an error saying the outcome is unknown.
 */
export async function runUpdates(
	this: IExecuteFunctions,
	plans: UpdatePlan[],
	io: PaymentIo,
	engineOptions: UpdateEngineOptions = {},
): Promise<Map<number, UpdateOutcome>> {
	const maxResends = Math.max(0, engineOptions.maxResends ?? 1);
	const outcomes = new Map<number, UpdateOutcome>();
	const node = this.getNode();
	const finish = (work: Work, outcome: UpdateOutcome) => outcomes.set(work.plan.itemIndex, outcome);

	const fail = (work: Work, response: BcResponse, action: 'Reading' | 'Updating') => {
		const details = errorDetails(response);
		if (isConflict(response) && work.ifMatch) {
			details.message = `${details.message} The payment changed after eTag ${work.ifMatch} was read; nothing was written.`;
		}
		finish(
			work,
			toNodeApiError(node, details, {
				action: `${action} customer payment ${work.plan.paymentId}`,
				itemIndex: work.plan.itemIndex,
			}),
		);
	};

	/** An unanswered write the re-read showed was not applied, and that may not be sent again. */
	const failNotApplied = (work: Work) => {
		const details = errorDetails(work.unanswered!);
		details.message = `${details.message} (${work.resends + 1} attempt(s)). Re-reading the payment showed the update was not applied; nothing was written.`;
		finish(
			work,
			toNodeApiError(node, details, {
				action: `Updating customer payment ${work.plan.paymentId}`,
				itemIndex: work.plan.itemIndex,
			}),
		);
	};

	/** An unanswered write whose re-read failed too: whether it was applied is not known. */
	const failUnverified = (work: Work, response: BcResponse) => {
		const read = errorDetails(response);
		const unanswered = errorDetails(work.unanswered!);
		const details = {
			...read,
			code: 'UpdateOutcomeUnknown',
			message: `${unanswered.message}, and re-reading the payment to check whether the update was applied failed too (${read.code}: ${read.message}). It may or may not have been applied: check the payment before running this item again.`,
		};
		finish(
			work,
			toNodeApiError(node, details, {
				action: `Updating customer payment ${work.plan.paymentId}`,
				itemIndex: work.plan.itemIndex,
			}),
		);
	};

	const succeed = (work: Work, record: PaymentRecord) => {
		const output = toOutput(record);
		if (work.plan.includePreviousValues && work.before) {
			output.previousValues = previousValues(work.before, record);
		}
		finish(work, output);
	};

	/** Conflict: retry once on the current version if the policy allows, else fail. */
	const maxConflictRetries = (work: Work) =>
		work.plan.onConflict === 'retryOnce' ? 1 : work.plan.onConflict === 'overwrite' ? Math.max(1, maxResends) : 0;
	const onConflict = (work: Work, response: BcResponse, current?: PaymentRecord) => {
		if (work.conflictRetries >= maxConflictRetries(work)) {
			fail(work, response, 'Updating');
			return;
		}
		work.conflictRetries++;
		if (current) {
			work.before = current;
			work.ifMatch = current['@odata.etag'];
		} else {
			work.read = 'refresh';
		}
	};

	let works: Work[] = plans.map((plan) => {
		const ifMatch = plan.eTag || undefined;
		return {
			plan,
			key: String(plan.itemIndex),
			ifMatch,
			read: !ifMatch || plan.includePreviousValues ? 'initial' : undefined,
			conflictRetries: 0,
			resends: 0,
		};
	});

	while (works.length > 0) {
		const reading = works.filter((work) => work.read);
		if (reading.length > 0) {
			const answers = await io.read(reading.map(({ key, plan }) => ({ key, ...plan })));
			for (const work of reading) {
				const reason = work.read!;
				work.read = undefined;
				const response = answers.get(work.key)!;
				if (response.statusCode !== 200) {
					if (reason === 'verify') failUnverified(work, response);
					else fail(work, response, 'Reading');
					continue;
				}
				let current: PaymentRecord;
				try {
					current = toPaymentRecord.call(this, response, work.plan.paymentId, work.plan.itemIndex);
				} catch (error) {
					finish(work, error as Error);
					continue;
				}
				if (reason === 'initial') {
					work.before = current;
					work.ifMatch ??= current['@odata.etag'];
					continue;
				}
				if (reason === 'refresh') {
					work.before = current;
					work.ifMatch = current['@odata.etag'];
					continue;
				}
				// verify: what happened to the write that got no answer?
				const unchanged = current['@odata.etag'] === work.ifMatch;
				if (!unchanged && carriesPatch(current, work.plan.patch)) {
					succeed(work, current);
				} else if (unchanged) {
					// Not applied: send again with the same eTag, so that if the unanswered write
					// is still applied late, only one of the two lands.
					if (work.resends < maxResends) {
						work.resends++;
						work.ifMatch = current['@odata.etag'];
					} else {
						failNotApplied(work);
					}
				} else {
					onConflict(work, changedMeanwhile(), current);
				}
			}
		}

		const writing = works.filter((work) => !outcomes.has(work.plan.itemIndex) && !work.read);
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
			for (const work of writing) {
				const response = answers.get(work.key)!;
				if (response.statusCode === 200) {
					try {
						succeed(work, toPaymentRecord.call(this, response, work.plan.paymentId, work.plan.itemIndex));
					} catch (error) {
						finish(work, error as Error);
					}
				} else if (isConflict(response) && work.resends > 0) {
					// The record changed since the re-read: possibly by our own unanswered write, applied
					// late. Re-read: carrying our values → it was ours; otherwise another user's change.
					work.read = 'verify';
				} else if (isConflict(response)) {
					onConflict(work, response);
				} else if (isAmbiguous(response)) {
					work.unanswered = response;
					work.read = 'verify';
				} else {
					fail(work, response, 'Updating');
				}
			}
		}
		works = works.filter((work) => !outcomes.has(work.plan.itemIndex));
	}
	return outcomes;
}

/** What a re-read after an unanswered write (`request`: "a delete", …) shows when another user changed the record. */
export function changedMeanwhile(request = 'a request'): BcResponse {
	return {
		statusCode: 409,
		headers: {},
		body: {
			error: {
				code: 'Request_EntityChanged',
				message:
					`Another user has already changed the record (seen when re-reading it after ${request} that got no answer).`,
			},
		},
		retries: 0,
	};
}
