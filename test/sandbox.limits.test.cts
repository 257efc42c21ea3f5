/**
 * The sandbox's `bcLimits` preset: Business Central online's per-user OData limits
 * (sandbox/limits.cts cites Microsoft's "Operational limits for Business Central online").
 * Slots are held deterministically with the `hangRate` fault (a hung request keeps its slot
 * until its client gives up), so no assertion depends on timing.
 */
import { parseArgs } from '../sandbox/cli.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';

let sb: Sandbox | undefined;
afterEach(async () => {
	await sb?.close();
	sb = undefined;
});

const waitFor = async (check: () => boolean) => {
	for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(check()).toBe(true);
};

async function freshToken(s: Sandbox): Promise<string> {
	const res = await fetch(s.tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: s.clientId,
			client_secret: s.clientSecret,
			scope: 'https://api.businesscentral.dynamics.com/.default',
		}).toString(),
	});
	return ((await res.json()) as { access_token: string }).access_token;
}

const get = (s: Sandbox, token: string, signal?: AbortSignal) =>
	fetch(`${s.baseUrl()}/companies`, { headers: { Authorization: `Bearer ${token}` }, signal });

/** Five requests that hang inside their slots, and how to let them go. */
async function occupyFiveSlots(s: Sandbox, token: string) {
	s.options.faults = { hangRate: 1 };
	const controller = new AbortController();
	const hung = Array.from({ length: 5 }, () => get(s, token, controller.signal).catch(() => 'aborted'));
	await waitFor(() => s.stats.maxConcurrentSeen === 5 && s.stats.faults.hang === 5);
	s.options.faults = undefined;
	return {
		release: async () => {
			controller.abort();
			return await Promise.all(hung);
		},
	};
}

test('the preset sets Business Central online limits; explicit options win', async () => {
	sb = await startSandbox({ bcLimits: true, queueSize: 7 });
	expect(sb.options).toMatchObject({
		maxConcurrent: 5,
		queueSize: 7,
		queueTimeoutMs: 480_000,
		throttle: { maxRequests: 6000, windowMs: 300_000 },
		pageSize: 20_000,
	});
	expect(sb.options.throttle?.retryAfterSeconds).toBeUndefined();
});

test('command line: --bc-limits, --queue-timeout-ms, --operation-ms', () => {
	expect(parseArgs(['--bc-limits', '--queue-timeout-ms', '100', '--operation-ms=2.5'])).toEqual({
		bcLimits: true,
		queueTimeoutMs: 100,
		operationMs: 2.5,
	});
	expect(() => parseArgs(['--bc-limits=yes'])).toThrow('--bc-limits takes no value');
	expect(() => parseArgs(['--queue-timeout-ms', '0'])).toThrow('--queue-timeout-ms needs an integer >= 1');
});

test('5 requests per user at once, the 6th to the 100th queued, the 101st → 429', async () => {
	sb = await startSandbox({ bcLimits: true });
	const s = sb;
	const slots = await occupyFiveSlots(s, s.token);
	const queued = Array.from({ length: 95 }, () => get(s, s.token));
	await waitFor(() => s.stats.requests === 100);
	await new Promise((r) => setTimeout(r, 200)); // let the 95 reach the queue
	const over = await get(s, s.token);
	expect(over.status).toBe(429);
	expect(over.headers.get('retry-after')).toBeNull();
	expect(((await over.json()) as { error: { code: string } }).error.code).toBe('Application_TooManyRequests');
	// another user has its own slots
	expect((await get(s, await freshToken(s))).status).toBe(200);

	expect(await slots.release()).toEqual(Array(5).fill('aborted'));
	const statuses = (await Promise.all(queued)).map((r) => r.status);
	expect(statuses).toEqual(Array(95).fill(200));
	expect(s.stats.maxConcurrentSeen).toBe(5);
	expect(s.stats.throttled).toBe(1);
});

test('a request queued longer than the queue timeout → 503 with Retry-After', async () => {
	sb = await startSandbox({ bcLimits: true, queueTimeoutMs: 100 });
	const slots = await occupyFiveSlots(sb, sb.token);
	const late = await get(sb, sb.token);
	expect(late.status).toBe(503);
	expect(late.headers.get('retry-after')).toBe('1');
	await slots.release();
});

test('6,000 requests per user per 5 minutes: a batch counts its operations, a new token does not reset it', async () => {
	sb = await startSandbox({ bcLimits: true });
	const token = await freshToken(sb);
	const batch = JSON.stringify({
		requests: Array.from({ length: 100 }, (_, i) => ({ id: String(i), method: 'GET', url: 'companies?$top=1' })),
	});
	for (let i = 0; i < 60; i++) {
		const res = await fetch(`${sb.baseUrl()}/$batch`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: batch,
		});
		expect(res.status).toBe(200);
	}
	const over = await get(sb, token);
	expect(over.status).toBe(429);
	expect(over.headers.get('retry-after')).toBeNull();
	expect((await get(sb, await freshToken(sb))).status).toBe(429);
	expect((await get(sb, sb.token)).status).toBe(200);
});
