import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PaymentRecord } from '../../helpers/schemas';
import { errorDetails, toNodeApiError } from '../../transport/errors';
import type { BcResponse } from '../../transport/request';
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
	conflictRetried: boolean;
	resent: boolean;
}

export function isConflict(response: BcResponse): boolean {
	return response.statusCode === 409 || response.statusCode === 412;
}

/** No HTTP answer or a gateway timeout: the PATCH may or may not have been applied. */
export function isAmbiguous(response: BcResponse): boolean {
	return response.statusCode === 0 || response.statusCode === 504;
}

/**
 * Applies updates with optimistic concurrency, the same way whether the
 * requests go one by one or in `$batch`:
 * - If-Match is the given eTag, else the one just read (`*` only for "Overwrite Regardless").
 * - 409/412 → per the plan's policy: fail, or re-read and write once more.
 * - No answer / 504 → re-read before anything else: eTag unchanged → the write
 *   did not happen, send it once more; record carries our values → it did; else
 *   someone else changed it → a conflict. So a write is never applied twice and
 *   never lands on top of another user's change without If-Match allowing it.
 */
export async function runUpdates(
	this: IExecuteFunctions,
	plans: UpdatePlan[],
	io: PaymentIo,
): Promise<Map<number, UpdateOutcome>> {
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

	const succeed = (work: Work, record: PaymentRecord) => {
		const output = toOutput(record);
		if (work.plan.includePreviousValues && work.before) {
			output.previousValues = previousValues(work.before, record);
		}
		finish(work, output);
	};

	/** Conflict: retry once on the current version if the policy allows, else fail. */
	const onConflict = (work: Work, response: BcResponse, current?: PaymentRecord) => {
		if (work.plan.onConflict !== 'retryOnce' || work.conflictRetried) {
			fail(work, response, 'Updating');
			return;
		}
		work.conflictRetried = true;
		if (current) {
			work.before = current;
			work.ifMatch = current['@odata.etag'];
		} else {
			work.read = 'refresh';
		}
	};

	let works: Work[] = plans.map((plan) => {
		const ifMatch = plan.onConflict === 'overwrite' ? '*' : plan.eTag || undefined;
		return {
			plan,
			key: String(plan.itemIndex),
			ifMatch,
			read: !ifMatch || plan.includePreviousValues ? 'initial' : undefined,
			conflictRetried: false,
			resent: false,
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
					fail(work, response, 'Reading');
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
				} else if (reason === 'refresh') {
					work.before = current;
					work.ifMatch = current['@odata.etag'];
				} else if (work.ifMatch !== '*' && current['@odata.etag'] === work.ifMatch) {
					work.resent = true;
				} else if (carriesPatch(current, work.plan.patch)) {
					succeed(work, current);
				} else if (work.ifMatch === '*') {
					work.resent = true;
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
				} else if (isConflict(response)) {
					onConflict(work, response);
				} else if (isAmbiguous(response) && !work.resent) {
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

/** What a re-read after an unanswered write shows when another user changed the record. */
function changedMeanwhile(): BcResponse {
	return {
		statusCode: 409,
		headers: {},
		body: {
			error: {
				code: 'Request_EntityChanged',
				message:
					'Another user has already changed the record (seen when re-reading it after a request that got no answer).',
			},
		},
		retries: 0,
	};
}
