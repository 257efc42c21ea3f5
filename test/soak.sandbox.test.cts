/**
 * The short soak: the harness of `npm run soak` (scripts/soakLib.cts) on a few
 * hundred items, through n8n's engine against the sandbox with random 429, 503,
 * 504, dropped connections (before and after the write was applied), hangs cut
 * by the node's Timeout (before and after applying), writes applied late after
 * the Timeout, writes applied and then answered 500, garbage or a cut JSON body,
 * an empty 200 or `{}`, writes applied and then changed by another user before
 * the answer is lost, redirects to another origin, answers trickled past the
 * Timeout, stale eTags and forced 409s from "another user", under all three
 * conflict policies, with Continue On Fail.
 *
 * Asserted: no update lost, none applied twice, none written over another
 * user's change (policy Fail / Retry Once), no wrong failure report (failed, or
 * not applied, although the write landed; "outcome unknown" is allowed), no
 * request off the configured host, output paired to input, and no secret (bearer token, OAuth2 access tokens, client
 * secret) anywhere in what the run emitted: output items, error messages and
 * descriptions, the run data, and n8n's log lines (LoggerProxy at debug level).
 * No timing assertions: figures belong to `npm run soak`.
 */
import { runWorkflow } from '../dev/engine.cjs';
import { startSandbox } from '../sandbox/index.cjs';
import {
	captureN8nLogs,
	findSecrets,
	formatTable,
	mustBeZero,
	runSoak,
	type SoakConfig,
	type SoakReport,
} from '../scripts/soakLib.cjs';
import { sandboxBearerCredentials, updateWorkflow } from './fixtures.cjs';

const MIX = {
	forcedConflictShare: 0.06,
	staleShare: 0.06,
	givenEtagShare: 0.2,
	retryOnceShare: 0.2,
	overwriteShare: 0.15,
};

const FAULTS = {
	rate503: 0.06,
	rate504: 0.06,
	dropRate: 0.06,
	applyThenDropRate: 0.06,
	hangRate: 0.04,
	applyThenHangRate: 0.06,
	slowWriteRate: 0.06,
	// applied after the node's 1.5 s Timeout gave up on it
	slowWriteMs: 2000,
	// issue 10's faults: rates high enough that each kind fires in these short runs whatever the
	// request order (about 160 requests in all; at 2-3 % one kind stayed unseen in ~1 run of 12)
	applyThen500Rate: 0.05,
	applyThenMalformedRate: 0.05,
	applyThenEmpty200Rate: 0.05,
	applyThenOtherUserRate: 0.05,
	redirectRate: 0.04,
	trickleRate: 0.04,
	// the whole answer over at least 3 s, a byte (or a few) every 20 ms: well past the 1.5 s
	// Timeout (the soak counts an answer read to the end after 1.5 × Timeout + 250 ms)
	trickleMs: 20,
	trickleTotalMs: 3000,
};

/**
 * The node's Timeout in the short soak. Generous on purpose: on a busy 2-core CI
 * runner (jest runs two test files at once) a tighter one turns CPU starvation
 * into extra timeouts and the run drags on; hangs and late writes are still cut by it.
 */
const TIMEOUT_MS = 1500;

/** One short run, including n8n's start-up on a cold, busy machine. */
const RUN_LIMIT_MS = 240_000;

const CONFIGS: SoakConfig[] = [
	{
		name: 'batched',
		items: 400,
		batching: true,
		auth: 'bearer',
		seed: 7,
		faults: FAULTS,
		throttle: { maxRequests: 250, windowMs: 300, retryAfterSeconds: 0 },
		maxConcurrent: 3,
		latencyMs: 5,
		timeoutMs: TIMEOUT_MS,
		maxRetries: 10,
		...MIX,
		// batches of 25: more requests, so more of them meet a fault
		batchSize: 25,
	},
	{
		name: 'per-item',
		items: 60,
		batching: false,
		auth: 'bearer',
		seed: 8,
		faults: {
			...FAULTS,
			rate503: 0.03,
			rate504: 0.03,
			dropRate: 0.03,
			hangRate: 0.02,
			applyThenDropRate: 0.03,
			applyThenHangRate: 0.03,
			slowWriteRate: 0.03,
			applyThen500Rate: 0.05,
			applyThenMalformedRate: 0.05,
			applyThenEmpty200Rate: 0.05,
			applyThenOtherUserRate: 0.05,
			redirectRate: 0.04,
			trickleRate: 0.04,
		},
		throttle: { maxRequests: 40, windowMs: 500 },
		timeoutMs: TIMEOUT_MS,
		maxRetries: 10,
		...MIX,
	},
	{
		name: 'batched OAuth2',
		items: 150,
		batching: true,
		auth: 'oAuth2',
		seed: 9,
		faults: FAULTS,
		latencyMs: 20,
		timeoutMs: TIMEOUT_MS,
		maxRetries: 10,
		// tokens expire during the run: renewed after the 401
		tokenLifetimeSeconds: 0.5,
		...MIX,
		batchSize: 25,
	},
];

const reports: SoakReport[] = [];

afterAll(() => {
	// the same table as `npm run soak`, for whoever reads the test log
	if (reports.length > 0) process.stdout.write(`\n${formatTable(reports)}\n`);
});

describe.each(CONFIGS.map((config) => [config.name, config] as const))('short soak: %s', (_name, config) => {
	let report: SoakReport;

	beforeAll(async () => {
		report = await runSoak(config);
		reports.push(report);
	}, RUN_LIMIT_MS);

	test('no update lost, applied twice or written over another user; no wrong report; nothing off host; output paired; no secret emitted', () => {
		expect({ ...mustBeZero(report), problems: report.problems }).toEqual({
			lost: 0,
			'applied twice': 0,
			overwritten: 0,
			'secrets found': 0,
			'output not paired': 0,
			"other user's change lost": 0,
			'reported failed although applied': 0,
			'reported not applied although applied': 0,
			'requests off the configured host': 0,
			'answers read past the Timeout': 0,
			problems: [],
		});
	});

	test('every item is accounted for: applied, or failed with a reported error (outcome unknown included)', () => {
		// an "outcome unknown" item whose write had landed is both applied and reported
		expect(report.applied + report.failed - report.outcomeUnknownApplied).toBe(report.items);
		// outcome unknown only where a write of the item met an unclear answer
		expect(report.outcomeUnknownUnprompted).toBe(0);
		// conflicts the policy Fail must report are reported as Business Central's 409, or as
		// "outcome unknown" when the answer that carried the 409 was lost (e.g. a $batch answered
		// 500), or failed otherwise when their request was redirected (it never reached the server)
		// or throttled past Max Retries (429: not processed, reported so)
		expect(
			report.expectedConflictsReported +
				report.expectedConflictsUnknown +
				report.expectedConflictsRedirected +
				report.expectedConflictsThrottled,
		).toBe(report.expectedConflicts);
		expect(report.expectedConflicts).toBeGreaterThan(0);
	});

	test('the faults really happened, and n8n logged (the secret scan covered its log)', () => {
		const { faults } = report.stats;
		const injected =
			faults[503] +
			faults[504] +
			faults.drop +
			faults.applyThenDrop +
			faults.hang +
			faults.applyThenHang +
			faults.slowWrite +
			faults.applyThen500 +
			faults.applyThenMalformed +
			faults.applyThenEmpty200 +
			faults.applyThenOtherUser +
			faults.redirect +
			faults.trickle;
		expect(injected).toBeGreaterThan(0);
		expect(report.stats.conflicts).toBeGreaterThan(0);
		expect(report.logLines).toBeGreaterThan(0);
		if (config.auth === 'oAuth2') {
			expect(report.stats.unauthorized).toBeGreaterThan(0);
			expect(report.stats.tokensIssued).toBeGreaterThanOrEqual(2);
		}
	});
});

describe('the fault mix over all short runs', () => {
	test('each kind of fault was injected at least once', () => {
		const sum = (pick: (report: SoakReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
		expect({
			throttled: sum((r) => r.stats.throttled) > 0,
			503: sum((r) => r.stats.faults[503]) > 0,
			504: sum((r) => r.stats.faults[504]) > 0,
			drop: sum((r) => r.stats.faults.drop) > 0,
			applyThenDrop: sum((r) => r.stats.faults.applyThenDrop) > 0,
			hang: sum((r) => r.stats.faults.hang) > 0,
			applyThenHang: sum((r) => r.stats.faults.applyThenHang) > 0,
			slowWrite: sum((r) => r.stats.faults.slowWrite) > 0,
			applyThen500: sum((r) => r.stats.faults.applyThen500) > 0,
			applyThenMalformed: sum((r) => r.stats.faults.applyThenMalformed) > 0,
			applyThenEmpty200: sum((r) => r.stats.faults.applyThenEmpty200) > 0,
			applyThenOtherUser: sum((r) => r.stats.faults.applyThenOtherUser) > 0,
			redirect: sum((r) => r.stats.faults.redirect) > 0,
			trickle: sum((r) => r.stats.faults.trickle) > 0,
		}).toEqual({
			throttled: true,
			503: true,
			504: true,
			drop: true,
			applyThenDrop: true,
			hang: true,
			applyThenHang: true,
			slowWrite: true,
			applyThen500: true,
			applyThenMalformed: true,
			applyThenEmpty200: true,
			applyThenOtherUser: true,
			redirect: true,
			trickle: true,
		});
	});
});

describe('the secret scan itself', () => {
	test('finds a secret in a log line, an output item or a nested error, and nothing in clean data', () => {
		const secret = 'sekret-token-123';
		const error = new Error('wrapped', { cause: new Error(`Bearer ${secret}`) });
		expect(findSecrets([`debug request Authorization: Bearer ${secret}`], [secret])).toEqual([secret]);
		expect(findSecrets([{ json: { header: secret } }], [secret])).toEqual([secret]);
		expect(findSecrets([error], [secret])).toEqual([secret]);
		expect(findSecrets(['clean', { json: { a: 1 } }], [secret])).toEqual([]);
	});

	test('a run stopped by an error (no Continue On Fail) leaks nothing either: error, run data, log', async () => {
		const sandbox = await startSandbox({ seed: 5 });
		const lines: string[] = [];
		try {
			const company = sandbox.companies()[0].id;
			const payment = sandbox.payments(company)[0];
			sandbox.forceConflictOnce(payment.id);
			sandbox.options.faults = { applyThenDropRate: 0.5, rate503: 0.2 };
			const restoreLogs = captureN8nLogs(lines);
			const result = await runWorkflow(
				updateWorkflow([{ paymentId: payment.id }], {
					company,
					payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
					updateFields: { amount: -1 },
				}),
				{ credentials: sandboxBearerCredentials(sandbox) },
			);
			restoreLogs();
			const error = result.error('Business Central');
			// the forced 409, or — when the answer carrying it was dropped — outcome unknown
			expect(error?.message).toMatch(
				/Another user has already changed the record|may have been applied and changed again by someone else/,
			);
			expect(lines.length).toBeGreaterThan(0);
			expect(findSecrets([error, result.error(), result.run, ...lines], [sandbox.token, sandbox.clientSecret])).toEqual([]);
		} finally {
			await sandbox.close();
		}
	});
});
