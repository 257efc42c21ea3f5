import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failureJson, itemError } from './itemErrors';

export interface RunItemsOptions<P> {
	/** Reads and validates one item's parameters; throws on bad input. Runs for every item before any request. */
	plan: (itemIndex: number) => P;
	/** Sends the item's requests; its result items are paired to the input item. */
	run: (plan: P, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
	/** For writes: past participle used when the node stops ("created", "deleted"). */
	done?: string;
}

/**
 * The per-item loop of Get, Get Many, Create and Delete, as Update does it:
 * every item's input is checked before the first request (so a bad value in
 * item 7 cannot leave items 0–6 written and the rest not); items then run in
 * order; a failure becomes an error item under "Continue On Fail", otherwise
 * the node stops, saying how many items were already written (they stay).
 */
export async function runItems<P>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	options: RunItemsOptions<P>,
): Promise<INodeExecutionData[]> {
	const node = context.getNode();
	const continueOnFail = context.continueOnFail();
	const plans = items.map((_item, itemIndex): P | Error => {
		try {
			return options.plan(itemIndex);
		} catch (error) {
			return itemError(node, error as Error, itemIndex);
		}
	});
	if (!continueOnFail) {
		const invalid = plans.find((plan): plan is Error => plan instanceof Error);
		if (invalid) throw invalid;
	}
	const results: INodeExecutionData[] = [];
	let written = 0;
	for (const [itemIndex, plan] of plans.entries()) {
		try {
			if (plan instanceof Error) throw plan;
			const output = await options.run(plan, itemIndex);
			for (const json of Array.isArray(output) ? output : [output]) {
				results.push({ json, pairedItem: { item: itemIndex } });
			}
			written++;
		} catch (error) {
			const wrapped = itemError(node, error as Error, itemIndex);
			if (continueOnFail) {
				results.push({ json: failureJson(wrapped), pairedItem: { item: itemIndex } });
				continue;
			}
			if (options.done && written > 0 && 'description' in wrapped) {
				const note = `${written} earlier item(s) of this run were ${options.done} before the node stopped and stay ${options.done}; turn on "Continue On Fail" to get one result per item.`;
				const withNote = wrapped as { description?: string | null };
				withNote.description = [withNote.description, note].filter(Boolean).join(' ');
			}
			throw wrapped;
		}
	}
	return results;
}
