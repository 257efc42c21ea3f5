import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { bcRequest, type BcResponse, type RetryPolicy } from '../../transport/request';
import { isUnclearWriteAnswer } from '../../transport/unclear';
import { paymentFailure } from './paymentErrors';
import { paymentPath, toPaymentRecord } from './paymentRecords';
import { changedMeanwhile, isConflict } from './updateEngine';
import type { ConflictPolicy } from './updatePlan';

export interface DeletePlan {
	companyId: string;
	paymentId: string;
	/** eTag the user gave; empty → read it first. */
	eTag: string;
	onConflict: ConflictPolicy;
}

const CONFLICT_HINT =
	'The customer payment was changed by someone else after its eTag was read, so it was not deleted. Check the change, then delete again, or set "On eTag Conflict" to "Fetch Latest and Retry Once" or "Delete Regardless".';

/**
 * Deletes one payment with optimistic concurrency, the way Update writes:
 * - If-Match is the given eTag, else the one just read (`*` only for "Delete Regardless").
 * - 409/412 → per policy: fail, or re-read and delete once more with the new eTag.
 * - An unclear answer (no answer, 408, 500, 502, 504) → re-read: 404 → it is gone (success); same eTag (or `*`) →
 *   the DELETE did not happen, send it once more (a 404 to that one: the first landed meanwhile,
 *   deleted); another eTag → a conflict.
 */
export async function deletePayment(
	context: IExecuteFunctions,
	plan: DeletePlan,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<IDataObject> {
	const node = context.getNode();
	const action = `Deleting customer payment ${plan.paymentId}`;
	const url = paymentPath(plan.companyId, plan.paymentId);
	const read = async () => await bcRequest.call(context, { method: 'GET', url }, policy);
	const currentETag = async (): Promise<string> => {
		const response = await read();
		if (response.statusCode !== 200) {
			throw paymentFailure(node, response, { action: `${action} (reading its eTag)`, itemIndex });
		}
		return toPaymentRecord.call(context, response, plan.paymentId, itemIndex)['@odata.etag'];
	};
	const conflict = (response: BcResponse, ifMatch: string) =>
		paymentFailure(node, response, {
			action,
			itemIndex,
			note: `The payment changed after eTag ${ifMatch} was read; nothing was deleted.`,
			hint: CONFLICT_HINT,
		});

	let ifMatch = plan.onConflict === 'overwrite' ? '*' : plan.eTag || (await currentETag());
	let conflictRetried = false;
	let resent = false;
	for (;;) {
		const response = await bcRequest.call(context, { method: 'DELETE', url, headers: { 'If-Match': ifMatch } }, policy);
		if (response.statusCode === 204 || response.statusCode === 200) return { deleted: true, id: plan.paymentId };
		// Re-sent after an unclear DELETE the re-read showed not applied yet: 404 means the first one
		// landed meanwhile (as a re-read showing 404 would) — deleted, not a failure.
		if (resent && response.statusCode === 404) return { deleted: true, id: plan.paymentId };
		if (isConflict(response)) {
			if (plan.onConflict !== 'retryOnce' || conflictRetried) throw conflict(response, ifMatch);
			conflictRetried = true;
			ifMatch = await currentETag();
			continue;
		}
		if (!isUnclearWriteAnswer(response)) throw paymentFailure(node, response, { action, itemIndex });
		// No answer: find out whether the DELETE happened before doing anything else.
		const check = await read();
		if (check.statusCode === 404) return { deleted: true, id: plan.paymentId };
		const unknown = (answer: BcResponse) =>
			paymentFailure(node, answer, {
				action: `Reading customer payment ${plan.paymentId} after a delete that got no answer`,
				itemIndex,
				note: 'Whether the payment was deleted is unknown.',
			});
		if (check.statusCode !== 200) throw unknown(check);
		let current: string;
		try {
			current = toPaymentRecord.call(context, check, plan.paymentId, itemIndex)['@odata.etag'];
		} catch (error) {
			// a 200 that is not the payment says nothing about the DELETE
			throw unknown({ ...check, statusCode: 0, networkError: (error as Error).message });
		}
		if (ifMatch === '*' || current === ifMatch) {
			if (resent) {
				throw paymentFailure(node, response, {
					action,
					itemIndex,
					note: 'The payment still exists: the delete was sent twice without an answer.',
				});
			}
			resent = true;
			continue;
		}
		if (plan.onConflict !== 'retryOnce' || conflictRetried) throw conflict(changedMeanwhile('a delete'), ifMatch);
		conflictRetried = true;
		ifMatch = current;
	}
}
