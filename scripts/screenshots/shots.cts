/**
 * The screenshots, one step each: what to open in the editor and which PNG it becomes
 * (docs/screenshots/<file>). Each step starts from a fresh page load, so one failing step does
 * not spoil the next.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	closeNode,
	createWorkflow,
	dismissToasts,
	executeStep,
	executeWorkflow,
	openFromList,
	runInEditor,
	openNode,
	openWorkflow,
} from './editor.cjs';
import type { BrowserContext, Page } from './tools.cjs';

const ROOT = path.resolve(__dirname, '../..');

export interface ShotContext {
	page: Page;
	context: BrowserContext;
	baseUrl: string;
	/** Writes docs/screenshots/<file> (the viewport). */
	save(file: string): Promise<void>;
	/** Workflow ids created by earlier steps. */
	ids: Record<string, string>;
	/** scripts/n8n/prepare.cjs's sandbox.json: the sandbox's API base, token, company and journal. */
	sandboxFile: string;
}

export interface Step {
	name: string;
	run(shot: ShotContext): Promise<void>;
}

/** A workflow id the import step made; a clear failure when that step failed. */
function imported(ids: Record<string, string>, key: string): string {
	if (!ids[key]) throw new Error(`needs the workflow "${key}" of the import step, which failed`);
	return ids[key];
}

function example(file: string): Record<string, unknown> {
	return JSON.parse(readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as Record<
		string,
		unknown
	>;
}

/** The name of an example's (first) Business Central node: the steps follow the examples' renames. */
function bcNode(file: string): string {
	const nodes = example(file).nodes as Array<{ name: string; type: string }>;
	const node = nodes.find(({ type }) => type.endsWith('.businessCentral'));
	if (!node) throw new Error(`examples/${file} has no Business Central node`);
	return node.name;
}

/** examples/get-customer-payment.json with a payment id the sandbox does not have. */
function wrongPaymentWorkflow(): Record<string, unknown> {
	const workflow = example('get-customer-payment.json');
	const pinData = workflow.pinData as Record<string, Array<{ json: Record<string, unknown> }>>;
	const trigger = Object.keys(pinData)[0];
	return {
		...workflow,
		name: 'Business Central: get a customer payment (wrong payment id)',
		pinData: { [trigger]: [{ json: { paymentId: '00000000-0000-0000-0000-00000000beef' } }] },
	};
}

/** A new Business Central Trigger (customer payments, polling: its defaults) on the sandbox company. */
function triggerWorkflow(sandboxFile: string): Record<string, unknown> {
	const { companyId } = JSON.parse(readFileSync(sandboxFile, 'utf8')) as Record<string, string>;
	const trigger = {
		name: 'Business Central Trigger',
		type: 'n8n-nodes-business-central.businessCentralTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			authentication: 'bearerToken',
			company: { __rl: true, mode: 'id', value: companyId },
		},
		credentials: {
			businessCentralApi: { id: 'bcSandboxToken', name: 'Business Central sandbox (bearer)' },
		},
	};
	return {
		name: 'Business Central: trigger (new)',
		nodes: [trigger],
		connections: {},
		settings: {},
	};
}

const importWorkflows: Step = {
	name: 'import the cash-receipts example, a wrong-id variant of the Get example and a new trigger',
	async run({ context, baseUrl, ids, sandboxFile }) {
		const { name, nodes, connections, settings, pinData } = example('cash-receipts.json');
		// n8n refuses names over 128 characters (see docs/walkthrough.md): cut, as a user would have to.
		const shortName = String(name).length > 128 ? String(name).split(' (')[0] : name;
		ids.cashReceipts = await createWorkflow(context, baseUrl, {
			name: shortName,
			nodes,
			connections,
			settings,
			pinData,
		});
		ids.wrongPayment = await createWorkflow(context, baseUrl, wrongPaymentWorkflow());
		ids.trigger = await createWorkflow(context, baseUrl, triggerWorkflow(sandboxFile));
	},
};

/**
 * Deletes every line of the sandbox's CASH RCPT journal through its API (as
 * test/cashReceipts.sandbox.test.cts does): Post rightly refuses a journal holding lines the run
 * did not create, and the sandbox seeds it with 10 (see docs/walkthrough.md).
 */
async function emptySandboxJournal(sandboxFile: string): Promise<number> {
	const sandbox = JSON.parse(readFileSync(sandboxFile, 'utf8')) as Record<string, string>;
	const headers = { Authorization: `Bearer ${sandbox.token}` };
	const company = `${sandbox.baseUrl}/companies(${sandbox.companyId})`;
	const listed = await fetch(
		`${company}/customerPaymentJournals(${sandbox.journalId})/customerPayments`,
		{ headers },
	);
	if (!listed.ok) throw new Error(`listing the journal's lines answered ${listed.status}`);
	const { value } = (await listed.json()) as { value: Array<{ id: string }> };
	for (const { id } of value) {
		const deleted = await fetch(`${company}/customerPayments(${id})`, {
			method: 'DELETE',
			headers: { ...headers, 'If-Match': '*' },
		});
		if (deleted.status !== 204)
			throw new Error(`deleting journal line ${id} answered ${deleted.status}`);
	}
	return value.length;
}

/** What a user does with the file: Import from File into a new workflow; n8n saves it on its own. */
const cashReceiptsImport: Step = {
	name: "cash-receipts example imported through the editor's Import from File",
	async run({ page, baseUrl, save }) {
		await page.goto(`${baseUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas"]').waitFor({ state: 'visible', timeout: 60_000 });
		await page
			.locator('[data-test-id="workflow-import-input"]')
			.setInputFiles(path.join(ROOT, 'examples/cash-receipts.json'));
		await page.locator('[data-test-id="canvas-node"]').nth(7).waitFor({ state: 'visible' });
		// n8n saves a new workflow a moment after a change, and says so if it cannot.
		await page.waitForTimeout(4000);
		await save('cash-receipts-imported.png');
	},
};

/**
 * The main job, run from the editor. As shipped its journal (STATEMENT) starts empty and the run
 * passes. Should Post refuse (a journal holding lines the run did not create, as CASH RCPT did),
 * that answer is kept as a screenshot, then the journal is emptied and the job run again, and it
 * must pass.
 */
const cashReceipts: Step = {
	name: 'cash-receipts workflow executed in the editor',
	async run({ page, baseUrl, ids, save, sandboxFile }) {
		await openWorkflow(page, baseUrl, imported(ids, 'cashReceipts'));
		const first = await runInEditor(page);
		if (!first.ok) {
			const post = (
				example('cash-receipts.json').nodes as Array<{
					name: string;
					parameters: { operation?: string };
				}>
			).find(({ parameters }) => parameters.operation === 'post')?.name;
			if (!post || !first.message.includes(post)) {
				throw new Error(`the workflow failed before Post: ${first.message.slice(0, 300)}`);
			}
			await page.waitForTimeout(500);
			await save('cash-receipts-post-refused.png');
			await emptySandboxJournal(sandboxFile);
			await openWorkflow(page, baseUrl, imported(ids, 'cashReceipts'));
			await executeWorkflow(page);
		}
		await dismissToasts(page);
		await save('cash-receipts-executed.png');
	},
};

const updateNode: Step = {
	name: 'Update node parameters (update example)',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcUpdatePaymentsPinned');
		await save('update-workflow.png');
		await openNode(page, bcNode('update-customer-payments.json'));
		await save('update-node.png');
	},
};

const updateOutput: Step = {
	name: 'Update executed: the node output',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcUpdatePaymentsPinned');
		await executeWorkflow(page);
		await dismissToasts(page);
		const ndv = await openNode(page, bcNode('update-customer-payments.json'));
		const output = ndv.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="ndv-data-container"]').waitFor({ state: 'visible' });
		// JSON: the whole records (the table view cuts them after two columns at this width).
		await output.locator('[data-test-id="radio-button-json"]').click();
		await page.waitForTimeout(500);
		await save('update-output.png');
		await closeNode(page);
	},
};

const getManyOutput: Step = {
	name: 'Get Many executed: the node output (get-many example, table view)',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcGetManyPayments');
		await executeWorkflow(page);
		await dismissToasts(page);
		const ndv = await openNode(page, bcNode('get-many-customer-payments.json'));
		await ndv
			.locator('[data-test-id="output-panel"] [data-test-id="ndv-data-container"]')
			.waitFor({ state: 'visible' });
		// The table: what n8n shows first (the view picked in an earlier step is remembered).
		await ndv.locator('[data-test-id="output-panel"] [data-test-id="radio-button-table"]').click();
		await page.waitForTimeout(500);
		await save('get-many-output.png');
	},
};

const createNode: Step = {
	name: 'Create node parameters (create example)',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcCreatePayment');
		await openNode(page, bcNode('create-customer-payment.json'));
		await save('create-node.png');
	},
};

const paymentPicker: Step = {
	name: 'payment picker: Customer Payment "From List" open (update example)',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcUpdatePaymentsPinned');
		const ndv = await openNode(page, bcNode('update-customer-payments.json'));
		await openFromList(page, ndv, 'customerPayment');
		await save('payment-picker.png');
	},
};

const invoicePicker: Step = {
	name: 'invoice picker: Applies-to Invoice "From List" open (create example)',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcCreatePayment');
		const ndv = await openNode(page, bcNode('create-customer-payment.json'));
		await openFromList(page, ndv, 'appliesToInvoice');
		await save('invoice-picker.png');
	},
};

const wrongPaymentError: Step = {
	name: 'error in the NDV: Get with a payment id Business Central does not have',
	async run({ page, baseUrl, ids, save }) {
		await openWorkflow(page, baseUrl, imported(ids, 'wrongPayment'));
		const ndv = await openNode(page, bcNode('get-customer-payment.json'));
		await executeStep(page, ndv);
		await dismissToasts(page);
		await save('error-wrong-payment-id.png');
	},
};

const triggerNode: Step = {
	name: 'Business Central Trigger parameters (new trigger, customer payments)',
	async run({ page, baseUrl, ids, save }) {
		await openWorkflow(page, baseUrl, imported(ids, 'trigger'));
		await openNode(page, 'Business Central Trigger');
		await save('trigger-node.png');
	},
};

/** Its form scrolls inside the dialog: one shot of the top, one with the last field in view. */
function credentialDialog(id: string, file: string, kind: string): Step {
	return {
		name: `credential dialog: ${kind}`,
		async run({ page, baseUrl, save }) {
			await page.goto(`${baseUrl}/home/credentials/${id}`);
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			await dialog.waitFor({ state: 'visible', timeout: 60_000 });
			// n8n tests the credential on opening: wait for its verdict, whichever it is.
			await dialog
				.locator(
					'[data-test-id="credentials-config-container-test-success"], [data-test-id="credentials-config-container-test-failed"]',
				)
				.first()
				.waitFor({ state: 'visible', timeout: 30_000 });
			await page.waitForTimeout(300);
			await save(`${file}.png`);
			await dialog
				.locator('[data-test-id="credential-connection-parameter"]')
				.last()
				.scrollIntoViewIfNeeded();
			await page.waitForTimeout(300);
			await save(`${file}-more.png`);
		},
	};
}

const nodesPanel: Step = {
	name: 'nodes panel: "Business Central" searched and opened (its actions)',
	async run({ page, baseUrl, save }) {
		await openWorkflow(page, baseUrl, 'bcGetPayment');
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page.locator('[data-test-id="node-creator-search-bar"]').fill('Business Central');
		await page
			.locator('[data-test-id="item-iterator-item"]')
			.filter({ hasText: 'Business Central' })
			.first()
			.click();
		await page
			.locator('[data-test-id="node-creator-action-item"]')
			.first()
			.waitFor({ state: 'visible' });
		await page.waitForTimeout(500);
		await save('nodes-panel-actions.png');
	},
};

export const STEPS: Step[] = [
	importWorkflows,
	updateNode,
	updateOutput,
	getManyOutput,
	createNode,
	paymentPicker,
	invoicePicker,
	wrongPaymentError,
	nodesPanel,
	triggerNode,
	credentialDialog('bcSandboxToken', 'credential-bearer', 'Business Central Bearer Token API'),
	credentialDialog('bcSandboxOAuth2', 'credential-oauth2', 'Business Central OAuth2 API'),
	cashReceiptsImport,
	// Last: it empties the journal the pickers list, and posts.
	cashReceipts,
];
