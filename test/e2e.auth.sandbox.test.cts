/**
 * End to end over real loopback HTTP: OAuth2 client credentials against the
 * sandbox's token endpoint (token fetched, expiring mid-run and renewed), and
 * throttling (429 with Retry-After) with every item applied exactly once.
 * No nock in this file.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	loadPackage,
	MemoryCredentialsHelper,
	runWorkflow,
	type RunResult,
} from '../dev/engine.cjs';
import { startSandbox, type CustomerPayment, type Sandbox } from '../sandbox/index.cjs';
import {
	expectNoSecrets,
	locator,
	sandboxActivity,
	sandboxBearerCredentials,
	sandboxOAuth2Credentials,
	updateWorkflow,
	type UpdateNodeOptions,
} from './fixtures.cjs';

const NODE = 'Business Central';

function expectSuccess(result: RunResult): INodeExecutionData[] {
	const error = result.error(NODE) ?? result.error();
	if (error)
		throw new Error(`workflow failed: ${error.message} ${String(error.description ?? '')}`);
	return result.output(NODE);
}

function newAmount(payment: CustomerPayment, delta = 7.5): number {
	return Math.round((payment.amount - delta) * 100) / 100;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything a test needs from one sandbox: payments not yet used by another test. */
function paymentPool(sandbox: () => Sandbox) {
	let unused: CustomerPayment[] | undefined;
	return {
		company: () => sandbox().companies()[0].id,
		take(count: number): CustomerPayment[] {
			const company = sandbox().companies()[0].id;
			unused ??= sandbox()
				.journals(company)
				.flatMap((j) => sandbox().payments(company, j.id));
			if (unused.length < count) {
				const journal = sandbox().journals(company)[0].id;
				unused.push(...sandbox().seedPayments(company, journal, count));
			}
			return unused.splice(0, count);
		},
	};
}

function byItem(company: string, overrides: UpdateNodeOptions = {}): UpdateNodeOptions {
	return {
		company,
		payment: locator('={{ $json.paymentId }}'),
		updateFields: { amount: '={{ $json.amount }}' },
		...overrides,
	};
}

async function newCredentialsHelper(): Promise<MemoryCredentialsHelper> {
	const { credentialTypes, nodeTypes } = await loadPackage();
	return new MemoryCredentialsHelper(credentialTypes, nodeTypes);
}

describe('OAuth2 client credentials against the sandbox token endpoint', () => {
	let sandbox: Sandbox;
	const pool = paymentPool(() => sandbox);

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 2024 });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	afterEach(() => {
		sandbox.options.tokenLifetimeSeconds = 3600;
		sandbox.options.latencyMs = 0;
	});

	test('fetches a token, updates with it, and reuses it in the next run', async () => {
		const company = pool.company();
		const [first, second] = pool.take(2);
		const issued = sandbox.stats.tokensIssued;
		const helper = await newCredentialsHelper();
		const activity = sandboxActivity(sandbox);

		const run1 = await runWorkflow(
			updateWorkflow(
				[{ paymentId: first.id, amount: newAmount(first) }],
				byItem(company, { authentication: 'oAuth2' }),
			),
			{ credentials: sandboxOAuth2Credentials(sandbox), credentialsHelper: helper },
		);
		const [item] = expectSuccess(run1);

		expect(sandbox.stats.tokensIssued).toBe(issued + 1);
		expect(activity.byMethod()).toEqual({ POST: 1, GET: 1, PATCH: 1 });
		expect(item.json).toEqual(sandbox.getPayment(company, first.id));
		expect(sandbox.getPayment(company, first.id)?.amount).toBe(newAmount(first));
		expect(run1.credentials.tokenUpdates).toHaveLength(1);
		const token = String(run1.credentials.tokenUpdates[0].access_token);
		expect(token).not.toBe(sandbox.token);
		expect(token.split('.')).toHaveLength(3);

		// same credential, token still valid: no new token
		const run2 = await runWorkflow(
			updateWorkflow(
				[{ paymentId: second.id, amount: newAmount(second) }],
				byItem(company, { authentication: 'oAuth2' }),
			),
			{ credentials: sandboxOAuth2Credentials(sandbox), credentialsHelper: helper },
		);
		expectSuccess(run2);
		expect(sandbox.stats.tokensIssued).toBe(issued + 1);
		expect(helper.tokenUpdates).toHaveLength(1);
		expect(sandbox.getPayment(company, second.id)?.amount).toBe(newAmount(second));
	});

	test.each([
		['one request per item', false, 5, 40],
		['$batch', true, 5, 200],
	])(
		'the token expires mid-run (%s): renewed, every item applied exactly once',
		async (_mode, batching, count, latencyMs) => {
			const company = pool.company();
			const payments = pool.take(count);
			const before = payments.map((p) => sandbox.getPayment(company, p.id)!['@odata.etag']);
			// tokens live 0.15 s; every request takes ≥ latencyMs, so the run outlives its first token
			sandbox.options.tokenLifetimeSeconds = 0.15;
			sandbox.options.latencyMs = latencyMs;
			const issued = sandbox.stats.tokensIssued;
			const unauthorized = sandbox.stats.unauthorized;
			const activity = sandboxActivity(sandbox);

			const result = await runWorkflow(
				updateWorkflow(
					payments.map((p) => ({ paymentId: p.id, amount: newAmount(p) })),
					byItem(company, { authentication: 'oAuth2', options: { batching } }),
				),
				{ credentials: sandboxOAuth2Credentials(sandbox) },
			);
			const output = expectSuccess(result);

			expect(output).toHaveLength(count);
			output.forEach((item, i) => {
				expect(item.json).toEqual(sandbox.getPayment(company, payments[i].id));
				expect(item.json.amount).toBe(newAmount(payments[i]));
				expect(item.pairedItem).toEqual({ item: i });
			});
			// the expired token was refused and a new one fetched
			expect(sandbox.stats.unauthorized).toBeGreaterThan(unauthorized);
			expect(sandbox.stats.tokensIssued - issued).toBeGreaterThanOrEqual(2);
			const tokens = result.credentials.tokenUpdates.map((update) =>
				String((update as IDataObject).access_token),
			);
			expect(tokens.length).toBe(sandbox.stats.tokensIssued - issued);
			expect(new Set(tokens).size).toBe(tokens.length);
			// the credential now holds the newest token
			const stored = result.credentials.store.get('businessCentralOAuth2Api')
				?.oauthTokenData as IDataObject;
			expect(stored.access_token).toBe(tokens[tokens.length - 1]);
			// a request refused for its token was not applied: exactly one PATCH per item
			const writes = activity.writes();
			expect(writes.map((w) => [w.method, w.id, w.ifMatch])).toEqual(
				payments.map((p, i) => ['PATCH', p.id, before[i]]),
			);
		},
	);

	test('a token that expired between two runs of the same credential is renewed on the 401', async () => {
		const company = pool.company();
		const [first, second] = pool.take(2);
		sandbox.options.tokenLifetimeSeconds = 0.2;
		const helper = await newCredentialsHelper();
		const issued = sandbox.stats.tokensIssued;

		const run = (payment: CustomerPayment) =>
			runWorkflow(
				updateWorkflow(
					[{ paymentId: payment.id, amount: newAmount(payment) }],
					byItem(company, { authentication: 'oAuth2' }),
				),
				{ credentials: sandboxOAuth2Credentials(sandbox), credentialsHelper: helper },
			);
		expectSuccess(await run(first));
		expect(sandbox.stats.tokensIssued).toBe(issued + 1);
		await sleep(300);
		const unauthorized = sandbox.stats.unauthorized;
		expectSuccess(await run(second));

		expect(sandbox.stats.unauthorized).toBeGreaterThan(unauthorized);
		expect(sandbox.stats.tokensIssued).toBe(issued + 2);
		expect(helper.tokenUpdates).toHaveLength(2);
		expect(helper.tokenUpdates[0].access_token).not.toBe(helper.tokenUpdates[1].access_token);
		expect(sandbox.getPayment(company, first.id)?.amount).toBe(newAmount(first));
		expect(sandbox.getPayment(company, second.id)?.amount).toBe(newAmount(second));
	});

	test("a wrong client secret fails with the token endpoint's error, nothing sent to the API", async () => {
		const company = pool.company();
		const [payment] = pool.take(1);
		const activity = sandboxActivity(sandbox);

		const result = await runWorkflow(
			updateWorkflow(
				[{ paymentId: payment.id, amount: newAmount(payment) }],
				byItem(company, { authentication: 'oAuth2' }),
			),
			{
				credentials: sandboxOAuth2Credentials(sandbox, 'v2.0', { clientSecret: 'not-the-secret' }),
			},
		);

		const error = result.error(NODE) ?? result.error();
		// the token endpoint's own status, error code and description (transport/tokenEndpoint.ts)
		expect(error?.message).toContain('Getting an OAuth2 access token failed (HTTP 401, invalid_client): AADSTS7000215');
		expect(error?.description).toMatch(/client authentication failed/i);
		expectNoSecrets([error, result.run.data.resultData], [sandbox.clientSecret, 'not-the-secret']);
		expect(result.output(NODE)).toEqual([]);
		// only token requests reached the sandbox: n8n's OAuth2 client's, then the node's one look at the answer
		expect(activity.byMethod()).toEqual({ POST: 2 });
		expect(activity.writes()).toEqual([]);
	});

	test('a bearer token the API does not know → 401 error, nothing written', async () => {
		const company = pool.company();
		const [payment] = pool.take(1);
		const activity = sandboxActivity(sandbox);

		const result = await runWorkflow(
			updateWorkflow([{ paymentId: payment.id, amount: newAmount(payment) }], byItem(company)),
			{
				credentials: sandboxBearerCredentials(sandbox, 'v2.0', {
					accessToken: 'expired-or-foreign-token',
				}),
			},
		);

		const error = result.error(NODE);
		expect(error?.httpCode).toBe('401');
		expect(activity.byMethod()).toEqual({ GET: 1 });
		expect(activity.writes()).toEqual([]);
		expect(sandbox.getPayment(company, payment.id)?.amount).toBe(payment.amount);
	});
});

describe('throttling (429 with Retry-After)', () => {
	let sandbox: Sandbox;
	const pool = paymentPool(() => sandbox);

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 4242 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	test.each([
		['one request per item', false, 3],
		['$batch', true, 4],
	])(
		'a few items (%s) under a tight rate window: all applied exactly once',
		async (_mode, batching, maxRequests) => {
			const company = pool.company();
			const payments = pool.take(3);
			const before = payments.map((p) => sandbox.getPayment(company, p.id)!['@odata.etag']);
			const throttled = sandbox.stats.throttled;
			const activity = sandboxActivity(sandbox);
			// a fresh token per case gets a fresh rate window
			const { access_token: token } = (await (
				await fetch(sandbox.tokenUrl, {
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						grant_type: 'client_credentials',
						client_id: sandbox.clientId,
						client_secret: sandbox.clientSecret,
						scope: 'https://api.businesscentral.dynamics.com/.default',
					}),
				})
			).json()) as { access_token: string };
			sandbox.options.throttle = { maxRequests, windowMs: 1000, retryAfterSeconds: 1 };
			const started = Date.now();

			const result = await runWorkflow(
				updateWorkflow(
					payments.map((p) => ({ paymentId: p.id, amount: newAmount(p) })),
					byItem(company, { options: { batching } }),
				),
				{ credentials: sandboxBearerCredentials(sandbox, 'v2.0', { accessToken: token }) },
			);
			sandbox.options.throttle = undefined;
			const output = expectSuccess(result);

			expect(sandbox.stats.throttled).toBeGreaterThan(throttled);
			// Retry-After: 1 was honoured (the node waited instead of hammering the server)
			expect(Date.now() - started).toBeGreaterThanOrEqual(900);
			output.forEach((item, i) => {
				expect(item.json).toEqual(sandbox.getPayment(company, payments[i].id));
				expect(item.json.amount).toBe(newAmount(payments[i]));
			});
			expect(activity.writes().map((w) => [w.method, w.id, w.ifMatch])).toEqual(
				payments.map((p, i) => ['PATCH', p.id, before[i]]),
			);
		},
	);
});
