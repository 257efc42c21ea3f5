/**
 * The transport: throttling (429/503 with Retry-After, Max Retries), retries
 * of reads, and answers that must not be trusted (HTML, no eTag, another record).
 */
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import { DEFAULT_RETRY_POLICY, retryDelayMs, waitBeforeRetry, type BcResponse } from '../nodes/BusinessCentral/transport/request';
import {
	bcError,
	bearerCredentials,
	ETAG_1,
	ETAG_2,
	expectNoSecrets,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_URL,
	paymentRecord,
	saasApi,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const api = () => saasApi(nock);

const THROTTLED = bcError(
	'Application_TooManyRequests',
	'Too many requests reached. Actual (6001). Maximum (6000).',
);

describe('throttling and retries', () => {
	test('429 with Retry-After: 0 on the GET, then 200: updated after one retry', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(429, THROTTLED, { 'Retry-After': '0' })
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ amount: -1750, '@odata.etag': ETAG_2 });
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('429 and 503 on the PATCH (not processed, so safe to resend) are retried with the same If-Match', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(429, THROTTLED, { 'Retry-After': '0' })
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(503, 'Service Unavailable', { 'Retry-After': '0' })
			.patch(PAYMENT_URL, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
	});

	test.each([
		[408, 'Request Timeout'],
		[502, 'Bad Gateway'],
		[504, 'Gateway Timeout'],
	])('%i %s on the GET (a read) is retried', async (status, text) => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(status, text, { 'Retry-After': '0' })
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('429 forever with Max Retries 1: two GETs, then an error with the throttling hint', async () => {
		const scope = api().get(PAYMENT_URL).times(2).reply(429, THROTTLED, { 'Retry-After': '0' });

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { maxRetries: 1 } }), {
			credentials: bearerCredentials(),
		});

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Too many requests reached.');
		expect(error?.httpCode).toBe('429');
		expect(error?.description).toContain('Code: Application_TooManyRequests.');
		expect(error?.description).toContain('throttled');
		expect(error?.description).toContain('Max Retries');
		expect(result.output('Business Central')).toEqual([]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
		expectNoSecrets([error, result.error()]);
	});

	test('Max Retries 0: a single request, no retry', async () => {
		const scope = api().get(PAYMENT_URL).reply(503, 'Service Unavailable', { 'Retry-After': '0' });

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { maxRetries: 0 } }), {
			credentials: bearerCredentials(),
		});

		expect(result.error('Business Central')?.httpCode).toBe('503');
		expect(result.error('Business Central')?.description).toContain('unavailable right now');
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test.each([
		[400, 'BadRequest_InvalidOperation'],
		[401, 'Authentication_InvalidCredentials'],
		[404, 'BadRequest_NotFound'],
	])('%i %s is not retried, even with Retry-After', async (status, code) => {
		const scope = api().get(PAYMENT_URL).reply(status, bcError(code, 'No.'), { 'Retry-After': '0' });

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { maxRetries: 5 } }), {
			credentials: bearerCredentials(),
		});

		expect(result.error('Business Central')?.httpCode).toBe(String(status));
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});
});

describe('retryDelayMs', () => {
	const response = (headers: Record<string, unknown>): BcResponse => ({ statusCode: 429, headers, body: undefined, retries: 0 });

	test.each([
		['0', 0],
		['2', 2000],
		['1.5', 1500],
		['-3', 0],
		['86400', DEFAULT_RETRY_POLICY.maxDelayMs],
	])('Retry-After: %s → %i ms', (value, expected) => {
		expect(retryDelayMs(response({ 'retry-after': value }), 0, DEFAULT_RETRY_POLICY)).toBe(expected);
	});

	test.each(['Retry-After', 'RETRY-AFTER', 'retry-after'])('the header name is case-insensitive (%s, as in $batch answers)', (name) => {
		expect(retryDelayMs(response({ [name]: '3' }), 0, DEFAULT_RETRY_POLICY)).toBe(3000);
	});

	test('Retry-After as an HTTP date', () => {
		const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
		const delay = retryDelayMs(response({ 'retry-after': inTenSeconds }), 0, DEFAULT_RETRY_POLICY);
		// HTTP dates have whole seconds: between 8 and 10 s from now (never the 0.25–0.5 s back-off).
		expect(delay).toBeGreaterThan(8000);
		expect(delay).toBeLessThanOrEqual(10_000);
	});

	test('no Retry-After: exponential back-off with jitter, capped', () => {
		for (const attempt of [0, 1, 2, 3]) {
			const step = DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** attempt;
			const delay = retryDelayMs(response({}), attempt, DEFAULT_RETRY_POLICY);
			expect(delay).toBeGreaterThanOrEqual(step / 2);
			expect(delay).toBeLessThanOrEqual(step);
		}
		expect(retryDelayMs(response({}), 30, DEFAULT_RETRY_POLICY)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
	});

	// Business Central's rate limit is 6,000 requests per user in a sliding 5-minute window and its
	// 429 need not carry Retry-After (../shared/business-central-api.md, "Limits and throttling"):
	// at the highest Max Retries the waits must outlast that window, or a bulk run over the limit
	// fails items that one more minute would have saved (seen in `npm run n8n -- queue`, heavy run).
	test('429 without Retry-After: at Max Retries 10 the waits add up to more than 5 minutes; 503 and early retries stay short', () => {
		for (let run = 0; run < 50; run++) {
			let total = 0;
			for (let attempt = 0; attempt < 10; attempt++) total += retryDelayMs(response({}), attempt, DEFAULT_RETRY_POLICY);
			expect(total).toBeGreaterThan(300_000);
			let firstFive = 0;
			for (let attempt = 0; attempt < 5; attempt++) firstFive += retryDelayMs(response({}), attempt, DEFAULT_RETRY_POLICY);
			expect(firstFive).toBeLessThanOrEqual(15_500);
		}
		const unavailable: BcResponse = { statusCode: 503, headers: {}, body: undefined, retries: 0 };
		expect(retryDelayMs(unavailable, 5, DEFAULT_RETRY_POLICY)).toBeLessThanOrEqual(16_000);
		for (let attempt = 0; attempt < 12; attempt++) {
			expect(retryDelayMs(response({}), attempt, DEFAULT_RETRY_POLICY)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
		}
	});
});

describe('answers that are not trusted', () => {
	test.each([
		['an HTML page (login or proxy page)', '<html><body>Sign in to your account</body></html>', 'the answer is not a customer payment (body'],
		['JSON without @odata.etag', { ...paymentRecord(PAYMENT, ETAG_1), '@odata.etag': undefined }, '@odata.etag'],
		['JSON with an empty @odata.etag', paymentRecord(PAYMENT, ''), 'has no @odata.etag'],
		['another payment', paymentRecord(PAYMENT_2, ETAG_1), `the answer is payment ${PAYMENT_2}, not ${PAYMENT}`],
		['a JSON array', [paymentRecord(PAYMENT, ETAG_1)], 'the answer is not a customer payment'],
	])('GET 200 with %s: clear error, no PATCH, no output', async (_name, body, expected) => {
		const scope = api().get(PAYMENT_URL).reply(200, body as never);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		const error = result.error('Business Central');
		expect(error?.message).toContain(`Business Central sent an unexpected answer for customer payment ${PAYMENT}`);
		expect(error?.message).toContain(expected);
		expect(error?.description).toContain('The response was not used');
		expect(error?.httpCode).toBe('200');
		expect(result.output('Business Central')).toEqual([]);
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});

	test('PATCH 200 with another payment: the foreign record is not output, the payment is re-read', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2, { amount: -1750 }))
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.error('Business Central')).toBeUndefined();
		expect(result.output('Business Central').map((item) => item.json.id)).toEqual([PAYMENT]);
		expect(scope.isDone()).toBe(true);
	});

	test('PATCH 200 with HTML under Continue On Fail, re-read fails too: an error item saying the outcome is unknown, not a record', async () => {
		const scope = api()
			.get(PAYMENT_URL)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(PAYMENT_URL)
			.reply(200, '<html>proxy</html>', { 'Content-Type': 'text/html' })
			.get(PAYMENT_URL)
			.reply(403, bcError('Authorization_Forbidden', 'No permission.'));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { continueOnFail: true }), {
			credentials: bearerCredentials(),
		});

		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ code: 'UpdateOutcomeUnknown' });
		expect(output[0].json.error).toContain('answered HTTP 200 with a body that is not the updated payment');
		expect(output[0].json).not.toHaveProperty('id');
		expect(output[0].json).not.toHaveProperty('@odata.etag');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(scope.isDone()).toBe(true);
	});
});

describe('Stop during a throttled request', () => {
	// After n8n's Stop the waits between retries must end too: before, a 429 without Retry-After kept
	// a request's retries waiting out their back-off (5 minutes at Max Retries 10) after the execution
	// was stopped. n8n's engine does not wait for a stopped node, so this is shown on the wait itself,
	// with the cancel signal n8n gives every execution (IExecuteFunctions.getExecutionCancelSignal).
	const warnings: string[] = [];
	const contextWith = (signal?: AbortSignal) =>
		({
			getExecutionCancelSignal: () => signal,
			logger: { warn: (message: string) => warnings.push(message) },
		}) as unknown as Parameters<typeof waitBeforeRetry>[0];
	beforeEach(() => (warnings.length = 0));

	test('a stopped execution ends the 60 s wait at once, with n8n\'s cancellation error', async () => {
		const stop = new AbortController();
		const waiting = waitBeforeRetry(contextWith(stop.signal), DEFAULT_RETRY_POLICY.maxDelayMs);
		stop.abort();
		await expect(waiting).rejects.toThrow();
		await expect(waitBeforeRetry(contextWith(stop.signal), 60_000)).rejects.toThrow();
		// a wait that long is said in n8n's log, not waited in silence
		expect(warnings).toEqual([
			expect.stringMatching(/throttling or unavailable \(429\/503\): waiting 60 s before the next retry/),
			expect.stringMatching(/waiting 60 s/),
		]);
	});

	test('without a Stop (or without a cancel signal: pickers, credentials) it waits as asked', async () => {
		const started = Date.now();
		await waitBeforeRetry(contextWith(new AbortController().signal), 30);
		await waitBeforeRetry(contextWith(undefined), 30);
		expect(Date.now() - started).toBeGreaterThanOrEqual(55);
		expect(warnings).toEqual([]); // short waits are not logged
	});
});
