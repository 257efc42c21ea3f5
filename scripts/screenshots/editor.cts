/**
 * Steps in n8n 2.8.4's editor, found by its data-test-id attributes (packages/frontend/editor-ui
 * of n8n-io/n8n): open a workflow, a node's parameter panel (NDV), a resource locator's list,
 * run a workflow or a step. Each waits for what it needs and fails with a message saying what
 * did not show up.
 */
import type { BrowserContext, Locator, Page } from './tools.cjs';

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Lovelace',
	password: 'Screenshots-2026',
};

/** The owner account a fresh n8n asks for (REST, as the setup form does), else a login: a session cookie. */
export async function signIn(context: BrowserContext, baseUrl: string): Promise<void> {
	const setup = await context.request.post(`${baseUrl}/rest/owner/setup`, { data: OWNER });
	if (setup.ok()) return;
	const login = await context.request.post(`${baseUrl}/rest/login`, {
		data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	if (!login.ok()) {
		throw new Error(
			`owner setup (${setup.status()}) and login (${login.status()}) both failed: ${await login.text()}`,
		);
	}
}

/** Creates a workflow through n8n's REST API (what the editor's import does); returns its id. */
export async function createWorkflow(
	context: BrowserContext,
	baseUrl: string,
	workflow: object,
): Promise<string> {
	const response = await context.request.post(`${baseUrl}/rest/workflows`, { data: workflow });
	if (!response.ok())
		throw new Error(`POST /rest/workflows: ${response.status()} ${await response.text()}`);
	const { data } = (await response.json()) as { data: { id: string } };
	return data.id;
}

export async function openWorkflow(page: Page, baseUrl: string, id: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page
		.locator('[data-test-id="canvas-node"]')
		.first()
		.waitFor({ state: 'visible', timeout: 60_000 });
	// The canvas fits the view after the nodes render; let that settle.
	await page.waitForTimeout(800);
}

export function canvasNode(page: Page, name: string): Locator {
	return page.locator('[data-test-id="canvas-node"]').filter({ hasText: name }).first();
}

/** Opens a node's parameter panel (NDV) by double-clicking it on the canvas. */
export async function openNode(page: Page, name: string): Promise<Locator> {
	await canvasNode(page, name).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.locator('[data-test-id="node-parameters"]').waitFor({ state: 'visible' });
	await page.waitForTimeout(500);
	return ndv;
}

export async function closeNode(page: Page): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}

/**
 * Switches a resource locator to "From List" (to Fixed first when it holds an expression: n8n
 * disables the list for expressions) and opens its list; waits until it shows items or says why not.
 */
export async function openFromList(page: Page, ndv: Locator, parameter: string): Promise<void> {
	const input = ndv.locator(`[data-test-id="parameter-input-${parameter}"]`);
	await input.scrollIntoViewIfNeeded();
	const locator = ndv.locator(`[data-test-id="resource-locator-${parameter}"]`);
	const fixed = ndv
		.locator(`[data-test-id="${parameter}-parameter-input-options-container"]`)
		.locator('[data-test-id="radio-button-fixed"]');
	await input.hover();
	if (await fixed.isVisible()) await fixed.click();
	await locator.locator('[data-test-id="rlc-mode-selector"]').click();
	await page.locator('[data-test-id="mode-list"]').filter({ visible: true }).click();
	await locator.locator('[data-test-id="rlc-input"]').click();
	await page
		.locator('[data-test-id="rlc-search"]')
		.filter({ visible: true })
		.waitFor({ state: 'visible' });
	// Loaded: items, or n8n's empty / error message instead of the spinner.
	const items = page.locator('[data-test-id="rlc-item"]').filter({ visible: true });
	const message = page
		.getByText(/No results|Could not load|Error loading/)
		.filter({ visible: true });
	await items.or(message).first().waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(400);
}

/**
 * Clicks "Execute workflow" and waits for n8n's verdict toast: whether it ran, and the toast's
 * text (for a failure: the node and its error).
 */
export async function runInEditor(page: Page): Promise<{ ok: boolean; message: string }> {
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	const toast = page.locator('.el-notification').filter({ visible: true }).first();
	await toast.waitFor({ state: 'visible', timeout: 90_000 });
	const message = (await toast.innerText()).replace(/\s+/g, ' ').trim();
	return { ok: /executed successfully/i.test(message), message };
}

/** runInEditor, failing unless the workflow ran. */
export async function executeWorkflow(page: Page): Promise<void> {
	const { ok, message } = await runInEditor(page);
	if (!ok) throw new Error(`the workflow failed in the editor: ${message.slice(0, 300)}`);
}

/** Hides toasts (they cover the top right of a screenshot). */
export async function dismissToasts(page: Page): Promise<void> {
	const close = page.locator('.el-notification__closeBtn').filter({ visible: true });
	for (let i = (await close.count()) - 1; i >= 0; i--) await close.first().click();
	await page.waitForTimeout(300);
}

/** "Execute step" in the open NDV; waits until the output panel shows data or an error. */
export async function executeStep(page: Page, ndv: Locator): Promise<Locator> {
	await ndv.locator('[data-test-id="node-execute-button"]').click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output
		.locator(
			'[data-test-id="ndv-data-container"], [data-test-id="node-error-message"], [class*="error"]',
		)
		.first()
		.waitFor({ state: 'visible', timeout: 60_000 });
	await page.waitForTimeout(600);
	return output;
}
