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
	 * Ids delivered within the overlap window (watermark minus the overlap) with their timestamp.
	 * Each poll asks for `ge` the window's start: several records share one 1/300 s tick, one may
	 * be written in the tick after the read, and a transaction that commits late carries the time
	 * it wrote the row, before records already read. What comes again with the same timestamp is
	 * dropped; a newer timestamp is a new change.
	 */
	recent: Record<string, string>;
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
	return { recent: {}, seen: {} };
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

/** Remembers an id as seen, moved to the newest end (forgetOldest bounds the list once per poll). */
export function remember(seen: Record<string, string>, id: string, status: string): void {
	delete seen[id];
	seen[id] = status;
}

/** Forgets the oldest seen ids past MAX_SEEN_IDS. */
export function forgetOldest(seen: Record<string, string>): void {
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

/** Whether a change read again inside the overlap window was already delivered (same id, same timestamp). */
function alreadyDelivered(scope: ScopeState, change: ChangedRecord): boolean {
	const delivered = scope.recent[change.id];
	return delivered !== undefined && instant(delivered) === instant(change.lastModifiedDateTime);
}

/** Moves the watermark up to a change's timestamp and keeps the change in the window. */
function advance(scope: ScopeState, change: ChangedRecord): void {
	if (
		scope.watermark === undefined ||
		instant(change.lastModifiedDateTime) > instant(scope.watermark)
	) {
		scope.watermark = change.lastModifiedDateTime;
	}
	scope.recent[change.id] = change.lastModifiedDateTime;
}

/** Forgets the deliveries older than the window: they are before what the next poll asks for. */
function pruneWindow(scope: ScopeState, overlapMs: number): void {
	if (scope.watermark === undefined) return;
	const start = instant(scope.watermark) - overlapMs;
	for (const [id, at] of Object.entries(scope.recent))
		if (instant(at) < start) delete scope.recent[id];
}

/** Where the next read starts: the watermark minus the overlap (Business Central's times only). */
export function windowStart(watermark: string | undefined, overlapMs: number): string | undefined {
	if (watermark === undefined || overlapMs === 0) return watermark;
	return new Date(instant(watermark) - overlapMs).toISOString();
}

/** A copy of a scope, so a poll that fails half-way leaves the stored one untouched. */
export function copyScope(scope: ScopeState | undefined): ScopeState {
	if (!scope) return emptyScope();
	return { watermark: scope.watermark, recent: { ...scope.recent }, seen: { ...scope.seen } };
}

/**
 * The events of the changes read in one poll of a scope, oldest first, and the scope's state
 * after them (a new object: the caller stores it only when the whole poll succeeded). A record
 * read twice in the poll counts once, with its newest version.
 */
export function eventsOf(
	stored: ScopeState | undefined,
	changes: ChangedRecord[],
	rules: { statusOf: (record: IDataObject) => string; overlapMs: number },
): { events: Array<{ event: TriggerEvent; record: IDataObject }>; scope: ScopeState } {
	const scope = copyScope(stored);
	const newest = new Map<string, ChangedRecord>();
	for (const change of byModification(changes)) newest.set(change.id, change);
	const events: Array<{ event: TriggerEvent; record: IDataObject }> = [];
	for (const change of byModification([...newest.values()])) {
		if (alreadyDelivered(scope, change)) continue;
		const status = rules.statusOf(change.record);
		events.push({ event: eventOf(scope.seen[change.id], status), record: change.record });
		remember(scope.seen, change.id, status);
		advance(scope, change);
	}
	pruneWindow(scope, rules.overlapMs);
	forgetOldest(scope.seen);
	return { events, scope };
}

/** The state of a first activation: the newest records present, marked seen and delivered. */
export function primedScope(
	existing: ChangedRecord[],
	rules: { statusOf: (record: IDataObject) => string; overlapMs: number },
): ScopeState {
	return eventsOf(undefined, existing, rules).scope;
}
