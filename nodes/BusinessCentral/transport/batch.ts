import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { z } from 'zod';

import type { BcFunctions } from './connection';
import { bcRequest, isAmbiguous, retryDelayMs, type BcResponse, type RetryPolicy } from './request';

/** One operation of a JSON `$batch` (ids are ours: responses are matched by id, never by position). */
export interface BatchOperation {
	id: string;
	method: 'GET' | 'PATCH' | 'POST' | 'DELETE';
	/** Relative to the API base, e.g. `companies(…)/customerPayments(…)`. */
	url: string;
	headers?: Record<string, string>;
	body?: IDataObject;
}

/** Business Central accepts at most 100 operations in one `$batch`. */
export const MAX_BATCH_OPERATIONS = 100;

const batchAnswerSchema = z.object({
	responses: z.array(
		z
			.object({
				id: z.union([z.string(), z.number()]).transform(String),
				status: z.number().int(),
				headers: z.record(z.unknown()).optional(),
				body: z.unknown().optional(),
			})
			.passthrough(),
	),
});

/** 429/503 were not processed; for reads, an ambiguous answer (no answer, 408, 502, 504) is safe to repeat too. */
function retryable(response: BcResponse, readOnly: boolean): boolean {
	if (response.statusCode === 429 || response.statusCode === 503) return true;
	return readOnly && isAmbiguous(response);
}

/**
 * Sends the operations as JSON `$batch` requests (each operation stands alone:
 * no `Isolation: snapshot`, so one item's failure fails that item only) and
 * returns one response per operation id. Operations Business Central throttled
 * (429/503 inside the batch) are sent again after Retry-After/back-off, up to
 * the policy's retries. An operation the server did not answer gets status 0,
 * like a dropped connection: the caller decides what that means for a write.
 */
export async function sendBatch(
	this: BcFunctions,
	operations: BatchOperation[],
	policy: RetryPolicy,
): Promise<Map<string, BcResponse>> {
	const results = new Map<string, BcResponse>();
	let pending = operations;
	for (let attempt = 0; pending.length > 0; attempt++) {
		const answers = await sendOnce.call(this, pending, policy);
		const again: BatchOperation[] = [];
		const readOnly = pending.every((operation) => operation.method === 'GET');
		let wait = 0;
		for (const operation of pending) {
			const answer = answers.get(operation.id)!;
			const response = { ...answer, retries: answer.retries + attempt };
			if (retryable(response, readOnly) && attempt < policy.maxRetries) {
				again.push(operation);
				wait = Math.max(wait, retryDelayMs(response, attempt, policy));
			} else {
				results.set(operation.id, response);
			}
		}
		if (again.length > 0) await sleep(wait);
		pending = again;
	}
	return results;
}

async function sendOnce(
	this: BcFunctions,
	operations: BatchOperation[],
	policy: RetryPolicy,
): Promise<Map<string, BcResponse>> {
	const response = await bcRequest.call(
		this,
		{
			method: 'POST',
			url: '$batch',
			body: {
				requests: operations.map((operation) => ({
					id: operation.id,
					method: operation.method,
					url: operation.url,
					headers: operation.headers ?? {},
					...(operation.body ? { body: operation.body } : {}),
				})),
			},
			headers: { 'Content-Type': 'application/json' },
		},
		policy,
	);
	const answers = new Map<string, BcResponse>();
	const parsed = response.statusCode === 200 ? batchAnswerSchema.safeParse(response.body) : undefined;
	if (!parsed?.success) {
		// The batch as a whole failed (or its answer is unusable): every operation shares that fate.
		const shared: BcResponse =
			response.statusCode === 200
				? {
						statusCode: 0,
						headers: {},
						body: undefined,
						networkError: 'the $batch answer was not a list of responses',
						retries: response.retries,
					}
				: response;
		for (const operation of operations) answers.set(operation.id, shared);
		return answers;
	}
	const known = new Set(operations.map((operation) => operation.id));
	for (const answer of parsed.data.responses) {
		if (!known.has(answer.id) || answers.has(answer.id)) continue;
		answers.set(answer.id, {
			statusCode: answer.status,
			headers: answer.headers ?? {},
			body: answer.body,
			retries: response.retries,
		});
	}
	for (const operation of operations) {
		if (!answers.has(operation.id)) {
			answers.set(operation.id, {
				statusCode: 0,
				headers: {},
				body: undefined,
				networkError: 'Business Central sent no answer for this operation of the batch',
				retries: response.retries,
			});
		}
	}
	return answers;
}
