/**
 * Input, every operation alike (issue 10, section 4), through n8n's engine with
 * the node loaded from dist/ and strict nock (any request without an interceptor
 * fails the test, so "refused before any request" rows prove that none was made):
 *
 * - Delete checks its eTag option like Update, for every item before the first DELETE.
 * - Node version 2: fields start empty and an empty one is refused (Update), or left
 *   out (Create's optional fields); version 1 keeps its parameters and behaviour.
 * - Dates given as instants (JS Date, ISO text with an offset) become the calendar
 *   date in the workflow's time zone; impossible times are refused.
 * - Get Many's Custom Filter cannot close the parentheses it is wrapped in.
 */
import nock from 'nock';
import { NodeHelpers, type IDataObject, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { loadPackage, NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	JOURNAL,
	locator,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	paymentPath,
	paymentRecord,
	SAAS_PATH,
	saasApi,
	updateWorkflow,
	useNock,
	type UpdateNodeOptions,
} from './fixtures.cjs';
import { NODE, opsWorkflow, type Operation } from './opsFixtures.cjs';

const requests = useNock(nock);

const BAD_ITEM = 2;
const ITEMS = [{ n: 0 }, { n: 1 }, { n: 2 }];
const COLLECTION = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;

/** `={{ item 2 ? bad : good }}` with both given as JavaScript source. */
function perItem(goodJs: string, badJs: string): string {
	return `={{ $itemIndex === ${BAD_ITEM} ? (${badJs}) : (${goodJs}) }}`;
}
const js = (value: string): string => JSON.stringify(value);

/** The workflow with the Business Central node at `typeVersion` and the workflow's time zone set. */
function withNode(workflow: WorkflowJson, typeVersion: number, timezone?: string): WorkflowJson {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => (node.type === NODE_TYPE ? { ...node, typeVersion } : node)),
		...(timezone ? { settings: { timezone } } : {}),
	};
}

async function runOp(operation: Operation, parameters: IDataObject, version = 2, timezone?: string, items: IDataObject[] = ITEMS) {
	return await runWorkflow(withNode(opsWorkflow(items, operation, { parameters }), version, timezone), {
		credentials: bearerCredentials(),
	});
}

async function runUpdate(parameters: UpdateNodeOptions, version = 2, timezone?: string, items: IDataObject[] = ITEMS) {
	return await runWorkflow(withNode(updateWorkflow(items, parameters), version, timezone), {
		credentials: bearerCredentials(),
	});
}

/** The node stopped before any request with an error naming field, value and item. */
function expectRefusedBeforeAnyRequest(
	result: Awaited<ReturnType<typeof runWorkflow>>,
	field: string,
	shows: string,
	itemIndex = BAD_ITEM,
	reason?: string,
): void {
	const error = result.error(NODE);
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.message).toContain(`Invalid ${field}: ${shows}`);
	if (reason) expect(error?.message).toContain(reason);
	expect(error?.message).toMatch(new RegExp(`\\(item ${itemIndex}\\)$`));
	expect(error?.description).toContain('Nothing was sent to Business Central');
	expect(result.output(NODE)).toEqual([]);
	expect(requests.unmatched).toEqual([]);
}

/**
 * What the editor puts into a collection when the user adds `field` to it: the
 * option's default, as the node description of that version declares it.
 */
async function addedFieldDefault(version: number, operation: Operation, collection: string, field: string): Promise<unknown> {
	const { nodeTypes } = await loadPackage();
	const description = nodeTypes.getByNameAndVersion(NODE_TYPE, version).description;
	const values: INodeParameters = { resource: 'customerPayment', operation };
	const shown = description.properties.filter(
		(property) =>
			property.name === collection &&
			NodeHelpers.displayParameter(values, property, { typeVersion: version }, description),
	);
	expect(shown).toHaveLength(1);
	const option = (shown[0].options as INodeProperties[]).find((candidate) => candidate.name === field);
	return option?.default;
}

// ---------------------------------------------------------------------------
// 1. Delete's eTag option
// ---------------------------------------------------------------------------

describe('Delete: the eTag option is checked like Update\'s, for every item before the first DELETE', () => {
	const rows: Array<[string, string, string, string]> = [
		// [what, item 2's eTag as JavaScript, shown value, reason]
		['a number', '42', '42', 'is not text'],
		['an object', '({ etag: 1 })', '{"etag":1}', 'is not text'],
		['* without Delete Regardless', js('*'), '"*"', 'set "On eTag Conflict" to "Delete Regardless"'],
		['a header injection (CR LF inside)', js(`${ETAG_1}\r\nX-Injected: 1`), '"W/\\"', 'line break'],
		['a trailing CR LF', js(`${ETAG_1}\r\n`), '"W/\\"', 'line break'],
		['unquoted', js('JzQ0O0pYb2JQ'), '"JzQ0O0pYb2JQ"', 'is not an eTag'],
	];

	test.each(rows)('item 2 holds %s: refused naming eTag, the value and item 2; no request at all', async (_what, bad, shows, reason) => {
		// items 0 and 1 are fine and carry their own eTag: before the fix they were deleted
		const result = await runOp('delete', {
			customerPayment: PAYMENT,
			options: { eTag: perItem(js(ETAG_1), bad) },
		});
		expectRefusedBeforeAnyRequest(result, 'eTag', shows, BAD_ITEM, reason);
	});

	test('node version 1 checks it too (a number was silently replaced by the current eTag)', async () => {
		const result = await runOp('delete', { customerPayment: PAYMENT, options: { eTag: perItem(js(ETAG_1), '42') } }, 1);
		expectRefusedBeforeAnyRequest(result, 'eTag', '42');
	});

	test('* with Delete Regardless is accepted and sent as If-Match: *', async () => {
		const scope = saasApi(nock).delete(paymentPath(PAYMENT)).matchHeader('if-match', '*').reply(204);

		const result = await runOp('delete', { customerPayment: PAYMENT, options: { eTag: '*', onConflict: 'overwrite' } }, 2, undefined, [{}]);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});

	test('a given eTag with spaces around is trimmed and sent as If-Match', async () => {
		const scope = saasApi(nock).delete(paymentPath(PAYMENT)).matchHeader('if-match', ETAG_2).reply(204);

		const result = await runOp('delete', { customerPayment: PAYMENT, options: { eTag: `  ${ETAG_2} ` } }, 2, undefined, [{}]);

		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});
});

// ---------------------------------------------------------------------------
// 2. Fields that were added but not filled in
// ---------------------------------------------------------------------------

describe('Update, node version 2: a field added and left at its (empty) default is refused, never written', () => {
	test('Amount and Line Number start empty in version 2 and at 0 / 10000 in version 1', async () => {
		expect(await addedFieldDefault(2, 'update', 'updateFields', 'amount')).toBe('');
		expect(await addedFieldDefault(2, 'update', 'updateFields', 'lineNumber')).toBe('');
		expect(await addedFieldDefault(1, 'update', 'updateFields', 'amount')).toBe(0);
		expect(await addedFieldDefault(1, 'update', 'updateFields', 'lineNumber')).toBe(10000);
	});

	const fields: Array<[string, string]> = [
		['amount', 'Amount'],
		['lineNumber', 'Line Number'],
		['postingDate', 'Posting Date'],
		['customer', 'Customer'],
		['customerNumber', 'Customer Number'],
		['appliesToInvoice', 'Applies-to Invoice'],
		['appliesToInvoiceNumber', 'Applies-to Invoice Number'],
		['description', 'Description'],
		['comment', 'Comment'],
		['documentNumber', 'Document Number'],
		['externalDocumentNumber', 'External Document Number'],
	];

	test.each(fields)('%s added, left at its default: "is empty", no request', async (field, label) => {
		const added = await addedFieldDefault(2, 'update', 'updateFields', field);
		const result = await runUpdate({ updateFields: { [field]: added as string } }, 2, undefined, [{}]);
		const error = result.error(NODE);
		expect(error?.message).toMatch(new RegExp(`^Invalid ${label}: .* is empty: enter a value or remove the field \\(item 0\\)$`));
		expect(requests.unmatched).toEqual([]);
	});

	test('an expression that gives nothing for item 2 is refused before items 0 and 1 are written', async () => {
		const result = await runUpdate({ updateFields: { amount: perItem('-5', js('')) }, options: { eTag: ETAG_1 } });
		expectRefusedBeforeAnyRequest(result, 'Amount', '""', BAD_ITEM, 'is empty: enter a value or remove the field');
	});

	test('values typed as text are sent with their types: amount and line number as numbers', async () => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { amount: -1500.5, lineNumber: 20000, description: 'Remittance' })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1500.5, lineNumber: 20000, description: 'Remittance' }));

		const result = await runUpdate(
			{ updateFields: { amount: '-1500.50', lineNumber: '20000', description: 'Remittance' }, options: { eTag: ETAG_1 } },
			2,
			undefined,
			[{}],
		);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ amount: -1500.5, lineNumber: 20000 });
		expect(scope.isDone()).toBe(true);
	});

	test('Clear Fields empties text properties explicitly (the way to send "")', async () => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { amount: -10, description: '', comment: '' })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -10, description: '' }));

		const result = await runUpdate(
			{ updateFields: { amount: -10, clearFields: ['description', 'comment'] }, options: { eTag: ETAG_1 } },
			2,
			undefined,
			[{}],
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('Clear Fields listing a field that is also given a value is refused', async () => {
		const result = await runUpdate({ updateFields: { description: 'x', clearFields: ['description'] } }, 2, undefined, [{}]);
		expect(result.error(NODE)?.message).toBe(
			'Invalid Clear Fields: ["description"] lists Description, which is also given a value: do one or the other (item 0)',
		);
		expect(requests.unmatched).toEqual([]);
	});

	test('Clear Fields alone (nothing else) is a complete update', async () => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { externalDocumentNumber: '' })
			.reply(200, paymentRecord(PAYMENT, ETAG_2));
		const result = await runUpdate({ updateFields: { clearFields: ['externalDocumentNumber'] }, options: { eTag: ETAG_1 } }, 2, undefined, [{}]);
		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});

describe('Update, node version 1: saved workflows behave as before', () => {
	test('Amount added and left at 0 is written as 0 (version 1 as it always was)', async () => {
		const added = await addedFieldDefault(1, 'update', 'updateFields', 'amount');
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { amount: 0 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: 0 }));

		const result = await runUpdate({ updateFields: { amount: added as number }, options: { eTag: ETAG_1 } }, 1, undefined, [{}]);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('an empty Description still clears it (sent as "")', async () => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { description: '' })
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { description: '' }));

		const result = await runUpdate({ updateFields: { description: '' }, options: { eTag: ETAG_1 } }, 1, undefined, [{}]);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});

describe('Create: required Amount and optional fields per node version', () => {
	test('version 2: Amount starts empty and is refused empty; no request', async () => {
		const { nodeTypes } = await loadPackage();
		const description = nodeTypes.getByNameAndVersion(NODE_TYPE, 2).description;
		const amount = description.properties.find(
			(property) =>
				property.name === 'amount' &&
				NodeHelpers.displayParameter({ resource: 'customerPayment', operation: 'create' }, property, { typeVersion: 2 }, description),
		);
		expect(amount?.default).toBe('');
		const result = await runOp('create', { journal: JOURNAL, amount: perItem('-5', js('')) });
		expectRefusedBeforeAnyRequest(result, 'Amount', '""', BAD_ITEM, 'is required');
	});

	test('version 2: Line Number added and left empty is left out (Business Central puts the line last)', async () => {
		const added = await addedFieldDefault(2, 'create', 'additionalFields', 'lineNumber');
		expect(added).toBe('');
		const scope = saasApi(nock)
			.post(COLLECTION, { journalId: JOURNAL, amount: -1500 })
			.reply(201, paymentRecord(PAYMENT, ETAG_1));

		const result = await runOp('create', { journal: JOURNAL, amount: '-1500', additionalFields: { lineNumber: added } }, 2, undefined, [{}]);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('version 1: Line Number added keeps its 10000 and is sent, as before', async () => {
		const added = await addedFieldDefault(1, 'create', 'additionalFields', 'lineNumber');
		expect(added).toBe(10000);
		const scope = saasApi(nock)
			.post(COLLECTION, { journalId: JOURNAL, amount: -1500, lineNumber: 10000 })
			.reply(201, paymentRecord(PAYMENT, ETAG_1));

		const result = await runOp('create', { journal: JOURNAL, amount: -1500, additionalFields: { lineNumber: added } }, 1, undefined, [{}]);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});

// ---------------------------------------------------------------------------
// 3. Dates in the workflow's time zone
// ---------------------------------------------------------------------------

// 2026-03-01 23:30 in New York = 2026-03-02 04:30 UTC = 05:30 in Berlin = 17:30 in Auckland
const NEW_YORK_EVENING = '2026-03-01T23:30:00-05:00';
// 2026-03-01 23:30 UTC = 18:30 in New York = 00:30 (next day) in Berlin
const UTC_LATE = 'new Date(Date.UTC(2026, 2, 1, 23, 30))';

const ZONES: Array<[string, string, string]> = [
	// [workflow time zone, date of NEW_YORK_EVENING there, date of UTC_LATE there]
	['America/New_York', '2026-03-01', '2026-03-01'],
	['Europe/Berlin', '2026-03-02', '2026-03-02'],
	['Pacific/Auckland', '2026-03-02', '2026-03-02'],
	['UTC', '2026-03-02', '2026-03-01'],
	['America/Los_Angeles', '2026-03-01', '2026-03-01'],
];

describe('dates given as instants become the calendar date in the workflow\'s time zone', () => {
	test.each(ZONES)('Update Posting Date, workflow in %s: ISO text with an offset → %s, a JS Date → %s', async (zone, fromText, fromDate) => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { postingDate: fromText })
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { postingDate: fromText }))
			.patch(paymentPath(PAYMENT_2), { postingDate: fromDate })
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2, { postingDate: fromDate }));

		const result = await runUpdate(
			{
				payment: locator('={{ $json.id }}'),
				updateFields: { postingDate: `={{ $json.id === ${js(PAYMENT)} ? ${js(NEW_YORK_EVENING)} : ${UTC_LATE} }}` },
				options: { eTag: ETAG_1, batching: false },
			},
			2,
			zone,
			[{ id: PAYMENT }, { id: PAYMENT_2 }],
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test.each(ZONES)('Create Posting Date, workflow in %s: ISO text with an offset → %s', async (zone, fromText) => {
		const scope = saasApi(nock)
			.post(COLLECTION, { journalId: JOURNAL, amount: -1500, postingDate: fromText })
			.reply(201, paymentRecord(PAYMENT, ETAG_1, { postingDate: fromText }));

		const result = await runOp('create', { journal: JOURNAL, amount: -1500, postingDate: NEW_YORK_EVENING }, 2, zone, [{}]);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test.each(ZONES)('Get Many Posting Date From/To, workflow in %s: → ge %s (text), le %s (JS Date)', async (zone, fromText, fromDate) => {
		const from = fromText <= fromDate ? fromText : fromDate;
		const to = fromText <= fromDate ? fromDate : fromText;
		const filter = `journalId eq ${JOURNAL} and postingDate ge ${from} and postingDate le ${to}`;
		const scope = saasApi(nock)
			.get(COLLECTION)
			.query((query) => query.$filter === filter)
			.reply(200, { value: [] });

		const [fromJs, toJs] = fromText <= fromDate ? [js(NEW_YORK_EVENING), UTC_LATE] : [UTC_LATE, js(NEW_YORK_EVENING)];
		const result = await runOp(
			'getAll',
			{ journal: JOURNAL, filters: { postingDateFrom: `={{ ${fromJs} }}`, postingDateTo: `={{ ${toJs} }}` } },
			2,
			zone,
			[{}],
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('a Luxon DateTime carries its own zone: Create sends its own calendar date', async () => {
		const scope = saasApi(nock)
			.post(COLLECTION, { journalId: JOURNAL, amount: -1500, postingDate: '2026-03-02' })
			.reply(201, paymentRecord(PAYMENT, ETAG_1));

		// 2026-03-02 08:00 in Tokyo is still 2026-03-01 in New York, the workflow's zone
		const result = await runOp(
			'create',
			{ journal: JOURNAL, amount: -1500, postingDate: "={{ DateTime.fromISO('2026-03-02T08:00:00', { zone: 'Asia/Tokyo' }) }}" },
			2,
			'America/New_York',
			[{}],
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('a date without time or with a time but no offset keeps its own date, whatever the zone', async () => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { postingDate: '2026-03-01' })
			.reply(200, paymentRecord(PAYMENT, ETAG_2))
			.patch(paymentPath(PAYMENT_2), { postingDate: '2026-03-01' })
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2));

		const result = await runUpdate(
			{
				payment: locator('={{ $json.id }}'),
				updateFields: { postingDate: '={{ $json.date }}' },
				options: { eTag: ETAG_1, batching: false },
			},
			2,
			'Pacific/Auckland',
			[
				{ id: PAYMENT, date: '2026-03-01' },
				{ id: PAYMENT_2, date: '2026-03-01T23:30:00' },
			],
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	const IMPOSSIBLE: Array<[string, string]> = [
		['T24:00', '2026-03-01T24:00'],
		['T23:99:99Z', '2026-03-01T23:99:99Z'],
		['T25:00', '2026-03-01T25:00'],
		['T23:59:60', '2026-03-01T23:59:60'],
		['an offset of +25:00', '2026-03-01T10:00:00+25:00'],
		['a real time on an unreal date', '2026-02-30T10:00:00Z'],
	];

	test.each(IMPOSSIBLE)('Update Posting Date %s in item 2: refused, no request', async (_what, bad) => {
		const result = await runUpdate({ updateFields: { postingDate: perItem(js('2026-03-01'), js(bad)) } });
		expectRefusedBeforeAnyRequest(result, 'Posting Date', js(bad));
	});

	test.each(IMPOSSIBLE)('Create Posting Date %s in item 2: refused, no request', async (_what, bad) => {
		const result = await runOp('create', { journal: JOURNAL, amount: -1, postingDate: perItem(js('2026-03-01'), js(bad)) });
		expectRefusedBeforeAnyRequest(result, 'Posting Date', js(bad));
	});

	test.each(IMPOSSIBLE)('Get Many Posting Date To %s in item 2: refused, no request', async (_what, bad) => {
		const result = await runOp('getAll', { journal: JOURNAL, filters: { postingDateTo: perItem(js('2026-03-01'), js(bad)) } });
		expectRefusedBeforeAnyRequest(result, 'Posting Date To', js(bad));
	});

	test('an unknown workflow time zone is named in the error, not guessed', async () => {
		const result = await runUpdate({ updateFields: { postingDate: NEW_YORK_EVENING } }, 2, 'Mars/Olympus_Mons', [{}]);
		expect(result.error(NODE)?.message).toContain('the workflow\'s time zone "Mars/Olympus_Mons" is unknown');
		expect(requests.unmatched).toEqual([]);
	});
});

// ---------------------------------------------------------------------------
// 4. Get Many's Custom Filter stays inside its parentheses
// ---------------------------------------------------------------------------

describe('Get Many: the Custom Filter cannot escape its parentheses', () => {
	const ESCAPES: Array<[string, string, string]> = [
		['an or that closes the wrapper', 'amount lt 0) or (amount ge 0', 'closes a parenthesis it did not open'],
		['a closing parenthesis first', ')(', 'closes a parenthesis it did not open'],
		['one parenthesis too many closed', '(amount lt 0)) or (true', 'closes a parenthesis it did not open'],
		['a parenthesis left open', '(amount lt 0', 'leaves 1 parenthesis(es) open'],
		['a quote that hides the rest', "description eq 'x) or (amount ge 0", 'text literal that is not closed'],
		['an escaped quote that does not close the literal', "description eq 'it''s) or (true", 'text literal that is not closed'],
	];

	test.each(ESCAPES)('%s in item 2: refused naming Custom Filter, the value and item 2; no request', async (_what, bad, reason) => {
		const result = await runOp('getAll', {
			journal: JOURNAL,
			filters: { odataFilter: perItem(js('amount lt 0'), js(bad)) },
		});
		expectRefusedBeforeAnyRequest(result, 'Custom Filter', js(bad).slice(0, 20), BAD_ITEM, reason);
	});

	const FINE: string[] = [
		"description eq 'a)'",
		"description eq '(('",
		"contains(description,'it''s (fine')",
		"description eq 'it''s' and (amount lt 0 or amount gt 100)",
		"description eq ''''",
		"(contains(description,')') and amount lt 0)",
	];

	test.each(FINE)('%s: balanced outside its text literals, sent inside the parentheses', async (filter) => {
		const expected = `journalId eq ${JOURNAL} and (${filter})`;
		const scope = saasApi(nock)
			.get(COLLECTION)
			.query((query) => query.$filter === expected)
			.reply(200, { value: [] });

		const result = await runOp('getAll', { journal: JOURNAL, filters: { odataFilter: filter } }, 2, undefined, [{}]);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});
});

// ---------------------------------------------------------------------------
// Versions side by side: one definition per version, new nodes get 2
// ---------------------------------------------------------------------------

describe('node versions', () => {
	test('the node offers versions 1 and 2; new nodes get 2', async () => {
		const { nodeTypes } = await loadPackage();
		const description = nodeTypes.getByNameAndVersion(NODE_TYPE, 2).description;
		expect(description.version).toEqual([1, 2]);
		expect(description.defaultVersion).toBe(2);
	});

	test('three items, three payments, version 2 with values: all written (no false refusals)', async () => {
		const scope = saasApi(nock)
			.patch(paymentPath(PAYMENT), { amount: -1 })
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1 }))
			.patch(paymentPath(PAYMENT_2), { amount: -2 })
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2, { amount: -2 }))
			.patch(paymentPath(PAYMENT_3), { amount: -3 })
			.reply(200, paymentRecord(PAYMENT_3, ETAG_2, { amount: -3 }));

		const result = await runUpdate(
			{
				payment: locator('={{ $json.id }}'),
				updateFields: { amount: '={{ $json.amount }}' },
				options: { eTag: ETAG_1, batching: false },
			},
			2,
			undefined,
			[
				{ id: PAYMENT, amount: -1 },
				{ id: PAYMENT_2, amount: '-2' },
				{ id: PAYMENT_3, amount: -3 },
			],
		);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(3);
		expect(scope.isDone()).toBe(true);
	});
});
