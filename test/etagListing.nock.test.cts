/**
 * Reading eTags ahead with one journal listing (operations/etagReads.ts): when more than Batch
 * Size items update payments of one stated journal, the node lists that journal
 * (`$select=id`, `Prefer: odata.maxpagesize=20000`) instead of sending `$batch`es of GETs,
 * then PATCHes with each record's listed `@odata.etag`. Strict nock: every request is
 * scripted, the order they came in is asserted.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import nock from 'nock';

import { NODE_TYPE, runWorkflow } from '../dev/engine.cjs';
import {
	batches,
	conflict,
	eTagOf,
	indexOf,
	paymentId,
	type Answer,
	type Operation,
} from './batchNock.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	itemsNode,
	JOURNAL,
	JOURNAL_2,
	locator,
	paymentRecord,
	SAAS_BASE,
	SAAS_ORIGIN,
	SAAS_PATH,
	TENANT,
	TOKEN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

useNock(nock);

const LIST_PATH = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;
const V1_PATH = `/v2.0/${TENANT}/production/api/v1.0`;

/** What came in, in order: "list <query>" or "batch GET×n" / "batch PATCH×n". */
let trail: string[] = [];
beforeEach(() => (trail = []));

/** A listed row as Business Central sends it with `$select=id`: the eTag and the id. */
const row = (n: number, version = 1): IDataObject => ({ '@odata.etag': eTagOf(n, version), id: paymentId(n) });

/**
 * One listing page: checks the query and the Prefer header, answers `rows` and, with
 * `nextToken`, a next link as Business Central writes it (absolute, same query, new $skiptoken).
 */
function listing(
	expected: IDataObject,
	rows: IDataObject[],
	options: { nextToken?: string; path?: string; skiptoken?: string } = {},
) {
	const path = options.path ?? LIST_PATH;
	const query = options.skiptoken ? { ...expected, $skiptoken: options.skiptoken } : expected;
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get(path)
		.query(query as Record<string, string>)
		.matchHeader('prefer', 'odata.maxpagesize=20000')
		.reply(() => {
			trail.push(`list ${JSON.stringify(query)}`);
			const body: IDataObject = { value: rows };
			if (options.nextToken) {
				const next = new URLSearchParams({ ...(expected as Record<string, string>), $skiptoken: options.nextToken });
				body['@odata.nextLink'] = `${SAAS_ORIGIN}${path}?${next.toString()}`;
			}
			return [200, body];
		});
}

const journalQuery = (journal = JOURNAL) => ({ $filter: `journalId eq ${journal}`, $select: 'id' });

/** `$batch`es answered per operation: GETs with version 1 of the record, PATCHes applied (version 2). */
function answered(sent: Operation[][], count: number, answer: (operation: Operation) => Answer = standard) {
	return batches(sent, count, (operations) => {
		const methods = new Set(operations.map((operation) => operation.method));
		trail.push(`batch ${[...methods].join('+')}×${operations.length}`);
		return operations.map(answer);
	});
}

function standard(operation: Operation): Answer {
	const n = indexOf(operation);
	if (operation.method === 'GET') return { id: operation.id, status: 200, body: paymentRecord(paymentId(n), eTagOf(n)) };
	return { id: operation.id, status: 200, body: paymentRecord(paymentId(n), eTagOf(n, 2), operation.body) };
}

/** Payments `from`…`from+count-1`, no eTag given (the node reads it), in `journal` (per item). */
function paymentItems(count: number, journal: string | ((n: number) => string) = JOURNAL, from = 0): IDataObject[] {
	return Array.from({ length: count }, (_v, index) => {
		const n = from + index;
		return { id: paymentId(n), journal: typeof journal === 'string' ? journal : journal(n) };
	});
}

function workflow(items: IDataObject[], options: IDataObject = {}) {
	return updateWorkflow(items, {
		journal: locator('={{ $json.journal }}'),
		payment: locator('={{ $json.id }}'),
		updateFields: { amount: -10 },
		options: { maxRetries: 0, ...options },
		continueOnFail: true,
	});
}

const patches = (sent: Operation[][]) => sent.flat().filter((operation) => operation.method === 'PATCH');

describe('eTags of one journal from one listing', () => {
	test('250 items of one journal: 1 listing + 3 PATCH $batches (4 round trips, was 6); If-Match is each listed eTag', async () => {
		// the journal holds 300 lines: the 250 updated and 50 others, in another order
		const rows = [...Array.from({ length: 300 }, (_v, n) => row(299 - n))];
		listing(journalQuery(), rows);
		const sent: Operation[][] = [];
		answered(sent, 3);
		const result = await runWorkflow(workflow(paymentItems(250)), { credentials: bearerCredentials() });
		expect(trail).toEqual([`list ${JSON.stringify(journalQuery())}`, 'batch PATCH×100', 'batch PATCH×100', 'batch PATCH×50']);
		for (const operation of patches(sent)) expect(operation.headers['If-Match']).toBe(eTagOf(indexOf(operation)));
		const output = result.output('Business Central');
		expect(output).toHaveLength(250);
		output.forEach((item, n) => expect(item.json).toMatchObject({ id: paymentId(n), '@odata.etag': eTagOf(n, 2), amount: -10 }));
	});

	test('100 items (one $batch of GETs would do): no listing, reads as before', async () => {
		const sent: Operation[][] = [];
		answered(sent, 2);
		const result = await runWorkflow(workflow(paymentItems(100)), { credentials: bearerCredentials() });
		expect(trail).toEqual(['batch GET×100', 'batch PATCH×100']);
		expect(result.output('Business Central').every((item) => item.json.error === undefined)).toBe(true);
	});

	test('a journal too big for the page budget: 2 pages (one fewer than the 3 GET $batches), then GETs for the ids not seen', async () => {
		// 250 items → budget 2 pages; the journal's first pages hold only 150 of them
		listing(journalQuery(), [...Array.from({ length: 100 }, (_v, n) => row(n)), row(900)], { nextToken: 'p2' });
		listing(journalQuery(), Array.from({ length: 50 }, (_v, n) => row(100 + n)), { nextToken: 'p3', skiptoken: 'p2' });
		const sent: Operation[][] = [];
		answered(sent, 4);
		const result = await runWorkflow(workflow(paymentItems(250)), { credentials: bearerCredentials() });
		expect(trail.slice(0, 2).every((entry) => entry.startsWith('list '))).toBe(true);
		expect(trail.slice(2)).toEqual(['batch GET×100', 'batch PATCH×100', 'batch PATCH×100', 'batch PATCH×50']);
		// the GETs are exactly the ids the listing did not show
		expect(sent[0].map(indexOf)).toEqual(Array.from({ length: 100 }, (_v, n) => 150 + n));
		for (const operation of patches(sent)) expect(operation.headers['If-Match']).toBe(eTagOf(indexOf(operation)));
		expect(result.output('Business Central').every((item) => item.json.error === undefined)).toBe(true);
	});
});

/**
 * Payments as Business Central holds them for the tests below: a version per payment (its
 * eTag is eTagOf(n, version)), absent ones answer 404; a PATCH with the current eTag applies
 * (version + 1), any other eTag gets 409.
 */
class Payments {
	readonly versions = new Map<number, number>();
	readonly values = new Map<number, IDataObject>();
	constructor(present: number[]) {
		for (const n of present) this.versions.set(n, 1);
	}
	rows(ns: number[]): IDataObject[] {
		return ns.filter((n) => this.versions.has(n)).map((n) => row(n, this.versions.get(n)));
	}
	answer = (operation: Operation): Answer => {
		const n = indexOf(operation);
		const version = this.versions.get(n);
		if (version === undefined) {
			return { id: operation.id, status: 404, body: bcError('Internal_RecordNotFound', 'The Gen. Journal Line does not exist.') };
		}
		const stored = this.values.get(n) ?? {};
		if (operation.method === 'GET') return { id: operation.id, status: 200, body: paymentRecord(paymentId(n), eTagOf(n, version), stored) };
		if (operation.headers['If-Match'] !== eTagOf(n, version)) return conflict(operation);
		this.versions.set(n, version + 1);
		this.values.set(n, { ...stored, ...operation.body });
		return { id: operation.id, status: 200, body: paymentRecord(paymentId(n), eTagOf(n, version + 1), operation.body) };
	};
}

const range = (from: number, count: number) => Array.from({ length: count }, (_v, index) => from + index);
const errorsOf = (output: Array<{ json: IDataObject }>) => output.filter((item) => item.json.error !== undefined);

describe('what the listing does not show, stale eTags, several journals', () => {
	test('ids missing from a complete listing: one $batch GET of just those, the same 404 error as without the listing, no PATCH', async () => {
		const store = new Payments(range(0, 240)); // 240…249 were deleted
		listing(journalQuery(), store.rows(range(0, 250)));
		const sent: Operation[][] = [];
		answered(sent, 4, store.answer);
		const listed = await runWorkflow(workflow(paymentItems(250)), { credentials: bearerCredentials() });
		expect(trail.slice(1)).toEqual(['batch GET×10', 'batch PATCH×100', 'batch PATCH×100', 'batch PATCH×40']);
		expect(sent[0].map(indexOf)).toEqual(range(240, 10));
		expect(patches(sent).some((operation) => indexOf(operation) >= 240)).toBe(false);

		// the same run without a journal: GETs per chunk, as before; the failing items' errors are identical
		const again = new Payments(range(0, 240));
		answered([], 6, again.answer);
		const unlisted = await runWorkflow(workflow(paymentItems(250, '')), { credentials: bearerCredentials() });
		const failed = errorsOf(listed.output('Business Central'));
		expect(failed.map((item) => item.json.id ?? item.json)).toHaveLength(10);
		expect(failed).toEqual(errorsOf(unlisted.output('Business Central')));
		expect(JSON.stringify(failed[0].json)).toMatch(/Reading customer payment 00000240-/);
	});

	test('a stale eTag from the listing → 409 → "Fail" (the default): the item fails naming the listed eTag, nothing re-sent', async () => {
		const store = new Payments(range(0, 150));
		listing(journalQuery(), store.rows(range(0, 150)));
		for (const n of range(0, 15).map((k) => k * 10)) store.versions.set(n, 2); // changed after the listing
		const sent: Operation[][] = [];
		answered(sent, 2, store.answer);
		const result = await runWorkflow(workflow(paymentItems(150)), { credentials: bearerCredentials() });
		expect(trail.slice(1)).toEqual(['batch PATCH×100', 'batch PATCH×50']);
		const failed = errorsOf(result.output('Business Central'));
		expect(failed).toHaveLength(15);
		expect(JSON.stringify(failed[0].json)).toContain(`changed after eTag ${eTagOf(0).replace(/"/g, '\\"')} was read; nothing was written`);
		expect(store.versions.get(0)).toBe(2);
	});

	test('a stale eTag from the listing → 409 → "Fetch Latest and Retry Once": re-read by GET, written with the new eTag', async () => {
		const store = new Payments(range(0, 150));
		listing(journalQuery(), store.rows(range(0, 150)));
		for (const n of [0, 120]) store.versions.set(n, 2);
		const sent: Operation[][] = [];
		answered(sent, 6, store.answer);
		const result = await runWorkflow(workflow(paymentItems(150), { onConflict: 'retryOnce' }), {
			credentials: bearerCredentials(),
		});
		// per chunk: PATCH, then the conflicting one re-read and written again (chunks run side by side)
		expect(trail.slice(1).sort()).toEqual(['batch GET×1', 'batch GET×1', 'batch PATCH×1', 'batch PATCH×1', 'batch PATCH×100', 'batch PATCH×50']);
		const retried = patches(sent).filter((operation) => operation.headers['If-Match'] === eTagOf(indexOf(operation), 2));
		expect(retried.map(indexOf).sort((a, b) => a - b)).toEqual([0, 120]);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
		expect(store.versions.get(0)).toBe(3);
	});

	test('two journals and items without one: a listing per journal, one $batch GET for the rest, then the PATCHes', async () => {
		const store = new Payments(range(0, 330));
		const journalOf = (n: number) => (n < 150 ? JOURNAL : n < 300 ? JOURNAL_2 : '');
		listing(journalQuery(JOURNAL), store.rows(range(0, 150)));
		listing(journalQuery(JOURNAL_2), store.rows(range(150, 150)));
		const sent: Operation[][] = [];
		answered(sent, 5, store.answer);
		const result = await runWorkflow(workflow(paymentItems(330, journalOf)), { credentials: bearerCredentials() });
		expect(trail.slice(0, 2).sort()).toEqual([`list ${JSON.stringify(journalQuery(JOURNAL_2))}`, `list ${JSON.stringify(journalQuery(JOURNAL))}`].sort());
		expect(trail.slice(2)).toEqual(['batch GET×30', 'batch PATCH×100', 'batch PATCH×100', 'batch PATCH×100', 'batch PATCH×30']);
		expect(sent[0].map(indexOf)).toEqual(range(300, 30));
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
		expect([...store.versions.values()].every((version) => version === 2)).toBe(true);
	});

	test.each([
		['key form', (n: number) => `${SAAS_BASE}/companies(${COMPANY})/customerPaymentJournals(${JOURNAL})/customerPayments(${paymentId(n)})`],
		['slash form', (n: number) => `${SAAS_BASE}/companies/${COMPANY}/customerPaymentJournals/${JOURNAL}/customerPayments/${paymentId(n)}`],
	])('the journal stated in the payment URL (…/customerPaymentJournals(j)/customerPayments(p), %s) is listed too', async (_form, urlOf) => {
		const store = new Payments(range(0, 120));
		listing(journalQuery(), store.rows(range(0, 120)));
		answered([], 2, store.answer);
		const items = range(0, 120).map((n) => ({ url: urlOf(n) }));
		const result = await runWorkflow(
			updateWorkflow(items, {
				payment: { __rl: true, mode: 'url', value: '={{ $json.url }}' },
				updateFields: { amount: -10 },
				options: { maxRetries: 0 },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);
		expect(trail.slice(1)).toEqual(['batch PATCH×100', 'batch PATCH×20']);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('a payment updated twice: the listing serves its first update; the second reads after the first write', async () => {
		const store = new Payments(range(0, 120));
		listing(journalQuery(), store.rows(range(0, 120)));
		const sent: Operation[][] = [];
		answered(sent, 4, store.answer);
		const items = [...paymentItems(120), { id: paymentId(7), journal: JOURNAL }];
		const result = await runWorkflow(workflow(items), { credentials: bearerCredentials() });
		expect(trail.slice(1)).toEqual(['batch PATCH×100', 'batch PATCH×20', 'batch GET×1', 'batch PATCH×1']);
		expect(sent[3][0].headers['If-Match']).toBe(eTagOf(7, 2));
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
		expect(store.versions.get(7)).toBe(3);
	});

	test('Include Previous Values: the listing selects whole records; previousValues come from the listed record', async () => {
		const store = new Payments(range(0, 110));
		const full = store.rows(range(0, 110)).map((listed) => {
			const { '@odata.context': _context, ...record } = paymentRecord(String(listed.id), String(listed['@odata.etag']));
			return record;
		});
		listing({ $filter: `journalId eq ${JOURNAL}` }, full);
		answered([], 2, store.answer);
		const result = await runWorkflow(workflow(paymentItems(110), { includePreviousValues: true }), {
			credentials: bearerCredentials(),
		});
		expect(trail.slice(1)).toEqual(['batch PATCH×100', 'batch PATCH×10']);
		const output = result.output('Business Central');
		expect(output[0].json.previousValues).toEqual({ amount: -1500 });
	});

	test('API v1.0: the journal is listed through its navigation path (no journalId there)', async () => {
		const path = `${V1_PATH}/companies(${COMPANY})/customerPaymentJournals(${JOURNAL})/customerPayments`;
		const store = new Payments(range(0, 101));
		listing({ $select: 'id' }, store.rows(range(0, 101)), { path });
		const scope = nock(SAAS_ORIGIN)
			.post(`${V1_PATH}/$batch`)
			.times(2)
			.reply((_uri, body) => {
				const operations = (body as { requests: Operation[] }).requests;
				trail.push(`batch ${operations[0].method}×${operations.length}`);
				const answers = operations.map(store.answer).map((answer) => {
					const { journalId: _journal, ...record } = answer.body as IDataObject;
					return { ...answer, body: { ...record, '@odata.context': undefined } };
				});
				return [200, { responses: answers }];
			});
		const result = await runWorkflow(workflow(paymentItems(101)), {
			credentials: bearerCredentials({ apiVersion: 'v1.0' }),
		});
		expect(trail.slice(1)).toEqual(['batch PATCH×100', 'batch PATCH×1']);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
		scope.done();
	});

	test('an unclear PATCH after a listed eTag: re-read by $batch GET as before, and judged by the record', async () => {
		const store = new Payments(range(0, 120));
		listing(journalQuery(), store.rows(range(0, 120)));
		const sent: Operation[][] = [];
		answered(sent, 3, (operation) => {
			const answer = store.answer(operation);
			// payment 5's write lands, but its answer is a 500: the node must re-read, not re-send
			return operation.method === 'PATCH' && indexOf(operation) === 5
				? { id: operation.id, status: 500, body: bcError('Internal_ServerError', 'Something went wrong.') }
				: answer;
		});
		const result = await runWorkflow(workflow(paymentItems(120)), { credentials: bearerCredentials() });
		expect(trail.slice(1).sort()).toEqual(['batch GET×1', 'batch PATCH×100', 'batch PATCH×20']);
		expect(sent.flat().filter((operation) => operation.method === 'GET').map(indexOf)).toEqual([5]);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
		expect(result.output('Business Central')[5].json).toMatchObject({ id: paymentId(5), '@odata.etag': eTagOf(5, 2), amount: -10 });
		expect(store.versions.get(5)).toBe(2);
	});

	test('a Journal that is no GUID or whose expression fails is "not stated": no listing, no item fails because of it', async () => {
		const store = new Payments(range(0, 101));
		answered([], 4, store.answer);
		const items = paymentItems(101).map((item, n) => ({ ...item, journal: n % 2 ? 'CASH RCPT' : undefined }));
		const journal = locator('={{ $json.journal === undefined ? $json.journal.code : $json.journal }}');
		const result = await runWorkflow(
			updateWorkflow(items, { journal, payment: locator('={{ $json.id }}'), updateFields: { amount: -10 }, options: { maxRetries: 0 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);
		// as before: two chunks side by side, each a $batch of GETs then a $batch of PATCHes
		expect(trail.sort()).toEqual(['batch GET×1', 'batch GET×100', 'batch PATCH×1', 'batch PATCH×100']);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('a listing that fails is dropped: the records are read by $batch GETs as before', async () => {
		nock(SAAS_ORIGIN)
			.get(LIST_PATH)
			.query(journalQuery())
			.reply(() => {
				trail.push('list failed');
				return [400, bcError('Application_DialogException', 'Something went wrong.')];
			});
		const store = new Payments(range(0, 150));
		answered([], 4, store.answer);
		const result = await runWorkflow(workflow(paymentItems(150)), { credentials: bearerCredentials() });
		expect(trail).toEqual(['list failed', 'batch GET×100', 'batch GET×50', 'batch PATCH×100', 'batch PATCH×50']);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});
});

describe('customers: the company is the scope', () => {
	const CUSTOMERS_PATH = `${SAAS_PATH}/companies(${COMPANY})/customers`;
	const customerId = (n: number) => `${String(n).padStart(8, '0')}-4b7c-ef11-8a6b-6045bde9c5c7`;

	test('150 customer updates: one listing of the company\'s customers ($select=id), then 2 PATCH $batches', async () => {
		nock(SAAS_ORIGIN)
			.get(CUSTOMERS_PATH)
			.query({ $select: 'id' })
			.matchHeader('prefer', 'odata.maxpagesize=20000')
			.reply(() => {
				trail.push('list customers');
				return [200, { value: range(0, 160).map((n) => ({ '@odata.etag': eTagOf(n), id: customerId(n) })) }];
			});
		const sent: Operation[][] = [];
		batches(sent, 2, (operations) => {
			trail.push(`batch ${operations[0].method}×${operations.length}`);
			return operations.map((operation) => {
				const id = /customers\(([^)]+)\)/.exec(operation.url)![1];
				const body = { '@odata.etag': eTagOf(Number(id.slice(0, 8)), 2), id, number: '10000', ...operation.body };
				return { id: operation.id, status: 200, body };
			});
		});
		const node: INode = {
			id: 'bc-customer',
			name: 'Business Central',
			type: NODE_TYPE,
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				authentication: 'bearerToken',
				resource: 'customer',
				operation: 'update',
				company: locator(COMPANY),
				customer: locator('={{ $json.id }}'),
				updateFields: { phoneNumber: '555-0100' },
				options: { maxRetries: 0 },
			} as INode['parameters'],
			credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		};
		const items = range(0, 150).map((n) => ({ id: customerId(n) }));
		const result = await runWorkflow(
			{
				name: 'customer update',
				nodes: [itemsNode(items), node],
				connections: { Items: { main: [[{ node: 'Business Central', type: 'main' as never, index: 0 }]] } },
			},
			{ credentials: bearerCredentials() },
		);
		expect(result.error()).toBeUndefined();
		expect(trail).toEqual(['list customers', 'batch PATCH×100', 'batch PATCH×50']);
		for (const operation of sent.flat()) {
			expect(operation.headers['If-Match']).toBe(eTagOf(Number(/customers\((\d{8})/.exec(operation.url)![1])));
		}
		expect(result.output('Business Central')[149].json).toMatchObject({ id: customerId(149), phoneNumber: '555-0100' });
	});
});
