/**
 * Customer Payment Journal → Post end to end over real loopback HTTP against the sandbox,
 * whose `journals({id})/Microsoft.NAV.post` posts every line of the batch as Business
 * Central does. Each test creates its own journal through the node (Create, with a
 * balancing account) and payment lines applied to open invoices (Customer Payment →
 * Create), then posts: invoices Paid, journal empty, ledger entries written; another
 * user's line refused under "Only the Payments Coming In" and posted under "Everything";
 * faults on the Post (applied then dropped, 500, cut, empty 200; 504 without applying)
 * reported once, never posted twice (the sandbox's `postings`). No nock in this file.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type RunResult, type WorkflowJson } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { beforeNextRequest, itemsNode, locator, sandboxBearerCredentials } from './fixtures.cjs';

let sandbox: Sandbox;
let company: string;
let journalCount = 0;
const usedInvoices = new Set<string>();

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 11, pageSize: 4, customersPerCompany: 40 });
	company = sandbox.companies()[0].id;
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(() => {
	sandbox.options.faults = {};
});

function bcNode(name: string, x: number, parameters: IDataObject, continueOnFail = false): INode {
	return {
		id: `bc-${name}`,
		name,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [x, 0],
		parameters: {
			authentication: 'bearerToken',
			company: locator(company),
			...parameters,
		} as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Items → node 1 → node 2 …, run through n8n's engine against the sandbox. */
async function runChain(items: IDataObject[], nodes: INode[]): Promise<RunResult> {
	const chain = [itemsNode(items), ...nodes];
	const connections: WorkflowJson['connections'] = {};
	for (let index = 0; index + 1 < chain.length; index++) {
		connections[chain[index].name] = {
			main: [[{ node: chain[index + 1].name, type: 'main' as never, index: 0 }]],
		};
	}
	return await runWorkflow(
		{ nodes: chain, connections },
		{ credentials: sandboxBearerCredentials(sandbox) },
	);
}

function outputOf(result: RunResult, node: string): IDataObject[] {
	const error = result.error(node);
	if (error) throw new Error(`${node} failed: ${error.message} ${String(error.description ?? '')}`);
	return result.output(node).map((item) => item.json);
}

/** A new journal with the seeded batches' balancing account, created through the node. */
async function newJournal(): Promise<string> {
	const balancingAccountId = sandbox.journals(company)[0].balancingAccountId;
	const code = `POST${++journalCount}`;
	const result = await runChain(
		[{}],
		[
			bcNode('Create Journal', 200, {
				resource: 'customerPaymentJournal',
				operation: 'create',
				code: code.toLowerCase(),
				additionalFields: { displayName: `Post test ${journalCount}`, balancingAccountId },
			}),
		],
	);
	const [journal] = outputOf(result, 'Create Journal');
	expect(journal).toMatchObject({ code, balancingAccountId });
	return String(journal.id);
}

/** Open invoices not used by an earlier test. */
function openInvoices(
	count: number,
): Array<{ number: string; customerNumber: string; remainingAmount: number }> {
	const picked: Array<{ number: string; customerNumber: string; remainingAmount: number }> = [];
	for (const invoice of sandbox.invoices(company)) {
		if (picked.length === count) break;
		if (
			invoice.status !== 'Open' ||
			invoice.remainingAmount <= 0 ||
			usedInvoices.has(invoice.number)
		)
			continue;
		if (sandbox.customer(company, invoice.customerNumber)?.blocked === 'All') continue;
		usedInvoices.add(invoice.number);
		picked.push(invoice);
	}
	expect(picked).toHaveLength(count);
	return picked;
}

/** The Customer Payment → Create node: one payment per item, paying its invoice in full. */
function createPayments(journalId: string): INode {
	return bcNode('Create Payments', 200, {
		resource: 'customerPayment',
		operation: 'create',
		journal: locator(journalId),
		customer: locator('={{ $json.customerNumber }}', 'number'),
		amount: '={{ -$json.remainingAmount }}',
		appliesToInvoice: locator('={{ $json.number }}', 'number'),
		additionalFields: { documentNumber: '={{ "PAY-" + $json.number }}' },
	});
}

function postNode(journalId: string, parameters: IDataObject = {}, continueOnFail = false): INode {
	return bcNode(
		'Post',
		400,
		{
			resource: 'customerPaymentJournal',
			operation: 'post',
			journal: locator(journalId),
			...parameters,
		},
		continueOnFail,
	);
}

const postingsOf = (journalId: string) =>
	sandbox.postings.filter((posting) => posting.journalId === journalId);

/** Payments applied to `count` open invoices in a new journal; their ids. */
async function journalWithPayments(
	count: number,
): Promise<{ journalId: string; paymentIds: string[]; invoices: string[] }> {
	const journalId = await newJournal();
	const invoices = openInvoices(count);
	const created = outputOf(
		await runChain(invoices, [createPayments(journalId)]),
		'Create Payments',
	);
	return {
		journalId,
		paymentIds: created.map((payment) => String(payment.id)),
		invoices: invoices.map((i) => i.number),
	};
}

describe('Customer Payment Journal → Post against the sandbox', () => {
	test('payments applied to open invoices → Post (Only the Payments Coming In) → invoices Paid, journal empty, ledger entries', async () => {
		const journalId = await newJournal();
		const invoices = openInvoices(2);

		const result = await runChain(invoices, [createPayments(journalId), postNode(journalId)]);

		const output = outputOf(result, 'Post');
		expect(output).toHaveLength(2);
		const created = outputOf(result, 'Create Payments');
		for (const item of output) {
			expect(item).toMatchObject({
				journalId,
				journalCode: `POST${journalCount}`,
				posted: true,
				lineCount: 2,
			});
			expect((item.lines as IDataObject[]).map((line) => line.id).sort()).toEqual(
				created.map((p) => String(p.id).toLowerCase()).sort(),
			);
		}
		const expectedTotal =
			-Math.round(invoices.reduce((sum, i) => sum + i.remainingAmount, 0) * 100) / 100;
		expect(output[0].totalAmount).toBeCloseTo(expectedTotal, 2);
		for (const invoice of invoices)
			expect(sandbox.invoice(company, invoice.number)).toMatchObject({
				status: 'Paid',
				remainingAmount: 0,
			});
		expect(sandbox.payments(company, journalId)).toEqual([]);
		const entries = sandbox.ledgerEntries(company).filter((entry) => entry.journalId === journalId);
		expect(entries.map((entry) => entry.appliedToInvoiceNumber).sort()).toEqual(
			invoices.map((i) => i.number).sort(),
		);
		expect(postingsOf(journalId)).toHaveLength(1);
	});

	test('ATTACK: another user\'s line in the journal → refused, nothing posted; then "Everything in the Journal" posts it too', async () => {
		const { journalId, paymentIds, invoices } = await journalWithPayments(1);
		const theirs = sandbox.addForeignPaymentLine(company, journalId, {
			documentNumber: 'THEIRS1',
			amount: -42.5,
		});

		const refused = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId, {}, true)],
		);

		const [error] = refused.output('Post').map((item) => item.json);
		expect(error.code).toBe('PostRefused');
		expect(error.error).toContain('1 line(s) the input items do not name (THEIRS1)');
		expect(error.description).toContain(`THEIRS1 · ${theirs.customerNumber} · -42.5 · ${theirs.id}`);
		expect(postingsOf(journalId)).toHaveLength(0);
		expect(sandbox.payments(company, journalId)).toHaveLength(2);
		expect(sandbox.invoice(company, invoices[0])!.status).toBe('Open');

		const everything = await runChain([{}], [postNode(journalId, { postWhen: 'always' })]);

		const [posted] = outputOf(everything, 'Post');
		expect(posted).toMatchObject({ posted: true, lineCount: 2 });
		expect((posted.lines as IDataObject[]).map((line) => line.documentNumber)).toContain('THEIRS1');
		expect(sandbox.payments(company, journalId)).toEqual([]);
		expect(postingsOf(journalId)).toHaveLength(1);
	});

	test('Only a Stated Count and Total posts when the journal holds exactly that', async () => {
		const { journalId } = await journalWithPayments(2);
		const lines = sandbox.payments(company, journalId);
		const total = lines.reduce((sum, line) => sum + line.amount, 0);

		const result = await runChain(
			[{}],
			[postNode(journalId, { postWhen: 'countAndTotal', lineCount: 2, totalAmount: total })],
		);

		expect(outputOf(result, 'Post')[0]).toMatchObject({ posted: true, lineCount: 2 });
		expect(postingsOf(journalId)).toHaveLength(1);
	});

	test('an empty journal → a clear error, nothing sent to post', async () => {
		const journalId = await newJournal();

		const result = await runChain([{}], [postNode(journalId, { postWhen: 'always' }, true)]);

		expect(result.output('Post')[0].json).toMatchObject({ code: 'NothingToPost' });
		expect(postingsOf(journalId)).toHaveLength(0);
	});

	test("Business Central's posting error (posting date outside the allowed range) → a clear item error, nothing posted", async () => {
		const { journalId, paymentIds } = await journalWithPayments(1);
		sandbox.setAllowedPostingDates('2000-01-01', '2000-12-31', company);
		try {
			const result = await runChain(
				paymentIds.map((id) => ({ id })),
				[postNode(journalId, {}, true)],
			);

			const json = result.output('Post')[0].json;
			expect(json.code).toBe('Application_DialogException');
			expect(json.description).toMatch(/allowed posting dates.*Nothing was posted/);
			expect(sandbox.payments(company, journalId)).toHaveLength(1);
			expect(postingsOf(journalId)).toHaveLength(0);
		} finally {
			sandbox.setAllowedPostingDates(null, null, company);
		}
	});
});

describe('Customer Payment Journal → Post with faults on the Post (sandbox)', () => {
	test.each([
		['applied, then the connection dropped', { applyThenDropRate: 1 }, 'applyThenDrop'],
		['applied, then 500', { applyThen500Rate: 1 }, 'applyThen500'],
		[
			'applied, then a cut or malformed answer',
			{ applyThenMalformedRate: 1 },
			'applyThenMalformed',
		],
		['applied, then an empty 200', { applyThenEmpty200Rate: 1 }, 'applyThenEmpty200'],
	] as const)('%s → reported posted, exactly one posting', async (_, faults, counter) => {
		const { journalId, paymentIds, invoices } = await journalWithPayments(2);
		// only the Post writes in this run: the reads around it are not affected by these faults
		sandbox.options.faults = faults;
		const faultsBefore = sandbox.stats.faults[counter];

		const result = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId)],
		);

		const output = outputOf(result, 'Post');
		expect(sandbox.stats.faults[counter]).toBe(faultsBefore + 1);
		expect(output.map((item) => [item.posted, item.lineCount])).toEqual([
			[true, 2],
			[true, 2],
		]);
		expect(postingsOf(journalId)).toHaveLength(1);
		for (const invoice of invoices) expect(sandbox.invoice(company, invoice)!.status).toBe('Paid');
	});

	test('ATTACK: 504 without posting → reported not posted, not sent again; a second run posts once', async () => {
		const { journalId, paymentIds } = await journalWithPayments(1);
		let posts = 0;
		beforeNextRequest(sandbox, 'POST', () => {
			posts++;
			sandbox.options.faults = { rate504: 1 };
			beforeNextRequest(sandbox, 'GET', () => {
				sandbox.options.faults = {};
			});
		});

		const first = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId, {}, true)],
		);

		expect(first.output('Post')[0].json).toMatchObject({ code: 'PostNotApplied' });
		expect(posts).toBe(1);
		expect(postingsOf(journalId)).toHaveLength(0);

		const second = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId)],
		);

		expect(outputOf(second, 'Post')[0]).toMatchObject({ posted: true, lineCount: 1 });
		expect(postingsOf(journalId)).toHaveLength(1);
	});

	test('applied, then no answer until the Timeout → re-read: lines gone → posted, exactly one posting', async () => {
		const { journalId, paymentIds } = await journalWithPayments(1);
		sandbox.options.faults = { applyThenHangRate: 1 };

		const result = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId, { options: { timeout: 1500 } })],
		);

		expect(outputOf(result, 'Post')[0]).toMatchObject({ posted: true, lineCount: 1 });
		expect(postingsOf(journalId)).toHaveLength(1);
	});

	test('a Post applied late, after the Timeout → reported not posted with the warning that it may still run; it lands once, a second run finds nothing to post', async () => {
		const { journalId, paymentIds } = await journalWithPayments(1);
		sandbox.options.faults = { slowWriteRate: 1, slowWriteMs: 2000 };

		const first = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId, { options: { timeout: 500 } }, true)],
		);

		const json = first.output('Post')[0].json;
		expect(json.code).toBe('PostNotApplied');
		expect(json.description).toMatch(/may belong to a Post still running/);
		sandbox.options.faults = {};
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(postingsOf(journalId)).toHaveLength(1);

		const second = await runChain(
			paymentIds.map((id) => ({ id })),
			[postNode(journalId, {}, true)],
		);

		expect(second.output('Post')[0].json.code).toBe('NothingToPost');
		expect(postingsOf(journalId)).toHaveLength(1);
	});
});
