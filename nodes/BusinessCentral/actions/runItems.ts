import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failureJson, itemError } from '../helpers/itemErrors';

/** What one item ended with: its output (one or more records) or its error. */
export type ItemOutcome = IDataObject | IDataObject[] | Error;

/** An item whose input passed the checks, ready to send. */
export interface CheckedItem<P> {
	itemIndex: number;
	request: P;
}

export interface RunItemsOptions<P> {
	/** Reads and validates one item's parameters; throws on bad input. Runs for every item before any request. */
	check: (itemIndex: number) => P;
	/** Sends one item's requests; items run one after another, in order. */
	run?: (request: P, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
	/**
	 * Or sends every item's requests together (Update's `$batch`), reporting each item's
	 * outcome; it starts nothing new once `stop()` is true.
	 */
	runAll?: (
		items: Array<CheckedItem<P>>,
		report: (itemIndex: number, outcome: ItemOutcome) => void,
		stop: () => boolean,
	) => Promise<void>;
	/** For writes: past participle used when the node stops ("created", "updated"). */
	done?: string;
	/** With `runAll`, items written may come after the failed one: the note says "other", not "earlier". */
	doneInAnyOrder?: boolean;
}

/** Runs the items one after another; a failure ends the run unless "Continue On Fail". */
async function oneByOne<P>(
	context: IExecuteFunctions,
	run: NonNullable<RunItemsOptions<P>['run']>,
	items: Array<CheckedItem<P>>,
	report: (itemIndex: number, outcome: ItemOutcome) => void,
	stop: () => boolean,
): Promise<void> {
	for (const { itemIndex, request } of items) {
		if (stop()) break;
		try {
			report(itemIndex, await run(request, itemIndex));
		} catch (error) {
			report(itemIndex, itemError(context.getNode(), error as Error, itemIndex));
		}
	}
}

/** The item's error, saying how many items were already written (they stay written). */
function stoppedError<P>(
	context: IExecuteFunctions,
	error: Error,
	itemIndex: number,
	written: number,
	options: RunItemsOptions<P>,
): Error {
	const wrapped = itemError(context.getNode(), error, itemIndex);
	if (options.done && written > 0 && 'description' in wrapped) {
		const which = options.doneInAnyOrder ? 'other' : 'earlier';
		const note = `${written} ${which} item(s) of this run were ${options.done} before the node stopped and stay ${options.done}; turn on "Continue On Fail" to get one result per item.`;
		const withNote = wrapped as { description?: string | null };
		withNote.description = [withNote.description, note].filter(Boolean).join(' ');
	}
	return wrapped;
}

/**
 * The per-item loop of every operation: every item's input is checked before the first
 * request (so a bad value in item 7 cannot leave items 0–6 written and the rest not);
 * items then run one by one (`run`) or together (`runAll`); output is in input order,
 * paired to its item. A failure becomes an error item under "Continue On Fail",
 * otherwise the node stops, saying how many items were already written (they stay).
 */
export async function runItems<P>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunItemsOptions<P>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	const outcomes = new Map<number, ItemOutcome>();
	const valid: Array<CheckedItem<P>> = [];
	for (const itemIndex of items.keys()) {
		try {
			valid.push({ itemIndex, request: options.check(itemIndex) });
		} catch (error) {
			const wrapped = itemError(context.getNode(), error as Error, itemIndex);
			if (!continueOnFail) throw wrapped;
			outcomes.set(itemIndex, wrapped);
		}
	}
	const report = (itemIndex: number, outcome: ItemOutcome) => outcomes.set(itemIndex, outcome);
	const stop = () =>
		!continueOnFail && [...outcomes.values()].some((outcome) => outcome instanceof Error);
	if (options.runAll) await options.runAll(valid, report, stop);
	else if (options.run) await oneByOne(context, options.run, valid, report, stop);

	const results: INodeExecutionData[] = [];
	const written = [...outcomes.values()].filter((outcome) => !(outcome instanceof Error)).length;
	for (const itemIndex of items.keys()) {
		const outcome = outcomes.get(itemIndex);
		if (outcome === undefined) continue;
		if (outcome instanceof Error && !continueOnFail) {
			throw stoppedError(context, outcome, itemIndex, written, options);
		}
		const jsons =
			outcome instanceof Error
				? [failureJson(outcome)]
				: Array.isArray(outcome)
					? outcome
					: [outcome];
		for (const json of jsons) results.push({ json, pairedItem: { item: itemIndex } });
	}
	return results;
}
