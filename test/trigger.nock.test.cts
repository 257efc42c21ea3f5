/**
 * Business Central Trigger, polling mode, against nock: the exact requests (`$filter` with the
 * journal rule and `ge` the watermark, `$orderby`, the v1.0 journal path, the filters), the
 * overlap rule on hand-made answers (same timestamp → dropped, newer or late → delivered), and hostile
 * answers: a next link off the API base is refused (nothing sent there, no state saved, no token
 * in the error), a record without lastModifiedDateTime stops the poll.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { activate, triggerNode } from '../dev/poll.cjs';
import {
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	ETAG_2,
	expectNoSecrets,
	JOURNAL,
	locator,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	SAAS_PATH,
	saasApi,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const T1 = '2026-11-30T04:00:00.003Z';
const T2 = '2026-11-30T04:00:01.57Z';
const PAYMENTS = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;

function row(id: string, at: string, eTag = ETAG_1): IDataObject {
	return { '@odata.etag': eTag, id, journalId: JOURNAL, amount: -10, lastModifiedDateTime: at };
}

async function paymentTrigger(parameters: IDataObject = {}, apiVersion = 'v2.0') {
	const node = triggerNode({ resource: 'customerPayment', events: ['created', 'changed'], company: locator(COMPANY), journal: locator(JOURNAL), ...parameters });
	return await activate(node, bearerCredentials({ apiVersion }));
}

describe('Business Central Trigger: requests and the boundary rule', () => {
	test('Overlap 0: activation reads the newest payments of the journal; the next poll asks for journalId eq J and lastModifiedDateTime ge the newest, drops what it delivered at that tick', async () => {
		const trigger = await paymentTrigger({ options: { overlapSeconds: 0 } });
		saasApi(nock)
			.get(PAYMENTS)
			.query({ $filter: `journalId eq ${JOURNAL}`, $orderby: 'lastModifiedDateTime desc', $top: '5000', $select: 'id,lastModifiedDateTime' })
			.reply(200, { value: [row(PAYMENT, T1), row(PAYMENT_2, '2026-11-30T03:00:00Z')] });
		expect(await trigger.poll()).toEqual([]);
		expect(trigger.staticData().state).toMatchObject({ scopes: { [JOURNAL]: { watermark: T1, recent: { [PAYMENT]: T1 } } } });

		saasApi(nock)
			.get(PAYMENTS)
			.query({ $filter: `journalId eq ${JOURNAL} and lastModifiedDateTime ge ${T1}`, $orderby: 'lastModifiedDateTime asc' })
			.reply(200, { value: [row(PAYMENT, T1), row(PAYMENT_3, T1), row(PAYMENT_2, T2, ETAG_2)] });
		const items = await trigger.poll();

		expect(items.map((item) => [item.id, item.event, item['@odata.etag']])).toEqual([
			[PAYMENT_3, 'created', ETAG_1],
			[PAYMENT_2, 'changed', ETAG_2],
		]);
		expect(trigger.staticData().state).toMatchObject({ scopes: { [JOURNAL]: { watermark: T2, recent: { [PAYMENT_2]: T2 } } } });
	});

	test('default overlap of 60 s: reads from the watermark minus 60 s (Business Central\'s time), delivers a late commit inside the window once', async () => {
		const trigger = await paymentTrigger({ options: { includeExisting: true } });
		saasApi(nock).get(PAYMENTS).query(true).reply(200, { value: [row(PAYMENT, T2)] });
		expect((await trigger.poll()).map((item) => item.id)).toEqual([PAYMENT]);
		const windowStart = '2026-11-30T03:59:01.570Z';
		const late = row(PAYMENT_2, T1); // written before PAYMENT, committed after the last poll read
		for (let poll = 0; poll < 2; poll++) {
			saasApi(nock)
				.get(PAYMENTS)
				.query({ $filter: `journalId eq ${JOURNAL} and lastModifiedDateTime ge ${windowStart}`, $orderby: 'lastModifiedDateTime asc' })
				.reply(200, { value: [late, row(PAYMENT, T2)] });
		}

		expect((await trigger.poll()).map((item) => [item.id, item.event])).toEqual([[PAYMENT_2, 'created']]);
		expect(await trigger.poll()).toEqual([]);
		expect((trigger.staticData().state as IDataObject).scopes).toEqual({
			[JOURNAL]: { watermark: T2, recent: { [PAYMENT]: T2, [PAYMENT_2]: T1 }, seen: { [PAYMENT]: '', [PAYMENT_2]: '' } },
		});
	});

	test('API v1.0: the journal\'s own path (no journalId on that page), only the watermark in $filter', async () => {
		const trigger = await paymentTrigger({ options: { includeExisting: true, overlapSeconds: 0 } }, 'v1.0');
		const path = `/v2.0/contoso.onmicrosoft.com/production/api/v1.0/companies(${COMPANY})/customerPaymentJournals(${JOURNAL})/customerPayments`;
		saasApi(nock).get(path).query({ $orderby: 'lastModifiedDateTime asc' }).reply(200, { value: [row(PAYMENT, T1)] });
		expect((await trigger.poll()).map((item) => item.event)).toEqual(['created']);
		saasApi(nock)
			.get(path)
			.query({ $filter: `lastModifiedDateTime ge ${T1}`, $orderby: 'lastModifiedDateTime asc' })
			.reply(200, { value: [row(PAYMENT, T1)] });
		expect(await trigger.poll()).toEqual([]);
	});

	test('sales invoices: customer and status filters ANDed before the watermark', async () => {
		const node = triggerNode({ resource: 'salesInvoice', events: ['paid'], company: locator(COMPANY), filters: { customer: locator(CUSTOMER), status: 'Paid' }, options: { includeExisting: true, overlapSeconds: 0 } });
		const trigger = await activate(node, bearerCredentials());
		const invoices = `${SAAS_PATH}/companies(${COMPANY})/salesInvoices`;
		saasApi(nock)
			.get(invoices)
			.query({ $filter: `customerId eq ${CUSTOMER} and status eq 'Paid'`, $orderby: 'lastModifiedDateTime asc' })
			.reply(200, { value: [{ ...row(PAYMENT, T1), status: 'Paid' }] });
		expect((await trigger.poll()).map((item) => [item.id, item.event])).toEqual([[PAYMENT, 'paid']]);
		saasApi(nock)
			.get(invoices)
			.query({ $filter: `customerId eq ${CUSTOMER} and status eq 'Paid' and lastModifiedDateTime ge ${T1}`, $orderby: 'lastModifiedDateTime asc' })
			.reply(200, { value: [{ ...row(PAYMENT, T2), status: 'Paid' }] });
		// changed again while Paid: not "paid" a second time, and "changed" was not asked for
		expect(await trigger.poll()).toEqual([]);
	});

	test('a bad filter is refused before any request', async () => {
		const trigger = await paymentTrigger({ filters: { customer: locator('x)/customers(') } });
		await expect(trigger.poll()).rejects.toThrow(/Customer/);
		expect(requests.unmatched).toEqual([]);
	});
});

describe('Business Central Trigger: hostile answers', () => {
	test('a next link to another host is refused: nothing sent there, no state saved, no token in the error', async () => {
		const trigger = await paymentTrigger({ options: { includeExisting: true } });
		const attacker = nock('https://collector.attacker.example').get(/.*/).reply(200, { value: [] });
		saasApi(nock)
			.get(PAYMENTS)
			.query(true)
			.reply(200, { value: [row(PAYMENT, T1)], '@odata.nextLink': 'https://collector.attacker.example/companies?$skiptoken=1' });

		const error = await trigger.poll().catch((failure: Error) => failure);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(/Refused to follow a link outside the configured Business Central API/);
		expect(attacker.isDone()).toBe(false);
		expect(trigger.staticData()).toEqual({});
		expectNoSecrets([error]);
		nock.cleanAll(); // the attacker's interceptor is meant to stay unused
	});

	test('a record without lastModifiedDateTime stops the poll (no watermark from the n8n clock)', async () => {
		const trigger = await paymentTrigger({ options: { includeExisting: true } });
		saasApi(nock).get(PAYMENTS).query(true).reply(200, { value: [{ '@odata.etag': ETAG_1, id: PAYMENT }] });

		await expect(trigger.poll()).rejects.toThrow(/no id or no lastModifiedDateTime/);
		expect(trigger.staticData()).toEqual({});
	});
});
