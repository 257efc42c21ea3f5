/**
 * Review 11: attacks on Customer Payment Journal → Post that broke its claims, through
 * n8n's engine (node loaded from dist/), strict nock (an undeclared request fails, so "no
 * POST sent" is checked by not declaring one).
 */
import nock from 'nock';
import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	ETAG_2,
	itemsNode,
	JOURNAL,
	JOURNAL_2,
	locator,
	PAYMENT,
	PAYMENT_2,
	paymentRecord,
	SAAS_BASE,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	useNock,
} from './fixtures.cjs';
import { runPost } from './journalPostFixtures.cjs';

useNock(nock);

const NODE = 'Business Central';
const COMPANY_PATH = `${SAAS_PATH}/companies(${COMPANY})`;

function api() {
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
}

function expectJournalRecord() {
	api()
		.get(`${COMPANY_PATH}/customerPaymentJournals(${JOURNAL})`)
		.reply(200, { '@odata.etag': ETAG_1, id: JOURNAL, code: 'CASH RCPT' });
}

function expectLines(lines: IDataObject[]) {
	api()
		.get(`${COMPANY_PATH}/customerPayments`)
		.query({ $filter: `journalId eq ${JOURNAL}` })
		.reply(200, { value: lines });
}

/** The lines on two pages, the second repeating line1 under a fresh $skiptoken (a lying nextLink). */
function expectLinesRepeated(firstPage: IDataObject[], secondPage: IDataObject[]) {
	api()
		.get(`${COMPANY_PATH}/customerPayments`)
		.query({ $filter: `journalId eq ${JOURNAL}` })
		.reply(200, {
			value: firstPage,
			'@odata.nextLink': `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$filter=journalId%20eq%20${JOURNAL}&$skiptoken=9`,
		});
	api()
		.get(`${COMPANY_PATH}/customerPayments`)
		.query({ $filter: `journalId eq ${JOURNAL}`, $skiptoken: '9' })
		.reply(200, { value: secondPage });
}

function expectPost(status: number, body?: IDataObject) {
	return api().post(`${COMPANY_PATH}/journals(${JOURNAL})/Microsoft.NAV.post`).reply(status, body);
}

const line1 = paymentRecord(PAYMENT, ETAG_1, { amount: -1500 });
const line2 = paymentRecord(PAYMENT_2, ETAG_2, {
	documentNumber: 'G02002',
	amount: -250.5,
	lineNumber: 20000,
});

const run = (items: IDataObject[], parameters: IDataObject = {}, continueOnFail = true) =>
	runPost(items, parameters, continueOnFail);

describe('review 11: the journal read before posting must be a reliable reading', () => {
	test('ATTACK: the same line listed twice (a nextLink with a new $skiptoken repeats it) → refused, no POST sent (not "posted 3 lines")', async () => {
		expectJournalRecord();
		expectLinesRepeated([line1, line2], [line1]);
		// no POST interceptor: a Post would be an unmatched request

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2 }]);

		const json = result.output(NODE)[0].json;
		expect(json.posted).toBeUndefined();
		expect(String(json.error)).toContain(PAYMENT);
		expect(String(json.error)).toMatch(/twice|more than once/);
	});

	test('ATTACK: Only a Stated Count and Total, one line of -1500 listed twice, stated 2 lines of -3000 → refused, no POST sent', async () => {
		expectJournalRecord();
		expectLinesRepeated([line1], [line1]);

		const result = await run([{}], {
			postWhen: 'countAndTotal',
			lineCount: 2,
			totalAmount: -3000,
		});

		const json = result.output(NODE)[0].json;
		expect(json.posted).toBeUndefined();
		expect(String(json.error)).toMatch(/twice|more than once/);
	});
});

describe('review 11: items of one journal agreeing on Count and Total', () => {
	test('ATTACK: one item states 0.1 + 0.2, the other 0.3 (the same amount to 0.01) → one Post, not "differs between the items"', async () => {
		const small = paymentRecord(PAYMENT, ETAG_1, { amount: 0.3 });
		expectJournalRecord();
		expectLines([small]);
		expectPost(204);

		const result = await run([{ total: 0.1 + 0.2 }, { total: 0.3 }], {
			postWhen: 'countAndTotal',
			lineCount: 1,
			totalAmount: '={{ $json.total }}',
		});

		const output = result.output(NODE);
		expect(output.map((item) => item.json.error)).toEqual([undefined, undefined]);
		expect(output.map((item) => item.json.posted)).toEqual([true, true]);
	});
});

describe('review 11: 202 Accepted to the Post', () => {
	test('ATTACK: 202 (accepted, may still run), lines unchanged on re-read → outcome unknown, not "it was not posted, run it again"', async () => {
		expectJournalRecord();
		expectLines([line1]);
		expectPost(202);
		expectLines([line1]);

		const result = await run([{ id: PAYMENT }]);

		const json = result.output(NODE)[0].json;
		expect(json.posted).toBeUndefined();
		expect(json.code).toBe('PostOutcomeUnknown');
		expect(String(json.error)).not.toMatch(/it was not posted/);
	});
});

describe('review 11: Customer Update refuses an On eTag Conflict it does not know, before any request', () => {
	test('ATTACK: On eTag Conflict mapped to "Overwrite Regardless" (the label, not the value) → refused, no GET or PATCH sent', async () => {
		const workflow: WorkflowJson = {
			name: 'customer update (review 11)',
			nodes: [
				itemsNode([{ id: CUSTOMER }]),
				{
					id: 'bc-customer',
					name: NODE,
					type: NODE_TYPE,
					typeVersion: 2,
					position: [220, 0],
					parameters: {
						authentication: 'bearerToken',
						resource: 'customer',
						operation: 'update',
						company: locator(COMPANY),
						customer: locator('={{ $json.id }}'),
						updateFields: { displayName: 'Adatum Ltd.' },
						options: { onConflict: '={{ "Overwrite Regardless" }}' },
					} as INode['parameters'],
					credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
				},
			],
			connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } },
		};
		// no interceptor: any request is unmatched and fails the test

		const result = await runWorkflow(workflow, { credentials: bearerCredentials() });

		expect(result.error(NODE)?.message).toMatch(/On eTag Conflict/);
		expect(result.error(NODE)?.message).toMatch(/Overwrite Regardless/);
	});
});

describe('review 11: claims that held', () => {
	test('a Post answered 500, the re-read refused with 401: outcome unknown, the token nowhere in the items', async () => {
		expectJournalRecord();
		expectLines([line1]);
		expectPost(500, { error: { code: 'Internal_ServerError', message: 'Something went wrong.' } });
		api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}` })
			.reply(401, {
				error: { code: 'Unauthorized', message: 'The credentials provided are incorrect' },
			});

		const result = await run([{ id: PAYMENT }]);

		const json = result.output(NODE)[0].json;
		expect(json.code).toBe('PostOutcomeUnknown');
		expect(JSON.stringify(result.output(NODE))).not.toContain(TOKEN);
	});

	test('the same payment id in two items (one upper-cased), the journal holding it once: one Post, both items posted', async () => {
		expectJournalRecord();
		expectLines([line1]);
		expectPost(204);

		const result = await run([{ id: PAYMENT }, { id: PAYMENT.toUpperCase() }]);

		expect(result.output(NODE).map((item) => [item.json.posted, item.json.lineCount])).toEqual([
			[true, 1],
			[true, 1],
		]);
	});

	test('Count and Total of -0 against a journal of +0.004 and -0.004 lines: both round to 0 cents, posted', async () => {
		expectJournalRecord();
		expectLines([
			paymentRecord(PAYMENT, ETAG_1, { amount: 0.004 }),
			paymentRecord(PAYMENT_2, ETAG_2, { amount: -0.004 }),
		]);
		expectPost(204);

		const result = await run([{}], {
			postWhen: 'countAndTotal',
			lineCount: 2,
			totalAmount: '={{ -0 }}',
		});

		expect(result.output(NODE)[0].json).toMatchObject({ posted: true, lineCount: 2 });
	});

	test("Continue On Fail, items of two journals interleaved, the first journal refused: each item paired to its own journal's result", async () => {
		const other = paymentRecord(PAYMENT_2, ETAG_2, { journalId: JOURNAL_2, amount: -10 });
		expectJournalRecord();
		expectLines([line1, paymentRecord('c03c0a52-4b7c-ef11-8a6b-6045bde9c5a4', ETAG_2)]);
		api()
			.get(`${COMPANY_PATH}/customerPaymentJournals(${JOURNAL_2})`)
			.reply(200, { '@odata.etag': ETAG_1, id: JOURNAL_2, code: 'GIRO' });
		api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL_2}` })
			.reply(200, { value: [other] });
		api().post(`${COMPANY_PATH}/journals(${JOURNAL_2})/Microsoft.NAV.post`).reply(204);

		const result = await run(
			[
				{ id: PAYMENT, journal: JOURNAL },
				{ id: PAYMENT_2, journal: JOURNAL_2 },
				{ id: PAYMENT, journal: JOURNAL },
			],
			{ journal: locator('={{ $json.journal }}') },
		);

		expect(
			result.output(NODE).map((item) => [item.pairedItem, item.json.code ?? item.json.journalCode]),
		).toEqual([
			[{ item: 0 }, 'PostRefused'],
			[{ item: 1 }, 'GIRO'],
			[{ item: 2 }, 'PostRefused'],
		]);
	});
});

describe('review 11: lines of another journal in the answer', () => {
	test('ATTACK: the lines answer (journalId filter ignored) includes a line of another journal; Count and Total match only with it → refused, no POST sent', async () => {
		expectJournalRecord();
		expectLines([line1, paymentRecord(PAYMENT_2, ETAG_2, { journalId: JOURNAL_2, amount: -10 })]);

		const result = await run([{}], { postWhen: 'countAndTotal', lineCount: 2, totalAmount: -1510 });

		const json = result.output(NODE)[0].json;
		expect(json.posted).toBeUndefined();
		expect(String(json.error)).toContain(JOURNAL_2);
	});
});

describe('review 11: Customer Update refuses Options it would silently replace, before any request', () => {
	test.each([
		[{ timeout: '2m' }, /Timeout/],
		[{ maxRetries: 'three' }, /Max Retries/],
		[{ maxRetries: 50 }, /Max Retries/],
		[{ batchSize: 1.5 }, /Batch Size/],
	])(
		'ATTACK: Options %j → refused naming the option, no GET or PATCH sent',
		async (options, named) => {
			const workflow: WorkflowJson = {
				name: 'customer update options (review 11)',
				nodes: [
					itemsNode([{ id: CUSTOMER }]),
					{
						id: 'bc-customer',
						name: NODE,
						type: NODE_TYPE,
						typeVersion: 2,
						position: [220, 0],
						parameters: {
							authentication: 'bearerToken',
							resource: 'customer',
							operation: 'update',
							company: locator(COMPANY),
							customer: locator('={{ $json.id }}'),
							updateFields: { displayName: 'Adatum Ltd.' },
							options,
						} as INode['parameters'],
						credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
					},
				],
				connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } },
			};

			const result = await runWorkflow(workflow, { credentials: bearerCredentials() });

			expect(result.error(NODE)?.message).toMatch(named);
		},
	);
});
