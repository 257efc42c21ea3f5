import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger remembers between polls, per scope (one journal, or the whole collection).
 * Every time in here is one Business Central wrote (`lastModifiedDateTime`), never the n8n
 * host's clock, so a host whose clock is off cannot make the trigger skip or repeat changes.
 */
export interface ScopeState {
	/** Newest `lastModifiedDateTime` delivered (or seen at activation); undefined: nothing seen yet. */
	watermark?: string;
	/**
	 * Ids delivered at exactly `watermark`, with that timestamp. The next poll asks for
	 * `ge watermark` (several records share one 1/300 s tick, and one may be written in the
	 * tick after the read), so these come again and are dropped unless they changed since.
	 */
	boundary: Record<string, string>;
	/** Ids seen before → their last status ('' when the entity has none), newest last, bounded. */
	seen: Record<string, string>;
}

export interface TriggerState {
	/** The parameters the state belongs to: another resource, company or filter starts afresh. */
	key: string;
	scopes: Record<string, ScopeState>;
}

export type TriggerEvent = 'created' | 'changed' | 'paid';

/** How many ids per scope "created" vs "changed" (and "paid") is told from; the oldest are forgotten first. */
export const MAX_SEEN_IDS = 5_000;

export const PAID_STATUS = 'Paid';

/** A record of a change read: its id and Business Central's timestamp are required. */
export interface ChangedRecord {
	id: string;
	lastModifiedDateTime: string;
	record: IDataObject;
}

export function emptyScope(): ScopeState {
	return { boundary: {}, seen: {} };
}

/** Milliseconds of a Business Central timestamp (`…:53.277Z`, `…:59.58Z` do not compare as text). */
export function instant(timestamp: string): number {
	return Date.parse(timestamp);
}

/** Oldest change first; equal timestamps keep Business Central's order. */
export function byModification(records: ChangedRecord[]): ChangedRecord[] {
	return records
		.map((entry, index) => ({ entry, index }))
		.sort(
			(a, b) =>
				instant(a.entry.lastModifiedDateTime) - instant(b.entry.lastModifiedDateTime) ||
				a.index - b.index,
		)
		.map(({ entry }) => entry);
}

/** Remembers an id as seen (moved to the newest end), forgetting the oldest past MAX_SEEN_IDS. */
export function remember(seen: Record<string, string>, id: string, status: string): void {
	delete seen[id];
	seen[id] = status;
	const ids = Object.keys(seen);
	for (let index = 0; index < ids.length - MAX_SEEN_IDS; index++) delete seen[ids[index]];
}

/**
 * The event a change is: "paid" when the record's status is Paid and it was not Paid when
 * last seen (an invoice never seen counts as not Paid before), else "created" for an id
 * never seen, else "changed".
 */
export function eventOf(previous: string | undefined, status: string): TriggerEvent {
	if (status === PAID_STATUS && previous !== PAID_STATUS) return 'paid';
	return previous === undefined ? 'created' : 'changed';
}

/** Whether a change read again at the boundary was already delivered (same id, same timestamp). */
function alreadyDelivered(scope: ScopeState, change: ChangedRecord): boolean {
	const delivered = scope.boundary[change.id];
	return (
		delivered !== undefined && instant(delivered) === instant(change.lastModifiedDateTime)
	);
}

/** Moves the watermark to a change's timestamp and keeps the ids delivered at it. */
function advance(scope: ScopeState, change: ChangedRecord): void {
	const at = instant(change.lastModifiedDateTime);
	if (scope.watermark === undefined || at > instant(scope.watermark)) {
		scope.watermark = change.lastModifiedDateTime;
		scope.boundary = {};
	}
	if (at === instant(scope.watermark)) scope.boundary[change.id] = change.lastModifiedDateTime;
}

/** A copy of a scope, so a poll that fails half-way leaves the stored one untouched. */
export function copyScope(scope: ScopeState | undefined): ScopeState {
	if (!scope) return emptyScope();
	return { watermark: scope.watermark, boundary: { ...scope.boundary }, seen: { ...scope.seen } };
}

/**
 * The events of the changes read in one poll of a scope, oldest first, and the scope's state
 * after them (a new object: the caller stores it only when the whole poll succeeded). A record
 * read twice in the poll counts once, with its newest version.
 */
export function eventsOf(
	stored: ScopeState | undefined,
	changes: ChangedRecord[],
	statusOf: (record: IDataObject) => string,
): { events: Array<{ event: TriggerEvent; record: IDataObject }>; scope: ScopeState } {
	const scope = copyScope(stored);
	const newest = new Map<string, ChangedRecord>();
	for (const change of byModification(changes)) newest.set(change.id, change);
	const events: Array<{ event: TriggerEvent; record: IDataObject }> = [];
	for (const change of byModification([...newest.values()])) {
		if (alreadyDelivered(scope, change)) continue;
		const status = statusOf(change.record);
		events.push({ event: eventOf(scope.seen[change.id], status), record: change.record });
		remember(scope.seen, change.id, status);
		advance(scope, change);
	}
	return { events, scope };
}

/** The state of a first activation: the newest records present, marked seen and delivered. */
export function primedScope(
	existing: ChangedRecord[],
	statusOf: (record: IDataObject) => string,
): ScopeState {
	return eventsOf(undefined, existing, statusOf).scope;
}
