/**
 * The soak run shared by `npm run soak` (scripts/soak.cts) and the short soak of
 * the test suite (test/soak.sandbox.test.cts): many Customer Payment updates
 * through n8n's engine (dev/engine.cts, package from dist/) against a sandbox
 * that throttles (429), fails (503, 504), drops connections before or after
 * applying a write, hangs before or after applying one (the node's Timeout cuts
 * it), applies a write and then answers 500, garbage, a cut JSON body or an empty
 * 200, applies one and lets another user change the record before the answer is
 * lost, redirects to another origin (a foreign host that counts what reaches
 * it), trickles answers a byte at a time, and answers 409 for records "another
 * user" changed — with Continue On Fail.
 *
 * Afterwards the sandbox's records and its audit log (`writes`) are compared
 * with what each item asked for:
 * - applied: the record carries the item's values (exactly one PATCH of ours);
 * - failed with a reported error: an error item, by Business Central code;
 * - outcome unknown: an error item with code `UpdateOutcomeUnknown` — allowed, not a
 *   not-applied claim; counted, with how many of them followed no unclear answer to a
 *   write of theirs (the sandbox's fault log), which should be none;
 * - lost: neither applied nor reported as failed (or reported as updated but not
 *   applied) — must be 0;
 * - applied twice: more than one PATCH of ours applied for the item — must be 0
 *   (under Overwrite Regardless a second PATCH written on top of another user's
 *   change that came after the first is the policy, not a double apply);
 * - reported not applied although applied: an error item other than outcome unknown
 *   (a claim that nothing was written) while the audit log holds a PATCH of ours for
 *   the record, even if another user changed it afterwards — must be 0;
 * - requests off the configured host: requests the foreign host (where redirects
 *   point) received — must be 0;
 * - answers read past the Timeout: trickled answers the node read to the last byte
 *   although that took well over its Timeout (the Timeout must bound the whole
 *   answer, not only the socket's idle time) — must be 0;
 * - overwritten: applied over another user's change without "Overwrite
 *   Regardless" — a PATCH with If-Match `*`, or (policy Fail) one not based on the
 *   eTag the item started from — must be 0;
 * - reported failed although applied: the output says failed, the record says
 *   otherwise (a wrong report, not a data problem) — expected 0;
 * - secrets: the bearer token / OAuth2 access tokens / client secret anywhere in
 *   the run data, the output or n8n's log, or in an Authorization header the
 *   foreign host received — must be 0.
 *
 * Every must-be-0 row has a self-test (test/soakSelfTest.sandbox.test.cts) that
 * plants its defect (`SoakConfig.faults.defects`, a wrapped node) and shows the row
 * turn non-zero through this very code.
 */
import type { IDataObject, INodeExecutionData, Logger } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { type Fault, UNCLEAR_FAULTS } from '../sandbox/faults.cjs';
import {
	createRng,
	sandboxBearerCredentials,
	sandboxOAuth2Credentials,
	startSandbox,
	type FaultOptions,
	type Sandbox,
	type SandboxStats,
	type ThrottleOptions,
} from '../sandbox/index.cjs';
import { serializeDeep, updateWorkflow } from '../test/fixtures.cjs';

export type Policy = 'fail' | 'retryOnce' | 'overwrite';

export interface SoakConfig {
	/** Shown in the table. */
	name: string;
	items: number;
	batching: boolean;
	auth: 'bearer' | 'oAuth2';
	seed: number;
	faults: FaultOptions;
	throttle?: ThrottleOptions;
	/** Sandbox cap on requests in processing at once per token (beyond → 429 without Retry-After). */
	maxConcurrent?: number;
	/** The node's "Timeout" option (ms). */
	timeoutMs: number;
	/** The node's "Max Retries" option. */
	maxRetries: number;
	/** The node's "Batch Size" option (default 100). */
	batchSize?: number;
	/** Share of items whose record gets one forced 409 (another user's change racing in at the PATCH). */
	forcedConflictShare: number;
	/** Share of items whose record another user changes before the run, the item carrying the old eTag. */
	staleShare: number;
	/** Share of the other items that carry the current eTag (no read needed). */
	givenEtagShare: number;
	/** Share of items per "On eTag Conflict" policy (the rest: Fail). */
	retryOnceShare: number;
	overwriteShare: number;
	/** Sandbox token lifetime (OAuth2 runs: tokens expire mid-run). */
	tokenLifetimeSeconds?: number;
	/** Latency the sandbox adds to each request. */
	latencyMs?: number;
}

/** The error code the node gives an item whose write may or may not have been applied. */
export const OUTCOME_UNKNOWN = 'UpdateOutcomeUnknown';

interface SoakItem extends IDataObject {
	index: number;
	paymentId: string;
	amount: number;
	description: string;
	eTag: string;
	onConflict: Policy;
}

interface ItemPlan {
	item: SoakItem;
	stale: boolean;
	forced: boolean;
	/** Another user's change to the record (stale or forced items). */
	otherChange?: { description: string; comment: string };
	/** The eTag this item's change is based on: the given one, else the record's at the start. */
	baseEtag: string;
}

export interface SoakReport {
	config: SoakConfig;
	seconds: number;
	items: number;
	applied: number;
	appliedAfterConflict: number;
	appliedWithOverwrite: number;
	failed: number;
	failedByCode: Record<string, number>;
	/** Items expected to end in a conflict (stale or forced 409, policy Fail) that did. */
	expectedConflicts: number;
	expectedConflictsReported: number;
	/** … that ended "outcome unknown" instead (the answer that would have said 409 was lost). */
	expectedConflictsUnknown: number;
	/** … that ended otherwise after a request of theirs was redirected (never reached the server). */
	expectedConflictsRedirected: number;
	/** Expected conflicts whose request was throttled (429/503) past Max Retries, reported so. */
	expectedConflictsThrottled: number;
	lost: number;
	appliedTwice: number;
	overwritten: number;
	reportedFailedButApplied: number;
	/** Reported failed with a not-applied claim (not outcome unknown) while a PATCH of ours landed. */
	reportedNotAppliedButApplied: number;
	/** Items reported `UpdateOutcomeUnknown` (allowed). */
	outcomeUnknown: number;
	/** … of which the record carries the item's values (the write landed). */
	outcomeUnknownApplied: number;
	/** … of which no write of the item met an unclear answer (should be 0: nothing was ambiguous). */
	outcomeUnknownUnprompted: number;
	/** Requests the foreign host (another origin, where redirects point) received. */
	requestsOffHost: number;
	/** Authorization headers among them. */
	tokensOffHost: number;
	/** Trickled answers read to the last byte although that took well over the node's Timeout. */
	answersPastTimeout: number;
	/** Other user's change gone from a record (the node must only send the fields it changes). */
	otherChangeLost: number;
	/** Output items not paired to their input in order, or missing. */
	badOutput: number;
	secretsFound: number;
	logLines: number;
	stats: SandboxStats;
	/** Examples of problems, for the report. */
	problems: string[];
}

/** A logger for n8n's LoggerProxy that keeps every line (message and meta) in memory. */
export function capturingLogger(lines: string[]): Logger {
	const keep =
		(level: string) =>
		(message: string, meta?: object): void => {
			lines.push(`${level} ${message} ${meta === undefined ? '' : serializeDeep(meta)}`);
		};
	return {
		error: keep('error'),
		warn: keep('warn'),
		info: keep('info'),
		debug: keep('debug'),
	} as Logger;
}

interface RootLogger {
	getInternalLogger(): unknown;
	setInternalLogger(internal: unknown): void;
}

/**
 * Captures everything n8n logs while a run goes on: n8n-workflow's LoggerProxy
 * and n8n-core's root Logger (what nodes get as `this.logger`, from the DI
 * container; creating it points LoggerProxy at itself, so it is created first,
 * at debug level — N8N_LOG_LEVEL=debug unless the process already created it —
 * and then its winston logger is swapped for one that keeps every line).
 * Returns a function that restores both.
 */
export function captureN8nLogs(lines: string[]): () => void {
	const capture = capturingLogger(lines);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Container } = require('@n8n/di') as typeof import('@n8n/di');
	// n8n-core's own copy of @n8n/backend-common (nested under n8n-core)
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const backendCommon = require(require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] })) as {
		Logger: new (...args: any[]) => RootLogger; // eslint-disable-line @typescript-eslint/no-explicit-any
	};
	if (!Container.has(backendCommon.Logger)) process.env.N8N_LOG_LEVEL ??= 'debug';
	const root = Container.get(backendCommon.Logger);
	const saved = root.getInternalLogger();
	const internal = {
		levels: { error: 0, warn: 1, info: 2, debug: 5 },
		log: (level: string, message: string, meta?: object) => {
			lines.push(`${level} ${message} ${meta === undefined ? '' : serializeDeep(meta)}`);
		},
		// scoped loggers (Logger.scoped) log through a child: the same capture
		child: () => internal,
	};
	root.setInternalLogger(internal);
	LoggerProxy.init(capture);
	return () => {
		root.setInternalLogger(saved);
		LoggerProxy.init(root as unknown as Logger);
	};
}

/** Which of the secrets occur in the values (deeply, incl. non-enumerable properties) or log lines. */
export function findSecrets(values: unknown[], secrets: string[]): string[] {
	const found = new Set<string>();
	for (const value of values) {
		const text = typeof value === 'string' ? value : `${JSON.stringify(value) ?? ''}\n${serializeDeep(value)}`;
		for (const secret of secrets) if (secret && text.includes(secret)) found.add(secret);
	}
	return [...found];
}

function pick<T>(rng: { next(): number }, shares: Array<[T, number]>, fallback: T): T {
	const u = rng.next();
	let edge = 0;
	for (const [value, share] of shares) {
		edge += share;
		if (u < edge) return value;
	}
	return fallback;
}

async function prepare(sandbox: Sandbox, config: SoakConfig) {
	const company = sandbox.companies()[0].id;
	const journal = sandbox.journals(company)[0].id;
	const payments = sandbox.seedPayments(company, journal, config.items);
	const rng = createRng(config.seed, 'soak');
	const plans: ItemPlan[] = payments.map((payment, index) => {
		const onConflict = pick<Policy>(
			rng,
			[
				['retryOnce', config.retryOnceShare],
				['overwrite', config.overwriteShare],
			],
			'fail',
		);
		const kind = pick<'stale' | 'forced' | 'given' | 'read'>(
			rng,
			[
				['stale', config.staleShare],
				['forced', config.forcedConflictShare],
				['given', config.givenEtagShare],
			],
			'read',
		);
		const current = sandbox.getPayment(company, payment.id)!['@odata.etag'];
		// Another user's change touches a field the item writes too (description), so writing
		// over it would show in the record, and one it does not write (comment), which must survive.
		const otherChange = { description: `Changed by another user ${index}`, comment: `other user ${index}` };
		if (kind === 'stale') {
			// another user changes the record after the item's eTag was taken
			sandbox.simulateConcurrentChange(company, payment.id, otherChange);
		}
		// another user's change races in at the item's first PATCH with a current eTag
		if (kind === 'forced') sandbox.forceConflictOnce(payment.id, 1, otherChange);
		const eTag = kind === 'stale' || kind === 'given' ? current : '';
		return {
			item: {
				index,
				paymentId: payment.id,
				amount: -(100000 + index) - 0.37,
				description: `Soak ${config.seed} item ${index}`,
				eTag,
				onConflict,
			},
			stale: kind === 'stale',
			forced: kind === 'forced',
			otherChange: kind === 'stale' || kind === 'forced' ? otherChange : undefined,
			baseEtag: eTag || current,
		};
	});
	return { company, plans };
}

function outputByItem(output: INodeExecutionData[]): Map<number, INodeExecutionData> {
	const byItem = new Map<number, INodeExecutionData>();
	for (const entry of output) {
		const paired = entry.pairedItem as { item: number } | undefined;
		if (paired && typeof paired.item === 'number') byItem.set(paired.item, entry);
	}
	return byItem;
}

/** Runs one soak configuration on its own sandbox and compares the result with the intent. */
export async function runSoak(config: SoakConfig): Promise<SoakReport> {
	const sandbox = await startSandbox({
		seed: config.seed,
		paymentsPerJournal: 0,
		latencyMs: config.latencyMs ?? 0,
		tokenLifetimeSeconds: config.tokenLifetimeSeconds ?? 3600,
	});
	const logLines: string[] = [];
	try {
		const { company, plans } = await prepare(sandbox, config);
		const writesBefore = sandbox.writes.length;
		sandbox.options.faults = config.faults;
		sandbox.options.throttle = config.throttle;
		sandbox.options.maxConcurrent = config.maxConcurrent;
		sandbox.resetStats();

		const workflow = updateWorkflow(
			plans.map((plan) => plan.item),
			{
				authentication: config.auth === 'oAuth2' ? 'oAuth2' : 'bearerToken',
				company,
				payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
				options: {
					eTag: '={{ $json.eTag }}',
					onConflict: '={{ $json.onConflict }}',
					batching: config.batching,
					maxRetries: config.maxRetries,
					timeout: config.timeoutMs,
					...(config.batchSize ? { batchSize: config.batchSize } : {}),
				},
				continueOnFail: true,
			},
		);
		const restoreLogs = captureN8nLogs(logLines);
		const started = process.hrtime.bigint();
		const result = await runWorkflow(workflow, {
			credentials: config.auth === 'oAuth2' ? sandboxOAuth2Credentials(sandbox) : sandboxBearerCredentials(sandbox),
		});
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		restoreLogs();
		sandbox.options.faults = undefined;
		sandbox.options.throttle = undefined;
		sandbox.options.maxConcurrent = undefined;
		const stats = structuredClone(sandbox.stats);

		// examples of problems: at most 4 of each kind (the text up to its first '(' or digit
		// run after "item N: "), 30 in all, so one frequent kind does not hide the others
		const problems: string[] = [];
		const perKind = new Map<string, number>();
		const note = (text: string) => {
			const kind = text.replace(/^item \d+: /, '').replace(/[\d(].*$/s, '');
			const seen = perKind.get(kind) ?? 0;
			perKind.set(kind, seen + 1);
			if (seen < 4 && problems.length < 30) problems.push(text);
		};
		const runError = result.error('Business Central') ?? result.error();
		if (runError) note(`the node stopped: ${runError.message}`);
		const output = result.output('Business Central');
		const byItem = outputByItem(output);
		const badOutput =
			plans.length -
			output.filter((entry, index) => (entry.pairedItem as { item?: number } | undefined)?.item === index).length +
			Math.max(0, output.length - plans.length);

		// the audit log of the run, per record: our PATCHes and other users' changes, in order
		const runWrites = sandbox.writes.slice(writesBefore);
		const ourPatches = new Map<string, typeof sandbox.writes>();
		const historyOf = new Map<string, typeof sandbox.writes>();
		for (const write of runWrites) {
			if (write.method !== 'PATCH' && write.method !== 'EXTERNAL') continue;
			historyOf.set(write.id, [...(historyOf.get(write.id) ?? []), write]);
			if (write.method === 'PATCH') ourPatches.set(write.id, [...(ourPatches.get(write.id) ?? []), write]);
		}
		// records whose writes met an answer that hid the outcome (the sandbox's fault log)
		const unclearFor = new Set<string>();
		const redirectedFor = new Set<string>();
		for (const event of sandbox.faultLog) {
			// a drawn fault that hides the outcome, or the client's own Timeout cutting a write (clientGaveUp)
			if (UNCLEAR_FAULTS.has(event.fault as Fault) || event.fault === 'clientGaveUp') {
				for (const id of event.paymentIds) unclearFor.add(id);
			}
			if (event.fault === 'redirect') for (const id of [...event.paymentIds, ...(event.readPaymentIds ?? [])]) redirectedFor.add(id);
		}
		// trickled answers the client read to the end, long after its Timeout should have cut them
		await new Promise((resolve) => setTimeout(resolve, 50));
		const pastTimeout = sandbox.faultLog.filter(
			(event) => event.fault === 'trickle' && event.cut === false && (event.answerMs ?? 0) > config.timeoutMs * 1.5 + 250,
		);
		if (pastTimeout.length > 0) {
			note(`${pastTimeout.length} trickled answer(s) read to the end past the ${config.timeoutMs} ms Timeout (longest ${Math.max(...pastTimeout.map((e) => e.answerMs ?? 0))} ms)`);
		}
		const requestsOffHost = sandbox.foreign.requests;
		const foreignAuthorizations = [...sandbox.foreign.authorizations];
		if (requestsOffHost > 0) {
			note(`${requestsOffHost} request(s) reached the foreign host, ${foreignAuthorizations.length} with an Authorization header: ${sandbox.foreign.received.slice(0, 3).join('; ')}`);
		}

		const report: SoakReport = {
			config,
			seconds,
			items: plans.length,
			applied: 0,
			appliedAfterConflict: 0,
			appliedWithOverwrite: 0,
			failed: 0,
			failedByCode: {},
			expectedConflicts: 0,
			expectedConflictsReported: 0,
			expectedConflictsUnknown: 0,
			expectedConflictsRedirected: 0,
			expectedConflictsThrottled: 0,
			lost: 0,
			appliedTwice: 0,
			overwritten: 0,
			reportedFailedButApplied: 0,
			reportedNotAppliedButApplied: 0,
			outcomeUnknown: 0,
			outcomeUnknownApplied: 0,
			outcomeUnknownUnprompted: 0,
			requestsOffHost,
			tokensOffHost: foreignAuthorizations.length,
			answersPastTimeout: pastTimeout.length,
			otherChangeLost: 0,
			badOutput,
			secretsFound: 0,
			logLines: logLines.length,
			stats,
			problems,
		};
		for (const plan of plans) {
			const { item } = plan;
			const record = sandbox.getPayment(company, item.paymentId)!;
			const json = byItem.get(item.index)?.json;
			const key = item.paymentId.toLowerCase();
			const patches = ourPatches.get(key) ?? [];
			const history = historyOf.get(key) ?? [];
			const kind = plan.stale ? 'stale' : plan.forced ? 'forced' : item.eTag ? 'given eTag' : 'read';
			const carries = record.amount === item.amount && record.description === item.description;
			const applied = carries && patches.length >= 1;
			const landed = patches.length >= 1;
			const reportedFailed = json !== undefined && typeof json.error === 'string';
			const reportedUpdated = json !== undefined && !reportedFailed;
			const code = reportedFailed ? String(json.code ?? (json.field ? 'InvalidInput' : 'NoCode')) : undefined;
			const outcomeUnknown = code === OUTCOME_UNKNOWN;
			// an error item that is not "outcome unknown" says the update was not applied
			const claimsNotApplied = reportedFailed && !outcomeUnknown;

			if (applied) {
				report.applied++;
				if (item.onConflict === 'overwrite') report.appliedWithOverwrite++;
				else if (patches.some((patch) => patch.ifMatch !== plan.baseEtag)) report.appliedAfterConflict++;
			}
			if (reportedFailed) {
				report.failed++;
				report.failedByCode[code!] = (report.failedByCode[code!] ?? 0) + 1;
				if (applied && claimsNotApplied) {
					report.reportedFailedButApplied++;
					note(`item ${item.index}: reported failed (${code}: ${String(json.error).slice(0, 160)}) but applied`);
				}
			}
			if (outcomeUnknown) {
				report.outcomeUnknown++;
				if (applied) report.outcomeUnknownApplied++;
				if (!unclearFor.has(key)) {
					report.outcomeUnknownUnprompted++;
					note(`item ${item.index}: outcome unknown although no write of it met an unclear answer`);
				}
			}
			if (claimsNotApplied && landed) {
				report.reportedNotAppliedButApplied++;
				note(
					`item ${item.index}: reported not applied (${code}) but ${patches.length} PATCH(es) of ours landed (policy ${item.onConflict}, ${kind}${carries ? '' : ', since changed by another user'})`,
				);
			}
			if (!applied && !reportedFailed) {
				report.lost++;
				note(`item ${item.index}: ${reportedUpdated ? 'reported updated' : 'no output'} but not applied`);
			} else if (reportedUpdated && (json.amount !== record.amount || json['@odata.etag'] !== record['@odata.etag'])) {
				report.lost++;
				note(`item ${item.index}: the output is not the stored record`);
			}
			// a second PATCH of ours counts as a double apply unless, under Overwrite Regardless,
			// another user changed the record between it and the previous one
			const doubled = patches.slice(1).filter((patch, index) => {
				const previous = patches[index];
				const otherBetween = history.some((w) => w.method === 'EXTERNAL' && w.seq > previous.seq && w.seq < patch.seq);
				return !(item.onConflict === 'overwrite' && otherBetween);
			});
			if (doubled.length > 0) {
				report.appliedTwice++;
				note(
					`item ${item.index}: ${patches.length} PATCHes applied (policy ${item.onConflict}, ${kind}): ` +
						patches.map((patch) => `${patch.at} If-Match ${patch.ifMatch} on ${patch.etagBefore}`).join('; '),
				);
			}
			// Another user's change during the run (a forced conflict, or one after our write landed).
			const externals = history.filter((w) => w.method === 'EXTERNAL');
			// Overwritten: a PATCH of ours that landed on a version it had not read (If-Match `*`
			// without the policy allowing it, or, for Fail, any version but the one the item started
			// from); a PATCH of ours after another user's change that came after one of ours landed
			// (a re-send over their change, policy Fail or Retry Once); or — for Fail — the other
			// user's value of a field we write is gone.
			const lastDescription = [...externals].reverse().find((ext) => ext.after?.description !== ext.before?.description);
			// the description another user gave the record last (during the run, else before it: stale)
			const othersDescription = lastDescription?.after?.description ?? (plan.stale ? plan.otherChange?.description : undefined);
			const resentOverOther =
				item.onConflict !== 'overwrite' &&
				patches.some((late) =>
					externals.some((ext) => ext.seq < late.seq && patches.some((early) => early.seq < ext.seq)),
				);
			const overwrote =
				patches.some(
					(patch) =>
						(patch.ifMatch === '*' && item.onConflict !== 'overwrite') ||
						(patch.ifMatch !== '*' && patch.ifMatch !== patch.etagBefore) ||
						(item.onConflict === 'fail' && patch.ifMatch !== plan.baseEtag),
				) ||
				resentOverOther ||
				(othersDescription !== undefined && item.onConflict === 'fail' && record.description !== othersDescription);
			if (overwrote) {
				report.overwritten++;
				note(`item ${item.index}: applied over another user's change (policy ${item.onConflict}, ${kind})`);
			}
			// A field we never write (comment) must keep the last value another user gave it.
			const lastComment = [...externals].reverse().find((ext) => ext.after?.comment !== ext.before?.comment);
			const expectedComment = lastComment?.after?.comment ?? (plan.stale ? plan.otherChange?.comment : undefined);
			if (expectedComment !== undefined && record.comment !== expectedComment) {
				report.otherChangeLost++;
				note(`item ${item.index}: the other user's change is gone (policy ${item.onConflict}, ${kind}, comment now ${JSON.stringify(record.comment)}, our PATCHes ${patches.length})`);
			}
			if ((plan.stale || plan.forced) && item.onConflict === 'fail') {
				report.expectedConflicts++;
				if (reportedFailed && json.code === 'Request_EntityChanged') report.expectedConflictsReported++;
				else if (outcomeUnknown) report.expectedConflictsUnknown++;
				else if (redirectedFor.has(key)) report.expectedConflictsRedirected++;
				// throttled past Max Retries: Business Central did not process it, and the item says so
				else if (reportedFailed && (json?.httpStatus === 429 || json?.httpStatus === 503)) report.expectedConflictsThrottled++;
				else note(`item ${item.index}: an expected conflict ended otherwise (${String(json?.code ?? 'no code')}: ${String(json?.error ?? 'applied')})`);
			}
		}

		const secrets = [sandbox.token, sandbox.clientSecret];
		for (const update of result.credentials.tokenUpdates) secrets.push(String(update.access_token));
		const leaks = findSecrets([result.run, output, ...logLines, ...foreignAuthorizations], secrets);
		report.secretsFound = leaks.length;
		if (leaks.length > 0) note(`${leaks.length} secret(s) found in the run data, output, log or sent to the foreign host`);
		return report;
	} finally {
		await sandbox.close();
	}
}

/** The counts that must be 0: lost, doubled, overwritten, secrets, broken output pairing, lost foreign changes, wrong failure reports, requests off the configured host. */
export function mustBeZero(report: SoakReport): Record<string, number> {
	return {
		lost: report.lost,
		'applied twice': report.appliedTwice,
		overwritten: report.overwritten,
		'secrets found': report.secretsFound,
		'output not paired': report.badOutput,
		"other user's change lost": report.otherChangeLost,
		'reported failed although applied': report.reportedFailedButApplied,
		'reported not applied although applied': report.reportedNotAppliedButApplied,
		'requests off the configured host': report.requestsOffHost,
		'answers read past the Timeout': report.answersPastTimeout,
	};
}

/** A table with one column per report. */
export function formatTable(reports: SoakReport[]): string {
	const codes = [...new Set(reports.flatMap((report) => Object.keys(report.failedByCode)))].sort();
	const rows: Array<[string, (report: SoakReport) => string]> = [
		['items', (r) => String(r.items)],
		['updates applied', (r) => String(r.applied)],
		['  after a conflict (Fetch Latest and Retry Once)', (r) => String(r.appliedAfterConflict)],
		['  with Overwrite Regardless', (r) => String(r.appliedWithOverwrite)],
		['failed with a reported error', (r) => String(r.failed)],
		...codes.map((code): [string, (report: SoakReport) => string] => [`  ${code}`, (r) => String(r.failedByCode[code] ?? 0)]),
		[
			'  expected conflicts (Fail) reported as 409',
			(r) =>
				`${r.expectedConflictsReported}/${r.expectedConflicts}` +
				(r.expectedConflictsUnknown ? ` (+${r.expectedConflictsUnknown} unknown)` : '') +
				(r.expectedConflictsRedirected ? ` (+${r.expectedConflictsRedirected} redirected)` : '') +
				(r.expectedConflictsThrottled ? ` (+${r.expectedConflictsThrottled} throttled)` : ''),
		],
		['outcome unknown (reported; allowed when truly ambiguous)', (r) => String(r.outcomeUnknown)],
		['  of which the write had landed', (r) => String(r.outcomeUnknownApplied)],
		['  of which no write met an unclear answer (should be 0)', (r) => String(r.outcomeUnknownUnprompted)],
		['lost (must be 0)', (r) => String(r.lost)],
		['applied twice (must be 0)', (r) => String(r.appliedTwice)],
		["overwritten over another user's change (must be 0)", (r) => String(r.overwritten)],
		['reported failed although applied (must be 0)', (r) => String(r.reportedFailedButApplied)],
		['reported not applied although applied (must be 0)', (r) => String(r.reportedNotAppliedButApplied)],
		['requests off the configured host (must be 0)', (r) => String(r.requestsOffHost)],
		['  of which carried an Authorization header', (r) => String(r.tokensOffHost)],
		['trickled answers read to the end past the Timeout (must be 0)', (r) => String(r.answersPastTimeout)],
		["other user's untouched field lost (must be 0)", (r) => String(r.otherChangeLost)],
		['secrets in output, errors, logs, off host (must be 0)', (r) => String(r.secretsFound)],
		['requests (HTTP)', (r) => String(r.stats.requests)],
		['  429 throttled', (r) => String(r.stats.throttled)],
		['  503 / 504', (r) => `${r.stats.faults[503]} / ${r.stats.faults[504]}`],
		['  dropped / applied then dropped', (r) => `${r.stats.faults.drop} / ${r.stats.faults.applyThenDrop}`],
		['  hung / applied then hung (timeout)', (r) => `${r.stats.faults.hang} / ${r.stats.faults.applyThenHang}`],
		['  applied late, after the timeout', (r) => String(r.stats.faults.slowWrite)],
		['  applied then 500 / malformed / empty 200', (r) => `${r.stats.faults.applyThen500} / ${r.stats.faults.applyThenMalformed} / ${r.stats.faults.applyThenEmpty200}`],
		["  applied, another user's change, answer lost", (r) => String(r.stats.faults.applyThenOtherUser)],
		['  redirected to another origin', (r) => String(r.stats.faults.redirect)],
		['  trickled / cut before the last byte', (r) => `${r.stats.faults.trickle} / ${r.stats.faults.trickleCut}`],
		['  planted defects (self-tests only)', (r) => String(r.stats.faults.planted)],
		['  409 answers', (r) => String(r.stats.conflicts)],
		['  401 (token expired) / tokens issued', (r) => `${r.stats.unauthorized} / ${r.stats.tokensIssued}`],
		['wall time (s)', (r) => r.seconds.toFixed(1)],
		['ms per item', (r) => ((r.seconds * 1000) / r.items).toFixed(2)],
	];
	const width = Math.max(...rows.map(([label]) => label.length)) + 2;
	const columnWidth = Math.max(
		14,
		...reports.map((r) => r.config.name.length + 2),
		...rows.flatMap(([, cell]) => reports.map((r) => cell(r).length + 2)),
	);
	const lines = [
		`${''.padEnd(width)}${reports.map((r) => r.config.name.padStart(columnWidth)).join('')}`,
		...rows.map(([label, cell]) => `${label.padEnd(width)}${reports.map((r) => cell(r).padStart(columnWidth)).join('')}`),
	];
	return lines.join('\n');
}
