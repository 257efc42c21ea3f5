/**
 * BC SaaS per-user limits: a sliding-window request quota (6,000 per 5 minutes
 * in production; a $batch counts as its number of operations) and a cap on
 * requests processed at once (5, with a queue; past both → 429). The sandbox
 * makes both configurable per token.
 */
import type { ThrottleOptions } from './types.cjs';

/** Sliding-window counter per token. */
export class RateWindow {
	private readonly hits = new Map<string, number[]>();

	/**
	 * Records `cost` requests for the token if they fit in the window; returns
	 * false (and records nothing) when they do not. A batch larger than the
	 * whole quota is admitted once the window is empty, so it cannot livelock.
	 */
	admit(token: string, cost: number, opts: ThrottleOptions, now = Date.now()): boolean {
		const list = (this.hits.get(token) ?? []).filter((t) => t > now - opts.windowMs);
		const fits =
			list.length + cost <= opts.maxRequests || (list.length === 0 && cost > opts.maxRequests);
		if (fits) for (let i = 0; i < cost; i++) list.push(now);
		this.hits.set(token, list);
		return fits;
	}
}

interface Slots {
	active: number;
	queue: Array<() => void>;
}

/** Concurrency cap per token with an optional wait queue. */
export class ConcurrencyLimiter {
	private readonly slots = new Map<string, Slots>();

	/** `onActive` is told the token's number of running requests each time one starts. */
	constructor(private readonly onActive: (active: number) => void) {}

	/**
	 * Resolves to a release function once the request may run, or to
	 * undefined when it must be rejected (cap and queue full).
	 */
	async acquire(
		token: string,
		max: number | undefined,
		queueSize: number,
	): Promise<(() => void) | undefined> {
		const s = this.slots.get(token) ?? { active: 0, queue: [] };
		this.slots.set(token, s);
		if (max === undefined || s.active < max) {
			s.active++;
		} else if (s.queue.length < queueSize) {
			// the releasing request hands its slot over: active stays the same
			await new Promise<void>((resolve) => s.queue.push(resolve));
		} else {
			return undefined;
		}
		this.onActive(s.active);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = s.queue.shift();
			if (next) next();
			else s.active--;
		};
	}
}
