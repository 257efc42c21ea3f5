import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { BcFunctions } from './connection';
import { bcRequest, isAmbiguous, retryDelayMs, waitBeforeRetry, type BcResponse, type RetryPolicy } from './request';

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
				// key schema given: zod 4 (which n8n may load) requires it
				headers: z.record(z.string(), z.unknown()).optional(),
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

/** What one `$batch` round trip said about an operation. */
type OperationAnswer = BcResponse | 'notRun';

/**
 * Sends the operations as JSON `$batch` requests (each operation stands alone:
 * no `Isolation: snapshot`, so one item's failure fails that item only) and
 * returns one response per operation id.
 * - `Prefer: odata.continue-on-error` asks Business Central to run every
 *   operation; without it, it stops at the first failing one. An answer that
 *   still stops early (a proxy or an older server ignoring the header) leaves
 *   the later operations unrun: they are sent again, not treated as unclear.
 * - Operations throttled (429/503, inside the batch or the whole batch) are
 *   sent again after Retry-After/back-off. One retry budget per operation:
 *   the `$batch` POST itself is sent with no retries of its own, so Max
 *   Retries 2 means at most 3 sends, not 3 × 3.
 * - An operation the server did not answer gets status 0, like a dropped
 *   connection: the caller decides what that means for a write.
 */
export async function sendBatch(
	this: BcFunctions,
	operations: BatchOperation[],
	policy: RetryPolicy,
): Promise<Map<string, BcResponse>> {
	const results = new Map<string, BcResponse>();
	/** Retries each operation has used: an operation first throttled after an early stop has its own. */
	const retries = new Map<string, number>(operations.map((operation) => [operation.id, 0]));
	let pending = operations;
	while (pending.length > 0) {
		const answers = await sendOnce.call(this, pending, policy);
		const readOnly = pending.every((operation) => operation.method === 'GET');
		const again: BatchOperation[] = [];
		const retried: string[] = [];
		let wait: number | undefined;
		for (const operation of pending) {
			const answer = answers.get(operation.id)!;
			const used = retries.get(operation.id)!;
			if (answer === 'notRun') {
				again.push(operation);
			} else if (retryable(answer, readOnly) && used < policy.maxRetries) {
				again.push(operation);
				retried.push(operation.id);
				wait = Math.max(wait ?? 0, retryDelayMs(answer, used, policy));
			} else {
				results.set(operation.id, { ...answer, retries: used });
			}
		}
		if (wait !== undefined) await waitBeforeRetry(this, wait);
		for (const id of retried) retries.set(id, retries.get(id)! + 1);
		pending = again;
	}
	return results;
}

function batchBody(operations: BatchOperation[]): IDataObject {
	return {
		requests: operations.map((operation) => ({
			id: operation.id,
			method: operation.method,
			url: operation.url,
			headers: operation.headers ?? {},
			...(operation.body ? { body: operation.body } : {}),
		})),
	};
}

/** One `$batch` round trip: every operation's answer, `notRun` for those after an early stop. */
async function sendOnce(
	this: BcFunctions,
	operations: BatchOperation[],
	policy: RetryPolicy,
): Promise<Map<string, OperationAnswer>> {
	const response = await bcRequest.call(
		this,
		{
			method: 'POST',
			url: '$batch',
			body: batchBody(operations),
			headers: { 'Content-Type': 'application/json', Prefer: 'odata.continue-on-error' },
		},
		{ ...policy, maxRetries: 0 },
	);
	const parsed =
		response.statusCode === 200 ? batchAnswerSchema.safeParse(response.body) : undefined;
	if (!parsed?.success) {
		// The batch as a whole failed (or its answer is unusable): every operation shares that fate.
		const shared: BcResponse =
			response.statusCode === 200
				? { ...NO_ANSWER, networkError: 'the $batch answer was not a list of responses' }
				: response;
		return new Map(operations.map((operation) => [operation.id, shared]));
	}
	return answersById(operations, parsed.data.responses);
}

const NO_ANSWER: BcResponse = { statusCode: 0, headers: {}, body: undefined, retries: 0 };

type ParsedAnswer = z.infer<typeof batchAnswerSchema>['responses'][number];

/**
 * Matches answers to operations by id (never by position). Operations with no
 * answer were not run when the answers form a prefix of the request order that
 * ends at a failed operation (Business Central's stop at the first failure);
 * any other gap is an operation whose fate is unknown (status 0).
 */
function answersById(
	operations: BatchOperation[],
	responses: ParsedAnswer[],
): Map<string, OperationAnswer> {
	const answers = new Map<string, OperationAnswer>();
	const known = new Set(operations.map((operation) => operation.id));
	/** An answer under an id never sent or listed twice: the answer is not a clean prefix. */
	let stray = false;
	const contradicted = new Set<string>();
	for (const answer of responses) {
		if (!known.has(answer.id)) {
			stray = true;
			continue;
		}
		const response: BcResponse = {
			statusCode: answer.status,
			headers: answer.headers ?? {},
			body: answer.body,
			retries: 0,
		};
		const first = answers.get(answer.id) as BcResponse | undefined;
		if (first) {
			stray = true;
			// two different answers for one operation: which one is true is unknown
			if (
				first.statusCode !== response.statusCode ||
				JSON.stringify(first.body) !== JSON.stringify(response.body)
			)
				contradicted.add(answer.id);
			continue;
		}
		answers.set(answer.id, response);
	}
	for (const id of contradicted) {
		answers.set(id, {
			...NO_ANSWER,
			networkError: 'Business Central sent contradicting answers for this operation of the batch',
		});
	}
	// An early stop is inferred only from an answer that lists exactly the operations up to
	// the failed one: an answer under a foreign or repeated id may be a later operation's,
	// which then ran, so the unlisted ones are unclear rather than unrun.
	const stoppedEarly = stray ? undefined : stopIndex(operations, answers);
	operations.forEach((operation, index) => {
		if (answers.has(operation.id)) return;
		answers.set(
			operation.id,
			stoppedEarly !== undefined && index > stoppedEarly
				? 'notRun'
				: {
						...NO_ANSWER,
						networkError: 'Business Central sent no answer for this operation of the batch',
					},
		);
	});
	return answers;
}

/** Index of the failed operation a batch stopped at, when the answers are exactly the operations up to it. */
function stopIndex(
	operations: BatchOperation[],
	answers: Map<string, OperationAnswer>,
): number | undefined {
	const answered = operations.findIndex((operation) => !answers.has(operation.id));
	if (answered <= 0) return undefined;
	if (operations.slice(answered).some((operation) => answers.has(operation.id))) return undefined;
	const last = answers.get(operations[answered - 1].id) as BcResponse;
	return last.statusCode >= 400 ? answered - 1 : undefined;
}
