/**
 * Self-tests of the soak (scripts/soakLib.cts): for every must-be-0 row, plant
 * the very defect the row is about — in the system, not in the numbers — run a
 * small soak (≤ 50 items) through the same `runSoak` counting code as
 * `npm run soak`, and show the row turns non-zero; and, for contrast, that a run
 * without the defect keeps every must-be-0 row at 0.
 *
 * Defects are planted in the sandbox (`faults.defects`: a PATCH applied twice, a
 * write answered 200 but dropped, If-Match ignored, a write applied then answered
 * 400, a PATCH that empties the fields it does not carry) or in the node, by
 * wrapping the loaded node type's `execute` (a node that follows redirects with
 * its credential; a node that copies its token into the output; a node that
 * reports every item "outcome unknown").
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { loadPackage, NODE_TYPE } from '../dev/engine.cjs';
import { mustBeZero, runSoak, type SoakConfig, type SoakReport } from '../scripts/soakLib.cjs';

/** Small, fast, no timeouts: one request per item, no conflicts unless a test asks for them. */
function config(name: string, overrides: Partial<SoakConfig> = {}): SoakConfig {
	return {
		name,
		items: 30,
		batching: false,
		auth: 'bearer',
		seed: 21,
		faults: {},
		timeoutMs: 2000,
		maxRetries: 2,
		forcedConflictShare: 0,
		staleShare: 0,
		givenEtagShare: 0.3,
		retryOnceShare: 0,
		overwriteShare: 0,
		...overrides,
	};
}

type Execute = NonNullable<INodeType['execute']>;

/**
 * Replaces the Business Central node's `execute` (the type n8n's engine runs, loaded from
 * dist/) by `wrap(original)` until the returned function is called.
 */
async function wrapNode(wrap: (original: Execute) => Execute): Promise<() => void> {
	const { nodeTypes } = await loadPackage();
	const type = nodeTypes.getByName(NODE_TYPE) as INodeType;
	const own = Object.prototype.hasOwnProperty.call(type, 'execute');
	const original = type.execute as Execute;
	type.execute = wrap(original);
	return () => {
		if (own) type.execute = original;
		else delete (type as { execute?: Execute }).execute;
	};
}

async function withWrappedNode(
	wrap: (original: Execute) => Execute,
	run: SoakConfig,
): Promise<SoakReport> {
	const restore = await wrapNode(wrap);
	try {
		return await runSoak(run);
	} finally {
		restore();
	}
}

interface FullResponse {
	statusCode?: number;
	headers?: Record<string, unknown>;
}

/**
 * Sends one request of the node. `signal`: undefined → as the node asked (its own context or
 * AbortSignal); null → no abort signal but the run's (the execution's own context); a signal →
 * that one bounds the request. n8n-core's `httpRequestWithAuthentication` replaces
 * `options.abortSignal` by `this.getExecutionCancelSignal()` of the context it is called on, so
 * for it a signal goes in through a derived context.
 */
type Send = (options: IHttpRequestOptions, signal?: AbortSignal | null) => Promise<unknown>;

/**
 * Routes every request the node sends through n8n's helpers — `httpRequestWithAuthentication`
 * and plain `httpRequest` (a node may sign requests itself) — through `route`, for one execution.
 */
function intercept(
	execution: IExecuteFunctions,
	route: (send: Send, options: IHttpRequestOptions) => Promise<unknown>,
): void {
	const helpers = execution.helpers;
	const authenticated = helpers.httpRequestWithAuthentication as (
		...args: unknown[]
	) => Promise<unknown>;
	const plain = helpers.httpRequest as (...args: unknown[]) => Promise<unknown>;
	helpers.httpRequestWithAuthentication = async function (
		this: IExecuteFunctions,
		credentialsType: string,
		options: IHttpRequestOptions,
		...rest: unknown[]
	) {
		const caller = this ?? execution;
		const send: Send = async (sent, signal) => {
			const context =
				signal === undefined
					? caller
					: signal === null
						? execution
						: (Object.create(execution, {
								getExecutionCancelSignal: { value: () => signal },
							}) as IExecuteFunctions);
			return await authenticated.call(context, credentialsType, sent, ...rest);
		};
		return await route(send, options);
	} as typeof helpers.httpRequestWithAuthentication;
	helpers.httpRequest = async function (this: unknown, options: IHttpRequestOptions) {
		const send: Send = async (sent, signal) =>
			await plain.call(
				this,
				signal === undefined ? sent : { ...sent, abortSignal: signal ?? undefined },
			);
		return await route(send, options);
	} as typeof helpers.httpRequest;
}

/**
 * The node's requests never follow redirects by themselves (n8n's `disableFollowRedirect`, so
 * the test does not depend on what the node asks for); with `follow`, the planted defect: a
 * redirect answer is followed to its Location with the credential (what n8n's helper does by
 * default, `sendCredentialsOnCrossOriginRedirect` being true).
 */
const redirects =
	(follow: boolean) =>
	(original: Execute): Execute =>
		async function (this: IExecuteFunctions) {
			intercept(this, async (send, options) => {
				const pinned = { ...options, disableFollowRedirect: true };
				let redirect: { status?: number; location?: unknown } | undefined;
				let answer: unknown;
				try {
					answer = await send(pinned);
					const full = answer as FullResponse;
					redirect = { status: full?.statusCode, location: full?.headers?.location };
				} catch (error) {
					// a node that does not ignore HTTP errors gets the 3xx as an error (possibly wrapped)
					const chain = [error, (error as { cause?: unknown }).cause] as Array<
						{ response?: { status?: number; headers?: Record<string, unknown> } } | undefined
					>;
					const response = chain.find((candidate) => candidate?.response?.status)?.response;
					redirect = { status: response?.status, location: response?.headers?.location };
					if (!follow || !isRedirect(redirect)) throw error;
				}
				if (follow && isRedirect(redirect)) {
					return await send({
						...pinned,
						url: new URL(String(redirect.location), String(options.url)).href,
					});
				}
				return answer;
			});
			return await original.call(this);
		};

function isRedirect(answer: { status?: number; location?: unknown } | undefined): boolean {
	return (
		answer?.status !== undefined &&
		answer.status >= 300 &&
		answer.status < 400 &&
		Boolean(answer.location)
	);
}

/**
 * How the node's requests time out, whatever the node asks for: `idle` — the planted defect, a
 * timeout that only notices a silent socket (axios' `timeout`, here made long, and no deadline
 * signal of the node's) so a trickled answer is read to the end; `deadline` — an AbortSignal
 * that bounds the whole answer.
 */
const timeouts =
	(mode: 'idle' | 'deadline') =>
	(original: Execute): Execute =>
		async function (this: IExecuteFunctions) {
			intercept(this, async (send, options) =>
				mode === 'idle'
					? await send({ ...options, timeout: 60_000 }, null)
					: await send(options, AbortSignal.timeout(options.timeout ?? 1000)),
			);
			return await original.call(this);
		};

/** A node defect: the token is copied into every output item. */
const copiesToken = (original: Execute): Execute =>
	async function (this: IExecuteFunctions) {
		const output = (await original.call(this)) as INodeExecutionData[][];
		const credentials = await this.getCredentials('businessCentralApi');
		for (const entry of output[0] ?? [])
			entry.json.debugAuthorization = `Bearer ${String(credentials.accessToken)}`;
		return output;
	};

/** A node that reports every item "outcome unknown", whatever happened (to check the classification). */
const reportsOutcomeUnknown = (original: Execute): Execute =>
	async function (this: IExecuteFunctions) {
		const output = (await original.call(this)) as INodeExecutionData[][];
		return [
			(output[0] ?? []).map((entry) => ({
				json: {
					error: 'The update may or may not have been applied.',
					code: 'UpdateOutcomeUnknown',
				} as IDataObject,
				pairedItem: entry.pairedItem,
			})),
		];
	};

/** A node defect: the output items come in reverse order (output i no longer answers input i). */
const reversesOutput = (original: Execute): Execute =>
	async function (this: IExecuteFunctions) {
		const output = (await original.call(this)) as INodeExecutionData[][];
		return [[...(output[0] ?? [])].reverse()];
	};

const ZERO = {
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
};

/** Forced 409s and stale eTags under all three policies, for the rows about other users. */
const CONFLICTS = {
	staleShare: 0.3,
	forcedConflictShare: 0.3,
	retryOnceShare: 0.35,
	overwriteShare: 0.35,
};

describe('soak self-tests: each must-be-0 row counts its planted defect', () => {
	test('contrast: no defect, conflicts under every policy → every must-be-0 row is 0', async () => {
		const report = await runSoak(config('clean', { ...CONFLICTS }));
		expect({ ...mustBeZero(report), problems: report.problems }).toEqual({ ...ZERO, problems: [] });
		expect(report.applied).toBeGreaterThan(0);
		expect(report.stats.conflicts).toBeGreaterThan(0);
	});

	const modes = [
		['one by one', false],
		['$batch', true],
	] as const;

	test.each(modes)(
		'lost (%s): the sandbox answers 200 with the updated record but does not store it',
		async (_mode, batching) => {
			const report = await runSoak(
				config('planted lost', {
					batching,
					batchSize: 5,
					faults: { defects: { dropWriteRate: 0.4 } },
				}),
			);
			expect(report.stats.faults.planted).toBeGreaterThan(0);
			expect(report.lost).toBeGreaterThan(0);
		},
	);

	test.each(modes)(
		'applied twice (%s): the sandbox applies a PATCH a second time',
		async (_mode, batching) => {
			const report = await runSoak(
				config('planted twice', {
					batching,
					batchSize: 5,
					faults: { defects: { applyTwiceRate: 0.4 } },
				}),
			);
			expect(report.appliedTwice).toBeGreaterThan(0);
		},
	);

	test.each(modes)(
		'overwritten (%s): the sandbox ignores If-Match, stale items (policy Fail) land over the other user',
		async (_mode, batching) => {
			const report = await runSoak(
				config('planted overwrite', {
					batching,
					batchSize: 5,
					staleShare: 0.4,
					faults: { defects: { ignoreIfMatchRate: 1 } },
				}),
			);
			expect(report.overwritten).toBeGreaterThan(0);
		},
	);

	test.each(modes)(
		"other user's untouched field lost (%s): a PATCH empties the fields it does not carry",
		async (_mode, batching) => {
			const report = await runSoak(
				config('planted reset', {
					...CONFLICTS,
					batching,
					batchSize: 5,
					faults: { defects: { resetUntouchedRate: 1 } },
				}),
			);
			expect(report.otherChangeLost).toBeGreaterThan(0);
		},
	);

	test.each(modes)(
		'reported failed / not applied although applied (%s): the sandbox applies a write, then answers 400',
		async (_mode, batching) => {
			const report = await runSoak(
				config('planted 400', {
					batching,
					batchSize: 5,
					faults: { defects: { applyThen400Rate: 0.4 } },
				}),
			);
			expect(report.reportedNotAppliedButApplied).toBeGreaterThan(0);
			expect(report.reportedFailedButApplied).toBeGreaterThan(0);
		},
	);

	test('requests off the configured host: the sandbox redirects, a wrapped node follows with its credential', async () => {
		const faults = { redirectRate: 0.4 };
		const report = await withWrappedNode(redirects(true), config('planted redirect', { faults }));
		expect(report.stats.faults.redirect).toBeGreaterThan(0);
		expect(report.requestsOffHost).toBeGreaterThan(0);
		// the credential went along: a token off the configured host is a secret leak too
		expect(report.tokensOffHost).toBeGreaterThan(0);
		expect(report.secretsFound).toBeGreaterThan(0);
		// contrast: the same redirects, not followed → nothing reaches the foreign host
		const clean = await withWrappedNode(redirects(false), config('redirect contrast', { faults }));
		expect(clean.stats.faults.redirect).toBeGreaterThan(0);
		expect(clean.requestsOffHost).toBe(0);
		expect(clean.secretsFound).toBe(0);
	});

	test('answers read past the Timeout: trickled answers, a wrapped node whose timeout only watches an idle socket', async () => {
		const faults = { trickleRate: 0.3, trickleMs: 10, trickleTotalMs: 1000 };
		const run = config('planted idle timeout', { items: 8, timeoutMs: 300, faults });
		const report = await withWrappedNode(timeouts('idle'), run);
		expect(report.stats.faults.trickle).toBeGreaterThan(0);
		expect(report.answersPastTimeout).toBeGreaterThan(0);
		// contrast: the same trickles, a deadline on the whole answer → every one cut
		const bounded = await withWrappedNode(timeouts('deadline'), {
			...run,
			name: 'deadline contrast',
		});
		expect(bounded.stats.faults.trickle).toBeGreaterThan(0);
		expect(bounded.stats.faults.trickleCut).toBe(bounded.stats.faults.trickle);
		expect(bounded.answersPastTimeout).toBe(0);
	}, 30_000);

	test('secrets: a wrapped node copies its token into the output', async () => {
		const report = await withWrappedNode(copiesToken, config('planted secret', { items: 10 }));
		expect(report.secretsFound).toBeGreaterThan(0);
	});

	test('output not paired: a wrapped node returns its items in reverse order', async () => {
		const report = await withWrappedNode(reversesOutput, config('planted unpaired', { items: 10 }));
		expect(report.badOutput).toBeGreaterThan(0);
	});
});

describe('soak self-tests: outcome unknown is neither lost nor a not-applied claim', () => {
	test('a node reporting every item "outcome unknown" after applied-then-500 answers', async () => {
		const report = await withWrappedNode(
			reportsOutcomeUnknown,
			config('outcome unknown', { faults: { applyThen500Rate: 0.4 } }),
		);
		expect(report.outcomeUnknown).toBe(report.items);
		expect(report.lost).toBe(0);
		expect(report.reportedNotAppliedButApplied).toBe(0);
		expect(report.reportedFailedButApplied).toBe(0);
		// the writes landed (the node wrote them, then its output was replaced)
		expect(report.outcomeUnknownApplied).toBe(report.applied);
		expect(report.applied).toBeGreaterThan(0);
		// items whose write met no unclear answer were not ambiguous: counted apart
		expect(report.outcomeUnknownUnprompted).toBeGreaterThan(0);
		expect(report.outcomeUnknownUnprompted).toBeLessThan(report.items);
	});
});
