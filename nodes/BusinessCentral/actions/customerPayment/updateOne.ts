import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PaymentPatch } from '../../helpers/paymentFields';
import type { PaymentRecord } from '../../helpers/schemas';
import { errorDetails, toNodeApiError } from '../../transport/errors';
import { bcRequest, type BcResponse, type RetryPolicy } from '../../transport/request';
import {
	carriesPatch,
	paymentPath,
	previousValues,
	readPayment,
	toOutput,
	toPaymentRecord,
} from './paymentRecords';

export type ConflictPolicy = 'fail' | 'retryOnce' | 'overwrite';

/** One item's validated update. */
export interface UpdatePlan {
	itemIndex: number;
	companyId: string;
	paymentId: string;
	patch: PaymentPatch;
	/** eTag the user gave; empty → read it first. */
	eTag: string;
	onConflict: ConflictPolicy;
	includePreviousValues: boolean;
}

export function isConflict(response: BcResponse): boolean {
	return response.statusCode === 409 || response.statusCode === 412;
}

/** No HTTP answer or a gateway timeout: the PATCH may or may not have been applied. */
export function isAmbiguous(response: BcResponse): boolean {
	return response.statusCode === 0 || response.statusCode === 504;
}

async function patch(
	this: IExecuteFunctions,
	plan: UpdatePlan,
	ifMatch: string,
	policy: RetryPolicy,
): Promise<BcResponse> {
	return await bcRequest.call(
		this,
		{
			method: 'PATCH',
			url: paymentPath(plan.companyId, plan.paymentId),
			body: plan.patch as IDataObject,
			headers: { 'If-Match': ifMatch, 'Content-Type': 'application/json' },
		},
		policy,
	);
}

/**
 * After a PATCH got no clear answer, find out what happened instead of sending
 * it again blindly: same eTag as sent → not applied, safe to send once more;
 * changed and carrying our values → it was applied; changed otherwise → someone
 * else changed it (a real conflict).
 */
async function settleAmbiguous(
	this: IExecuteFunctions,
	plan: UpdatePlan,
	ifMatch: string,
	policy: RetryPolicy,
): Promise<BcResponse | PaymentRecord> {
	const current = await readPayment.call(this, plan.companyId, plan.paymentId, plan.itemIndex, policy);
	if (ifMatch !== '*' && current['@odata.etag'] === ifMatch) {
		return await patch.call(this, plan, ifMatch, policy);
	}
	if (carriesPatch(current, plan.patch)) return current;
	if (ifMatch === '*') return await patch.call(this, plan, ifMatch, policy);
	return {
		statusCode: 409,
		headers: {},
		body: {
			error: {
				code: 'Request_EntityChanged',
				message: 'Another user has already changed the record (seen when re-reading it after a request that got no answer).',
			},
		},
		retries: 0,
	};
}

/**
 * Update one customer payment with optimistic concurrency: If-Match is the
 * given eTag or the one just read; a stale eTag is handled by the plan's
 * conflict policy and never turns into a silent overwrite.
 */
export async function updateOne(
	this: IExecuteFunctions,
	plan: UpdatePlan,
	policy: RetryPolicy,
): Promise<IDataObject> {
	let before: PaymentRecord | undefined;
	if (!plan.eTag || plan.includePreviousValues) {
		before = await readPayment.call(this, plan.companyId, plan.paymentId, plan.itemIndex, policy);
	}
	let ifMatch = plan.onConflict === 'overwrite' ? '*' : plan.eTag || (before?.['@odata.etag'] as string);

	let outcome: BcResponse | PaymentRecord = await patch.call(this, plan, ifMatch, policy);
	if (isResponse(outcome) && isAmbiguous(outcome)) {
		outcome = await settleAmbiguous.call(this, plan, ifMatch, policy);
	}
	if (isResponse(outcome) && isConflict(outcome) && plan.onConflict === 'retryOnce') {
		before = await readPayment.call(this, plan.companyId, plan.paymentId, plan.itemIndex, policy);
		ifMatch = before['@odata.etag'];
		outcome = await patch.call(this, plan, ifMatch, policy);
		if (isResponse(outcome) && isAmbiguous(outcome)) {
			outcome = await settleAmbiguous.call(this, plan, ifMatch, policy);
		}
	}
	if (isResponse(outcome) && outcome.statusCode !== 200) {
		const details = errorDetails(outcome);
		if (isConflict(outcome)) {
			details.message = `${details.message} The payment changed after eTag ${ifMatch} was read; nothing was written.`;
		}
		throw toNodeApiError(this.getNode(), details, {
			action: `Updating customer payment ${plan.paymentId}`,
			itemIndex: plan.itemIndex,
		});
	}
	const after = isResponse(outcome)
		? toPaymentRecord.call(this, outcome, plan.paymentId, plan.itemIndex)
		: outcome;
	const output = toOutput(after);
	if (plan.includePreviousValues && before) {
		output.previousValues = previousValues(before, after);
	}
	return output;
}

function isResponse(outcome: BcResponse | PaymentRecord): outcome is BcResponse {
	return 'statusCode' in outcome && 'retries' in outcome;
}
