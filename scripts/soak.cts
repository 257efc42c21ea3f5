/**
 * `npm run soak`: Customer Payment updates through n8n's engine against a
 * sandbox that throttles, fails, drops and hangs (see scripts/soakLib.cts),
 * with Continue On Fail, then a table comparing the sandbox's records with the
 * intended values. Three runs: batched ($batch) with a bearer token, one request
 * per item, and batched with OAuth2 tokens that expire every few seconds.
 *
 * Exits 1 when an update was lost, applied twice, written over another user's
 * change, reported failed or not applied although it was applied, a request
 * reached another host (a redirect followed), a secret appeared in the
 * output/errors/logs or was sent off host, or output pairing broke;
 * 2 when it ran out of time. Bounded: every run ends by itself (timeouts and
 * retries are bounded) and a watchdog stops the script after --max-seconds.
 *
 * Every run includes issue 10's faults: a write applied and then answered 500,
 * garbage / a cut JSON body, an empty 200 or `{}`, or lost after another user
 * changed the record; redirects to another origin; trickled answers. Items the
 * node reports "outcome unknown" (UpdateOutcomeUnknown) are counted and allowed.
 *
 * Options, as flags or environment variables (flags win):
 *   --items N          SOAK_ITEMS           batched run (default 10000)
 *   --per-item-items N SOAK_PER_ITEM_ITEMS  one-request-per-item run (default 1000)
 *   --oauth-items N    SOAK_OAUTH_ITEMS     batched OAuth2 run, tokens expiring (default 2000)
 *   --seed N           SOAK_SEED            (default 1)
 *   --runs LIST        SOAK_RUNS            comma list of batched,per-item,oauth2 (default all)
 *   --rate-scale X     SOAK_RATE_SCALE      multiplies every fault rate (default 1; 0 = no faults)
 *   --conflict-share X SOAK_CONFLICT_SHARE  share of records with a forced 409, and as many with a stale eTag (default 0.05)
 *   --max-seconds N    SOAK_MAX_SECONDS     watchdog (default 900)
 * e.g. `npm run soak -- --items 2000 --rate-scale 2 --runs batched`.
 */
import { ensureBuilt } from './ensureBuilt.cjs';
import { formatTable, mustBeZero, runSoak, type SoakConfig, type SoakReport } from './soakLib.cjs';

const USAGE =
	'npm run soak -- [--items N] [--per-item-items N] [--oauth-items N] [--seed N] [--runs batched,per-item,oauth2] [--rate-scale X] [--conflict-share X] [--max-seconds N]';

function usageError(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

const KNOWN_FLAGS = ['items', 'per-item-items', 'oauth-items', 'seed', 'runs', 'rate-scale', 'conflict-share', 'max-seconds'];

function parseFlags(argv: string[]): Map<string, string> {
	const flags = new Map<string, string>();
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg === '-h' || arg === '--help') {
			process.stdout.write(`${USAGE}\n`);
			process.exit(0);
		}
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!match || !KNOWN_FLAGS.includes(match[1])) usageError(`Unknown argument "${arg}"`);
		const value = match[2] ?? argv[++index];
		if (value === undefined) usageError(`${arg} needs a value`);
		flags.set(match[1], value);
	}
	return flags;
}

const FLAGS = parseFlags(process.argv.slice(2));

function option(flag: string, env: string): string | undefined {
	const raw = FLAGS.get(flag) ?? process.env[env];
	return raw === '' ? undefined : raw;
}

function wholeNumber(flag: string, env: string, fallback: number): number {
	const raw = option(flag, env);
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) usageError(`--${flag} / ${env} must be a positive whole number, got "${raw}"`);
	return value;
}

function boundedNumber(flag: string, env: string, fallback: number, max: number): number {
	const raw = option(flag, env);
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0 || value > max) {
		usageError(`--${flag} / ${env} must be a number from 0 to ${max}, got "${raw}"`);
	}
	return value;
}

const ITEMS = wholeNumber('items', 'SOAK_ITEMS', 10000);
const PER_ITEM_ITEMS = wholeNumber('per-item-items', 'SOAK_PER_ITEM_ITEMS', 1000);
const OAUTH_ITEMS = wholeNumber('oauth-items', 'SOAK_OAUTH_ITEMS', 2000);
const SEED = wholeNumber('seed', 'SOAK_SEED', 1);
const MAX_SECONDS = wholeNumber('max-seconds', 'SOAK_MAX_SECONDS', 900);
const RATE_SCALE = boundedNumber('rate-scale', 'SOAK_RATE_SCALE', 1, 4);
const CONFLICT_SHARE = boundedNumber('conflict-share', 'SOAK_CONFLICT_SHARE', 0.05, 0.3);
const RUNS = (option('runs', 'SOAK_RUNS') ?? 'batched,per-item,oauth2').split(',').map((run) => run.trim());

/** Fault rates times --rate-scale (durations and sizes unchanged). */
function scaled<T extends object>(faults: T): T {
	return Object.fromEntries(
		Object.entries(faults).map(([name, value]) => [name, isRate(name) ? Number(value) * RATE_SCALE : value]),
	) as T;
}

function isRate(name: string): boolean {
	return name.endsWith('Rate') || name.startsWith('rate');
}

/** Shares of items with conflicts and policies (the same for every run). */
const MIX = {
	forcedConflictShare: CONFLICT_SHARE,
	staleShare: CONFLICT_SHARE,
	givenEtagShare: 0.2,
	retryOnceShare: 0.2,
	overwriteShare: 0.1,
};

/** One $batch is one request: fault rates apply per request (a batch of 100 operations shares its fate). */
const BATCHED_FAULTS = scaled({
	rate503: 0.04,
	rate504: 0.04,
	dropRate: 0.04,
	applyThenDropRate: 0.04,
	hangRate: 0.03,
	applyThenHangRate: 0.03,
	// applied 2.5 s late, after the node's 2 s Timeout gave up on it
	slowWriteRate: 0.03,
	slowWriteMs: 2500,
	// issue 10: applied then 500 / garbage or cut JSON / empty 200 or `{}` / another user's change
	// and no answer; 302/307 to another origin; answers trickled over 4 s (past the 2 s Timeout)
	applyThen500Rate: 0.02,
	applyThenMalformedRate: 0.02,
	applyThenEmpty200Rate: 0.02,
	applyThenOtherUserRate: 0.02,
	redirectRate: 0.01,
	trickleRate: 0.02,
	trickleMs: 20,
	trickleTotalMs: 4000,
});

const PER_ITEM_FAULTS = scaled({
	rate503: 0.01,
	rate504: 0.01,
	dropRate: 0.01,
	applyThenDropRate: 0.01,
	hangRate: 0.005,
	applyThenHangRate: 0.005,
	// applied 0.8 s late, after the node's 0.5 s Timeout gave up on it
	slowWriteRate: 0.005,
	slowWriteMs: 800,
	applyThen500Rate: 0.005,
	applyThenMalformedRate: 0.005,
	applyThenEmpty200Rate: 0.005,
	applyThenOtherUserRate: 0.005,
	redirectRate: 0.003,
	// one byte every 20 ms, the whole answer over 1.5 s (past the 0.5 s Timeout)
	trickleRate: 0.005,
	trickleMs: 20,
	trickleTotalMs: 1500,
});

const CONFIGS: Record<string, SoakConfig> = {
	batched: {
		name: 'batched',
		items: ITEMS,
		batching: true,
		auth: 'bearer',
		seed: SEED,
		faults: BATCHED_FAULTS,
		// 429: past 2,000 operations per second (Retry-After: 1), and past 4 requests at once (no Retry-After)
		throttle: { maxRequests: 2000, windowMs: 1000, retryAfterSeconds: 1 },
		maxConcurrent: 4,
		latencyMs: 20,
		timeoutMs: 2000,
		maxRetries: 10,
		...MIX,
	},
	'per-item': {
		name: 'per-item',
		items: PER_ITEM_ITEMS,
		batching: false,
		auth: 'bearer',
		seed: SEED + 1,
		faults: PER_ITEM_FAULTS,
		// 429 without Retry-After: exponential back-off with jitter
		throttle: { maxRequests: 60, windowMs: 2000 },
		timeoutMs: 500,
		maxRetries: 10,
		...MIX,
	},
	oauth2: {
		name: 'batched OAuth2',
		items: OAUTH_ITEMS,
		batching: true,
		auth: 'oAuth2',
		seed: SEED + 2,
		faults: BATCHED_FAULTS,
		throttle: { maxRequests: 2000, windowMs: 1000, retryAfterSeconds: 1 },
		maxConcurrent: 4,
		latencyMs: 20,
		timeoutMs: 2000,
		maxRetries: 10,
		// tokens expire every 2 s: renewed on the 401 mid-run
		tokenLifetimeSeconds: 2,
		...MIX,
	},
};

function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

function describeConfig(config: SoakConfig): string {
	const faults = Object.entries(config.faults)
		.map(([name, value]) => (isRate(name) ? `${name} ${(Number(value) * 100).toFixed(1)}%` : `${name} ${value}`))
		.join(', ');
	const throttle = config.throttle
		? `429 past ${config.throttle.maxRequests} ops/${config.throttle.windowMs} ms${config.throttle.retryAfterSeconds === undefined ? ' (no Retry-After)' : ` (Retry-After: ${config.throttle.retryAfterSeconds})`}`
		: 'no rate limit';
	const concurrency = config.maxConcurrent ? `, 429 past ${config.maxConcurrent} requests at once` : '';
	const token = config.tokenLifetimeSeconds ? `, tokens live ${config.tokenLifetimeSeconds} s` : '';
	return `${config.name}: ${config.items} items, ${config.auth === 'oAuth2' ? 'OAuth2' : 'bearer token'}${token}; ${faults}; ${throttle}${concurrency}; Timeout ${config.timeoutMs} ms, Max Retries ${config.maxRetries}`;
}

async function main(): Promise<number> {
	const watchdog = setTimeout(() => {
		process.stderr.write(`soak: still running after ${MAX_SECONDS} s, stopping\n`);
		process.exit(2);
	}, MAX_SECONDS * 1000);
	watchdog.unref();
	ensureBuilt();
	const configs = RUNS.map((run) => {
		const config = CONFIGS[run];
		if (!config) throw new Error(`Unknown soak run "${run}" (batched, per-item, oauth2)`);
		return config;
	});
	print(`Soak: Customer Payment Update through n8n's engine against the sandbox, Continue On Fail, Node ${process.version}`);
	print(
		`Per run: ${MIX.forcedConflictShare * 100}% of the records get a forced 409, ${MIX.staleShare * 100}% are changed by another user before the run (the item carries the old eTag), ${MIX.givenEtagShare * 100}% of the others carry their current eTag; ` +
			`policies: ${MIX.retryOnceShare * 100}% Fetch Latest and Retry Once, ${MIX.overwriteShare * 100}% Overwrite Regardless, the rest Fail.`,
	);
	const reports: SoakReport[] = [];
	for (const config of configs) {
		print(`\n${describeConfig(config)}`);
		const report = await runSoak(config);
		print(`  done in ${report.seconds.toFixed(1)} s: ${report.applied} applied, ${report.failed} failed with a reported error, ${report.lost} lost`);
		for (const problem of report.problems) print(`  ! ${problem}`);
		reports.push(report);
	}
	print(`\n${formatTable(reports)}`);
	const failures = reports.flatMap((report) =>
		Object.entries(mustBeZero(report))
			.filter(([, count]) => count !== 0)
			.map(([name, count]) => `${report.config.name}: ${name} = ${count}`),
	);
	clearTimeout(watchdog);
	if (failures.length > 0) {
		print(`\nFAILED: ${failures.join('; ')}`);
		return 1;
	}
	print('\nNo update lost, none applied twice, none written over another user\'s change, no wrong failure report, no request off the configured host, no secret in the output, errors or logs.');
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
