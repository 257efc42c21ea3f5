/**
 * Issue 12, sandbox side: webhook subscriptions (create with handshake, list, get, renew with
 * If-Match, delete, expiry, the 200 limit) and notifications (batched, collection, retries,
 * deletion after a refused notification), against a tiny HTTP receiver on loopback.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { etagFor, startSandbox, type Sandbox } from '../sandbox/index.cjs';

type Json = Record<string, any>;

interface Received {
	method: string;
	url: string;
	body: string;
}

/** A notification receiver: answers handshakes per `handshake`, notifications with `statuses` (then 200). */
class Receiver {
	server!: http.Server;
	url = '';
	received: Received[] = [];
	handshake: 'echo' | 'wrong' | 'silent' | 'status404' | 'quoted' = 'echo';
	statuses: number[] = [];
	async start(): Promise<this> {
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				this.received.push({ method: req.method ?? '', url: req.url ?? '', body });
				const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
				if (token !== null) {
					if (this.handshake === 'silent') return; // never answers
					if (this.handshake === 'status404') return void res.writeHead(404).end(token);
					if (this.handshake === 'wrong') return void res.writeHead(200).end('not-the-token');
					if (this.handshake === 'quoted')
						return void res.writeHead(200).end(JSON.stringify(token));
					res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
					return;
				}
				res.writeHead(this.statuses.shift() ?? 200).end();
			});
		});
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
		return this;
	}
	notifications(): Json[] {
		return this.received
			.filter((r) => !r.url.includes('validationToken'))
			.map((r) => JSON.parse(r.body));
	}
	close(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise((r) => this.server.close(() => r()));
	}
}

let sb: Sandbox;
let rx: Receiver;
let base: string;
let cid: string;

beforeEach(async () => {
	sb = await startSandbox({
		seed: 12,
		notificationDelayMs: 50,
		handshakeTimeoutMs: 500,
		notificationRetryDelaysMs: [30, 30],
	});
	rx = await new Receiver().start();
	base = sb.baseUrl();
	cid = sb.companies()[0].id;
});
afterEach(async () => {
	await sb.close();
	await rx.close();
});

function call(path: string, init: RequestInit = {}): Promise<Response> {
	return fetch(`${base}/${path}`, {
		...init,
		headers: {
			Authorization: `Bearer ${sb.token}`,
			'Content-Type': 'application/json',
			...(init.headers as Record<string, string>),
		},
	});
}
async function json(res: Response): Promise<Json> {
	const text = await res.text();
	return text ? JSON.parse(text) : {};
}
const customersResource = () => `/api/v2.0/companies(${cid})/customers`;
async function subscribe(body: Json = {}): Promise<Response> {
	return call('subscriptions', {
		method: 'POST',
		body: JSON.stringify({
			notificationUrl: rx.url,
			resource: customersResource(),
			clientState: 'secret-1',
			...body,
		}),
	});
}
async function patchCustomer(idOrNumber: string, fields: Json): Promise<void> {
	const c = sb.customer(cid, idOrNumber)!;
	const res = await call(`companies(${cid})/customers(${c.id})`, {
		method: 'PATCH',
		headers: { 'If-Match': c['@odata.etag'] },
		body: JSON.stringify(fields),
	});
	expect(res.status).toBe(200);
}
const waitFor = async (cond: () => boolean, ms = 3000) => {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 10));
	}
};

describe('create: the handshake', () => {
	it('answered: 201 with the subscription; the token went by POST in the query string', async () => {
		const res = await subscribe();
		expect(res.status).toBe(201);
		const body = await json(res);
		expect(body).toMatchObject({
			notificationUrl: rx.url,
			resource: customersResource(),
			clientState: 'secret-1',
		});
		expect(body.subscriptionId).toMatch(/^[0-9a-f]{32}$/);
		expect(body['@odata.etag']).toBe(res.headers.get('etag'));
		expect(res.headers.get('location')).toBe(`${base}/subscriptions('${body.subscriptionId}')`);
		const expiry = Date.parse(body.expirationDateTime) - Date.now();
		expect(expiry).toBeGreaterThan(3 * 86400_000 - 5000);
		expect(expiry).toBeLessThanOrEqual(3 * 86400_000);
		expect(rx.received).toHaveLength(1);
		expect(rx.received[0].method).toBe('POST');
		expect(rx.received[0].url).toMatch(/^\/hook\?validationToken=[0-9a-f]{32}$/);
		expect(sb.handshakes[0]).toMatchObject({ purpose: 'create', accepted: true, status: 200 });
		expect(sb.subscriptions().map((s) => s.subscriptionId)).toEqual([body.subscriptionId]);
		const got = await json(await call(`subscriptions('${body.subscriptionId}')`));
		expect(got.subscriptionId).toBe(body.subscriptionId);
		const list = await json(await call('subscriptions'));
		expect(list.value).toHaveLength(1);
	});

	it.each(['wrong', 'status404', 'silent', 'quoted'] as const)(
		'%s → refused, nothing stored',
		async (mode) => {
			rx.handshake = mode;
			const res = await subscribe();
			expect(res.status).toBe(400);
			const body = await json(res);
			expect(body.error.message).toMatch(/handshake/);
			expect(sb.subscriptions()).toHaveLength(0);
			expect(sb.handshakes[0].accepted).toBe(false);
		},
	);

	it('relative resource `companies(c)/customers` works too', async () => {
		const res = await subscribe({ resource: `companies(${cid})/customers` });
		expect(res.status).toBe(201);
	});

	it('customerPayments and journal lines are refused; unknown company 404', async () => {
		for (const set of ['customerPayments', 'journalLines']) {
			const res = await subscribe({ resource: `/api/v2.0/companies(${cid})/${set}` });
			expect(res.status).toBe(400);
			expect((await json(res)).error.message).toMatch(/does not support webhook/);
		}
		const unknown = await subscribe({
			resource: '/api/v2.0/companies(11111111-2222-3333-4444-555555555555)/customers',
		});
		expect(unknown.status).toBe(404);
		expect(rx.received).toHaveLength(0); // refused before any handshake
	});

	it('notification URLs off the machine are refused without a call', async () => {
		for (const url of ['https://example.com/hook', 'http://10.0.0.1/hook', 'ftp://127.0.0.1/x']) {
			const res = await subscribe({ notificationUrl: url });
			expect(res.status).toBe(400);
		}
		expect(sb.handshakes).toHaveLength(0);
	});

	it('clientState: 2048 characters on v2.0, 250 on beta', async () => {
		expect((await subscribe({ clientState: 'x'.repeat(2049) })).status).toBe(400);
		expect((await subscribe({ clientState: 'x'.repeat(2048) })).status).toBe(201);
		const beta = await fetch(`${sb.baseUrl('beta')}/subscriptions`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				notificationUrl: rx.url,
				resource: `/api/beta/companies(${cid})/customers`,
				clientState: 'x'.repeat(251),
			}),
		});
		expect(beta.status).toBe(400);
	});

	it('at most maxSubscriptions', async () => {
		sb.options.maxSubscriptions = 2;
		expect((await subscribe()).status).toBe(201);
		expect((await subscribe()).status).toBe(201);
		const third = await subscribe();
		expect(third.status).toBe(400);
		expect((await json(third)).error.message).toMatch(/maximum number of subscriptions/);
	});
});

describe('notifications', () => {
	it('changes within the delay arrive as one batch, clientState echoed, record timestamps', async () => {
		const sub = await json(await subscribe());
		await patchCustomer('10000', { phoneNumber: '111' });
		await patchCustomer('20000', { phoneNumber: '222' });
		await patchCustomer('10000', { phoneNumber: '333' }); // same record again: one entry
		await waitFor(() => sb.notificationsSent.length === 1);
		await new Promise((r) => setTimeout(r, 100));
		expect(sb.notificationsSent).toHaveLength(1);
		const [payload] = rx.notifications();
		const c1 = sb.customer(cid, '10000')!;
		const c2 = sb.customer(cid, '20000')!;
		expect(payload.value).toEqual(
			expect.arrayContaining([
				{
					subscriptionId: sub.subscriptionId,
					clientState: 'secret-1',
					expirationDateTime: sub.expirationDateTime,
					resource: `api/v2.0/companies(${cid})/customers(${c1.id})`,
					changeType: 'updated',
					lastModifiedDateTime: c1.lastModifiedDateTime,
				},
				expect.objectContaining({
					resource: `api/v2.0/companies(${cid})/customers(${c2.id})`,
					changeType: 'updated',
					lastModifiedDateTime: c2.lastModifiedDateTime,
				}),
			]),
		);
		expect(payload.value).toHaveLength(2);
		// the timestamp in the notification finds the record with the documented ge filter
		const found = await json(
			await call(
				`companies(${cid})/customers?$filter=lastModifiedDateTime ge ${c1.lastModifiedDateTime}`,
			),
		);
		expect(found.value.map((c: Json) => c.id)).toContain(c1.id);
	});

	it('created and deleted (customer payment journals)', async () => {
		await subscribe({ resource: `/api/v2.0/companies(${cid})/customerPaymentJournals` });
		const created = await json(
			await call(`companies(${cid})/customerPaymentJournals`, {
				method: 'POST',
				body: JSON.stringify({ code: 'HOOK' }),
			}),
		);
		await sb.flushNotifications();
		expect(rx.notifications()[0].value).toEqual([
			expect.objectContaining({
				changeType: 'created',
				resource: `api/v2.0/companies(${cid})/customerPaymentJournals(${created.id})`,
				lastModifiedDateTime: created.lastModifiedDateTime,
			}),
		]);
		const del = await call(`companies(${cid})/customerPaymentJournals(${created.id})`, {
			method: 'DELETE',
			headers: { 'If-Match': created['@odata.etag'] },
		});
		expect(del.status).toBe(204);
		await sb.flushNotifications();
		expect(rx.notifications()[1].value).toEqual([
			expect.objectContaining({ changeType: 'deleted' }),
		]);
	});

	it('posting a journal notifies the invoice it paid (salesInvoices subscription)', async () => {
		const sub = await json(
			await subscribe({ resource: `/api/v2.0/companies(${cid})/salesInvoices` }),
		);
		const cash = sb.journals(cid).find((j) => j.code === 'CASH RCPT')!;
		const journal = await json(
			await call(`companies(${cid})/customerPaymentJournals`, {
				method: 'POST',
				body: JSON.stringify({ code: 'HOOKPOST', balancingAccountId: cash.balancingAccountId }),
			}),
		);
		const invoice = sb
			.invoices(cid)
			.find((i) => i.status === 'Open' && i.remainingAmount === i.totalAmountIncludingTax)!;
		const line = await call(
			`companies(${cid})/customerPaymentJournals(${journal.id})/customerPayments`,
			{
				method: 'POST',
				body: JSON.stringify({
					documentNumber: 'HOOK1',
					customerId: invoice.customerId,
					appliesToInvoiceId: invoice.id,
					amount: -invoice.remainingAmount,
				}),
			},
		);
		expect(line.status).toBe(201);
		const res = await call(`companies(${cid})/journals(${journal.id})/Microsoft.NAV.post`, {
			method: 'POST',
		});
		expect(res.status).toBe(204);
		await sb.flushNotifications();
		const [payload] = rx.notifications();
		const paid = sb.invoice(cid, invoice.id)!;
		expect(paid.status).toBe('Paid');
		expect(payload.value).toEqual([
			{
				subscriptionId: sub.subscriptionId,
				clientState: 'secret-1',
				expirationDateTime: sub.expirationDateTime,
				resource: `api/v2.0/companies(${cid})/salesInvoices(${invoice.id})`,
				changeType: 'updated',
				lastModifiedDateTime: paid.lastModifiedDateTime,
			},
		]);
	});

	it('other entity sets and other companies do not notify', async () => {
		await subscribe();
		const other = sb.companies()[1].id;
		const c = sb.customers(other)[0];
		const row = sb.customer(other, c.id)!;
		await call(`companies(${other})/customers(${c.id})`, {
			method: 'PATCH',
			headers: { 'If-Match': row['@odata.etag'] },
			body: JSON.stringify({ phoneNumber: '9' }),
		});
		await sb.flushNotifications();
		expect(sb.notificationsSent).toHaveLength(0);
	});

	it('more than collectionThreshold changes → one collection entry', async () => {
		sb.options.collectionThreshold = 3;
		const sub = await json(await subscribe());
		for (const n of ['10000', '20000', '30000', '40000'])
			await patchCustomer(n, { phoneNumber: n });
		await sb.flushNotifications();
		const [payload] = rx.notifications();
		expect(payload.value).toHaveLength(1);
		expect(payload.value[0]).toMatchObject({
			subscriptionId: sub.subscriptionId,
			changeType: 'collection',
			clientState: 'secret-1',
		});
		const m =
			/^api\/v2\.0\/companies\(([^)]+)\)\/customers\?\$filter=lastModifiedDateTime%20gt%20(\S+)$/.exec(
				payload.value[0].resource,
			);
		expect(m).not.toBeNull();
		// the filter finds the four changed customers
		const found = await json(
			await call(`companies(${cid})/customers?$filter=lastModifiedDateTime gt ${m![2]}`),
		);
		expect(found.value.length).toBeGreaterThanOrEqual(4);
	});

	it('a refused notification (400) deletes the subscription; no retry', async () => {
		await subscribe();
		rx.statuses = [400];
		await patchCustomer('10000', { phoneNumber: '1' });
		await sb.flushNotifications();
		expect(sb.notificationsSent.map((n) => n.outcome)).toEqual(['subscriptionDeleted']);
		expect(sb.subscriptions()).toHaveLength(0);
		await patchCustomer('10000', { phoneNumber: '2' });
		await sb.flushNotifications();
		expect(rx.notifications()).toHaveLength(1);
	});

	it.each([503, 429, 408])(
		'%s is retried with the same payload, then delivered',
		async (status) => {
			await subscribe();
			rx.statuses = [status];
			await patchCustomer('10000', { phoneNumber: '1' });
			await sb.flushNotifications();
			await waitFor(() => sb.notificationsSent.length === 2);
			expect(sb.notificationsSent.map((n) => [n.status, n.outcome, n.attempt])).toEqual([
				[status, 'retry', 1],
				[200, 'delivered', 2],
			]);
			expect(rx.notifications()[1]).toEqual(rx.notifications()[0]);
			expect(sb.subscriptions()).toHaveLength(1);
		},
	);

	it('retries end after the schedule (gaveUp); the subscription stays', async () => {
		await subscribe();
		rx.statuses = [500, 500, 500];
		await patchCustomer('10000', { phoneNumber: '1' });
		await sb.flushNotifications();
		await waitFor(() => sb.notificationsSent.length === 3);
		expect(sb.notificationsSent.map((n) => n.outcome)).toEqual(['retry', 'retry', 'gaveUp']);
		expect(sb.subscriptions()).toHaveLength(1);
	});

	it('two subscriptions on one URL share a payload', async () => {
		const a = await json(await subscribe({ clientState: 'a' }));
		const b = await json(await subscribe({ clientState: 'b' }));
		await subscribe({ resource: `/api/v2.0/companies(${cid})/salesInvoices`, clientState: 'i' });
		await patchCustomer('10000', { phoneNumber: '1' });
		await subscribe({ clientState: 'c' }); // after the change: not notified of it
		await sb.flushNotifications();
		const payloads = rx.notifications();
		expect(payloads).toHaveLength(1);
		expect(payloads[0].value.map((e: Json) => [e.subscriptionId, e.clientState])).toEqual([
			[a.subscriptionId, 'a'],
			[b.subscriptionId, 'b'],
		]);
	});
});

describe('renewal, delete, expiry', () => {
	it('PATCH with If-Match repeats the handshake and extends the expiry', async () => {
		const sub = await json(await subscribe());
		const key = `subscriptions('${sub.subscriptionId}')`;
		expect((await call(key, { method: 'PATCH', body: '{}' })).status).toBe(400); // no If-Match
		expect(
			(await call(key, { method: 'PATCH', headers: { 'If-Match': 'W/"stale"' }, body: '{}' }))
				.status,
		).toBe(409);
		sb.advanceClock(2 * 86400_000);
		const res = await call(key, {
			method: 'PATCH',
			headers: { 'If-Match': sub['@odata.etag'] },
			body: JSON.stringify({ clientState: 'secret-2' }),
		});
		expect(res.status).toBe(200);
		const renewed = await json(res);
		expect(renewed.clientState).toBe('secret-2');
		expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(
			Date.parse(sub.expirationDateTime) + 86400_000,
		);
		expect(renewed['@odata.etag']).not.toBe(sub['@odata.etag']);
		expect(renewed['@odata.etag']).toBe(etagFor(sub.subscriptionId, 2));
		expect(sb.handshakes.map((h) => [h.purpose, h.accepted])).toEqual([
			['create', true],
			['renew', true],
		]);
		// a failed renewal handshake leaves the subscription as it was
		rx.handshake = 'wrong';
		const failed = await call(key, {
			method: 'PATCH',
			headers: { 'If-Match': renewed['@odata.etag'] },
			body: '{}',
		});
		expect(failed.status).toBe(400);
		expect(sb.subscriptions()[0].expirationDateTime).toBe(renewed.expirationDateTime);
	});

	it('DELETE needs If-Match, then 204 and nothing more is sent', async () => {
		const sub = await json(await subscribe());
		const key = `subscriptions('${sub.subscriptionId}')`;
		expect((await call(key, { method: 'DELETE' })).status).toBe(400);
		expect(
			(await call(key, { method: 'DELETE', headers: { 'If-Match': sub['@odata.etag'] } })).status,
		).toBe(204);
		expect((await call(key)).status).toBe(404);
		await patchCustomer('10000', { phoneNumber: '1' });
		await sb.flushNotifications();
		expect(sb.notificationsSent).toHaveLength(0);
	});

	it('expired (clock moved past three days, or expireSubscription): removed, sends nothing', async () => {
		const a = await json(await subscribe());
		await patchCustomer('10000', { phoneNumber: '1' });
		sb.advanceClock(3 * 86400_000 + 1000);
		await sb.flushNotifications();
		expect(sb.notificationsSent).toHaveLength(0);
		expect((await call(`subscriptions('${a.subscriptionId}')`)).status).toBe(404);
		expect((await json(await call('subscriptions'))).value).toHaveLength(0);

		const b = await json(await subscribe());
		sb.expireSubscription(b.subscriptionId);
		await patchCustomer('20000', { phoneNumber: '2' });
		await sb.flushNotifications();
		expect(sb.notificationsSent).toHaveLength(0);
		expect(sb.subscriptions()).toHaveLength(0);
	});
});

describe('lastModifiedDateTime for polling (the entities without webhooks)', () => {
	it('a new payment line has a server timestamp that ge / gt filters (with the journal filter) find', async () => {
		const journal = sb.journals(cid)[0];
		const customer = sb.customers(cid)[0];
		const res = await call(
			`companies(${cid})/customerPaymentJournals(${journal.id})/customerPayments`,
			{
				method: 'POST',
				body: JSON.stringify({ customerId: customer.id, amount: -5 }),
			},
		);
		expect(res.status).toBe(201);
		const line = await json(res);
		expect(line.lastModifiedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/);
		const ids = async (op: string) =>
			(
				await json(
					await call(
						`companies(${cid})/customerPayments?$filter=journalId eq ${journal.id} and lastModifiedDateTime ${op} ${line.lastModifiedDateTime}`,
					),
				)
			).value.map((p: Json) => p.id);
		expect(await ids('ge')).toContain(line.id);
		expect(await ids('gt')).not.toContain(line.id);
	});
});
