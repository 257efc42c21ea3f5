/**
 * The trigger's watermark rules as pure functions (nodes/BusinessCentralTrigger/trigger/state.ts):
 * timestamps compared as instants (`…:59.58Z` after `…:59.577Z`), the overlap window, the ids
 * delivered in it, created / changed / paid, the bounded memory of seen ids, and that the stored
 * state is never changed in place (a failed poll must leave it as it was).
 */
import {
	eventOf,
	eventsOf,
	forgetOldest,
	MAX_SEEN_IDS,
	remember,
	windowStart,
	type ChangedRecord,
	type ScopeState,
} from '../nodes/BusinessCentralTrigger/trigger/state';

const none = { statusOf: () => '', overlapMs: 0 };
const byStatus = { statusOf: (record: { status?: unknown }) => String(record.status ?? ''), overlapMs: 0 };

function change(id: string, at: string, extra: Record<string, unknown> = {}): ChangedRecord {
	return { id, lastModifiedDateTime: at, record: { id, lastModifiedDateTime: at, ...extra } };
}

describe('trigger state rules', () => {
	test('timestamps as instants: 59.58 is after 59.577; the watermark is the newest, not the last in text order', () => {
		const { events, scope } = eventsOf(undefined, [change('b', '2026-11-30T04:00:59.58Z'), change('a', '2026-11-30T04:00:59.577Z')], none);
		expect(events.map((event) => event.record.id)).toEqual(['a', 'b']);
		expect(scope.watermark).toBe('2026-11-30T04:00:59.58Z');
	});

	test('same id, same timestamp inside the window → dropped; newer timestamp → changed; a record read twice in one poll counts once', () => {
		const stored: ScopeState = { watermark: '2026-11-30T04:00:00Z', recent: { a: '2026-11-30T04:00:00.000Z' }, seen: { a: '' } };
		const frozen = JSON.stringify(stored);
		const { events } = eventsOf(
			stored,
			[change('a', '2026-11-30T04:00:00Z'), change('b', '2026-11-30T04:00:00Z'), change('b', '2026-11-30T04:00:01Z'), change('a', '2026-11-30T04:00:02Z')],
			none,
		);
		expect(events.map((event) => [event.record.id, event.event, event.record.lastModifiedDateTime])).toEqual([
			['b', 'created', '2026-11-30T04:00:01Z'],
			['a', 'changed', '2026-11-30T04:00:02Z'],
		]);
		expect(JSON.stringify(stored)).toBe(frozen);
	});

	test('the window keeps the deliveries of the last overlap and forgets older ones', () => {
		const rules = { statusOf: () => '', overlapMs: 60_000 };
		const { scope } = eventsOf(undefined, [change('old', '2026-11-30T03:58:00Z'), change('in', '2026-11-30T03:59:30Z'), change('new', '2026-11-30T04:00:00Z')], rules);
		expect(Object.keys(scope.recent).sort()).toEqual(['in', 'new']);
		expect(windowStart(scope.watermark, rules.overlapMs)).toBe('2026-11-30T03:59:00.000Z');
		expect(windowStart(scope.watermark, 0)).toBe('2026-11-30T04:00:00Z');
	});

	test('paid: status Paid not Paid when last seen (also never seen); Paid again is changed', () => {
		expect(eventOf('Open', 'Paid')).toBe('paid');
		expect(eventOf(undefined, 'Paid')).toBe('paid');
		expect(eventOf('Paid', 'Paid')).toBe('changed');
		expect(eventOf(undefined, 'Open')).toBe('created');
		const { events } = eventsOf({ recent: {}, seen: { i: 'Open' } }, [change('i', '2026-11-30T04:00:00Z', { status: 'Paid' })], byStatus);
		expect(events.map((event) => event.event)).toEqual(['paid']);
	});

	test('seen ids are bounded: the oldest are forgotten first, a seen id moves to the newest end', () => {
		const seen: Record<string, string> = {};
		for (let index = 0; index < MAX_SEEN_IDS; index++) remember(seen, `id${index}`, '');
		remember(seen, 'id0', '');
		remember(seen, 'extra', '');
		forgetOldest(seen);
		expect(Object.keys(seen)).toHaveLength(MAX_SEEN_IDS);
		expect(seen).not.toHaveProperty('id1');
		expect(Object.keys(seen).slice(-2)).toEqual(['id0', 'extra']);
	});
});
