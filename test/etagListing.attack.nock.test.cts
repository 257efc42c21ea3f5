/**
 * Hostile and odd answers to the eTag listing of a bulk update (operations/etagReads.ts):
 * whatever the listing says, a payment is PATCHed at its own URL with a real eTag that
 * Business Central gave for that very record, at most once per item, and the token never
 * leaves the API base. Strict nock: every request is scripted; an unscripted one fails the test.
 */
import type { IDataObject, INode } from 'n8n-workflow';
import nock from 'nock';

import { NODE_TYPE, runWorkflow } from '../dev/engine.cjs';
import { batches, conflict, eTagOf, indexOf, paymentId, type Answer, type Operation } from './batchNock.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	itemsNode,
	JOURNAL,
	JOURNAL_2,
	locator,
	paymentRecord,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

useNock(nock);

const LIST_PATH = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;
const journalQuery = { $filter: `journalId eq ${JOURNAL}`, $select: 'id' };
const row = (n: number, version = 1): IDataObject => ({ '@odata.etag': eTagOf(n, version), id: paymentId(n) });
const range = (from: number, count: number) => Array.from({ length: count }, (_v, index) => from + index);

let trail: string[] = [];
beforeEach(() => (trail = []));

/** One listing page answering `body` (status 200 unless given). */
function listing(body: unknown, options: { status?: number; query?: IDataObject; skiptoken?: string; delayMs?: number } = {}) {
	const query = { ...(options.query ?? journalQuery), ...(options.skiptoken ? { $skiptoken: options.skiptoken } : {}) };
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
		.get(LIST_PATH)
		.query(query as Record<string, string>)
		.delay(options.delayMs ?? 0)
		.reply(() => {
			trail.push('list');
			return [options.status ?? 200, body];
		});
}

/** Payments 0…count-1 at version 1 in Business Central; a PATCH applies only with the current eTag. */
class Payments {
	readonly versions = new Map<number, number>();
	readonly values = new Map<number, IDataObject>();
	constructor(present: number[]) {
		for (const n of present) this.versions.set(n, 1);
	}
	answer = (operation: Operation): Answer => {
		const n = indexOf(operation);
		const version = this.versions.get(n);
		if (version === undefined) return { id: operation.id, status: 404, body: bcError('Internal_RecordNotFound', 'The Gen. Journal Line does not exist.') };
		const stored = this.values.get(n) ?? { amount: -1500 };
		if (operation.method === 'GET') return { id: operation.id, status: 200, body: paymentRecord(paymentId(n), eTagOf(n, version), stored) };
		// `*` (or anything but the current eTag) is not accepted here: the node must never need it
		if (operation.headers['If-Match'] !== eTagOf(n, version)) return conflict(operation);
		this.versions.set(n, version + 1);
		this.values.set(n, { ...stored, ...operation.body });
		return { id: operation.id, status: 200, body: paymentRecord(paymentId(n), eTagOf(n, version + 1), { ...stored, ...operation.body }) };
	};
}

function answered(sent: Operation[][], count: number, store: Payments) {
	return batches(sent, count, (operations) => {
		trail.push(`batch ${[...new Set(operations.map((operation) => operation.method))].join('+')}×${operations.length}`);
		return operations.map(store.answer);
	});
}

function workflow(count: number, options: IDataObject = {}) {
	const items = range(0, count).map((n) => ({ id: paymentId(n), journal: JOURNAL }));
	return updateWorkflow(items, {
		journal: locator('={{ $json.journal }}'),
		payment: locator('={{ $json.id }}'),
		updateFields: { amount: -10 },
		options: { maxRetries: 0, ...options },
		continueOnFail: true,
	});
}

const errorsOf = (output: Array<{ json: IDataObject }>) => output.filter((item) => item.json.error !== undefined);
const patchesOf = (sent: Operation[][]) => sent.flat().filter((operation) => operation.method === 'PATCH');
const getsOf = (sent: Operation[][]) => sent.flat().filter((operation) => operation.method === 'GET').map(indexOf).sort((a, b) => a - b);

/** Every item updated exactly once, with the eTag Business Central holds for that record. */
function expectEachWrittenOnce(store: Payments, sent: Operation[][], count: number) {
	const written = patchesOf(sent).filter((operation) => operation.headers['If-Match'] === eTagOf(indexOf(operation), 1));
	expect(written.map(indexOf).sort((a, b) => a - b)).toEqual(range(0, count));
	expect([...store.versions.values()].every((version) => version === 2)).toBe(true);
}

describe('a listing that does not answer what was asked', () => {
	test('filter not applied (other journals\' lines too) and ids in upper case: each payment PATCHed at its own URL with its listed eTag', async () => {
		const store = new Payments(range(0, 120));
		const others = range(500, 300).map((n) => ({ ...row(n, 7), journalId: JOURNAL_2 }));
		const upper = range(0, 120).map((n) => ({ ...row(n), id: paymentId(n).toUpperCase() }));
		listing({ value: [...others.slice(0, 150), ...upper, ...others.slice(150)] });
		const sent: Operation[][] = [];
		answered(sent, 2, store);
		const result = await runWorkflow(workflow(120), { credentials: bearerCredentials() });
		expect(trail).toEqual(['list', 'batch PATCH×100', 'batch PATCH×20']);
		for (const operation of patchesOf(sent)) expect(operation.url).toBe(`companies(${COMPANY})/customerPayments(${paymentId(indexOf(operation))})`);
		expectEachWrittenOnce(store, sent, 120);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('rows without a usable eTag or id (missing, a number, empty, an id in braces) and rows listed twice with different eTags: those payments are read by GET', async () => {
		const store = new Payments(range(0, 120));
		const odd: Record<number, IDataObject> = {
			0: { id: paymentId(0) },
			1: { id: paymentId(1), '@odata.etag': 17 },
			2: { id: paymentId(2), '@odata.etag': '' },
			3: { id: `{${paymentId(3)}}`, '@odata.etag': eTagOf(3) },
			4: row(4, 9),
		};
		const rows = range(0, 120).map((n) => odd[n] ?? row(n));
		listing({ value: [...rows, row(4)] });
		const sent: Operation[][] = [];
		answered(sent, 3, store);
		const result = await runWorkflow(workflow(120), { credentials: bearerCredentials() });
		expect(trail).toEqual(['list', 'batch GET×5', 'batch PATCH×100', 'batch PATCH×20']);
		expect(getsOf(sent)).toEqual([0, 1, 2, 3, 4]);
		expectEachWrittenOnce(store, sent, 120);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('an eTag of "*" in the listing is never sent as If-Match: that payment is read by GET', async () => {
		const store = new Payments(range(0, 120));
		listing({ value: range(0, 120).map((n) => (n === 7 ? { id: paymentId(7), '@odata.etag': '*' } : row(n))) });
		const sent: Operation[][] = [];
		answered(sent, 3, store);
		const result = await runWorkflow(workflow(120), { credentials: bearerCredentials() });
		expect(patchesOf(sent).some((operation) => operation.headers['If-Match'] === '*')).toBe(false);
		expect(trail).toEqual(['list', 'batch GET×1', 'batch PATCH×100', 'batch PATCH×20']);
		expectEachWrittenOnce(store, sent, 120);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('`value` not an array, or a 200 that is not JSON: dropped, every payment read by $batch GET as before', async () => {
		for (const body of [{ value: { id: paymentId(0) } }, 'not json']) {
			trail = [];
			const store = new Payments(range(0, 120));
			listing(body);
			const sent: Operation[][] = [];
			answered(sent, 4, store);
			const result = await runWorkflow(workflow(120), { credentials: bearerCredentials() });
			expect(trail.sort()).toEqual(['batch GET×100', 'batch GET×20', 'batch PATCH×100', 'batch PATCH×20', 'list']);
			expectEachWrittenOnce(store, sent, 120);
			expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
		}
	});

	test('a next link to another host is not followed (no request, no token there); the ids not yet seen are read by GET', async () => {
		const store = new Payments(range(0, 250));
		listing({ value: range(0, 100).map((n) => row(n)), '@odata.nextLink': `https://evil.example.com${LIST_PATH}?$skiptoken=p2` });
		const sent: Operation[][] = [];
		answered(sent, 5, store);
		const result = await runWorkflow(workflow(250), { credentials: bearerCredentials() });
		expect(trail.slice(0, 1)).toEqual(['list']);
		expect(getsOf(sent)).toEqual(range(100, 150));
		expectEachWrittenOnce(store, sent, 250);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('429 on the listing: retried after Retry-After (Max Retries 1), then used', async () => {
		const store = new Payments(range(0, 120));
		nock(SAAS_ORIGIN)
			.get(LIST_PATH)
			.query(journalQuery)
			.reply(() => {
				trail.push('list 429');
				return [429, bcError('Application_TooManyRequests', 'Too many requests.'), { 'Retry-After': '0' }];
			});
		listing({ value: range(0, 120).map((n) => row(n)) });
		const sent: Operation[][] = [];
		answered(sent, 2, store);
		const result = await runWorkflow(workflow(120, { maxRetries: 1 }), { credentials: bearerCredentials() });
		expect(trail).toEqual(['list 429', 'list', 'batch PATCH×100', 'batch PATCH×20']);
		expectEachWrittenOnce(store, sent, 120);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('a listing slower than Timeout is dropped; the payments are read by $batch GET', async () => {
		const store = new Payments(range(0, 120));
		listing({ value: range(0, 120).map((n) => row(n)) }, { delayMs: 1500 });
		const sent: Operation[][] = [];
		answered(sent, 4, store);
		const result = await runWorkflow(workflow(120, { timeout: 300 }), { credentials: bearerCredentials() });
		expect(trail.filter((entry) => entry.startsWith('batch')).sort()).toEqual(['batch GET×100', 'batch GET×20', 'batch PATCH×100', 'batch PATCH×20']);
		expectEachWrittenOnce(store, sent, 120);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('a listing that gets no answer within Timeout is not asked again (Max Retries 2): one Timeout, then the $batch GETs', async () => {
		const store = new Payments(range(0, 120));
		// scripted once: a second listing request would be unmatched and fail the test
		listing({ value: range(0, 120).map((n) => row(n)) }, { delayMs: 1500 });
		const sent: Operation[][] = [];
		answered(sent, 4, store);
		const result = await runWorkflow(workflow(120, { timeout: 300, maxRetries: 2 }), { credentials: bearerCredentials() });
		expect(trail.filter((entry) => entry.startsWith('batch')).sort()).toEqual(['batch GET×100', 'batch GET×20', 'batch PATCH×100', 'batch PATCH×20']);
		expectEachWrittenOnce(store, sent, 120);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('a page larger than asked (20,001 rows) ends the listing: its next link is not followed; the ids not shown are read by GET', async () => {
		const store = new Payments(range(0, 250));
		const filler = range(0, 19_901).map((k) => ({ '@odata.etag': eTagOf(k, 3), id: `${String(k).padStart(8, '0')}-0000-4000-8000-000000000000` }));
		listing({ value: [...filler, ...range(0, 100).map((n) => row(n))], '@odata.nextLink': `${SAAS_ORIGIN}${LIST_PATH}?$skiptoken=p2` });
		const sent: Operation[][] = [];
		answered(sent, 5, store);
		const result = await runWorkflow(workflow(250), { credentials: bearerCredentials() });
		expect(trail.filter((entry) => entry === 'list')).toHaveLength(1);
		expect(getsOf(sent)).toEqual(range(100, 150));
		expectEachWrittenOnce(store, sent, 250);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});
});

describe('what the listed record is used for', () => {
	test('Include Previous Values: a record listed twice with the same eTag but different values is read by GET (previousValues are what Business Central holds)', async () => {
		const store = new Payments(range(0, 101));
		const whole = (n: number, amount: number) => {
			const { '@odata.context': _context, ...record } = paymentRecord(paymentId(n), eTagOf(n), { amount });
			return record;
		};
		listing(
			{ value: [...range(0, 101).map((n) => whole(n, -1500)), whole(3, -999)] },
			{ query: { $filter: `journalId eq ${JOURNAL}` } },
		);
		const sent: Operation[][] = [];
		answered(sent, 3, store);
		const result = await runWorkflow(workflow(101, { includePreviousValues: true }), { credentials: bearerCredentials() });
		expect(trail).toEqual(['list', 'batch GET×1', 'batch PATCH×100', 'batch PATCH×1']);
		expect(result.output('Business Central')[3].json.previousValues).toEqual({ amount: -1500 });
		expectEachWrittenOnce(store, sent, 101);
	});

	test('a given eTag with Include Previous Values wins over the listed one; Overwrite Regardless still sends real eTags', async () => {
		const store = new Payments(range(0, 101));
		const whole = range(0, 101).map((n) => {
			const { '@odata.context': _context, ...record } = paymentRecord(paymentId(n), eTagOf(n, n === 0 ? 9 : 1), { amount: -1500 });
			return record;
		});
		listing({ value: whole }, { query: { $filter: `journalId eq ${JOURNAL}` } });
		const sent: Operation[][] = [];
		answered(sent, 2, store);
		const items = range(0, 101).map((n) => ({ id: paymentId(n), journal: JOURNAL, eTag: n === 0 ? eTagOf(0) : '' }));
		const result = await runWorkflow(
			updateWorkflow(items, {
				journal: locator('={{ $json.journal }}'),
				payment: locator('={{ $json.id }}'),
				updateFields: { amount: -10 },
				options: { maxRetries: 0, includePreviousValues: true, onConflict: 'overwrite', eTag: '={{ $json.eTag }}' },
				continueOnFail: true,
			}),
			{ credentials: bearerCredentials() },
		);
		expect(trail).toEqual(['list', 'batch PATCH×100', 'batch PATCH×1']);
		expect(patchesOf(sent).find((operation) => indexOf(operation) === 0)!.headers['If-Match']).toBe(eTagOf(0));
		expectEachWrittenOnce(store, sent, 101);
		expect(result.output('Business Central')[0].json.previousValues).toEqual({ amount: -1500 });
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('a payment updated twice, its id in upper case the second time: the second write reads after the first and uses the new eTag', async () => {
		const store = new Payments(range(0, 120));
		listing({ value: range(0, 120).map((n) => row(n)) });
		const sent: Operation[][] = [];
		answered(sent, 4, store);
		const items = [...range(0, 120).map((n) => ({ id: paymentId(n), journal: JOURNAL })), { id: paymentId(7).toUpperCase(), journal: JOURNAL }];
		const result = await runWorkflow(
			updateWorkflow(items, { journal: locator('={{ $json.journal }}'), payment: locator('={{ $json.id }}'), updateFields: { amount: -10 }, options: { maxRetries: 0 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);
		expect(trail).toEqual(['list', 'batch PATCH×100', 'batch PATCH×20', 'batch GET×1', 'batch PATCH×1']);
		expect(sent[3][0].headers['If-Match']).toBe(eTagOf(7, 2));
		expect(store.versions.get(7)).toBe(3);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});

	test('an eTag of "*" in a $batch GET answer (no listing) is no record: the item fails, nothing is written unconditionally', async () => {
		const sent: Operation[][] = [];
		const store = new Payments(range(0, 3));
		batches(sent, 2, (operations) =>
			operations.map((operation) =>
				operation.method === 'GET' && indexOf(operation) === 1
					? { id: operation.id, status: 200, body: paymentRecord(paymentId(1), '*', { amount: -1500 }) }
					: store.answer(operation),
			),
		);
		const items = range(0, 3).map((n) => ({ id: paymentId(n) }));
		const result = await runWorkflow(
			updateWorkflow(items, { payment: locator('={{ $json.id }}'), updateFields: { amount: -10 }, options: { maxRetries: 0 }, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);
		expect(patchesOf(sent).map(indexOf)).toEqual([0, 2]);
		expect(JSON.stringify(result.output('Business Central')[1].json)).toContain('names no version');
	});
});

describe('customers: one listing per company', () => {
	// a copied company keeps its records' ids: the same customer ids, other eTags
	const COPY = '6f1fe3d1-4b7c-ef11-8a6b-6045bde9c5a2';
	const customerId = (n: number) => `${String(n).padStart(8, '0')}-4b7c-ef11-8a6b-6045bde9c5c7`;
	const tagOf = (company: string, n: number) => (company === COMPANY ? eTagOf(n) : eTagOf(n, 5));

	test('101 customers in each of two companies with the same ids: each PATCH in its own company, with that company\'s eTag', async () => {
		for (const company of [COMPANY, COPY]) {
			nock(SAAS_ORIGIN)
				.get(`${SAAS_PATH}/companies(${company})/customers`)
				.query({ $select: 'id' })
				.reply(() => {
					trail.push(`list ${company}`);
					return [200, { value: range(0, 101).map((n) => ({ '@odata.etag': tagOf(company, n), id: customerId(n) })) }];
				});
		}
		const sent: Operation[][] = [];
		batches(sent, 3, (operations) => {
			trail.push(`batch ${operations[0].method}×${operations.length}`);
			return operations.map((operation) => {
				const [, company, id] = /companies\(([^)]+)\)\/customers\(([^)]+)\)/.exec(operation.url)!;
				const current = tagOf(company, Number(id.slice(0, 8)));
				if (operation.headers['If-Match'] !== current) return conflict(operation);
				return { id: operation.id, status: 200, body: { '@odata.etag': `${current}x`, id, number: '10000', ...operation.body } };
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
				company: locator('={{ $json.company }}'),
				customer: locator('={{ $json.id }}'),
				updateFields: { phoneNumber: '555-0100' },
				options: { maxRetries: 0 },
			} as INode['parameters'],
			credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		};
		const items = [COMPANY, COPY].flatMap((company) => range(0, 101).map((n) => ({ company, id: customerId(n) })));
		const result = await runWorkflow(
			{ name: 'customers of two companies', nodes: [itemsNode(items), node], connections: { Items: { main: [[{ node: 'Business Central', type: 'main' as never, index: 0 }]] } } },
			{ credentials: bearerCredentials() },
		);
		expect(trail.slice(0, 2).sort()).toEqual([`list ${COMPANY}`, `list ${COPY}`].sort());
		expect(trail.slice(2)).toEqual(['batch PATCH×100', 'batch PATCH×100', 'batch PATCH×2']);
		expect(sent.flat()).toHaveLength(202);
		expect(errorsOf(result.output('Business Central'))).toHaveLength(0);
	});
});
