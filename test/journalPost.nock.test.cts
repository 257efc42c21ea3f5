/**
 * Customer Payment Journal → Post through n8n's engine (node loaded from dist/), HTTP
 * intercepted by strict nock: a request without its interceptor fails the test, so "no
 * POST sent" is checked by not declaring one. Every Post When mode, the refusal naming
 * foreign and missing lines, grouping per journal, the unclear answers (504, no answer,
 * 200 instead of 204) settled by re-reading the lines, an empty journal, Business
 * Central's posting errors, and the input checks before any request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import {
	bcError,
	COMPANY,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	JOURNAL,
	JOURNAL_2,
	locator,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
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
const PAYMENT_4 = 'c03c0a52-4b7c-ef11-8a6b-6045bde9c5a4';

function api() {
	return nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });
}

function journalRecord(id = JOURNAL, code = 'CASH RCPT'): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customerPaymentJournals/$entity`,
		'@odata.etag': ETAG_1,
		id,
		code,
		displayName: 'Cash receipts',
		balancingAccountId: '00000000-0000-0000-0000-000000000000',
		balancingAccountNumber: '2910',
		lastModifiedDateTime: '2026-11-02T10:00:00Z',
	};
}

/** The journal's own GET and one read of its lines (all on one page). */
function expectJournal(lines: IDataObject[], journalId = JOURNAL, code = 'CASH RCPT') {
	api()
		.get(`${COMPANY_PATH}/customerPaymentJournals(${journalId})`)
		.reply(200, journalRecord(journalId, code));
	expectLines(lines, journalId);
}

function expectLines(lines: IDataObject[], journalId = JOURNAL) {
	api()
		.get(`${COMPANY_PATH}/customerPayments`)
		.query({ $filter: `journalId eq ${journalId}` })
		.reply(200, { value: lines });
}

function expectPost(status: number, body?: IDataObject, journalId = JOURNAL) {
	return api()
		.post(`${COMPANY_PATH}/journals(${journalId})/Microsoft.NAV.post`)
		.reply(status, body);
}

const line1 = paymentRecord(PAYMENT, ETAG_1, {
	documentNumber: 'G02001',
	amount: -1500,
	appliesToInvoiceNumber: '103001',
});
const line2 = paymentRecord(PAYMENT_2, ETAG_2, {
	documentNumber: 'G02002',
	customerNumber: '20000',
	amount: -250.5,
	lineNumber: 20000,
});
const foreign = paymentRecord(PAYMENT_3, ETAG_3, {
	documentNumber: 'G09999',
	customerNumber: '30000',
	amount: -99.99,
	lineNumber: 30000,
});

const run = (items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false) =>
	runPost(items, parameters, continueOnFail);

const postedLines = [
	{
		id: PAYMENT,
		documentNumber: 'G02001',
		customerNumber: '10000',
		amount: -1500,
		appliesToInvoiceNumber: '103001',
	},
	{
		id: PAYMENT_2,
		documentNumber: 'G02002',
		customerNumber: '20000',
		amount: -250.5,
		appliesToInvoiceNumber: '',
	},
];

describe('Customer Payment Journal → Post, Only the Payments Coming In (nock)', () => {
	test('the journal holds exactly the payments coming in: one Post, one output item per input item, paired', async () => {
		expectJournal([line1, line2]);
		expectPost(204);

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2.toUpperCase() }]);

		expect(result.error(NODE)).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of output) {
			expect(item.json).toEqual({
				journalId: JOURNAL,
				journalCode: 'CASH RCPT',
				posted: true,
				lineCount: 2,
				totalAmount: -1750.5,
				lines: postedLines,
			});
		}
		// the output schema n8n shows before the first run names exactly these properties
		for (const version of ['v1.0.0', 'v2.0.0']) {
			const file = path.resolve(
				__dirname,
				`../nodes/BusinessCentral/__schema__/${version}/customerPaymentJournal/post.json`,
			);
			const schema = JSON.parse(readFileSync(file, 'utf8')) as {
				properties: Record<string, { items?: { properties: object } }>;
			};
			expect(Object.keys(schema.properties)).toEqual(Object.keys(output[0].json));
			expect(Object.keys(schema.properties.lines.items!.properties)).toEqual(
				Object.keys(postedLines[0]),
			);
		}
	});

	test("ATTACK: another user's line in the journal and an expected payment missing → refused naming both, no POST sent", async () => {
		expectJournal([line1, foreign]);
		// no POST interceptor: a Post would be an unmatched request and fail the test

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_4 }], {}, true);

		const output = result.output(NODE).map((item) => item.json);
		expect(output).toHaveLength(2);
		for (const json of output) {
			expect(json.code).toBe('PostRefused');
			// a short message (count and document numbers) for n8n's toast…
			expect(json.error).toContain('1 line(s) the input items do not name (G09999)');
			expect(json.error).toContain(`1 expected payment(s) not in the journal (${PAYMENT_4})`);
			expect(json.error).not.toContain(PAYMENT_3);
			// …every line in full, and what to do, in the description
			expect(json.description).toMatch(/Nothing was posted/);
			expect(json.description).toMatch(/Post or remove the other lines in Business Central, or give this workflow a journal of its own/);
			expect(json.description).toContain('G09999 · 30000 · -99.99 · ' + PAYMENT_3);
			expect(json.description).toContain(`Expected payments not in the journal: ${PAYMENT_4}.`);
			expect(json.evidence).toEqual({
				foreignLines: [
					{
						id: PAYMENT_3,
						documentNumber: 'G09999',
						customerNumber: '30000',
						amount: -99.99,
						appliesToInvoiceNumber: '',
					},
				],
				missingPaymentIds: [PAYMENT_4],
			});
		}
	});

	test('ten lines of its own in the journal → a short message (count, first three document numbers, "and 7 more"), all ten in the description', async () => {
		const theirs = Array.from({ length: 10 }, (_, index) =>
			paymentRecord(`0a0a0a0a-0000-4000-8000-0000000000${String(index + 10)}`, ETAG_3, {
				documentNumber: `G0300${index}`,
				lineNumber: (index + 2) * 10000,
			}),
		);
		expectJournal([line1, ...theirs]);

		const result = await run([{ id: PAYMENT }], {}, true);

		const [json] = result.output(NODE).map((item) => item.json);
		expect(json.code).toBe('PostRefused');
		expect(json.error).toContain(
			'10 line(s) the input items do not name (G03000, G03001, G03002 and 7 more)',
		);
		for (const line of theirs) {
			expect(json.error).not.toContain(String(line.id));
			expect(json.description).toContain(`${String(line.documentNumber)} · 10000 · `);
			expect(json.description).toContain(String(line.id));
		}
		expect((json.evidence as IDataObject).foreignLines).toHaveLength(10);
	});

	test('ATTACK: a foreign line only (every expected payment present) → refused without Continue On Fail, nothing posted', async () => {
		expectJournal([line1, line2, foreign]);

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2 }]);

		const error = result.error(NODE)!;
		expect(error.message).toMatch(
			/does not hold exactly the expected payments: 1 line\(s\) the input items do not name \(G09999\)/,
		);
		expect(result.output(NODE)).toEqual([]);
	});

	test("ATTACK: another user's line on the second page of lines → refused (every page is read before posting)", async () => {
		api().get(`${COMPANY_PATH}/customerPaymentJournals(${JOURNAL})`).reply(200, journalRecord());
		api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}` })
			.reply(200, {
				value: [line1, line2],
				'@odata.nextLink': `${SAAS_BASE}/companies(${COMPANY})/customerPayments?$filter=journalId%20eq%20${JOURNAL}&$skiptoken=2`,
			});
		api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query({ $filter: `journalId eq ${JOURNAL}`, $skiptoken: '2' })
			.reply(200, { value: [foreign] });

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2 }], {}, true);

		expect(result.output(NODE)[0].json).toMatchObject({
			code: 'PostRefused',
			evidence: { missingPaymentIds: [] },
		});
		expect(String(result.output(NODE)[0].json.error)).toContain('(G09999)');
		expect(String(result.output(NODE)[0].json.description)).toContain(PAYMENT_3);
	});

	test("items of two journals: one Post per journal, each item paired to its own journal's result", async () => {
		expectJournal([line1], JOURNAL, 'BANK');
		expectPost(204, undefined, JOURNAL);
		expectJournal([{ ...line2, journalId: JOURNAL_2 }], JOURNAL_2, 'GIRO');
		expectPost(204, undefined, JOURNAL_2);

		const result = await run(
			[
				{ id: PAYMENT, journal: JOURNAL },
				{ id: PAYMENT_2, journal: JOURNAL_2 },
			],
			{ journal: locator('={{ $json.journal }}') },
		);

		expect(result.error(NODE)).toBeUndefined();
		const output = result.output(NODE);
		expect(
			output.map((item) => [item.pairedItem, item.json.journalCode, item.json.lineCount]),
		).toEqual([
			[{ item: 0 }, 'BANK', 1],
			[{ item: 1 }, 'GIRO', 1],
		]);
	});
});

describe('Customer Payment Journal → Post, other modes (nock)', () => {
	test('Only a Stated Count and Total: posts when count and total match to 0.01 as stored', async () => {
		expectJournal([line1, line2]);
		expectPost(204);

		const result = await run([{}], {
			postWhen: 'countAndTotal',
			lineCount: 2,
			totalAmount: -1750.504,
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({
			posted: true,
			lineCount: 2,
			totalAmount: -1750.5,
		});
	});

	test('ATTACK: Only a Stated Count and Total with a third line in the journal → refused, no POST sent', async () => {
		expectJournal([line1, line2, foreign]);

		const result = await run(
			[{}],
			{ postWhen: 'countAndTotal', lineCount: 2, totalAmount: -1750.5 },
			true,
		);

		const json = result.output(NODE)[0].json;
		expect(json.code).toBe('PostRefused');
		expect(json.error).toContain(
			'holds 3 line(s) totalling -1850.49, not the 2 line(s) totalling -1750.5 stated',
		);
	});

	test('ATTACK: same count, total off by a cent → refused', async () => {
		expectJournal([line1, line2]);

		const result = await run(
			[{}],
			{ postWhen: 'countAndTotal', lineCount: 2, totalAmount: -1750.51 },
			true,
		);

		expect(result.output(NODE)[0].json.code).toBe('PostRefused');
	});

	test("Everything in the Journal: posts another user's line too, and reports it", async () => {
		expectJournal([line1, foreign]);
		expectPost(204);

		const result = await run([{}], { postWhen: 'always' });

		expect(result.error(NODE)).toBeUndefined();
		const json = result.output(NODE)[0].json;
		expect(json.lineCount).toBe(2);
		expect((json.lines as IDataObject[]).map((line) => line.documentNumber)).toEqual([
			'G02001',
			'G09999',
		]);
	});
});

describe('Customer Payment Journal → Post after an unclear answer (nock)', () => {
	test('504, then every line gone → reported posted (once: no second POST)', async () => {
		expectJournal([line1, line2]);
		expectPost(504, bcError('GatewayTimeout', 'The operation timed out.'));
		expectLines([]);

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2 }]);

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE)[1].json).toMatchObject({
			posted: true,
			lineCount: 2,
			lines: postedLines,
		});
	});

	test("no answer at all (connection reset), then lines gone, another user's new line there → posted", async () => {
		expectJournal([line1]);
		api()
			.post(`${COMPANY_PATH}/journals(${JOURNAL})/Microsoft.NAV.post`)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		expectLines([foreign]);

		const result = await run([{ id: PAYMENT }]);

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ posted: true, lineCount: 1 });
	});

	test('200 instead of 204, lines gone → posted', async () => {
		expectJournal([line1]);
		expectPost(200, {});
		expectLines([]);

		const result = await run([{ id: PAYMENT }]);

		expect(result.output(NODE)[0].json).toMatchObject({ posted: true });
	});

	test('ATTACK: 504, then lines unchanged → reported not posted, the Post is not sent again', async () => {
		expectJournal([line1, line2]);
		expectPost(504);
		expectLines([line1, line2]);
		// one POST interceptor only: a second Post would be unmatched

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2 }], {}, true);

		for (const item of result.output(NODE)) {
			expect(item.json.code).toBe('PostNotApplied');
			expect(item.json.error).toMatch(
				/HTTP 504.*all 2 line\(s\) still in the journal, unchanged: it was not posted/,
			);
			expect(item.json.description).toMatch(/not sent again/);
		}
	});

	test('ATTACK: 504, then partly changed (one line gone, one with a new eTag) → PostOutcomeUnknown with the evidence', async () => {
		expectJournal([line1, line2]);
		expectPost(504);
		const changed = { ...line2, '@odata.etag': ETAG_3, amount: -200 };
		expectLines([changed]);

		const result = await run([{ id: PAYMENT }, { id: PAYMENT_2 }], {}, true);

		const json = result.output(NODE)[0].json;
		expect(json.code).toBe('PostOutcomeUnknown');
		expect(json.error).toMatch(/1 of 2 line\(s\) gone/);
		const evidence = json.evidence as { linesBefore: IDataObject[]; linesNow: IDataObject[] };
		expect(evidence.linesBefore.map((line) => [line.id, line.eTag])).toEqual([
			[PAYMENT, ETAG_1],
			[PAYMENT_2, ETAG_2],
		]);
		expect(evidence.linesNow).toEqual([
			{
				id: PAYMENT_2,
				documentNumber: 'G02002',
				customerNumber: '20000',
				amount: -200,
				appliesToInvoiceNumber: '',
				eTag: ETAG_3,
			},
		]);
	});

	test('ATTACK: 504, and the re-read fails too → PostOutcomeUnknown, not "not posted"', async () => {
		expectJournal([line1]);
		expectPost(504);
		api()
			.get(`${COMPANY_PATH}/customerPayments`)
			.query(true)
			.reply(
				401,
				bcError('Authentication_InvalidCredentials', 'The credentials provided are incorrect'),
			);

		const result = await run([{ id: PAYMENT }], {}, true);

		const json = result.output(NODE)[0].json;
		expect(json.code).toBe('PostOutcomeUnknown');
		expect(json.error).toMatch(/re-reading the journal failed too/);
	});
});

describe("Customer Payment Journal → Post: empty journals and Business Central's posting errors (nock)", () => {
	test('ATTACK: an empty journal → a clear error before posting, no POST sent', async () => {
		expectJournal([]);

		const result = await run([{ id: PAYMENT }], { postWhen: 'always' }, true);

		const json = result.output(NODE)[0].json;
		expect(json.code).toBe('NothingToPost');
		expect(json.error).toMatch(
			/Posting journal CASH RCPT .* holds no lines: there is nothing to post/,
		);
	});

	test('Business Central\'s own "There is nothing to post." (emptied between read and Post) → an error with a hint', async () => {
		expectJournal([line1]);
		expectPost(400, bcError('Application_DialogException', 'There is nothing to post.'));

		const result = await run([{ id: PAYMENT }], {}, true);

		const json = result.output(NODE)[0].json;
		expect(json).toMatchObject({ code: 'Application_DialogException', httpStatus: 400 });
		expect(json.error).toMatch(/There is nothing to post\./);
		expect(json.description).toMatch(/another run or user may have posted it already/);
	});

	test.each([
		[
			'out of balance',
			'Document No. G02001 is out of balance by -1,500. Please check that Posting Date, Document Type, Document No. and Amount are correct for each line.',
			'Application_DialogException',
			/balancing account/,
		],
		[
			'posting date',
			"Posting Date is not within your range of allowed posting dates in Gen. Journal Line Journal Template Name='CASHRCPT',Journal Batch Name='CASH RCPT',Line No.='10000'.",
			'Application_DialogException',
			/allowed posting dates/,
		],
		[
			'missing document no.',
			'Document No. must have a value in Gen. Journal Line: Journal Template Name=CASHRCPT, Journal Batch Name=CASH RCPT, Line No.=10000. It cannot be zero or empty.',
			'Application_FieldValidationException',
			/lacks a value/,
		],
	])(
		'Business Central refuses to post (%s) → the item error keeps its message, with a hint, nothing posted',
		async (_, message, code, hint) => {
			expectJournal([line1]);
			expectPost(400, bcError(code, message));

			const result = await run([{ id: PAYMENT }], {}, true);

			const json = result.output(NODE)[0].json;
			expect(json.code).toBe(code);
			expect(json.error).toContain(message.slice(0, 40));
			expect(json.description).toMatch(hint);
			expect(json.description).toMatch(/Nothing was posted/);
		},
	);
});

describe('Customer Payment Journal → Post: input checked before any request (nock)', () => {
	test('ATTACK: item 1 names no payment GUID → nothing is read or posted, for any item', async () => {
		const result = await run([{ id: PAYMENT }, { id: 'x)/customers(' }]);

		const error = result.error(NODE)!;
		expect(error.message).toMatch(
			/Invalid Payment ID: "x\)\/customers\(" is not a GUID .*\(item 1\)/,
		);
	});

	test('ATTACK: items of one journal with different Post When → refused before any request', async () => {
		const result = await run(
			[
				{ id: PAYMENT, mode: 'expectedPayments' },
				{ id: PAYMENT_2, mode: 'always' },
			],
			{ postWhen: '={{ $json.mode }}' },
		);

		expect(result.error(NODE)!.message).toMatch(/differs between the items of journal/);
	});

	test('ATTACK: Line Count 0 or a Total Amount that is not a number → refused', async () => {
		const zero = await run([{}], { postWhen: 'countAndTotal', lineCount: 0, totalAmount: -1 });
		expect(zero.error(NODE)!.message).toMatch(/Invalid Line Count: 0 must be at least 1/);
		const nan = await run([{ total: '12abc' }], {
			postWhen: 'countAndTotal',
			lineCount: 1,
			totalAmount: '={{ $json.total }}',
		});
		expect(nan.error(NODE)!.message).toMatch(/Invalid Total Amount/);
	});

	test('ATTACK: a journal URL of another company → refused', async () => {
		const other = '6f1fe3d1-4b7c-ef11-8a6b-6045bde9c5a1';
		const result = await run([{ id: PAYMENT }], {
			journal: locator(
				`${SAAS_BASE}/companies(${other})/customerPaymentJournals(${JOURNAL})`,
				'url',
			),
		});
		expect(result.error(NODE)!.message).toMatch(/belongs to company/);
	});

	test('ATTACK: a Timeout that is not a whole number → refused before any request', async () => {
		const result = await run([{ id: PAYMENT }], { options: { timeout: '2m' } });
		expect(result.error(NODE)!.message).toMatch(/Invalid Timeout: "2m" is not a whole number/);
	});
});
