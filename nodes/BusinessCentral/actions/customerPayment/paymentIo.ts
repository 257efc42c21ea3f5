import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sendBatch, type BatchOperation } from '../../transport/batch';
import { bcRequest, type BcResponse, type RetryPolicy } from '../../transport/request';
import { paymentPath } from './paymentRecords';

export interface PaymentTarget {
	key: string;
	companyId: string;
	paymentId: string;
}

export interface PaymentWrite extends PaymentTarget {
	ifMatch: string;
	body: IDataObject;
}

/** How reads and writes of payments reach Business Central: one request each, or `$batch`. */
export interface PaymentIo {
	read(targets: PaymentTarget[]): Promise<Map<string, BcResponse>>;
	patch(writes: PaymentWrite[]): Promise<Map<string, BcResponse>>;
}

function patchHeaders(write: PaymentWrite): Record<string, string> {
	return { 'If-Match': write.ifMatch, 'Content-Type': 'application/json' };
}

/** One GET / PATCH per payment, in order. */
export function directIo(context: IExecuteFunctions, policy: RetryPolicy): PaymentIo {
	return {
		async read(targets) {
			const answers = new Map<string, BcResponse>();
			for (const target of targets) {
				const url = paymentPath(target.companyId, target.paymentId);
				answers.set(target.key, await bcRequest.call(context, { method: 'GET', url }, policy));
			}
			return answers;
		},
		async patch(writes) {
			const answers = new Map<string, BcResponse>();
			for (const write of writes) {
				const response = await bcRequest.call(
					context,
					{
						method: 'PATCH',
						url: paymentPath(write.companyId, write.paymentId),
						body: write.body,
						headers: patchHeaders(write),
					},
					policy,
				);
				answers.set(write.key, response);
			}
			return answers;
		},
	};
}

/** All reads of a chunk in one `$batch` of GETs, all writes in one `$batch` of PATCHes. */
export function batchIo(context: IExecuteFunctions, policy: RetryPolicy): PaymentIo {
	return {
		async read(targets) {
			const operations = targets.map(
				(target): BatchOperation => ({
					id: target.key,
					method: 'GET',
					url: paymentPath(target.companyId, target.paymentId),
				}),
			);
			return await sendBatch.call(context, operations, policy);
		},
		async patch(writes) {
			const operations = writes.map(
				(write): BatchOperation => ({
					id: write.key,
					method: 'PATCH',
					url: paymentPath(write.companyId, write.paymentId),
					headers: patchHeaders(write),
					body: write.body,
				}),
			);
			return await sendBatch.call(context, operations, policy);
		},
	};
}
