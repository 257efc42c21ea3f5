/**
 * Tests of the Business Central API sandbox over real loopback HTTP (fetch).
 */
import {
	EMPTY_GUID,
	MSG,
	startSandbox,
	type CustomerPayment,
	type Sandbox,
} from '../sandbox/index.cjs';

type Json = Record<string, any>;

let sb: Sandbox;
let base: string;
let cid: string;
let jid: string;
let jid2: string;

beforeAll(async () => {
	sb = await startSandbox();
	base = sb.baseUrl();
	cid = sb.companies()[0].id;
	[jid, jid2] = sb.journals(cid).map((j) => j.id);
});
afterAll(() => sb.close());

function call(path: string, init: RequestInit & { root?: string } = {}): Promise<Response> {
	const url = /^https?:/.test(path) ? path : `${init.root ?? base}/${path}`;
	return fetch(url, {
		...init,
		headers: {
			Authorization: `Bearer ${sb.token}`,
			'Content-Type': 'application/json',
			...(init.headers as Record<string, string>),
		},
	});
}
async function json(res: Response): Promise<Json> {
	return (await res.json()) as Json;
}
const paymentPath = (id: string) => `companies(${cid})/customerPayments(${id})`;
function patch(id: string, body: unknown, ifMatch?: string, root?: string) {
	return call(paymentPath(id), {
		method: 'PATCH',
		body: JSON.stringify(body),
		headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch },
		root,
	});
}
const firstPayment = (journalId = jid): CustomerPayment => sb.payments(cid, journalId)[0];
const etagOf = (id: string) => sb.getPayment(cid, id)?.['@odata.etag'] as string;

describe('reads', () => {
	test('companies, journals and payments in BC shape with eTags', async () => {
		const res = await call('companies');
		expect(res.status).toBe(200);
		const body = await json(res);
		expect(body['@odata.context']).toBe(`${base}/$metadata#companies`);
		expect(body.value).toHaveLength(2);
		expect(body.value[0]).toMatchObject({ id: cid, name: 'CRONUS USA, Inc.' });
		expect(body.value[0]['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);

		const journals = await json(await call(`companies(${cid})/customerPaymentJournals`));
		// STATEMENT: the empty batch the cash-receipts example posts (sandbox/server.cts seedStatementJournals)
		expect(journals.value.map((j: Json) => j.code)).toEqual(['CASH RCPT', 'GENERAL', 'STATEMENT']);

		const one = await call(
			`companies(${cid})/customerPaymentJournals(${jid})/customerPayments(${firstPayment().id})`,
		);
		expect(one.status).toBe(200);
		const p = await json(one);
		expect(p['@odata.context']).toContain('/customerPayments/$entity');
		expect(one.headers.get('etag')).toBe(p['@odata.etag']);
		expect(Object.keys(p)).toEqual([
			'@odata.context',
			'@odata.etag',
			'id',
			'journalId',
			'journalDisplayName',
			'lineNumber',
			'customerId',
			'customerNumber',
			'postingDate',
			'documentNumber',
			'externalDocumentNumber',
			'amount',
			'appliesToInvoiceId',
			'appliesToInvoiceNumber',
			'description',
			'comment',
			'lastModifiedDateTime',
		]);
		expect(p.documentNumber).toMatch(/^G02\d{3}$/);
	});

	test('unknown records, companies, segments and bad keys', async () => {
		const missing = await call(paymentPath('11111111-2222-4333-8444-555555555555'));
		expect(missing.status).toBe(404);
		const err = await json(missing);
		expect(err.error.code).toBe('BadRequest_NotFound');
		expect(err.error.message).toMatch(
			/^The customerPayment does not exist\. Identification fields and values: Id='11111111-2222-4333-8444-555555555555'\.  CorrelationId:  [0-9a-f-]{36}\.$/,
		);
		expect(missing.headers.get('content-type')).toContain('application/json');
		expect((await call(`companies(${EMPTY_GUID})/customers`)).status).toBe(404);
		expect((await call(`companies(${cid})/vendors`)).status).toBe(404);
		// malformed key: BC's 404 BadRequest_NotFound "Bad Request - Error in query syntax."
		expect((await call(`companies('${cid}')/customers`)).status).toBe(404);
		expect((await call(`companies/${cid}/customers`)).status).toBe(400);
		const wrongEnv = await call(`${sb.url}/v2.0/${sb.tenantId}/nope/api/v2.0/companies`);
		expect(wrongEnv.status).toBe(404);
		expect((await json(wrongEnv)).error.code).toBeDefined();
	});

	test('read-only entity sets answer 405', async () => {
		const res = await call(`companies(${cid})/customers`, { method: 'POST', body: '{}' });
		expect(res.status).toBe(405);
		expect((await json(res)).error.code).toBe('BadRequest_MethodNotAllowed');
	});
});

describe('journal rule', () => {
	test('company-level list needs a journalId filter', async () => {
		const res = await call(`companies(${cid})/customerPayments`);
		expect(res.status).toBe(400);
		const err = await json(res);
		expect(err.error.code).toBe('Application_DialogException');
		expect(err.error.message.startsWith(`${MSG.journalRequired}  CorrelationId:  `)).toBe(true);

		const ok = await call(
			`companies(${cid})/customerPayments?$filter=amount lt 1000000 and journalId eq ${jid}`,
		);
		expect(ok.status).toBe(200);
		const body = await json(ok);
		expect(body.value.length).toBe(sb.payments(cid, jid).length);
		expect(body.value.every((p: Json) => p.journalId === jid)).toBe(true);

		const journalLevel = await call(
			`companies(${cid})/customerPaymentJournals(${jid2})/customerPayments`,
		);
		expect(journalLevel.status).toBe(200);
		expect((await json(journalLevel)).value.length).toBe(sb.payments(cid, jid2).length);
	});

	test('company-level POST needs journalId; POST auto-numbers lines', async () => {
		const customer = sb.customers(cid)[2];
		const bad = await call(`companies(${cid})/customerPayments`, {
			method: 'POST',
			body: JSON.stringify({ customerNumber: customer.number, amount: 10 }),
		});
		expect(bad.status).toBe(400);
		expect((await json(bad)).error.code).toBe('Application_DialogException');

		const lastLine = Math.max(...sb.payments(cid, jid).map((p) => p.lineNumber));
		const res = await call(`companies(${cid})/customerPayments`, {
			method: 'POST',
			body: JSON.stringify({ journalId: jid, customerNumber: customer.number, amount: 1500 }),
		});
		expect(res.status).toBe(201);
		const created = await json(res);
		expect(created).toMatchObject({
			journalId: jid,
			journalDisplayName: 'CASH RCPT',
			lineNumber: lastLine + 10000,
			customerId: customer.id,
			customerNumber: customer.number,
			amount: 1500,
			description: customer.displayName,
		});
		expect(res.headers.get('location')).toContain(`customerPayments(${created.id})`);
		expect(sb.writes.at(-1)).toMatchObject({
			method: 'POST',
			id: created.id,
			before: null,
			etagBefore: null,
		});

		const viaJournal = await call(
			`companies(${cid})/customerPaymentJournals(${jid2})/customerPayments`,
			{
				method: 'POST',
				body: JSON.stringify({ amount: 42.42 }),
			},
		);
		expect(viaJournal.status).toBe(201);
		expect((await json(viaJournal)).journalId).toBe(jid2);
	});
});

describe('eTags and concurrency', () => {
	test('every write changes the eTag; 200 returns the whole entity; audit log', async () => {
		const p = firstPayment();
		const etag1 = etagOf(p.id);
		const writesBefore = sb.writes.length;
		const r1 = await patch(p.id, { amount: 1234.56 }, etag1);
		expect(r1.status).toBe(200);
		const b1 = await json(r1);
		expect(b1.amount).toBe(1234.56);
		expect(b1.id).toBe(p.id);
		expect(b1.customerNumber).toBe(p.customerNumber);
		expect(b1['@odata.etag']).not.toBe(etag1);
		expect(Date.parse(b1.lastModifiedDateTime)).toBeGreaterThan(Date.now() - 5000);
		const r2 = await patch(p.id, { comment: 'second' }, b1['@odata.etag']);
		expect(r2.status).toBe(200);
		const b2 = await json(r2);
		expect(b2['@odata.etag']).not.toBe(b1['@odata.etag']);
		expect(b2.amount).toBe(1234.56);
		expect(sb.writes.slice(writesBefore)).toEqual([
			expect.objectContaining({
				method: 'PATCH',
				id: p.id,
				companyId: cid,
				etagBefore: etag1,
				etagAfter: b1['@odata.etag'],
				ifMatch: etag1,
				viaBatch: false,
			}),
			expect.objectContaining({
				method: 'PATCH',
				etagBefore: b1['@odata.etag'],
				etagAfter: b2['@odata.etag'],
			}),
		]);
		expect(sb.writes.at(-1)?.before?.comment).not.toBe('second');
		expect(sb.writes.at(-1)?.after?.comment).toBe('second');
	});

	test('If-Match missing → 400 BadRequest_InvalidToken (also with the tag in the body)', async () => {
		const p = firstPayment();
		for (const body of [{ amount: 1 }, { amount: 1, '@odata.etag': etagOf(p.id) }]) {
			const res = await patch(p.id, body);
			expect(res.status).toBe(400);
			const err = (await json(res)).error;
			expect(err.code).toBe('BadRequest_InvalidToken');
			expect(err.message).toContain(MSG.invalidToken);
		}
		const del = await call(paymentPath(p.id), { method: 'DELETE' });
		expect(del.status).toBe(400);
	});

	test('stale eTag → 409 Request_EntityChanged, 412 with the switch; * accepted', async () => {
		const p = firstPayment();
		const stale = etagOf(p.id);
		sb.simulateConcurrentChange(cid, p.id, { comment: 'changed by someone else' });
		expect(sb.writes.at(-1)).toMatchObject({ method: 'EXTERNAL', id: p.id });
		const r409 = await patch(p.id, { amount: 5 }, stale);
		expect(r409.status).toBe(409);
		const err = (await json(r409)).error;
		expect(err.code).toBe('Request_EntityChanged');
		expect(err.message).toMatch(/^Another user has already changed the record\.  CorrelationId:  /);

		sb.options.conflictStatus = 412;
		try {
			const r412 = await patch(p.id, { amount: 5 }, stale);
			expect(r412.status).toBe(412);
			expect((await json(r412)).error.code).toBe('Request_EntityChanged');
		} finally {
			sb.options.conflictStatus = 409;
		}
		const star = await patch(p.id, { amount: 5 }, '*');
		expect(star.status).toBe(200);
		expect((await json(star)).comment).toBe('changed by someone else');
	});

	test('forceConflictOnce: conflict with the right tag, version bumped like another user', async () => {
		const p = firstPayment();
		const etag = etagOf(p.id);
		sb.forceConflictOnce(p.id);
		const r1 = await patch(p.id, { amount: 7 }, etag);
		expect(r1.status).toBe(409);
		expect(etagOf(p.id)).not.toBe(etag);
		expect(sb.writes.at(-1)).toMatchObject({ method: 'EXTERNAL', id: p.id, etagBefore: etag });
		const fresh = await json(await call(paymentPath(p.id)));
		const r2 = await patch(p.id, { amount: 7 }, fresh['@odata.etag']);
		expect(r2.status).toBe(200);
	});

	test('DELETE with If-Match → 204, then 404', async () => {
		const p = sb.payments(cid, jid2).at(-1) as CustomerPayment;
		const res = await call(paymentPath(p.id), {
			method: 'DELETE',
			headers: { 'If-Match': etagOf(p.id) },
		});
		expect(res.status).toBe(204);
		expect((await call(paymentPath(p.id))).status).toBe(404);
		expect(sb.writes.at(-1)).toMatchObject({
			method: 'DELETE',
			id: p.id,
			after: null,
			etagAfter: null,
		});
	});
});

describe('PATCH validation', () => {
	test('contactId exists only in v1.0 and beta', async () => {
		const p = firstPayment();
		const v2 = await json(await call(paymentPath(p.id)));
		expect(v2).not.toHaveProperty('contactId');
		const v2patch = await patch(p.id, { contactId: 'C1' }, '*');
		expect(v2patch.status).toBe(400);
		expect((await json(v2patch)).error.message).toContain(
			"The property 'contactId' does not exist on type 'Microsoft.NAV.customerPayment'.",
		);
		for (const api of ['v1.0', 'beta'] as const) {
			const root = sb.baseUrl(api);
			const got = await json(await call(paymentPath(p.id), { root }));
			expect(got).toHaveProperty('contactId');
			const res = await patch(p.id, { contactId: `contact-${api}` }, got['@odata.etag'], root);
			expect(res.status).toBe(200);
			expect((await json(res)).contactId).toBe(`contact-${api}`);
		}
	});

	test('customerNumber ↔ customerId are kept consistent', async () => {
		const p = firstPayment();
		const [a, b] = sb.customers(cid).filter((c) => c.id !== p.customerId);
		const byNumber = await json(await patch(p.id, { customerNumber: a.number }, '*'));
		expect(byNumber).toMatchObject({ customerNumber: a.number, customerId: a.id });
		const byId = await json(await patch(p.id, { customerId: b.id }, '*'));
		expect(byId).toMatchObject({ customerNumber: b.number, customerId: b.id });

		const mismatch = await patch(p.id, { customerId: a.id, customerNumber: b.number }, '*');
		expect(mismatch.status).toBe(400);
		expect((await json(mismatch)).error.message).toContain(MSG.customerMismatch);
		const unknown = await patch(p.id, { customerId: '12345678-1234-4234-8234-123456789012' }, '*');
		expect(unknown.status).toBe(400);
		expect((await json(unknown)).error.message).toContain(
			'The "customerId" does not match to a Customer.',
		);
		expect(sb.getPayment(cid, p.id)?.customerId).toBe(b.id);
	});

	test('appliesToInvoiceId ↔ appliesToInvoiceNumber', async () => {
		const p = firstPayment();
		const invoices = sb.invoices(cid);
		const open = invoices.find((i) => i.status === 'Open') as (typeof invoices)[number];
		const res = await json(await patch(p.id, { appliesToInvoiceId: open.id }, '*'));
		expect(res.appliesToInvoiceNumber).toBe(open.number);
		const unknown = await json(await patch(p.id, { appliesToInvoiceNumber: 'X999' }, '*'));
		expect(unknown).toMatchObject({
			appliesToInvoiceNumber: 'X999',
			appliesToInvoiceId: EMPTY_GUID,
		});
		const other = invoices.find(
			(i) => i.status !== 'Draft' && i.id !== open.id,
		) as (typeof invoices)[number];
		const mismatch = await patch(
			p.id,
			{ appliesToInvoiceId: open.id, appliesToInvoiceNumber: other.number },
			'*',
		);
		expect(mismatch.status).toBe(400);
		expect((await json(mismatch)).error.message).toContain(MSG.invoiceMismatch);
		const draft = invoices.find((i) => i.status === 'Draft');
		if (draft) expect((await patch(p.id, { appliesToInvoiceId: draft.id }, '*')).status).toBe(400);
	});

	test('unknown, read-only and journal properties', async () => {
		const p = firstPayment();
		const cases: Array<[Json, string, string]> = [
			[
				{ foo: 1 },
				'BadRequest_NotFound',
				"The property 'foo' does not exist on type 'Microsoft.NAV.customerPayment'.",
			],
			[{ id: p.id }, 'BadRequest_InvalidOperation', "'id' is read-only"],
			[
				{ lastModifiedDateTime: '2024-01-01T00:00:00Z' },
				'BadRequest_InvalidOperation',
				'read-only',
			],
			[{ journalId: jid2 }, 'Application_DialogException', 'The Journal Id cannot be changed.'],
			[{ journalDisplayName: 'OTHER' }, 'Application_DialogException', 'cannot be changed'],
			[{ customerId: 'not-a-guid' }, 'Application_InvalidGUID', 'Edm.Guid'],
			[{ amount: '12' }, 'BadRequest_InvalidRequestBody', 'Edm.Decimal'],
			[{ postingDate: '2024-02-30' }, 'BadRequest_InvalidRequestBody', 'Edm.Date'],
		];
		for (const [body, code, text] of cases) {
			const res = await patch(p.id, body, '*');
			expect(res.status).toBe(400);
			const err = (await json(res)).error;
			expect(err.code).toBe(code);
			expect(err.message).toContain(text);
		}
		// same journal id is fine
		expect((await patch(p.id, { journalId: jid }, '*')).status).toBe(200);
	});

	test('string lengths → 400 Application_StringExceededLength naming the field', async () => {
		const p = firstPayment();
		const limits: Array<[string, number]> = [
			['customerNumber', 20],
			['documentNumber', 20],
			['externalDocumentNumber', 35],
			['appliesToInvoiceNumber', 20],
			['description', 100],
			['comment', 250],
		];
		for (const [field, max] of limits) {
			const res = await patch(p.id, { [field]: 'A'.repeat(max + 1) }, '*');
			expect(res.status).toBe(400);
			const err = (await json(res)).error;
			expect(err.code).toBe('Application_StringExceededLength');
			expect(err.message).toContain(
				`The length of the string is ${max + 1}, but it must be less than or equal to ${max} characters.`,
			);
			expect(err.message).toContain(field);
		}
		const ok = await patch(p.id, { description: 'd'.repeat(100), documentNumber: 'g02999' }, '*');
		expect(ok.status).toBe(200);
		expect((await json(ok)).documentNumber).toBe('G02999'); // Code fields are upper-cased
	});
});

describe('query options and paging', () => {
	test('server-driven paging across 3 pages, page size option and Prefer maxpagesize', async () => {
		const jPath = `companies(${cid})/customerPaymentJournals(${jid2})/customerPayments`;
		sb.seedPayments(cid, jid2, 25 - sb.payments(cid, jid2).length);
		expect(sb.payments(cid, jid2)).toHaveLength(25);

		const collect = async (first: string, headers: Record<string, string> = {}) => {
			const pages: Json[] = [];
			let next: string | undefined = first;
			while (next) {
				const res = await call(next, { headers });
				expect(res.status).toBe(200);
				const body = await json(res);
				pages.push(body);
				next = body['@odata.nextLink'];
			}
			return pages;
		};
		const preferred = await collect(jPath, { Prefer: 'odata.maxpagesize=10' });
		expect(preferred.map((p) => p.value.length)).toEqual([10, 10, 5]);
		expect(preferred[0]['@odata.nextLink']).toMatch(
			new RegExp(`^${sb.url.replace(/\./g, '\\.')}/`),
		);
		const ids = preferred.flatMap((p) => p.value.map((v: Json) => v.id));
		expect(new Set(ids).size).toBe(25);
		expect(ids).toEqual(sb.payments(cid, jid2).map((p) => p.id));

		sb.options.pageSize = 9;
		try {
			const byOption = await collect(`${jPath}?$orderby=amount desc&$select=id,amount`);
			expect(byOption.map((p) => p.value.length)).toEqual([9, 9, 7]);
			const amounts = byOption.flatMap((p) => p.value.map((v: Json) => v.amount));
			expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
			expect(Object.keys(byOption[1].value[0])).toEqual(['@odata.etag', 'id', 'amount']);
			// $top is honoured across pages
			const topped = await collect(`${jPath}?$top=12`);
			expect(topped.map((p) => p.value.length)).toEqual([9, 3]);
		} finally {
			sb.options.pageSize = 50;
		}
	});

	test('$filter eq / and / or / contains / startswith, $select, $top, $skip, $orderby', async () => {
		const customers = sb.customers(cid);
		const cPath = `companies(${cid})/customers`;
		const get = async (query: string) => {
			const res = await call(`${cPath}?${query}`);
			expect(res.status).toBe(200);
			return (await json(res)).value as Json[];
		};
		expect((await get(`$filter=number eq '20000'`)).map((c) => c.displayName)).toEqual([
			'Trey Research',
		]);
		expect(await get(`$filter=displayName eq 'Margie''s Travel'`)).toHaveLength(1);
		expect(
			(await get(`$filter=number eq '10000' or number eq '30000'`)).map((c) => c.number),
		).toEqual(['10000', '30000']);
		expect(
			await get(`$filter=(number eq '10000' or number eq '30000') and type eq 'Company'`),
		).toHaveLength(2);
		expect(await get(`$filter=id eq ${customers[3].id}`)).toHaveLength(1);
		const withInc = await get(`$filter=contains(displayName,'INC')`);
		expect(withInc.length).toBeGreaterThan(0);
		expect(withInc.every((c) => /inc/i.test(c.displayName))).toBe(true);
		expect((await get(`$filter=startswith(displayName,'Alp')`)).map((c) => c.displayName)).toEqual([
			'Alpine Ski House',
		]);
		const selected = await get(`$select=number,displayName&$top=3&$skip=2&$orderby=number desc`);
		const expected = [...customers].sort((a, b) => (a.number < b.number ? 1 : -1)).slice(2, 5);
		expect(selected.map((c) => c.number)).toEqual(expected.map((c) => c.number));
		expect(Object.keys(selected[0])).toEqual(['@odata.etag', 'number', 'displayName']);

		const invoices = await call(
			`companies(${cid})/salesInvoices?$filter=status eq 'Open' and remainingAmount gt 0 and invoiceDate ge 2024-01-01&$orderby=customerNumber,number desc`,
		);
		expect(invoices.status).toBe(200);
		const open = (await json(invoices)).value as Json[];
		expect(open.length).toBe(sb.invoices(cid).filter((i) => i.status === 'Open').length);
	});

	test('bad queries → 400 in BC error shape', async () => {
		for (const query of [
			`$filter=number eqq '1'`,
			`$filter=nope eq 1`,
			`$filter=id eq '${EMPTY_GUID}'`,
			`$select=nope`,
			`$orderby=nope`,
			`$top=-1`,
			`$filter=contains(number,'1'`,
			`$unknown=1`,
		]) {
			const res = await call(`companies(${cid})/customers?${query}`);
			expect(res.status).toBe(400);
			const body = await json(res);
			expect(body.error.message).toMatch(/CorrelationId:  [0-9a-f-]{36}\.$/);
		}
	});
});

describe('Business Central fidelity (own sandbox)', () => {
	// A sandbox of its own, so the state other tests leave behind does not matter.
	let fb: Sandbox;
	let fcid: string;
	let fjid: string;
	let fjid2: string;
	beforeAll(async () => {
		fb = await startSandbox({ seed: 7 });
		fcid = fb.companies()[0].id;
		[fjid, fjid2] = fb.journals(fcid).map((j) => j.id);
	});
	afterAll(() => fb.close());

	const req = (path: string, init: RequestInit = {}) =>
		fetch(`${fb.baseUrl()}/${path}`, {
			...init,
			headers: {
				Authorization: `Bearer ${fb.token}`,
				'Content-Type': 'application/json',
				...(init.headers as Record<string, string>),
			},
		});
	const fpath = (id: string) => `companies(${fcid})/customerPayments(${id})`;
	const fpatch = (id: string, body: unknown) =>
		req(fpath(id), { method: 'PATCH', body: JSON.stringify(body), headers: { 'If-Match': '*' } });
	const fpost = (body: unknown, journal = fjid) =>
		req(`companies(${fcid})/customerPaymentJournals(${journal})/customerPayments`, {
			method: 'POST',
			body: JSON.stringify(body),
		});
	const expectError = async (res: Response, status: number, code: string, message: string) => {
		expect(res.status).toBe(status);
		const err = (await json(res)).error;
		expect(err.code).toBe(code);
		expect(err.message.startsWith(`${message}  CorrelationId:  `)).toBe(true);
	};
	const twoCustomersWithInvoice = () => {
		const posted = fb.invoices(fcid).filter((i) => i.status === 'Open');
		const invoice = posted[0];
		const a = fb.customers(fcid).find((c) => c.id === invoice.customerId)!;
		const b = fb.customers(fcid).find((c) => c.id !== a.id)!;
		return { a, b, invoice };
	};

	test('malformed keys → 404 BadRequest_NotFound "Bad Request - Error in query syntax."', async () => {
		const p = fb.payments(fcid)[0];
		for (const path of [
			`companies(${fcid})/customerPayments(not-a-guid)`,
			`companies(x)/customers`,
			`companies('${fcid}')/customers`,
			`companies(${fcid})/customerPayments('${p.id}')`,
			`companies(${fcid})/customerPaymentJournals(${fjid.slice(0, 8)})/customerPayments`,
		]) {
			await expectError(await req(path), 404, 'BadRequest_NotFound', MSG.querySyntax);
		}
		// also for writes: the key is parsed before anything else
		await expectError(
			await fpatch('not-a-guid', { amount: 1 }),
			404,
			'BadRequest_NotFound',
			MSG.querySyntax,
		);
	});

	test("the page's own Error() calls → 400 Application_DialogException with the AL labels", async () => {
		const { a, b, invoice } = twoCustomersWithInvoice();
		const other = fb.invoices(fcid).find((i) => i.status !== 'Draft' && i.id !== invoice.id)!;
		const draft = fb.invoices(fcid).find((i) => i.status === 'Draft');
		const p = fb.payments(fcid, fjid)[0];
		const dialog = (res: Response, message: string) =>
			expectError(res, 400, 'Application_DialogException', message);

		await dialog(await req(`companies(${fcid})/customerPayments`), MSG.journalRequired);
		await dialog(
			await req(`companies(${fcid})/customerPayments?$filter=amount gt 0`),
			MSG.journalRequired,
		);
		await dialog(
			await req(`companies(${fcid})/customerPayments`, {
				method: 'POST',
				body: JSON.stringify({ customerNumber: a.number }),
			}),
			MSG.journalRequired,
		);
		await dialog(
			await fpatch(p.id, { customerId: '12345678-1234-4234-8234-123456789012' }),
			'The "customerId" does not match to a Customer.',
		);
		await dialog(
			await fpatch(p.id, { customerNumber: 'NO-SUCH' }),
			'The "customerNumber" does not match to a Customer.',
		);
		await dialog(
			await fpatch(p.id, { customerId: a.id, customerNumber: b.number }),
			'The customer values do not match to a specific Customer.',
		);
		await dialog(
			await fpatch(p.id, { appliesToInvoiceId: invoice.id, appliesToInvoiceNumber: other.number }),
			'The Applies To Invoice values do not match to the same Invoice.',
		);
		if (draft) {
			await dialog(
				await fpatch(p.id, { appliesToInvoiceId: draft.id }),
				'The "appliesToInvoiceId" should be the ID of an Open, Paid, Corrective, or Canceled Invoice.',
			);
		}
		await dialog(await fpost({ journalId: fjid2 }), MSG.journalIdNameMismatch);
		// nothing was written by any of them
		expect(fb.writes).toEqual([]);
	});

	test("$filter: 'or' across properties → 501 BadRequest_MethodNotImplemented; 'or' on one property works", async () => {
		const customers = `companies(${fcid})/customers`;
		for (const filter of [
			`number eq '10000' or displayName eq 'Trey Research'`,
			`contains(number,'1') or contains(displayName,'1')`,
			`type eq 'Company' and (number eq '10000' or email eq 'x')`,
			`not (number eq '10000' or type eq 'Person')`,
			`(number eq '10000' and type eq 'Company') or number eq '20000'`,
		]) {
			await expectError(
				await req(`${customers}?$filter=${encodeURIComponent(filter)}`),
				501,
				'BadRequest_MethodNotImplemented',
				MSG.orDistinctFields,
			);
		}
		const same = await req(
			`${customers}?$filter=${encodeURIComponent(`(number eq '10000' or number eq '20000' or startswith(number,'3')) and type eq 'Company'`)}`,
		);
		expect(same.status).toBe(200);
		expect((await json(same)).value.length).toBeGreaterThan(0);
		// syntax and type errors are reported before the OR rule (ODataLib parses first)
		const typed = await req(
			`${customers}?$filter=${encodeURIComponent(`id eq 'x' or number eq '1'`)}`,
		);
		expect(typed.status).toBe(400);
	});

	test('journal rule: any filter on journalId (or id) satisfies the page, including or on journalId', async () => {
		const list = (filter: string) =>
			req(`companies(${fcid})/customerPayments?$filter=${encodeURIComponent(filter)}`);
		const both = await list(`journalId eq ${fjid} or journalId eq ${fjid2}`);
		expect(both.status).toBe(200);
		const ids = (await json(both)).value.map((p: Json) => p.id);
		expect(ids).toEqual(fb.payments(fcid).map((p) => p.id));
		const notFirst = await list(`journalId ne ${fjid}`);
		expect(notFirst.status).toBe(200);
		expect((await json(notFirst)).value.every((p: Json) => p.journalId === fjid2)).toBe(true);
		const byId = await list(`id eq ${fb.payments(fcid)[1].id}`);
		expect((await json(byId)).value).toHaveLength(1);
		// a journalId test inside an or with another property is not a journal filter
		await expectError(
			await list(`journalId eq ${fjid} or amount gt 0`),
			501,
			'BadRequest_MethodNotImplemented',
			MSG.orDistinctFields,
		);
	});

	test('changing the customer re-validates the line: description follows, applies-to invoice is kept', async () => {
		const { a, b, invoice } = twoCustomersWithInvoice();
		const created = await json(await fpost({ appliesToInvoiceId: invoice.id, amount: -10 }));
		// the invoice filled the customer and, on insert, the description
		expect(created).toMatchObject({
			customerId: a.id,
			customerNumber: a.number,
			description: a.displayName,
			appliesToInvoiceId: invoice.id,
			appliesToInvoiceNumber: invoice.number,
		});

		const byNumber = await json(await fpatch(created.id, { customerNumber: b.number }));
		expect(byNumber).toMatchObject({
			customerId: b.id,
			customerNumber: b.number,
			description: b.displayName, // was A's name → becomes B's (UpdateDescription)
			appliesToInvoiceId: invoice.id, // table 81 cleared it, the page wrote it back
			appliesToInvoiceNumber: invoice.number,
			amount: -10,
		});

		// a description of the user's own survives a customer change (IsAdHocDescription)
		await fpatch(created.id, { description: 'Wire from head office' });
		const byId = await json(await fpatch(created.id, { customerId: a.id }));
		expect(byId).toMatchObject({
			customerNumber: a.number,
			description: 'Wire from head office',
			appliesToInvoiceNumber: invoice.number,
		});

		// description in the same request wins (page order: description after customer)
		const both = await json(
			await fpatch(created.id, { customerNumber: b.number, description: 'mine' }),
		);
		expect(both).toMatchObject({ customerNumber: b.number, description: 'mine' });

		// clearing the customer: nothing else changes
		const cleared = await json(await fpatch(created.id, { customerNumber: '' }));
		expect(cleared).toMatchObject({
			customerId: EMPTY_GUID,
			customerNumber: '',
			description: 'mine',
			appliesToInvoiceNumber: invoice.number,
		});
		// from no customer to one: a non-blank description is kept
		const again = await json(await fpatch(created.id, { customerId: a.id }));
		expect(again).toMatchObject({ customerNumber: a.number, description: 'mine' });
	});

	test('applies-to invoice through the page variables: empty id alone keeps the number; empty number clears both', async () => {
		const { invoice } = twoCustomersWithInvoice();
		const created = await json(await fpost({ appliesToInvoiceNumber: invoice.number }));
		expect(created).toMatchObject({
			appliesToInvoiceId: invoice.id,
			appliesToInvoiceNumber: invoice.number,
		});
		const idOnly = await json(await fpatch(created.id, { appliesToInvoiceId: EMPTY_GUID }));
		expect(idOnly).toMatchObject({
			appliesToInvoiceId: EMPTY_GUID,
			appliesToInvoiceNumber: invoice.number,
		});
		const byNumber = await json(await fpatch(created.id, { appliesToInvoiceNumber: '' }));
		expect(byNumber).toMatchObject({ appliesToInvoiceId: EMPTY_GUID, appliesToInvoiceNumber: '' });
	});

	test('amounts are rounded to 0.01 (halves away from zero) on POST and PATCH', async () => {
		const created = await fpost({ amount: 10.005 });
		expect(created.status).toBe(201);
		const line = await json(created);
		expect(line.amount).toBe(10.01);
		expect(fb.payments(fcid).find((p) => p.id === line.id)?.amount).toBe(10.01);
		for (const [sent, stored] of [
			[-10.005, -10.01],
			[1234.5678, 1234.57],
			[1.004, 1],
			[-0.004, 0],
			[2.675, 2.68],
			[1500, 1500],
		]) {
			const res = await json(await fpatch(line.id, { amount: sent }));
			expect([sent, res.amount]).toEqual([sent, stored]);
		}
	});

	test('Code fields are trimmed and upper-cased on POST and PATCH; Text fields are kept as sent', async () => {
		const { a, invoice } = twoCustomersWithInvoice();
		const created = await json(
			await fpost({
				customerNumber: `  ${a.number} `,
				documentNumber: ' g02-x1 ',
				externalDocumentNumber: '  chk 4711  ',
				description: '  Spaced description ',
				comment: ' lower case ',
			}),
		);
		expect(created).toMatchObject({
			customerId: a.id,
			customerNumber: a.number,
			documentNumber: 'G02-X1',
			externalDocumentNumber: 'CHK 4711',
			description: '  Spaced description ',
			comment: ' lower case ',
		});
		const patched = await json(
			await fpatch(created.id, {
				appliesToInvoiceNumber: ` ${invoice.number.toLowerCase()} `,
				documentNumber: 'abc',
				externalDocumentNumber: 'ext-1',
			}),
		);
		expect(patched).toMatchObject({
			appliesToInvoiceNumber: invoice.number,
			appliesToInvoiceId: invoice.id,
			documentNumber: 'ABC',
			externalDocumentNumber: 'EXT-1',
		});
		const unknown = await json(await fpatch(created.id, { appliesToInvoiceNumber: ' x-999 ' }));
		expect(unknown).toMatchObject({
			appliesToInvoiceNumber: 'X-999',
			appliesToInvoiceId: EMPTY_GUID,
		});
	});

	test('Code length is counted without leading and trailing spaces', async () => {
		const p = fb.payments(fcid, fjid2)[0];
		const padded = await fpatch(p.id, { documentNumber: `  ${'d'.repeat(20)}  ` });
		expect(padded.status).toBe(200);
		expect((await json(padded)).documentNumber).toBe('D'.repeat(20));
		const long = await fpatch(p.id, { externalDocumentNumber: ` ${'e'.repeat(36)} ` });
		expect(long.status).toBe(400);
		const err = (await json(long)).error;
		expect(err.code).toBe('Application_StringExceededLength');
		expect(err.message).toContain(
			'The length of the string is 36, but it must be less than or equal to 35 characters.',
		);
		// Text fields count every character
		const text = await fpatch(p.id, { description: ` ${'t'.repeat(100)}` });
		expect(text.status).toBe(400);
	});
});

describe('$batch', () => {
	const batch = (requests: Json[], headers: Record<string, string> = {}) =>
		call('$batch', { method: 'POST', body: JSON.stringify({ requests }), headers });

	/** p1 applied, p2 stale (409), a GET of a missing payment (404), a create (201), a list. */
	function mixedOperations(p1: string, p2: string, stale: string): Json[] {
		return [
			{
				id: 'ok',
				method: 'PATCH',
				url: paymentPath(p1),
				headers: { 'If-Match': etagOf(p1), 'Content-Type': 'application/json' },
				body: { amount: 99.99 },
			},
			{ id: 'stale', method: 'PATCH', url: paymentPath(p2), headers: { 'If-Match': stale }, body: { amount: 1 } },
			{ id: 'missing', method: 'GET', url: paymentPath('11111111-2222-4333-8444-555555555555') },
			{
				id: 'create',
				method: 'POST',
				url: `${base}/companies(${cid})/customerPaymentJournals(${jid})/customerPayments`,
				body: { amount: 3 },
			},
			{ id: 'list', method: 'GET', url: `companies(${cid})/customers?$top=2` },
		];
	}

	test('Prefer: odata.continue-on-error: mixed 200 / 409 / 404 / 201 all answered, matched by id, not in request order', async () => {
		const [p1, p2] = sb.payments(cid, jid);
		const stale = etagOf(p2.id);
		sb.simulateConcurrentChange(cid, p2.id);
		const res = await batch(mixedOperations(p1.id, p2.id, stale), { Prefer: 'odata.continue-on-error' });
		expect(res.status).toBe(200);
		expect(res.headers.get('preference-applied')).toBe('odata.continue-on-error');
		const { responses } = await json(res);
		expect(responses.map((r: Json) => r.id)).not.toEqual(['ok', 'stale', 'missing', 'create', 'list']);
		const byId = Object.fromEntries(responses.map((r: Json) => [r.id, r]));
		expect(byId.ok.status).toBe(200);
		expect(byId.ok.body.amount).toBe(99.99);
		expect(byId.ok.headers['content-type']).toContain('application/json');
		expect(byId.ok.headers).not.toHaveProperty('etag'); // the eTag is in the body only
		expect(byId.ok.body['@odata.etag']).toBe(etagOf(p1.id));
		expect(byId.ok.atomicityGroup).toMatch(/^[0-9a-f-]{36}$/);
		expect(byId.stale.status).toBe(409);
		expect(byId.stale.body.error.code).toBe('Request_EntityChanged');
		expect(byId.missing.status).toBe(404);
		expect(byId.create.status).toBe(201);
		expect(byId.list.body.value).toHaveLength(2);
		expect(sb.getPayment(cid, p1.id)?.amount).toBe(99.99);
		expect(sb.writes.filter((w) => w.viaBatch).map((w) => w.method)).toEqual(
			expect.arrayContaining(['PATCH', 'POST']),
		);
		expect(sb.stats.batchOperations).toBeGreaterThanOrEqual(5);
	});

	test('without the Prefer header: stops at the first failing operation, later ones neither run nor listed', async () => {
		const [p1, p2] = sb.payments(cid, jid);
		const stale = etagOf(p2.id);
		sb.simulateConcurrentChange(cid, p2.id);
		const writes = sb.writes.length;
		const res = await batch(mixedOperations(p1.id, p2.id, stale));
		expect(res.status).toBe(200);
		expect(res.headers.get('preference-applied')).toBeNull();
		const { responses } = await json(res);
		expect(responses.map((r: Json) => [r.id, r.status]).sort()).toEqual([
			['ok', 200],
			['stale', 409],
		]);
		// the create after the failure did not run
		expect(sb.writes.slice(writes).map((w) => w.method)).toEqual(['PATCH']);
	});

	test('an operation URL with a leading "/" resolves against the host root: 404', async () => {
		const [p1] = sb.payments(cid, jid);
		const res = await batch([{ id: '1', method: 'GET', url: `/${paymentPath(p1.id)}` }]);
		const { responses } = await json(res);
		expect(responses[0]).toMatchObject({ id: '1', status: 404 });
	});

	test('more than 100 operations → 400', async () => {
		const requests = Array.from({ length: 101 }, (_, i) => ({
			id: String(i),
			method: 'GET',
			url: 'companies',
		}));
		const res = await batch(requests);
		expect(res.status).toBe(400);
		expect((await json(res)).error.message).toContain('100');
	});

	test('Isolation: snapshot rolls the whole batch back', async () => {
		const [p1, p2] = sb.payments(cid, jid);
		const before1 = sb.getPayment(cid, p1.id);
		const writes = sb.writes.length;
		const res = await batch(
			[
				{
					id: '1',
					method: 'PATCH',
					url: paymentPath(p1.id),
					headers: { 'If-Match': before1?.['@odata.etag'] },
					body: { amount: 111 },
				},
				{
					id: '2',
					method: 'PATCH',
					url: paymentPath(p2.id),
					headers: { 'If-Match': 'W/"c3RhbGU="' },
					body: { amount: 222 },
				},
				{
					id: '3',
					method: 'PATCH',
					url: paymentPath(p2.id),
					headers: { 'If-Match': '*' },
					body: { amount: 333 },
				},
			],
			{ Isolation: 'snapshot' },
		);
		expect(res.status).toBe(200);
		const byId = Object.fromEntries((await json(res)).responses.map((r: Json) => [r.id, r]));
		expect(byId['2'].status).toBe(409);
		expect(byId['1'].status).toBe(424);
		expect(byId['3'].status).toBe(424);
		expect(sb.getPayment(cid, p1.id)).toEqual(before1);
		expect(sb.writes.length).toBe(writes);

		const ok = await batch(
			[
				{
					id: 'a',
					method: 'PATCH',
					url: paymentPath(p1.id),
					headers: { 'If-Match': '*' },
					body: { amount: 111 },
				},
				{
					id: 'b',
					method: 'PATCH',
					url: paymentPath(p2.id),
					headers: { 'If-Match': '*' },
					body: { amount: 222 },
				},
			],
			{ Isolation: 'snapshot' },
		);
		expect((await json(ok)).responses.map((r: Json) => r.status)).toEqual([200, 200]);
		expect(sb.getPayment(cid, p2.id)?.amount).toBe(222);
	});
});

describe('authentication', () => {
	test('missing or unknown token → 401 with WWW-Authenticate', async () => {
		for (const auth of [undefined, 'Bearer nope']) {
			const res = await fetch(`${base}/companies`, {
				headers: auth ? { Authorization: auth } : {},
			});
			expect(res.status).toBe(401);
			expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
			const err = (await json(res)).error;
			expect(err.code).toBe('Authentication_InvalidCredentials');
			expect(err.message).toMatch(
				/^The server has rejected the client credentials\.  CorrelationId: /,
			);
		}
	});

	test('token endpoint: client credentials (form or Basic), errors, expiry', async () => {
		const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
			fetch(sb.tokenUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
				body: new URLSearchParams(fields).toString(),
			});
		const scope = 'https://api.businesscentral.dynamics.com/.default';
		const good = await form({
			grant_type: 'client_credentials',
			client_id: sb.clientId,
			client_secret: sb.clientSecret,
			scope,
		});
		expect(good.status).toBe(200);
		const token = await json(good);
		expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
		expect(
			(
				await fetch(`${base}/companies`, {
					headers: { Authorization: `Bearer ${token.access_token}` },
				})
			).status,
		).toBe(200);

		const basic = Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64');
		expect(
			(await form({ grant_type: 'client_credentials', scope }, { Authorization: `Basic ${basic}` }))
				.status,
		).toBe(200);

		const badSecret = await form({
			grant_type: 'client_credentials',
			client_id: sb.clientId,
			client_secret: 'x',
			scope,
		});
		expect(badSecret.status).toBe(401);
		const badSecretBody = await json(badSecret);
		expect(badSecretBody.error).toBe('invalid_client');
		expect(badSecretBody.error_description).toContain('AADSTS7000215');
		const badScope = await form({
			grant_type: 'client_credentials',
			client_id: sb.clientId,
			client_secret: sb.clientSecret,
			scope: 'openid',
		});
		expect(badScope.status).toBe(400);
		expect((await json(badScope)).error).toBe('invalid_scope');

		sb.options.tokenLifetimeSeconds = 1;
		try {
			const short = await json(
				await form({
					grant_type: 'client_credentials',
					client_id: sb.clientId,
					client_secret: sb.clientSecret,
					scope,
				}),
			);
			expect(short.expires_in).toBe(1);
			const auth = { Authorization: `Bearer ${short.access_token}` };
			expect((await fetch(`${base}/companies`, { headers: auth })).status).toBe(200);
			await new Promise((r) => setTimeout(r, 1100));
			const expired = await fetch(`${base}/companies`, { headers: auth });
			expect(expired.status).toBe(401);
			expect(expired.headers.get('www-authenticate')).toContain('expired');
		} finally {
			sb.options.tokenLifetimeSeconds = 3600;
		}
		expect(sb.stats.tokensIssued).toBeGreaterThanOrEqual(3);
	});
});

describe('limits and faults', () => {
	async function freshToken(): Promise<string> {
		const res = await fetch(sb.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sb.clientId,
				client_secret: sb.clientSecret,
				scope: 'https://api.businesscentral.dynamics.com/.default',
			}).toString(),
		});
		return (await json(res)).access_token as string;
	}
	const getWith = (token: string, path = 'companies') =>
		fetch(`${base}/${path}`, { headers: { Authorization: `Bearer ${token}` } });

	test('throttling → 429 with and without Retry-After, per user; a batch counts its operations', async () => {
		sb.options.throttle = { maxRequests: 3, windowMs: 60000, retryAfterSeconds: 2 };
		try {
			const t1 = await freshToken();
			const statuses = [];
			for (let i = 0; i < 4; i++) statuses.push(await getWith(t1));
			expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
			const limited = statuses[3];
			expect(limited.headers.get('retry-after')).toBe('2');
			expect((await json(limited)).error.code).toBe('Application_TooManyRequests');
			// the window is the user's: a new token of the same app does not reset it
			const t2 = await freshToken();
			expect((await getWith(t2)).status).toBe(429);
			// another user (the static token) has its own window
			expect((await getWith(sb.token)).status).toBe(200);

			sb.options.throttle = { maxRequests: 4, windowMs: 60000 };
			const batchRes = await fetch(`${base}/$batch`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({
					requests: [1, 2, 3].map((i) => ({ id: String(i), method: 'GET', url: 'companies' })),
				}),
			});
			expect(batchRes.status).toBe(200);
			const after = await getWith(sb.token);
			expect(after.status).toBe(429);
			expect(after.headers.get('retry-after')).toBeNull();
			expect(sb.stats.throttled).toBeGreaterThanOrEqual(2);
		} finally {
			sb.options.throttle = undefined;
		}
	});

	test('maxConcurrent → 429 for the excess request', async () => {
		sb.options.maxConcurrent = 1;
		sb.options.latencyMs = 150;
		try {
			const results = await Promise.all([getWith(sb.token), getWith(sb.token)]);
			expect(results.map((r) => r.status).sort()).toEqual([200, 429]);
			expect(sb.stats.maxConcurrentSeen).toBe(1);
		} finally {
			sb.options.maxConcurrent = undefined;
			sb.options.latencyMs = 0;
		}
	});

	test('503 / 504 / drop / apply-then-drop / hang / apply-then-hang / slow write', async () => {
		const p = firstPayment();
		try {
			sb.options.faults = { rate503: 1 };
			const r503 = await getWith(sb.token);
			expect(r503.status).toBe(503);
			expect(r503.headers.get('retry-after')).toBe('1');
			sb.options.faults = { rate504: 1 };
			expect((await getWith(sb.token)).status).toBe(504);

			sb.options.faults = { dropRate: 1 };
			await expect(patch(p.id, { comment: 'dropped' }, '*')).rejects.toThrow();
			expect(sb.getPayment(cid, p.id)?.comment).not.toBe('dropped');

			sb.options.faults = { applyThenDropRate: 1 };
			await expect(patch(p.id, { comment: 'applied' }, '*')).rejects.toThrow();
			expect(sb.getPayment(cid, p.id)?.comment).toBe('applied');
			expect((await getWith(sb.token)).status).toBe(200); // reads are not affected

			sb.options.faults = { hangRate: 1 };
			const controller = new AbortController();
			const timer = setTimeout(() => controller.abort(), 150);
			await expect(
				fetch(`${base}/companies`, {
					headers: { Authorization: `Bearer ${sb.token}` },
					signal: controller.signal,
				}),
			).rejects.toThrow();
			clearTimeout(timer);

			sb.options.faults = { applyThenHangRate: 1 };
			expect((await getWith(sb.token)).status).toBe(200); // reads are not affected
			const hungWrite = new AbortController();
			const hungTimer = setTimeout(() => hungWrite.abort(), 150);
			await expect(
				call(paymentPath(p.id), {
					method: 'PATCH',
					headers: { 'If-Match': '*' },
					body: JSON.stringify({ comment: 'applied, never answered' }),
					signal: hungWrite.signal,
				}),
			).rejects.toThrow();
			clearTimeout(hungTimer);
			expect(sb.getPayment(cid, p.id)?.comment).toBe('applied, never answered');

			// slow write: the client gives up first, the write is applied later anyway
			sb.options.faults = { slowWriteRate: 1, slowWriteMs: 100 };
			const gaveUp = new AbortController();
			const gaveUpTimer = setTimeout(() => gaveUp.abort(), 20);
			await expect(
				call(paymentPath(p.id), {
					method: 'PATCH',
					headers: { 'If-Match': '*' },
					body: JSON.stringify({ comment: 'applied late' }),
					signal: gaveUp.signal,
				}),
			).rejects.toThrow();
			clearTimeout(gaveUpTimer);
			expect(sb.getPayment(cid, p.id)?.comment).toBe('applied, never answered');
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(sb.getPayment(cid, p.id)?.comment).toBe('applied late');
			expect(sb.stats.faults).toMatchObject({
				503: 1,
				504: 1,
				drop: 1,
				applyThenDrop: 1,
				hang: 1,
				applyThenHang: 1,
				slowWrite: 1,
			});
		} finally {
			sb.options.faults = undefined;
		}
	});

	test('close() does not wait for hung requests', async () => {
		const other = await startSandbox({ faults: { hangRate: 1 } });
		const pending = fetch(`${other.baseUrl()}/companies`, {
			headers: { Authorization: `Bearer ${other.token}` },
		}).catch((err: unknown) => err);
		await new Promise((r) => setTimeout(r, 50));
		const started = Date.now();
		await other.close();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(((await pending) as { name?: string }).name).toBe('TypeError'); // fetch failed: socket closed
	});
});

describe('sandbox API', () => {
	test('seeded data is deterministic', async () => {
		const a = await startSandbox({ seed: 7 });
		const b = await startSandbox({ seed: 7 });
		const c = await startSandbox({ seed: 8 });
		try {
			const ca = a.companies()[0].id;
			expect(b.companies()[0].id).toBe(ca);
			expect(b.payments(ca)).toEqual(a.payments(ca));
			expect(b.token).toBe(a.token);
			expect(c.companies()[0].id).not.toBe(ca);
			expect(
				a
					.customers(ca)
					.map((x) => x.number)
					.slice(0, 3),
			).toEqual(['10000', '20000', '30000']);
			expect(a.invoices(ca).some((i) => i.number === '103001')).toBe(true);
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	test('stats count requests by method and reset', async () => {
		sb.resetStats();
		await call('companies');
		await call(paymentPath(firstPayment().id), {
			method: 'PATCH',
			body: '{}',
			headers: { 'If-Match': '*' },
		});
		expect(sb.stats).toMatchObject({ requests: 2, byMethod: { GET: 1, PATCH: 1 } });
		sb.resetStats();
		expect(sb.stats.requests).toBe(0);
	});
});
