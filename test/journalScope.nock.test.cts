/**
 * Where customer payments are listed and created, per API version. Business Central's
 * customerPayments page of API v2.0 has `journalId`: list at company level with
 * `$filter=journalId eq J`, POST with `journalId` in the body. The page of API v1.0 and
 * of the beta before it (Apps/W1/APIV1/app/src/pages/APIV1CustomerPayments.Page.al) has
 * no journalId at all: its journal comes only from the navigation path, so the node lists
 * and creates through `companies(c)/customerPaymentJournals(j)/customerPayments` there
 * (a `journalId` filter or body property would be refused as an unknown property).
 * One rule in the entity descriptor (`parent`), used by Get Many, Create and the picker.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { listSearch, runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	businessCentralNode,
	COMPANY,
	ETAG_1,
	ETAG_2,
	JOURNAL,
	JOURNAL_2,
	locator,
	PAYMENT,
	PAYMENT_2,
	paymentRecord,
	SAAS_ORIGIN,
	TENANT,
	TOKEN,
	useNock,
} from './fixtures.cjs';
import { NODE, opsWorkflow } from './opsFixtures.cjs';

useNock(nock);

const V1_PATH = `/v2.0/${TENANT}/production/api/v1.0`;
const BETA_ORIGIN = 'https://api.financials.dynamics.com';
const BETA_PATH = '/v1.0/api/beta';
const v1Credentials = () => bearerCredentials({ apiVersion: 'v1.0' });

function api(origin = SAAS_ORIGIN, reqheaders: Record<string, string> = {}) {
	return nock(origin, { reqheaders: { authorization: `Bearer ${TOKEN}`, ...reqheaders } });
}

/** A v1.0 payment: no journalId property. */
function v1Payment(id: string, eTag: string, values: IDataObject = {}): IDataObject {
	const { journalId: _journalId, ...payment } = paymentRecord(id, eTag, { contactId: '', ...values });
	return payment;
}

const inJournal = (basePath: string, journal: string) =>
	`${basePath}/companies(${COMPANY})/customerPaymentJournals(${journal})/customerPayments`;

describe('API v1.0 and beta: customer payments through their journal', () => {
	test('Get Many of one journal: the journal path, no journalId filter; other filters as usual', async () => {
		const scope = api()
			.get(inJournal(V1_PATH, JOURNAL))
			.query({ $filter: "documentNumber eq 'G02001'", $top: '50' })
			.reply(200, { value: [v1Payment(PAYMENT, ETAG_1)] });

		const result = await runWorkflow(
			opsWorkflow([{}], 'getAll', { parameters: { journal: JOURNAL, filters: { documentNumber: 'g02001' } } }),
			{ credentials: v1Credentials() },
		);

		expect(result.error(NODE)).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE).map((item) => item.json.id)).toEqual([PAYMENT]);
	});

	test('Get Many of every journal: the journals, then each journal path in turn, no $filter at all', async () => {
		api()
			.get(`${V1_PATH}/companies(${COMPANY})/customerPaymentJournals`)
			.query({ $select: 'id,code' })
			.reply(200, { value: [{ id: JOURNAL, code: 'CASH RCPT' }, { id: JOURNAL_2, code: 'BANK' }] })
			.get(inJournal(V1_PATH, JOURNAL))
			.query((query) => Object.keys(query).length === 0)
			.reply(200, { value: [v1Payment(PAYMENT, ETAG_1)] })
			.get(inJournal(V1_PATH, JOURNAL_2))
			.query((query) => Object.keys(query).length === 0)
			.reply(200, { value: [v1Payment(PAYMENT_2, ETAG_2)] });

		const result = await runWorkflow(opsWorkflow([{}], 'getAll', { parameters: { journal: '', returnAll: true } }), {
			credentials: v1Credentials(),
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.id)).toEqual([PAYMENT, PAYMENT_2]);
	});

	test('Create: POST to the journal path, without journalId in the body', async () => {
		const scope = api()
			.post(inJournal(V1_PATH, JOURNAL), (body: IDataObject) => !('journalId' in body) && body.amount === -1500)
			.reply(201, v1Payment(PAYMENT, ETAG_1));

		const result = await runWorkflow(opsWorkflow([{}], 'create', { parameters: { journal: JOURNAL, amount: -1500 } }), {
			credentials: v1Credentials(),
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE)[0].json.id).toBe(PAYMENT);
	});

	test('the legacy beta: the same journal path for Create', async () => {
		const scope = api(BETA_ORIGIN)
			.post(inJournal(BETA_PATH, JOURNAL), (body: IDataObject) => !('journalId' in body))
			.reply(201, v1Payment(PAYMENT, ETAG_1));

		const result = await runWorkflow(opsWorkflow([{}], 'create', { parameters: { journal: JOURNAL, amount: -1500 } }), {
			credentials: bearerCredentials({ deployment: 'financialsBeta' }),
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('the payment picker lists a journal through its path', async () => {
		const scope = api(SAAS_ORIGIN, { prefer: 'odata.maxpagesize=50' })
			.get(inJournal(V1_PATH, JOURNAL))
			.query({ $orderby: 'lineNumber' })
			.reply(200, { value: [v1Payment(PAYMENT, ETAG_1)] });

		const result = await listSearch('searchPayments', businessCentralNode({ journal: locator(JOURNAL) }), {
			credentials: v1Credentials(),
		});

		expect(scope.isDone()).toBe(true);
		expect(result.results).toEqual([{ name: 'Cust. 10000 · -1,500.00 · 2026-11-02 · G02001', value: PAYMENT }]);
	});

	test('no journal chosen: the journals with their codes, then each through its path; labels name the journal (v1.0 payments have no journal property)', async () => {
		const scope = api(SAAS_ORIGIN, { prefer: 'odata.maxpagesize=50' })
			.get(`${V1_PATH}/companies(${COMPANY})/customerPaymentJournals`)
			.query({ $select: 'id,code' })
			.reply(200, { value: [{ id: JOURNAL, code: 'CASH RCPT' }] })
			.get(inJournal(V1_PATH, JOURNAL))
			.query({ $orderby: 'lineNumber' })
			.reply(200, { value: [v1Payment(PAYMENT, ETAG_1)] });

		const result = await listSearch('searchPayments', businessCentralNode({}), { credentials: v1Credentials() });

		expect(scope.isDone()).toBe(true);
		expect(result.results).toEqual([{ name: 'Cust. 10000 · -1,500.00 · 2026-11-02 · G02001 · CASH RCPT', value: PAYMENT }]);
	});

	test('Get of one payment stays at company level, as Update and Delete do (its id is enough there)', async () => {
		api()
			.get(`${V1_PATH}/companies(${COMPANY})/customerPayments(${PAYMENT})`)
			.reply(200, v1Payment(PAYMENT, ETAG_1));

		const result = await runWorkflow(opsWorkflow([{}], 'get', { parameters: { customerPayment: PAYMENT } }), {
			credentials: v1Credentials(),
		});

		expect(result.output(NODE)[0].json.id).toBe(PAYMENT);
	});
});
