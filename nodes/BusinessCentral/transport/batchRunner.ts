/**
 * How many records go through `$batch` at once (transport/batch.ts sends one): chunks of
 * at most Batch Size operations, at most Max Concurrent Requests chunks in flight, and
 * waves so that no record appears twice in one chunk or in chunks running side by side.
 */

export interface BatchRunOptions {
	/** Records per `$batch` request (Business Central accepts at most 100 operations). */
	size: number;
	/** `$batch` requests in flight at once (Business Central processes 5 per user). */
	concurrency: number;
	/** Checked before each chunk starts: true once the run must end (a failure without Continue On Fail). */
	stop: () => boolean;
}

/**
 * Splits work so that no record appears twice in one group: the k-th entry for the same
 * key goes to group k, and groups run one after another, so repeated updates of one
 * record apply in item order as they would one by one.
 */
export function inWaves<T>(entries: T[], keyOf: (entry: T) => string): T[][] {
	const seen = new Map<string, number>();
	const waves: T[][] = [];
	for (const entry of entries) {
		const key = keyOf(entry).toLowerCase();
		const wave = seen.get(key) ?? 0;
		seen.set(key, wave + 1);
		(waves[wave] ??= []).push(entry);
	}
	return waves;
}

export function chunks<T>(list: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		result.push(list.slice(start, start + size));
	return result;
}

/** Runs tasks with at most `limit` in flight; stops starting new ones once `stop()` says so. */
export async function inPool(
	tasks: Array<() => Promise<void>>,
	limit: number,
	stop: () => boolean,
) {
	let next = 0;
	const worker = async () => {
		while (next < tasks.length && !stop()) {
			const task = tasks[next++];
			await task();
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** Runs `runChunk` over every entry: waves by key, chunks of `size`, `concurrency` chunks at a time. */
export async function runInBatches<T>(
	entries: T[],
	keyOf: (entry: T) => string,
	options: BatchRunOptions,
	runChunk: (chunk: T[]) => Promise<void>,
): Promise<void> {
	for (const wave of inWaves(entries, keyOf)) {
		if (options.stop()) break;
		const tasks = chunks(wave, options.size).map((chunk) => async () => await runChunk(chunk));
		await inPool(tasks, options.concurrency, options.stop);
	}
}
