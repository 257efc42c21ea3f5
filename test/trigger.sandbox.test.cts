/**
 * Business Central Trigger, polling mode, end to end over loopback: the node's poll() run by
 * n8n-core's PollContext (dev/poll.cts) with static data kept between polls, against the
 * sandbox (pages of 4, timestamps of 1/300 s shared by records changed in the same tick).
 * Each case counts what was delivered: every change exactly once, none missed.
 */
import type { IDataObject } from 'n8n-workflow';

import { activate, triggerNode, type Poller } from '../dev/poll.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { expectNoSecrets, locator, sandboxBearerCredentials } from './fixtures.cjs';

let sandbox: Sandbox;
let company: string;
let journal: string;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 42, pageSize: 4 });
	company = sandbox.companies()[0].id;
	journal = sandbox.journals(company)[0].id;
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(() => {
	sandbox.options.faults = undefined;
	sandbox.options.throttle = undefined;
});

async function paymentTrigger(parameters: IDataObject = {}): Promise<Poller> {
	const node = triggerNode({ resource: 'customerPayment', events: ['created', 'changed'], company: locator(company), ...parameters });
	return await activate(node, sandboxBearerCredentials(sandbox));
}

/** "Another user" enters `count` lines in a journal now (Business Central's clock stamps them). */
function addLines(journalId: string, count: number): Array<{ id: string }> {
	return Array.from({ length: count }, () => sandbox.addForeignPaymentLine(company, journalId, { amount: -10 }));
}

/** Every id delivered so far, with how often. */
function tally(delivered: IDataObject[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const item of delivered) counts.set(String(item.id), (counts.get(String(item.id)) ?? 0) + 1);
	return counts;
}

describe('Business Central Trigger (polling) against the sandbox', () => {
	test('manual mode: the most recently changed payment, as Business Central returns it, eTag included', async () => {
		const trigger = await paymentTrigger({ journal: locator(journal) });
		const [changed] = addLines(journal, 1);

		const items = await trigger.poll('manual');

		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ id: changed.id, event: 'changed' });
		expect(items[0]['@odata.etag']).toBe(sandbox.getPayment(company, changed.id)?.['@odata.etag']);
		expect(trigger.staticData()).toEqual({});
	});

	test('first activation delivers nothing; 50 payments created in bursts while polling: each once, none missed', async () => {
		const trigger = await paymentTrigger({ journal: locator(journal) });
		expect(await trigger.poll()).toEqual([]);
		const created: string[] = [];
		const delivered: IDataObject[] = [];
		for (let round = 0; round < 5; round++) {
			created.push(...addLines(journal, 5).map((p) => p.id));
			const polling = trigger.poll();
			// written while the poll reads its pages: same tick as what it reads, or after it
			created.push(...addLines(journal, 5).map((p) => p.id));
			delivered.push(...(await polling));
		}
		delivered.push(...(await trigger.poll()));
		expect(await trigger.poll()).toEqual([]);

		const counts = tally(delivered);
		expect(created).toHaveLength(50);
		expect([...counts.keys()].sort()).toEqual([...created].sort());
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		expect(delivered.every((item) => item.event === 'created' && typeof item['@odata.etag'] === 'string')).toBe(true);
		console.info(`trigger: 50 payments created, ${delivered.length} events delivered, duplicates ${delivered.length - counts.size}, missed ${created.filter((id) => !counts.has(id)).length}`);
	});

	test('50 payments changed within the same tick by "another user": 50 changed events over pages of 4, then nothing', async () => {
		const trigger = await paymentTrigger({ journal: locator(journal) });
		await trigger.poll();
		const payments = sandbox.payments(company, journal).slice(0, 50);
		expect(payments).toHaveLength(50);
		for (const payment of payments) sandbox.simulateConcurrentChange(company, payment.id, { description: 'changed' });
		const stamps = new Set(payments.map((p) => sandbox.getPayment(company, p.id)!.lastModifiedDateTime));

		const first = await trigger.poll();
		const second = await trigger.poll();

		expect(stamps.size).toBeLessThan(50);
		expect(first.map((item) => item.id).sort()).toEqual(payments.map((p) => p.id).sort());
		expect(first.every((item) => item.event === 'changed' && item.description === 'changed')).toBe(true);
		expect(second).toEqual([]);
		console.info(`trigger: 50 payments changed in ${stamps.size} distinct timestamps, ${first.length} events, then ${second.length}`);
	});

	test('a failed poll (expired token, then throttled) leaves the watermark; the next poll delivers what was missed', async () => {
		const trigger = await paymentTrigger({ journal: locator(journal) });
		await trigger.poll();
		const before = JSON.stringify(trigger.staticData());
		const created = addLines(journal, 7).map((p) => p.id);

		trigger.credentials.set('businessCentralApi', { ...sandboxBearerCredentials(sandbox).businessCentralApi, accessToken: 'expired-token' });
		const expired = await trigger.poll().catch((error: Error) => error);
		expect(expired).toBeInstanceOf(Error);
		expectNoSecrets([expired], ['expired-token', sandbox.token]);
		expect(JSON.stringify(trigger.staticData())).toBe(before);
		trigger.credentials.set('businessCentralApi', sandboxBearerCredentials(sandbox).businessCentralApi);
		sandbox.options.throttle = { maxRequests: 0, windowMs: 60_000, retryAfterSeconds: 0 };
		await expect(trigger.poll()).rejects.toThrow(/429|Too many|throttl/i);
		expect(JSON.stringify(trigger.staticData())).toBe(before);
		sandbox.options.throttle = undefined;

		const items = await trigger.poll();
		expect(items.map((item) => item.id).sort()).toEqual([...created].sort());
		expect(await trigger.poll()).toEqual([]);
	});

	test('every journal of the company: changes in two journals, each journal with its own watermark', async () => {
		const [one, two] = sandbox.journals(company);
		const trigger = await paymentTrigger();
		await trigger.poll();
		const created = [...addLines(one.id, 3), ...addLines(two.id, 2)].map((p) => p.id);

		const items = await trigger.poll();

		expect(items.map((item) => item.id).sort()).toEqual(created.sort());
		expect(Object.keys((trigger.staticData().state as IDataObject).scopes as IDataObject).length).toBe(sandbox.journals(company).length);
	});

	test('Include Existing Records: the first poll delivers every payment of the journal, as created', async () => {
		const trigger = await paymentTrigger({ journal: locator(journal), options: { includeExisting: true } });
		const existing = sandbox.payments(company, journal).map((p) => p.id);

		const items = await trigger.poll();

		expect(items.map((item) => item.id).sort()).toEqual(existing.sort());
		expect(items.every((item) => item.event === 'created')).toBe(true);
		expect(await trigger.poll()).toEqual([]);
	});

	test('sales invoice paid: a payment applied to an open invoice is posted → one "paid" event for that invoice', async () => {
		const node = triggerNode({ resource: 'salesInvoice', events: ['paid'], company: locator(company) });
		const trigger = await activate(node, sandboxBearerCredentials(sandbox));
		await trigger.poll();
		const invoice = sandbox.invoices(company).find((candidate) => candidate.status === 'Open' && candidate.remainingAmount > 0)!;
		const cash = sandbox.journals(company).find((candidate) => candidate.code === 'CASH RCPT')!;
		for (const line of sandbox.payments(company, cash.id)) await deletePayment(line.id);
		sandbox.addForeignPaymentLine(company, cash.id, {
			customerId: invoice.customerId,
			customerNumber: invoice.customerNumber,
			amount: -invoice.remainingAmount,
			appliesToInvoiceId: invoice.id,
			appliesToInvoiceNumber: invoice.number,
			documentNumber: 'PAID-1',
		});
		const posted = await fetch(`${sandbox.baseUrl('v2.0')}/companies(${company})/journals(${cash.id})/Microsoft.NAV.post`, { method: 'POST', headers: { Authorization: `Bearer ${sandbox.token}` } });
		expect(posted.status).toBe(204);

		const items = await trigger.poll();

		expect(items.map((item) => [item.id, item.status, item.event])).toEqual([[invoice.id, 'Paid', 'paid']]);
		expect(await trigger.poll()).toEqual([]);
	});

	test('customer changed: a PATCH → one "changed" event with the new eTag', async () => {
		const node = triggerNode({ resource: 'customer', events: ['changed'], company: locator(company) });
		const trigger = await activate(node, sandboxBearerCredentials(sandbox));
		await trigger.poll();
		const customer = sandbox.customers(company)[1];
		const answer = await fetch(`${sandbox.baseUrl('v2.0')}/companies(${company})/customers(${customer.id})`, {
			method: 'PATCH',
			headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/json', 'If-Match': '*' },
			body: JSON.stringify({ phoneNumber: '+1 555 0100' }),
		});
		expect(answer.status).toBe(200);

		const items = await trigger.poll();

		expect(items.map((item) => [item.id, item.phoneNumber, item.event])).toEqual([[customer.id, '+1 555 0100', 'changed']]);
		expect(items[0]['@odata.etag']).toBe(sandbox.customer(company, customer.id)?.['@odata.etag']);
	});
});

async function deletePayment(id: string): Promise<void> {
	const answer = await fetch(`${sandbox.baseUrl('v2.0')}/companies(${company})/customerPayments(${id})`, {
		method: 'DELETE',
		headers: { Authorization: `Bearer ${sandbox.token}`, 'If-Match': '*' },
	});
	expect(answer.status).toBe(204);
}
