/**
 * Nock helpers for `$batch` attack tests (test/batchErrors.nock.test.cts,
 * test/reviewAttacks.nock.test.cts, test/customer.nock.test.cts): numbered payments, their eTags, a scripted
 * sequence of `$batch` POSTs (each must carry `Prefer: odata.continue-on-error`),
 * and the answers an operation can get.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { bcError, paymentRecord, SAAS_ORIGIN, SAAS_PATH, updateWorkflow } from './fixtures.cjs';

export const BATCH_PATH = `${SAAS_PATH}/$batch`;

/** One operation of a `$batch` request as the node sent it. */
export interface Operation {
	id: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: IDataObject;
}

/** One operation's answer inside a `$batch` answer. */
export type Answer = { id: string; status: number; body?: unknown; headers?: Record<string, string> };

/** A whole answer instead of a list of operation answers: status, body, headers. */
export type WholeAnswer = [number, unknown, Record<string, string>?];

/** Payment ids p0…pN-1 (valid GUIDs) and their eTags per version. */
export const paymentId = (n: number) => `${String(n).padStart(8, '0')}-4b7c-ef11-8a6b-6045bde9c5a1`;
export const eTagOf = (n: number, version = 1) => `W/"JzE2OzEw${n}_${version}Jw=="`;
export const indexOf = (operation: Operation) => Number(/customerPayments\((\d{8})/.exec(operation.url)![1]);

/**
 * `count` `$batch` POSTs in a row, each answered by `answer` from the operations it carried
 * (recorded in `sent`); a list of operation answers goes out in reverse order, as the server may.
 */
export function batches(
	sent: Operation[][],
	count: number,
	answer: (operations: Operation[], call: number) => Answer[] | WholeAnswer,
) {
	const scope = nock(SAAS_ORIGIN);
	for (let call = 0; call < count; call++) {
		scope
			.post(BATCH_PATH)
			.matchHeader('prefer', 'odata.continue-on-error')
			.reply((_uri, body) => {
				const operations = (body as { requests: Operation[] }).requests;
				sent.push(operations);
				const result = answer(operations, call);
				return typeof result[0] === 'number'
					? (result as WholeAnswer)
					: [200, { responses: [...(result as Answer[])].reverse() }];
			});
	}
	return scope;
}

/** Update of payments p0…p(count-1), each with its version-1 eTag, Continue On Fail. */
export function numberedUpdateWorkflow(count: number, options: IDataObject = {}, updateFields: IDataObject = { amount: -10 }) {
	return updateWorkflow(
		Array.from({ length: count }, (_v, n) => ({ id: paymentId(n), eTag: eTagOf(n) })),
		{
			payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			updateFields,
			options: { eTag: '={{ $json.eTag }}', maxRetries: 0, ...options },
			continueOnFail: true,
		},
	);
}

/** The record of payment n after our write (amount -10) landed: eTag version 2. */
export const landed = (n: number, values: IDataObject = { amount: -10 }) => paymentRecord(paymentId(n), eTagOf(n, 2), values);

export const applied = (operation: Operation): Answer => ({
	id: operation.id,
	status: 200,
	body: paymentRecord(paymentId(indexOf(operation)), eTagOf(indexOf(operation), 2), operation.body ?? { amount: -10 }),
});

export const conflict = (operation: Operation): Answer => ({
	id: operation.id,
	status: 409,
	body: bcError('Request_EntityChanged', 'Another user has already changed the record.'),
});

export const throttled = (operation: Operation): Answer => ({
	id: operation.id,
	status: 429,
	headers: { 'Retry-After': '0' },
	body: bcError('Application_TooManyRequests', 'Too many requests.'),
});
