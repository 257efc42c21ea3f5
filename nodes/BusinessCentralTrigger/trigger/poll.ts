import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { TriggerFunctions, TriggerInput } from './input';
import { readChanges, readNewest, scopeKey, scopesOf } from './reads';
import {
	byModification,
	eventsOf,
	instant,
	MAX_SEEN_IDS,
	primedScope,
	type ChangedRecord,
	type TriggerEvent,
	type TriggerState,
} from './state';

interface Delivered {
	event: TriggerEvent;
	record: IDataObject;
}

/** The record as Business Central sent it (eTag included, so an Update can follow) plus the event. */
function toItems(delivered: Delivered[]): INodeExecutionData[][] | null {
	if (delivered.length === 0) return null;
	return [delivered.map(({ event, record }) => ({ json: { ...record, event } }))];
}

function storedState(context: TriggerFunctions, key: string): TriggerState | undefined {
	const state = context.getWorkflowStaticData('node').state as TriggerState | undefined;
	return state && state.key === key ? state : undefined;
}

/**
 * One poll of an active workflow. Every scope (journal) is read from its own watermark; the new
 * state is written to the workflow's static data only after every read succeeded, so a poll that
 * fails (throttled past the retries, token expired, network) throws and the next one starts from
 * the same watermarks and delivers what this one missed. A first activation (no state for these
 * parameters) only notes the newest records, unless Include Existing Records is on.
 */
export async function pollChanges(
	context: TriggerFunctions,
	input: TriggerInput,
): Promise<INodeExecutionData[][] | null> {
	const previous = storedState(context, input.stateKey);
	const next: TriggerState = { key: input.stateKey, scopes: {} };
	const delivered: Array<Delivered & { at: number }> = [];
	for (const scope of await scopesOf(context, input.source)) {
		const key = scopeKey(scope);
		if (!previous && !input.includeExisting) {
			next.scopes[key] = primedScope(
				await readNewest(context, scope, MAX_SEEN_IDS, input.primingSelect),
				input,
			);
			continue;
		}
		const stored = previous?.scopes[key];
		const changes = await readChanges(context, scope, {
			watermark: stored?.watermark,
			overlapMs: input.overlapMs,
		});
		const { events, scope: after } = eventsOf(stored, changes, input);
		next.scopes[key] = after;
		for (const { event, record } of events) {
			if (input.events.includes(event)) {
				delivered.push({ event, record, at: instant(String(record.lastModifiedDateTime)) });
			}
		}
	}
	context.getWorkflowStaticData('node').state = next as unknown as IDataObject;
	return toItems(delivered.sort((a, b) => a.at - b.at));
}

/** "Fetch Test Event": the most recently changed record (of any journal), nothing stored. */
export async function testEvent(
	context: IPollFunctions,
	input: TriggerInput,
): Promise<INodeExecutionData[][] | null> {
	const newest: ChangedRecord[] = [];
	for (const scope of await scopesOf(context, input.source)) {
		newest.push(...(await readNewest(context, scope, 1)));
	}
	const record = byModification(newest).pop()?.record;
	if (!record) return null;
	const paid = input.events.includes('paid') && input.statusOf(record) === 'Paid';
	const event: TriggerEvent = paid
		? 'paid'
		: input.events.includes('changed')
			? 'changed'
			: input.events[0];
	return toItems([{ event, record }]);
}
