/**
 * Customer Payment Journal → Get, Get Many and Create through n8n's engine (node loaded from
 * dist/), HTTP intercepted by strict nock: the exact requests, the filters as `$filter`,
 * paging, Code upper-cased, input refused before any request, an unclear Create never re-sent.
 */
import nock from 'nock';
import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	itemsNode,
	JOURNAL,
	JOURNAL_2,
	locator,
	SAAS_BASE,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	useNock,
} from './fixtures.cjs';

useNock(nock);

const NODE = 'Business Central';
const JOURNALS_PATH = `${SAAS_PATH}/companies(${COMPANY})/customerPaymentJournals`;
const GL_ACCOUNT = '7a1b2c3d-4b7c-ef11-8a6b-6045bde9c5a9';

function api() {
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
}

function journalRecord(id: string, eTag: string, values: IDataObject = {}): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customerPaymentJournals/$entity`,
		'@odata.etag': eTag,
		id,
		code: 'CASH RCPT',
		displayName: 'Cash receipts',
		balancingAccountId: GL_ACCOUNT,
		balancingAccountNumber: '2910',
		lastModifiedDateTime: '2026-11-02T10:00:00Z',
		...values,
	};
}

async function run(
	items: IDataObject[],
	operation: string,
	parameters: IDataObject,
	continueOnFail = false,
) {
	const node: INode = {
		id: 'bc-journal',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			authentication: 'bearerToken',
			resource: 'customerPaymentJournal',
			operation,
			company: locator(COMPANY),
			...parameters,
		} as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow: WorkflowJson = {
		name: `journal ${operation}`,
		nodes: [itemsNode(items), node],
		connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } },
	};
	return await runWorkflow(workflow, { credentials: bearerCredentials() });
}

describe('Customer Payment Journal: Get and Get Many (nock)', () => {
	test('Get: GET companies(c)/customerPaymentJournals(id) per item, @odata.context dropped', async () => {
		api().get(`${JOURNALS_PATH}(${JOURNAL})`).reply(200, journalRecord(JOURNAL, ETAG_1));

		const result = await run([{ id: JOURNAL }], 'get', { journal: locator('={{ $json.id }}') });

		expect(result.error(NODE)).toBeUndefined();
		const { '@odata.context': _, ...expected } = journalRecord(JOURNAL, ETAG_1);
		expect(result.output(NODE)[0].json).toEqual(expected);
	});

	test('ATTACK: Get answered with another journal → an error, not that journal', async () => {
		api().get(`${JOURNALS_PATH}(${JOURNAL})`).reply(200, journalRecord(JOURNAL_2, ETAG_1));

		const result = await run([{}], 'get', { journal: locator(JOURNAL) });

		expect(result.error(NODE)!.message).toMatch(/unexpected answer .* the answer is journal/);
	});

	test('Get Many: Code upper-cased and Display Name Contains as $filter, Return All over nextLink', async () => {
		const filter = "code eq 'BANK' and contains(displayName,'O''Brien')";
		api()
			.get(JOURNALS_PATH)
			.query({ $filter: filter })
			.reply(200, {
				value: [journalRecord(JOURNAL, ETAG_1, { code: 'BANK' })],
				'@odata.nextLink': `${SAAS_BASE}/companies(${COMPANY})/customerPaymentJournals?$filter=x&$skiptoken=1`,
			});
		api()
			.get(JOURNALS_PATH)
			.query({ $filter: 'x', $skiptoken: '1' })
			.reply(200, { value: [journalRecord(JOURNAL_2, ETAG_2, { code: 'BANK' })] });

		const result = await run([{}], 'getAll', {
			returnAll: true,
			filters: { code: ' bank ', displayNameContains: "O'Brien" },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.id)).toEqual([JOURNAL, JOURNAL_2]);
	});

	test('ATTACK: a Code longer than 10 characters → refused before any request', async () => {
		const result = await run([{}], 'getAll', { returnAll: true, filters: { code: 'ELEVENCHARS' } });

		expect(result.error(NODE)!.message).toMatch(
			/Invalid Code: "ELEVENCHARS" is longer than 10 characters/,
		);
	});
});

describe('Customer Payment Journal: Create (nock)', () => {
	test('POST companies(c)/customerPaymentJournals with code upper-cased, display name and balancing account', async () => {
		api()
			.post(JOURNALS_PATH, {
				code: 'BANK2',
				displayName: 'Bank receipts',
				balancingAccountId: GL_ACCOUNT,
			})
			.reply(
				201,
				journalRecord(JOURNAL_2, ETAG_1, { code: 'BANK2', displayName: 'Bank receipts' }),
			);

		const result = await run([{}], 'create', {
			code: ' bank2 ',
			additionalFields: { displayName: 'Bank receipts', balancingAccountId: GL_ACCOUNT },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({
			id: JOURNAL_2,
			code: 'BANK2',
			'@odata.etag': ETAG_1,
		});
	});

	test('ATTACK: an empty code, or a balancing account that is not a GUID → refused before any request', async () => {
		const empty = await run([{}], 'create', { code: '  ' });
		expect(empty.error(NODE)!.message).toMatch(/Invalid Code: "  " is empty/);
		const account = await run([{}], 'create', {
			code: 'BANK2',
			additionalFields: { balancingAccountId: '2910' },
		});
		expect(account.error(NODE)!.message).toMatch(
			/Invalid Balancing Account ID: "2910" is not a GUID/,
		);
	});

	test('ATTACK: 504 on the POST → "may or may not have been created", not sent again, how to check named', async () => {
		api().post(JOURNALS_PATH).reply(504, bcError('GatewayTimeout', 'Timeout'));

		const result = await run([{}], 'create', { code: 'BANK2' }, true);

		const json = result.output(NODE)[0].json;
		expect(json.error).toMatch(/may or may not have been created/);
		expect(json.description).toMatch(/look for journal code BANK2/);
	});
});
