/**
 * The sandbox's issue-10 fault classes and planted defects, seen from a plain HTTP
 * client: each applies the write (or not) and answers the way its comment says,
 * counts itself in `stats.faults`, and appending them did not shift the seeded
 * draws of the older faults.
 */
import * as http from 'node:http';

import { createRng, startSandbox, type FaultOptions, type Sandbox } from '../sandbox/index.cjs';
import { drawFault } from '../sandbox/faults.cjs';

interface RawAnswer {
	status?: number;
	headers?: http.IncomingHttpHeaders;
	body: string;
	/** Transport error code (no or broken answer). */
	error?: string;
	ms: number;
}

function request(
	url: string,
	method: string,
	headers: Record<string, string>,
	body?: unknown,
	abortAfterMs?: number,
): Promise<RawAnswer> {
	const started = Date.now();
	return new Promise((resolve) => {
		const target = new URL(url);
		let data = '';
		let status: number | undefined;
		let responseHeaders: http.IncomingHttpHeaders | undefined;
		const done = (error?: string) =>
			resolve({ status, headers: responseHeaders, body: data, error, ms: Date.now() - started });
		const req = http.request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method,
				headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
			},
			(res) => {
				status = res.statusCode;
				responseHeaders = res.headers;
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => (data += chunk));
				res.on('end', () => done());
				res.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
				res.on('aborted', () => done('aborted'));
			},
		);
		req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
		if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
		req.end(body === undefined ? undefined : JSON.stringify(body));
	});
}

let sandbox: Sandbox;
let company: string;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 11 });
	company = sandbox.companies()[0].id;
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.options.faults = undefined;
	sandbox.resetStats();
});

const auth = () => ({ authorization: `Bearer ${sandbox.token}` });
const paymentUrl = (id: string) =>
	`${sandbox.baseUrl()}/companies(${company})/customerPayments(${id})`;

/** PATCHes payment `index` with its current eTag under `faults`; returns the answer and whether it was applied. */
async function patch(
	index: number,
	faults: FaultOptions,
	changes: Record<string, unknown> = { comment: `patched ${index}` },
) {
	const payment = sandbox.payments(company)[index];
	const before = sandbox.writes.length;
	sandbox.options.faults = faults;
	const answer = await request(
		paymentUrl(payment.id),
		'PATCH',
		{ ...auth(), 'if-match': sandbox.getPayment(company, payment.id)!['@odata.etag'] },
		changes,
	);
	sandbox.options.faults = undefined;
	const written = sandbox.writes.slice(before);
	return { answer, written, record: sandbox.getPayment(company, payment.id)!, payment };
}

describe('issue 10 fault classes', () => {
	test('applyThen500: applied, then 500 Internal_ServerError', async () => {
		const { answer, written, record } = await patch(0, { applyThen500Rate: 1 });
		expect(answer.status).toBe(500);
		expect(JSON.parse(answer.body).error.code).toBe('Internal_ServerError');
		expect(written.map((w) => w.method)).toEqual(['PATCH']);
		expect(record.comment).toBe('patched 0');
		expect(sandbox.stats.faults.applyThen500).toBe(1);
	});

	test('applyThenMalformed: applied, then garbage / a cut JSON body / a cut connection (all three variants)', async () => {
		const outcomes = new Set<string>();
		for (let attempt = 0; attempt < 12 && outcomes.size < 3; attempt++) {
			const { answer, written } = await patch(
				1,
				{ applyThenMalformedRate: 1 },
				{ comment: `malformed ${attempt}` },
			);
			expect(written.map((w) => w.method)).toEqual(['PATCH']);
			if (answer.error === 'HPE_INVALID_CONSTANT' || answer.error === 'HPE_INVALID_VERSION')
				outcomes.add('garbage');
			else if (answer.error) outcomes.add('cut connection');
			else {
				expect(answer.status).toBe(200);
				expect(() => JSON.parse(answer.body)).toThrow();
				outcomes.add('cut JSON');
			}
		}
		expect([...outcomes].sort()).toEqual(['cut JSON', 'cut connection', 'garbage']);
	});

	test('applyThenEmpty200: applied, then 200 with an empty body or {}', async () => {
		const bodies = new Set<string>();
		for (let attempt = 0; attempt < 10 && bodies.size < 2; attempt++) {
			const { answer, written } = await patch(
				2,
				{ applyThenEmpty200Rate: 1 },
				{ comment: `empty ${attempt}` },
			);
			expect(answer.status).toBe(200);
			expect(written.map((w) => w.method)).toEqual(['PATCH']);
			bodies.add(answer.body);
		}
		expect([...bodies].sort()).toEqual(['', '{}']);
	});

	test('applyThenOtherUser: applied, another user changes the record, no answer', async () => {
		const { answer, written, record } = await patch(
			3,
			{ applyThenOtherUserRate: 1 },
			{ description: 'ours', amount: -12.5 },
		);
		expect(answer.error).toBeDefined();
		expect(answer.status).toBeUndefined();
		expect(written.map((w) => w.method)).toEqual(['PATCH', 'EXTERNAL']);
		expect(record['@odata.etag']).toBe(written[1].etagAfter);
		expect(record.amount).toBe(-12.5);
		expect(record.comment).toMatch(/other user after write/);
		expect(sandbox.faultLog.map((e) => e.fault)).toEqual(['applyThenOtherUser']);
	});

	test('redirect: 302/307 to the foreign host (another origin), nothing applied; the foreign host counts and keeps the Authorization', async () => {
		const { answer, written } = await patch(4, { redirectRate: 1 });
		expect([302, 307]).toContain(answer.status);
		const location = new URL(String(answer.headers?.location));
		expect(location.origin).toBe(sandbox.foreign.url);
		expect(location.origin).not.toBe(new URL(sandbox.url).origin);
		expect(written).toEqual([]);
		const followed = await request(location.href, 'PATCH', auth(), { comment: 'x' });
		expect(followed.status).toBe(404);
		expect(sandbox.foreign.requests).toBe(1);
		expect(sandbox.foreign.authorizations).toEqual([`Bearer ${sandbox.token}`]);
		sandbox.resetStats();
		expect(sandbox.foreign.requests).toBe(0);
	});

	test('trickle: the applied answer comes a byte at a time; a client deadline cuts it (counted)', async () => {
		const slow = { trickleRate: 1, trickleMs: 10, trickleTotalMs: 400 };
		const { answer, written } = await patch(5, slow, { comment: 'trickled' });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body).comment).toBe('trickled');
		expect(answer.ms).toBeGreaterThanOrEqual(300);
		expect(written.map((w) => w.method)).toEqual(['PATCH']);
		// a whole-answer deadline of 100 ms cuts it
		sandbox.options.faults = slow;
		const payment = sandbox.payments(company)[5];
		const cut = await request(paymentUrl(payment.id), 'GET', auth(), undefined, 100);
		sandbox.options.faults = undefined;
		expect(cut.error).toBeDefined();
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(sandbox.stats.faults.trickle).toBe(2);
		expect(sandbox.stats.faults.trickleCut).toBe(1);
	});

	test('$batch: an apply-then fault hits the whole batch answer, the operations inside were applied', async () => {
		const payments = sandbox.payments(company).slice(6, 9);
		const before = sandbox.writes.length;
		sandbox.options.faults = { applyThen500Rate: 1 };
		const answer = await request(`${sandbox.baseUrl()}/$batch`, 'POST', auth(), {
			requests: payments.map((p, i) => ({
				id: String(i),
				method: 'PATCH',
				url: `companies(${company})/customerPayments(${p.id})`,
				headers: {
					'Content-Type': 'application/json',
					'If-Match': sandbox.getPayment(company, p.id)!['@odata.etag'],
				},
				body: { comment: `batch ${i}` },
			})),
		});
		expect(answer.status).toBe(500);
		expect(sandbox.writes.slice(before).map((w) => w.method)).toEqual(['PATCH', 'PATCH', 'PATCH']);
		expect(sandbox.faultLog).toEqual([
			{
				fault: 'applyThen500',
				method: 'POST',
				batch: true,
				paymentIds: payments.map((p) => p.id),
				readPaymentIds: [],
			},
		]);
	});
});

describe('planted defects (soak self-tests only)', () => {
	test('applyTwice logs a second PATCH; dropWrite answers 200 but stores nothing; applyThen400 stores and answers 400', async () => {
		const twice = await patch(10, { defects: { applyTwiceRate: 1 } });
		expect(twice.answer.status).toBe(200);
		expect(twice.written.map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
		const dropped = await patch(11, { defects: { dropWriteRate: 1 } }, { comment: 'never stored' });
		expect(dropped.answer.status).toBe(200);
		expect(JSON.parse(dropped.answer.body).comment).toBe('never stored');
		expect(dropped.written).toEqual([]);
		expect(dropped.record.comment).not.toBe('never stored');
		const refused = await patch(
			12,
			{ defects: { applyThen400Rate: 1 } },
			{ comment: 'stored anyway' },
		);
		expect(refused.answer.status).toBe(400);
		expect(refused.record.comment).toBe('stored anyway');
		expect(sandbox.stats.faults.planted).toBe(3);
	});

	test('ignoreIfMatch lands a stale PATCH; resetUntouched empties the fields a PATCH did not carry', async () => {
		const payment = sandbox.payments(company)[13];
		const stale = sandbox.getPayment(company, payment.id)!['@odata.etag'];
		sandbox.simulateConcurrentChange(company, payment.id, { comment: 'other user' });
		sandbox.options.faults = { defects: { ignoreIfMatchRate: 1 } };
		const answer = await request(
			paymentUrl(payment.id),
			'PATCH',
			{ ...auth(), 'if-match': stale },
			{ description: 'over it' },
		);
		expect(answer.status).toBe(200);
		expect(sandbox.getPayment(company, payment.id)!.description).toBe('over it');
		const reset = await patch(
			14,
			{ defects: { resetUntouchedRate: 1 } },
			{ description: 'only this' },
		);
		expect(reset.record.comment).toBe('');
		expect(reset.record.description).toBe('only this');
	});
});

describe('seeded draws', () => {
	test('the new bands come after the old ones: with the old rates, every draw gives the same fault as before', () => {
		const old: FaultOptions = {
			dropRate: 0.05,
			hangRate: 0.05,
			rate503: 0.05,
			rate504: 0.05,
			applyThenDropRate: 0.05,
			applyThenHangRate: 0.05,
			slowWriteRate: 0.05,
		};
		const all: FaultOptions = {
			...old,
			applyThen500Rate: 0.05,
			applyThenMalformedRate: 0.05,
			applyThenEmpty200Rate: 0.05,
			applyThenOtherUserRate: 0.05,
			redirectRate: 0.05,
			trickleRate: 0.05,
		};
		const a = createRng(3, 'faults');
		const b = createRng(3, 'faults');
		let newOnes = 0;
		for (let i = 0; i < 2000; i++) {
			const writes = i % 3 !== 0;
			const before = drawFault(a, old, writes);
			const after = drawFault(b, all, writes);
			if (before !== undefined) expect(after).toBe(before);
			else if (after !== undefined) newOnes++;
		}
		expect(newOnes).toBeGreaterThan(0);
	});
});
