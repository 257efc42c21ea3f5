/**
 * Business Central online's per-user OData limits, configurable, and the preset that sets
 * them as Microsoft documents them (`bcLimits`).
 *
 * Source: MicrosoftDocs/dynamics365smb-devitpro-pb
 * `dev-itpro/administration/operational-limits-online.md`, section "OData request limits
 * (per user)" (learn.microsoft.com/dynamics365/business-central/dev-itpro/administration/
 * operational-limits-online#ODataServicesUser):
 * - Max concurrent requests 5: "Requests that come in when this limit is exceeded will wait
 *   in a queue until a time slot becomes available. They wait in the queue until they time
 *   out after 8 minutes, where an HTTP response code 503 - Service Temporarily Unavailable
 *   is returned."
 * - Max connections 100 ("including processed and queued requests") and Max request queue
 *   size 95: past them, 429 Too Many Requests.
 * - Speed (rate) 6000: "the maximum number of OData V4 requests that can be submitted within
 *   a 5-minute sliding window"; past it, 429.
 * - Max page size 20,000 (section "OData request limits (per environment)"): the server pages
 *   collections at 20,000 entities (the sandbox's own default, 50, exercises paging in tests).
 * - FAQ on per-user limits: "these operational limits are applied to all types of users in
 *   the same way" (service principals too), so the key is the user / app, not the token:
 *   fetching a new OAuth2 token does not give a fresh quota.
 *
 * How a `$batch` counts is not documented (the page counts "OData V4 requests"; the
 * rate-limits page, `api-reference/v2.0/dynamics-rate-limits.md`, only says "Instead of
 * issuing multiple requests, one request can be issued"). The sandbox takes the cautious
 * reading for the rate window: a `$batch` costs its number of operations; for concurrency
 * it is one HTTP request, holding one slot while its operations run one after another
 * ("use $batch, which will make sure calls get executed one after another",
 * `dev-itpro/performance/performance-developer.md`).
 *
 * `Retry-After` is documented for 502 and 503 only (`dev-itpro/includes/
 * include-http-status-error-codes.md`), not for 429 ("adopt a retry logic while providing
 * a cool off period", dynamics-rate-limits.md): the preset sends none on 429, so a client
 * must back off on its own; the queue timeout's 503 carries one.
 */
import type { SandboxOptions, ThrottleOptions } from './types.cjs';

/** The per-user limits of Business Central online (see the file comment for the source). */
export const BC_LIMITS = {
	maxConcurrent: 5,
	queueSize: 95,
	queueTimeoutMs: 8 * 60 * 1000,
	throttle: { maxRequests: 6000, windowMs: 5 * 60 * 1000 } satisfies ThrottleOptions,
	pageSize: 20_000,
} as const;

/** Options with `bcLimits` expanded; limits the caller set explicitly win over the preset. */
export function withBcLimits(options: SandboxOptions): SandboxOptions {
	if (!options.bcLimits) return options;
	return {
		...options,
		maxConcurrent: options.maxConcurrent ?? BC_LIMITS.maxConcurrent,
		queueSize: options.queueSize ?? BC_LIMITS.queueSize,
		queueTimeoutMs: options.queueTimeoutMs ?? BC_LIMITS.queueTimeoutMs,
		throttle: options.throttle ?? { ...BC_LIMITS.throttle },
		pageSize: options.pageSize ?? BC_LIMITS.pageSize,
	};
}

/** Sliding-window counter per user. */
export class RateWindow {
	private readonly hits = new Map<string, number[]>();

	/**
	 * Records `cost` requests for the user if they fit in the window; returns
	 * false (and records nothing) when they do not. A batch larger than the
	 * whole quota is admitted once the window is empty, so it cannot livelock.
	 */
	admit(user: string, cost: number, opts: ThrottleOptions, now = Date.now()): boolean {
		const list = (this.hits.get(user) ?? []).filter((t) => t > now - opts.windowMs);
		const fits =
			list.length + cost <= opts.maxRequests || (list.length === 0 && cost > opts.maxRequests);
		if (fits) for (let i = 0; i < cost; i++) list.push(now);
		this.hits.set(user, list);
		return fits;
	}
}

interface Slots {
	active: number;
	queue: Array<(admitted: boolean) => void>;
}

/** What a request gets from the limiter: a slot (and how to give it back), or a refusal. */
export type Admission =
	| { release: () => void }
	/** `full`: cap and queue taken (429); `queueTimeout`: waited longer than allowed (503). */
	| { refused: 'full' | 'queueTimeout' };

/** Concurrency cap per user with an optional wait queue. */
export class ConcurrencyLimiter {
	private readonly slots = new Map<string, Slots>();

	/** `onActive` is told the user's number of running requests each time one starts. */
	constructor(
		private readonly onActive: (active: number) => void,
		private readonly timers: { set: (fn: () => void, ms: number) => () => void },
	) {}

	/** A slot for the user's request once one is free, or a refusal (see `Admission`). */
	async acquire(
		user: string,
		max: number | undefined,
		queueSize: number,
		queueTimeoutMs?: number,
	): Promise<Admission> {
		const s = this.slots.get(user) ?? { active: 0, queue: [] };
		this.slots.set(user, s);
		if (max === undefined || s.active < max) {
			s.active++;
		} else if (s.queue.length < queueSize) {
			// the releasing request hands its slot over: active stays the same
			const admitted = await new Promise<boolean>((resolve) => {
				let cancel = () => {};
				const wake = (ok: boolean) => {
					cancel();
					resolve(ok);
				};
				s.queue.push(wake);
				if (queueTimeoutMs === undefined) return;
				cancel = this.timers.set(() => {
					const at = s.queue.indexOf(wake);
					if (at >= 0) s.queue.splice(at, 1);
					resolve(false);
				}, queueTimeoutMs);
			});
			if (!admitted) return { refused: 'queueTimeout' };
		} else {
			return { refused: 'full' };
		}
		this.onActive(s.active);
		let released = false;
		return {
			release: () => {
				if (released) return;
				released = true;
				const next = s.queue.shift();
				if (next) next(true);
				else s.active--;
			},
		};
	}
}
