/**
 * Business Central Trigger, webhook mode, end to end over loopback: n8n-core's HookContext runs
 * webhookMethods (checkExists / create / delete) and a loopback server standing in for n8n's
 * webhook endpoint hands the sandbox's handshakes and notifications to the node's webhook()
 * through n8n-core's WebhookContext (dev/webhook.cts). Each case counts what was emitted.
 */
import type { IDataObject } from 'n8n-workflow';

import { triggerNode } from '../dev/poll.cjs';
import { webhookTrigger, type WebhookTrigger } from '../dev/webhook.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { expectNoSecrets, locator, sandboxBearerCredentials } from './fixtures.cjs';

let sandbox: Sandbox;
let company: string;
let trigger: WebhookTrigger;

beforeEach(async () => {
	sandbox = await startSandbox({ seed: 12, notificationDelayMs: 30, notificationRetryDelaysMs: [30] });
	company = sandbox.companies()[0].id;
});

afterEach(async () => {
	await trigger?.close();
	await sandbox.close();
});

async function customerTrigger(parameters: IDataObject = {}): Promise<WebhookTrigger> {
	const node = {
		...triggerNode({ resource: 'customer', mode: 'webhook', events: ['created', 'changed'], company: locator(company), ...parameters }),
		webhookId: 'bc-hook',
	};
	trigger = await webhookTrigger(node, sandboxBearerCredentials(sandbox));
	return trigger;
}

/** "Another user" changes a customer through the API (Business Central stamps it). */
async function changeCustomer(number: string, fields: IDataObject): Promise<string> {
	const customer = sandbox.customer(company, number)!;
	const response = await fetch(`${sandbox.baseUrl()}/companies(${company})/customers(${customer.id})`, {
		method: 'PATCH',
		headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json', 'If-Match': String(customer['@odata.etag']) },
		body: JSON.stringify(fields),
	});
	expect(response.status).toBe(200);
	return String(customer.id);
}

async function api(path: string, method: string, status: number): Promise<void> {
	const response = await fetch(`${sandbox.baseUrl()}/companies(${company})/${path}`, {
		method,
		headers: { Authorization: `Bearer ${sandbox.token}`, 'If-Match': '*' },
	});
	expect(response.status).toBe(status);
}

function stored(): IDataObject {
	return trigger.staticData().subscription as IDataObject;
}

function ids(items: IDataObject[]): string[] {
	return items.map((item) => String(item.id)).sort();
}

describe('Business Central Trigger (webhook) against the sandbox', () => {
	test('activation: subscription created after the handshake; clientState random and stored', async () => {
		await customerTrigger();
		expect(await trigger.activate()).toEqual({ existed: false });

		const [subscription] = sandbox.subscriptions();
		expect(subscription).toMatchObject({
			notificationUrl: trigger.webhookUrl(),
			resource: `/api/v2.0/companies(${company})/customers`,
		});
		expect(sandbox.handshakes).toEqual([expect.objectContaining({ purpose: 'create', accepted: true })]);
		expect(trigger.requests[0]).toMatchObject({ status: 200, emitted: [] });
		expect(stored()).toMatchObject({ id: subscription.subscriptionId, etag: subscription['@odata.etag'] });
		expect(String(stored().clientState)).toHaveLength(64);
		expect(subscription.clientState).toBe(stored().clientState);
		expect(trigger.staticData().state).toBeDefined();
	});

	test('notifications: each changed customer emitted once, as Business Central returns it, with the event', async () => {
		await customerTrigger();
		await trigger.activate();
		const changed = [await changeCustomer('10000', { phoneNumber: '1' }), await changeCustomer('20000', { phoneNumber: '2' })];
		await sandbox.flushNotifications();
		await changeCustomer('10000', { phoneNumber: '3' });
		await sandbox.flushNotifications();
		await sandbox.flushNotifications();

		expect(ids(trigger.emitted)).toEqual([...changed, changed[0]].sort());
		expect(trigger.emitted.every((item) => item.event === 'changed')).toBe(true);
		const last = trigger.emitted[trigger.emitted.length - 1];
		expect(last).toMatchObject({ id: changed[0], phoneNumber: '3' });
		expect(last['@odata.etag']).toBe(sandbox.customer(company, '10000')!['@odata.etag']);
		expect(sandbox.notificationsSent.every((sent) => sent.outcome === 'delivered')).toBe(true);
		expectNoSecrets([trigger.emitted, trigger.staticData()], [sandbox.token]);
	});

	test('the handshake: ?validationToken= in the query string answered 200 text/plain with the token itself', async () => {
		await customerTrigger();

		const response = await fetch(`${trigger.webhookUrl()}?validationToken=4f0c2a9e`, { method: 'POST' });

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await response.text()).toBe('4f0c2a9e');
		expect(trigger.emitted).toEqual([]);
	});

	test('a read that fails during a notification answers 500: Business Central sends it again, the change comes once', async () => {
		await customerTrigger();
		await trigger.activate();
		sandbox.options.notificationDelayMs = 60_000;
		sandbox.options.notificationRetryDelaysMs = [60_000];
		const id = await changeCustomer('10000', { phoneNumber: '4' });
		sandbox.options.throttle = { maxRequests: 1, windowMs: 60_000, retryAfterSeconds: 0 };
		await fetch(`${sandbox.baseUrl()}/companies`, { headers: { Authorization: `Bearer ${sandbox.token}` } });
		await sandbox.flushNotifications();
		sandbox.options.throttle = undefined;
		expect(trigger.requests[trigger.requests.length - 1].status).toBe(500);
		expect(trigger.emitted).toEqual([]);

		await sandbox.flushNotifications();

		expect(sandbox.notificationsSent.map((sent) => sent.outcome)).toEqual(['retry', 'delivered']);
		expect(ids(trigger.emitted)).toEqual([id]);
		expectNoSecrets([trigger.requests], [sandbox.token]);
	});

	test('sales invoices: a payment posted to an open invoice → one "paid" event by webhook', async () => {
		await customerTrigger({ resource: 'salesInvoice', events: ['paid'] });
		await trigger.activate();
		expect(sandbox.subscriptions()[0].resource).toBe(`/api/v2.0/companies(${company})/salesInvoices`);
		const invoice = sandbox.invoices(company).find((candidate) => candidate.status === 'Open' && candidate.remainingAmount > 0)!;
		const cash = sandbox.journals(company).find((candidate) => candidate.code === 'CASH RCPT')!;
		for (const line of sandbox.payments(company, cash.id)) await api(`customerPayments(${line.id})`, 'DELETE', 204);
		sandbox.addForeignPaymentLine(company, cash.id, {
			customerId: invoice.customerId,
			customerNumber: invoice.customerNumber,
			amount: -invoice.remainingAmount,
			appliesToInvoiceId: invoice.id,
			appliesToInvoiceNumber: invoice.number,
			documentNumber: 'PAID-1',
		});
		await api(`journals(${cash.id})/Microsoft.NAV.post`, 'POST', 204);
		await sandbox.flushNotifications();
		await sandbox.flushNotifications();

		expect(trigger.emitted.map((item) => [item.id, item.status, item.event])).toEqual([[invoice.id, 'Paid', 'paid']]);
	});

	test('a notification with another clientState is refused (401) and runs nothing', async () => {
		await customerTrigger();
		await trigger.activate();
		const id = await changeCustomer('10000', { phoneNumber: '9' });
		const forged = { value: [{ subscriptionId: stored().id, clientState: 'guess', resource: `api/v2.0/companies(${company})/customers(${id})`, changeType: 'updated' }] };

		const response = await fetch(trigger.webhookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(forged) });

		expect(response.status).toBe(401);
		expect(trigger.emitted).toEqual([]);
		await sandbox.flushNotifications();
		expect(ids(trigger.emitted)).toEqual([id]);
	});

	test('a collection notification: the changes are read from the watermark, each once', async () => {
		await customerTrigger();
		await trigger.activate();
		sandbox.options.collectionThreshold = 2;
		// Held until the flush: with the suite's 30 ms delay a loaded machine sent the first change alone.
		sandbox.options.notificationDelayMs = 60_000;
		const changed = [];
		for (const number of ['10000', '20000', '30000', '40000']) changed.push(await changeCustomer(number, { phoneNumber: number }));
		await sandbox.flushNotifications();

		expect(sandbox.notificationsSent.map((sent) => sent.body.value[0].changeType)).toEqual(['collection']);
		expect(ids(trigger.emitted)).toEqual(changed.sort());
	});

	test('renewal: a notification within a day of the expiry renews (PATCH, If-Match, handshake); so does activation', async () => {
		await customerTrigger();
		await trigger.activate();
		const soon = new Date(Date.now() + 12 * 3600_000).toISOString();
		trigger.staticData().subscription = { ...stored(), expirationDateTime: soon };
		const etag = stored().etag;
		await changeCustomer('10000', { phoneNumber: '5' });
		await sandbox.flushNotifications();

		expect(sandbox.handshakes.map((handshake) => handshake.purpose)).toEqual(['create', 'renew']);
		expect(stored().etag).not.toBe(etag);
		expect(Date.parse(String(stored().expirationDateTime))).toBeGreaterThan(Date.now() + 2 * 86400_000);
		expect(trigger.emitted).toHaveLength(1);

		trigger.staticData().subscription = { ...stored(), expirationDateTime: soon };
		expect(await trigger.activate()).toEqual({ existed: true });
		expect(sandbox.handshakes.map((handshake) => handshake.purpose)).toEqual(['create', 'renew', 'renew']);
		expect(sandbox.subscriptions()).toHaveLength(1);
	});

	test('a renewal that fails (stale eTag) does not hold back the changes; the next due notification renews', async () => {
		await customerTrigger();
		await trigger.activate();
		const soon = new Date(Date.now() + 12 * 3600_000).toISOString();
		const good = stored();
		trigger.staticData().subscription = { ...good, etag: 'W/"stale"', expirationDateTime: soon };
		const id = await changeCustomer('10000', { phoneNumber: '6' });
		await sandbox.flushNotifications();

		expect(ids(trigger.emitted)).toEqual([id]);
		expect(stored().expirationDateTime).toBe(soon);
		trigger.staticData().subscription = { ...good, expirationDateTime: soon };
		await changeCustomer('20000', { phoneNumber: '6' });
		await sandbox.flushNotifications();
		expect(trigger.emitted).toHaveLength(2);
		expect(Date.parse(String(stored().expirationDateTime))).toBeGreaterThan(Date.now() + 2 * 86400_000);
	});

	test('n8n down past the expiry: re-subscribed on activation, the changes meanwhile caught up, none twice', async () => {
		await customerTrigger();
		await trigger.activate();
		const first = await changeCustomer('10000', { phoneNumber: '1' });
		await sandbox.flushNotifications();
		sandbox.expireSubscription(String(stored().id));
		const whileDown = await changeCustomer('20000', { phoneNumber: '2' });

		expect(await trigger.activate()).toEqual({ existed: false });
		const after = await changeCustomer('30000', { phoneNumber: '3' });
		await sandbox.flushNotifications();

		expect(sandbox.subscriptions()).toHaveLength(1);
		expect(ids(trigger.emitted)).toEqual([first, whileDown, after].sort());
	});

	test('deactivation deletes the subscription (If-Match); nothing is sent afterwards', async () => {
		await customerTrigger();
		await trigger.activate();
		expect(await trigger.deactivate()).toBe(true);

		expect(sandbox.subscriptions()).toEqual([]);
		expect(trigger.staticData().subscription).toBeUndefined();
		await changeCustomer('10000', { phoneNumber: '7' });
		await sandbox.flushNotifications();
		expect(sandbox.notificationsSent).toEqual([]);
	});

	test('polling mode (default) makes no subscription; customer payments have no webhook mode (the hidden Mode stays Polling)', async () => {
		await customerTrigger({ mode: 'polling' });
		expect(await trigger.activate()).toEqual({ existed: true });
		expect(sandbox.subscriptions()).toEqual([]);
		await trigger.close();

		await customerTrigger({ resource: 'customerPayment' });
		expect(await trigger.activate()).toEqual({ existed: true });
		expect(sandbox.subscriptions()).toEqual([]);
		const refused = await fetch(trigger.webhookUrl(), { method: 'POST', body: JSON.stringify({ value: [{ clientState: '' }] }) });
		expect(refused.status).toBe(401);
	});
});
