/**
 * Command line for the sandbox: `npx tsx sandbox/cli.cts [flags]` starts it,
 * prints where things are (service roots, token URL, credentials, a company
 * and a journal id) and runs until SIGINT/SIGTERM. `--help` for the flags.
 */
import { startSandbox } from './server.cjs';
import type { Sandbox, SandboxOptions } from './types.cjs';

const USAGE = `Business Central API sandbox (dev only)

Usage: npx tsx sandbox/cli.cts [options]

  --port N                    port on 127.0.0.1 (default 0 = any free port)
  --seed N                    PRNG seed for data, ids and faults (default 42)
  --page-size N               server-driven page size (default 50)
  --latency-ms N              delay added to every request (default 0)
  --operation-ms N            server time per operation, a $batch's run one after another (default 0)
  --conflict-status 409|412   status for a stale If-Match (default 409)
  --token-lifetime S          lifetime of issued tokens in seconds (default 3600)
  --bc-limits                 Business Central online's per-user limits: 5 at once, 95 queued
                              (8 min → 503), then 429; 6000 requests per 5 minutes, then 429;
                              pages of 20000 entities
                              (flags below override single values)
  --throttle MAX/WINDOW_MS[/RETRY_AFTER_S]
                              rate limit per user (app of the token), e.g. 600/60000/5
  --max-concurrent N          requests per user processed at once (excess → queue, then 429)
  --queue-size N              requests allowed to wait when --max-concurrent is reached (default 0)
  --queue-timeout-ms N        a request queued this long gets 503 (default: none)
  --rate-503 P                probability of a 503 (with Retry-After: 1)
  --rate-504 P                probability of a 504
  --drop-rate P               probability of closing the connection without answer
  --apply-then-drop-rate P    probability of applying a write, then closing without answer
  --hang-rate P               probability of never answering
  --apply-then-hang-rate P    probability of applying a write, then never answering
  --slow-write-rate P         probability of handling a write late (applied even if the client gave up)
  --slow-write-ms N           how late (default 1000)
  --companies N  --customers N  --journals N  --payments N   seed sizes
  --notification-delay-ms N   webhook notifications go out N ms after the first change (default 200)
  --collection-threshold N    more changed records than N → one 'collection' notification (default 1000)
  -h, --help                  this text
`;

class UsageError extends Error {}

function int(flag: string, raw: string | undefined, min = 0): number {
	if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < min) {
		throw new UsageError(`${flag} needs an integer >= ${min}, got '${raw ?? ''}'`);
	}
	return Number(raw);
}

function num(flag: string, raw: string | undefined, min = 0): number {
	const n = Number(raw);
	if (raw === undefined || raw.trim() === '' || !Number.isFinite(n) || n < min) {
		throw new UsageError(`${flag} needs a number >= ${min}, got '${raw ?? ''}'`);
	}
	return n;
}

function probability(flag: string, raw: string | undefined): number {
	const p = num(flag, raw);
	if (p > 1) throw new UsageError(`${flag} needs a probability between 0 and 1, got '${raw}'`);
	return p;
}

export function parseArgs(argv: string[]): SandboxOptions | 'help' {
	const options: SandboxOptions = {};
	const faults: NonNullable<SandboxOptions['faults']> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '-h' || arg === '--help') return 'help';
		const [flag, inline] = arg.includes('=')
			? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
			: [arg, undefined];
		const value = () => (inline !== undefined ? inline : argv[++i]);
		switch (flag) {
			case '--port':
				options.port = int(flag, value());
				if (options.port > 65535) throw new UsageError('--port must be <= 65535');
				break;
			case '--seed':
				options.seed = int(flag, value());
				break;
			case '--page-size':
				options.pageSize = int(flag, value(), 1);
				break;
			case '--latency-ms':
				options.latencyMs = num(flag, value());
				break;
			case '--operation-ms':
				options.operationMs = num(flag, value());
				break;
			case '--bc-limits':
				if (inline !== undefined) throw new UsageError('--bc-limits takes no value');
				options.bcLimits = true;
				break;
			case '--queue-timeout-ms':
				options.queueTimeoutMs = int(flag, value(), 1);
				break;
			case '--conflict-status': {
				const v = value();
				if (v !== '409' && v !== '412')
					throw new UsageError(`--conflict-status must be 409 or 412, got '${v ?? ''}'`);
				options.conflictStatus = v === '409' ? 409 : 412;
				break;
			}
			case '--token-lifetime':
				options.tokenLifetimeSeconds = num(flag, value());
				break;
			case '--throttle': {
				const v = value() ?? '';
				const m = /^(\d+)\/(\d+)(?:\/(\d+(?:\.\d+)?))?$/.exec(v);
				if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
					throw new UsageError(
						`--throttle must be MAX/WINDOW_MS[/RETRY_AFTER_S], e.g. 600/60000/5; got '${v}'`,
					);
				}
				options.throttle = { maxRequests: Number(m[1]), windowMs: Number(m[2]) };
				if (m[3] !== undefined) options.throttle.retryAfterSeconds = Number(m[3]);
				break;
			}
			case '--max-concurrent':
				options.maxConcurrent = int(flag, value(), 1);
				break;
			case '--queue-size':
				options.queueSize = int(flag, value());
				break;
			case '--rate-503':
				faults.rate503 = probability(flag, value());
				break;
			case '--rate-504':
				faults.rate504 = probability(flag, value());
				break;
			case '--drop-rate':
				faults.dropRate = probability(flag, value());
				break;
			case '--apply-then-drop-rate':
				faults.applyThenDropRate = probability(flag, value());
				break;
			case '--hang-rate':
				faults.hangRate = probability(flag, value());
				break;
			case '--apply-then-hang-rate':
				faults.applyThenHangRate = probability(flag, value());
				break;
			case '--slow-write-rate':
				faults.slowWriteRate = probability(flag, value());
				break;
			case '--slow-write-ms':
				faults.slowWriteMs = int(flag, value());
				break;
			case '--companies':
				options.companies = int(flag, value(), 1);
				break;
			case '--customers':
				options.customersPerCompany = int(flag, value(), 1);
				break;
			case '--journals':
				options.journalsPerCompany = int(flag, value(), 1);
				break;
			case '--payments':
				options.paymentsPerJournal = int(flag, value());
				break;
			case '--notification-delay-ms':
				options.notificationDelayMs = int(flag, value());
				break;
			case '--collection-threshold':
				options.collectionThreshold = int(flag, value());
				break;
			default:
				throw new UsageError(`unknown option '${arg}'`);
		}
	}
	if (Object.keys(faults).length > 0) options.faults = faults;
	return options;
}

/** The per-user limits in force, if any. */
function limitLines(o: SandboxOptions): string[] {
	const lines: string[] = [];
	if (o.maxConcurrent !== undefined) {
		lines.push(
			`  limits        ${o.maxConcurrent} requests per user at once, ${o.queueSize ?? 0} queued` +
				(o.queueTimeoutMs ? ` (${o.queueTimeoutMs / 1000} s → 503)` : '') +
				', then 429',
		);
	}
	if (o.throttle) {
		lines.push(
			`  rate          ${o.throttle.maxRequests} requests per user per ${o.throttle.windowMs / 1000} s, then 429` +
				(o.throttle.retryAfterSeconds !== undefined ? ` (Retry-After: ${o.throttle.retryAfterSeconds})` : ''),
		);
	}
	return lines;
}

/**
 * What the sandbox prints when it is ready, a line per fact (`label  value`); scripts read it
 * (scripts/n8n/prepare.cjs, the queue check). `extra` lines go before the last one.
 */
export function bannerLines(sandbox: Sandbox, title = 'Business Central API sandbox running', extra: string[] = []): string[] {
	const company = sandbox.companies()[0];
	const journal = sandbox.journals(company.id)[0];
	return [
		title,
		`  API v2.0      ${sandbox.baseUrl('v2.0')}`,
		`  API v1.0      ${sandbox.baseUrl('v1.0')}`,
		`  API beta      ${sandbox.baseUrl('beta')}`,
		`  token URL     ${sandbox.tokenUrl}`,
		`  scope         https://api.businesscentral.dynamics.com/.default`,
		`  tenant        ${sandbox.tenantId}`,
		`  environment   ${sandbox.environment}`,
		`  static token  ${sandbox.token}`,
		`  client id     ${sandbox.clientId}`,
		`  client secret ${sandbox.clientSecret}`,
		`  company       ${company.id}  (${company.name})`,
		`  journal       ${journal.id}  (${journal.code})`,
		...limitLines(sandbox.options),
		...extra,
		'Press Ctrl+C to stop.',
	];
}

async function main(): Promise<void> {
	let parsed: SandboxOptions | 'help';
	try {
		parsed = parseArgs(process.argv.slice(2));
	} catch (err) {
		if (!(err instanceof UsageError)) throw err;
		process.stderr.write(`error: ${err.message}\n\nRun with --help for usage.\n`);
		process.exit(2);
	}
	if (parsed === 'help') {
		process.stdout.write(USAGE);
		return;
	}
	const sandbox = await startSandbox(parsed);
	process.stdout.write(`${bannerLines(sandbox).join('\n')}\n`);
	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((err: unknown) => {
		process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
		process.exit(1);
	});
}
