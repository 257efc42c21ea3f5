import type { IDataObject } from 'n8n-workflow';

import { sendBatch, type BatchOperation } from '../transport/batch';
import type { BcFunctions } from '../transport/connection';
import { bcRequest, type BcResponse, type RetryPolicy } from '../transport/request';

/** A record to read: our key for the answer and its path (`companies(c)/<set>(<id>)`). */
export interface RecordRead {
	key: string;
	url: string;
}

/** A PATCH of a record with its If-Match. */
export interface RecordWrite extends RecordRead {
	ifMatch: string;
	body: IDataObject;
}

/** How reads and writes reach Business Central: one request each, or `$batch`; answers by key. */
export interface RecordAccess {
	read(reads: RecordRead[]): Promise<Map<string, BcResponse>>;
	patch(writes: RecordWrite[]): Promise<Map<string, BcResponse>>;
}

function asOperation(request: RecordRead | RecordWrite): BatchOperation {
	if (!('ifMatch' in request)) return { id: request.key, method: 'GET', url: request.url };
	return {
		id: request.key,
		method: 'PATCH',
		url: request.url,
		headers: { 'If-Match': request.ifMatch, 'Content-Type': 'application/json' },
		body: request.body,
	};
}

/** One GET / PATCH per record, in order. */
export function directAccess(context: BcFunctions, policy: RetryPolicy): RecordAccess {
	const send = async (requests: Array<RecordRead | RecordWrite>) => {
		const answers = new Map<string, BcResponse>();
		for (const request of requests) {
			const { method, url, headers, body } = asOperation(request);
			answers.set(
				request.key,
				await bcRequest.call(context, { method, url, headers, body }, policy),
			);
		}
		return answers;
	};
	return { read: send, patch: send };
}

/** All reads of a chunk in one `$batch` of GETs, all writes in one `$batch` of PATCHes. */
export function batchAccess(context: BcFunctions, policy: RetryPolicy): RecordAccess {
	const send = async (requests: Array<RecordRead | RecordWrite>) =>
		await sendBatch.call(context, requests.map(asOperation), policy);
	return { read: send, patch: send };
}
