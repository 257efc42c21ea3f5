/**
 * What n8n's editor makes of the node's texts and inputs, checked on the built node
 * (dist/) as n8n loads it, both node versions, the trigger and the credentials:
 *
 * - n8n renders descriptions, hints and notices as HTML (its `v-n8n-html` directive), so
 *   a placeholder written `<id>` disappears ("…/companies()"): no text may hold one.
 * - The resource locator's mode selector is 92 px wide (n8n 2.8.4, ResourceLocator.vue's
 *   `.modeSelector { width: 92px }`); n8n labels the list, id and url modes itself, and a
 *   mode label of ours as long as "By Number" was cut to "By Numb".
 * - A dateTime input is Element Plus's date picker: it reads a stored value with
 *   dayjs(value, format), format "YYYY-MM-DDTHH:mm:ss", or "YYYY-MM-DD" with
 *   `typeOptions.dateOnly` (n8n 2.8.4, ParameterInput.vue). A plain "2024-02-01" does not
 *   parse with the first format, so the picker showed it empty although the node read it.
 *   Only dates are sent, so every date input is date-only.
 * - Examples name company and journal by their list names, not bare GUIDs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { loadPackage, NODE_TYPE, type WorkflowJson } from '../dev/engine.cjs';

const TRIGGER_TYPE = 'n8n-nodes-business-central.businessCentralTrigger';
const EXAMPLES_DIR = path.resolve(__dirname, '../examples');

type Described = INodeProperties | INodePropertyOptions | INodePropertyCollection;

/** Every text the editor shows for a parameter and what it contains, with where it is. */
function texts(properties: Described[], where: string): Array<[string, string]> {
	const found: Array<[string, string]> = [];
	const add = (label: string, text: unknown) => {
		if (typeof text === 'string' && text) found.push([label, text]);
	};
	for (const property of properties) {
		const shown = property as Partial<INodeProperties & INodePropertyOptions>;
		const at = `${where} › ${shown.displayName ?? shown.name}`;
		add(`${at} (name)`, shown.name);
		add(`${at} (displayName)`, shown.displayName);
		add(`${at} (description)`, shown.description);
		if (!('type' in property)) {
			if ('values' in property) found.push(...texts(property.values, at));
			continue;
		}
		add(`${at} (hint)`, property.hint);
		add(`${at} (placeholder)`, property.placeholder);
		for (const mode of property.modes ?? []) {
			add(`${at} › ${mode.displayName} (placeholder)`, mode.placeholder);
			for (const rule of mode.validation ?? []) {
				if (typeof rule === 'object' && 'properties' in rule) {
					add(`${at} › ${mode.displayName} (validation)`, (rule.properties as { errorMessage?: string }).errorMessage);
				}
			}
		}
		found.push(...texts((property.options ?? []) as Described[], at));
	}
	return found;
}

/** `<id>`, `<c>`, `<no>`: what HTML takes for an unknown element and drops. Real markup (a link) is allowed. */
const EATEN_PLACEHOLDER = /<(?!\/?(?:a|b|i|p|br|ul|ol|li|code|strong|em)\b)[^<>\s]*>/i;

async function descriptions(): Promise<Array<[string, INodeTypeDescription]>> {
	const { nodeTypes } = await loadPackage();
	return [
		['v1', nodeTypes.getByNameAndVersion(NODE_TYPE, 1).description],
		['v2', nodeTypes.getByNameAndVersion(NODE_TYPE, 2).description],
		['trigger', nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).description],
	];
}

/** Every parameter definition, collections' options included, of a description. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...(property.type === 'collection' ? allProperties((property.options ?? []) as INodeProperties[]) : []),
	]);
}

test('no text of the nodes or credentials holds a <placeholder> that n8n\'s HTML rendering would eat', async () => {
	const { credentialTypes } = await loadPackage();
	const found: Array<[string, string]> = [];
	for (const [name, description] of await descriptions()) {
		found.push(...texts(description.properties, name));
	}
	for (const [name, credential] of credentialTypes as Map<string, ICredentialType>) {
		found.push(...texts(credential.properties, name));
	}
	expect(found.length).toBeGreaterThan(300);
	expect(found.filter(([, text]) => EATEN_PLACEHOLDER.test(text))).toEqual([]);
	// the URL messages keep a placeholder that survives
	expect(found).toContainEqual([
		'v2 › Company › By URL (validation)',
		'Not a Business Central company URL (…/companies({id}))',
	]);
});

test("the resource locators' own mode labels fit n8n's 92 px mode selector (at most as long as its \"By URL\")", async () => {
	const labels = new Set<string>();
	for (const [, description] of await descriptions()) {
		for (const property of allProperties(description.properties)) {
			for (const mode of property.modes ?? []) {
				// n8n shows its own "From list", "By ID", "By URL" for these
				if (!['list', 'id', 'url'].includes(mode.name)) labels.add(mode.displayName);
			}
		}
	}
	expect([...labels]).toEqual(['By No.']);
	for (const label of labels) expect(label.length).toBeLessThanOrEqual('By URL'.length);
});

test('every date input is a date-only picker (only the date is sent)', async () => {
	for (const [name, description] of await descriptions()) {
		const dates = allProperties(description.properties).filter((property) => property.type === 'dateTime');
		if (name !== 'trigger') expect(dates.length).toBeGreaterThanOrEqual(5);
		expect(dates.filter((property) => property.typeOptions?.dateOnly !== true).map((property) => property.name)).toEqual([]);
	}
});

test('the Timeout options say their unit', async () => {
	const { nodeTypes } = await loadPackage();
	const timeouts = allProperties(nodeTypes.getByNameAndVersion(NODE_TYPE, 2).description.properties).filter(
		(property) => property.name === 'timeout',
	);
	expect(timeouts.length).toBeGreaterThanOrEqual(2);
	for (const timeout of timeouts) expect(timeout.displayName).toBe('Timeout (Milliseconds)');
});

/** The node parameter definition a stored value belongs to: top level, or inside a collection. */
function definitionOf(description: INodeTypeDescription, parameters: Record<string, unknown>, pathTo: string[]) {
	const shown = description.properties.filter(
		(property) =>
			property.name === pathTo[0] &&
			Object.entries(property.displayOptions?.show ?? {}).every(
				([key, values]) => key.startsWith('@') || (values as unknown[]).includes(parameters[key]),
			),
	);
	const top = shown[0];
	if (pathTo.length === 1 || !top) return top;
	return ((top.options ?? []) as INodeProperties[]).find((option) => option.name === pathTo[1]);
}

function exampleWorkflows(): Array<[string, WorkflowJson]> {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => [file, JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson]);
}

test("examples store dates as n8n's date picker stores them, so the editor shows what the node reads", async () => {
	const { nodeTypes } = await loadPackage();
	const checked: string[] = [];
	for (const [file, workflow] of exampleWorkflows()) {
		for (const node of workflow.nodes.filter((candidate) => candidate.type === NODE_TYPE)) {
			const description = nodeTypes.getByNameAndVersion(NODE_TYPE, node.typeVersion).description;
			const parameters = node.parameters as Record<string, unknown>;
			const stored: Array<[string[], unknown]> = Object.entries(parameters).flatMap(([name, value]) =>
				value && typeof value === 'object' && !Array.isArray(value) && !('__rl' in value)
					? Object.entries(value).map(([inner, innerValue]): [string[], unknown] => [[name, inner], innerValue])
					: [[[name], value]],
			);
			for (const [pathTo, value] of stored) {
				const definition = definitionOf(description, parameters, pathTo);
				if (definition?.type !== 'dateTime' || String(value).startsWith('=')) continue;
				// Element Plus: dayjs(value, "YYYY-MM-DD") reads the date at the start of the text
				const format = definition.typeOptions?.dateOnly ? /^\d{4}-\d{2}-\d{2}/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
				expect({ file, parameter: pathTo.join('.'), value, shown: format.test(String(value)) }).toEqual({
					file,
					parameter: pathTo.join('.'),
					value,
					shown: true,
				});
				checked.push(`${file}: ${pathTo.join('.')}`);
			}
		}
	}
	expect(checked).toEqual([
		'get-many-customer-payments.json: filters.postingDateFrom',
		'get-many-customer-payments.json: filters.postingDateTo',
	]);
});

test('examples name company and journal by their list names: no bare GUID in the editor', () => {
	for (const [file, workflow] of exampleWorkflows()) {
		for (const node of workflow.nodes.filter((candidate) => candidate.type === NODE_TYPE)) {
			for (const key of ['company', 'journal']) {
				const locator = node.parameters[key] as { mode?: string; value?: string; cachedResultName?: string } | undefined;
				if (!locator || String(locator.value).startsWith('=')) continue;
				expect({ file, node: node.name, key, mode: locator.mode, named: !!locator.cachedResultName }).toEqual({
					file,
					node: node.name,
					key,
					mode: 'list',
					named: true,
				});
			}
		}
	}
});

test("every operation links its own Microsoft API page (n8n's Docs link is one per node)", async () => {
	const { nodeTypes } = await loadPackage();
	const { properties } = nodeTypes.getByNameAndVersion(NODE_TYPE, 2).description;
	const page: Record<string, (resource: string) => string> = {
		create: (resource) => `api/dynamics_${resource}_create`,
		delete: (resource) => `api/dynamics_${resource}_delete`,
		get: (resource) => `api/dynamics_${resource}_get`,
		getAll: (resource) => `api/dynamics_${resource}_get`,
		update: (resource) => `api/dynamics_${resource}_update`,
		// the bound action Microsoft.NAV.post is documented on the journal resource page
		post: () => 'resources/dynamics_journal',
	};
	const resources = (properties.find((property) => property.name === 'resource')!.options ?? []) as INodePropertyOptions[];
	let operations = 0;
	for (const resource of resources.map((option) => String(option.value))) {
		const operation = properties.find(
			(property) => property.name === 'operation' && (property.displayOptions?.show?.resource as string[]).includes(resource),
		)!;
		for (const value of ((operation.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value))) {
			const notices = properties.filter(
				(property) =>
					property.type === 'notice' &&
					(property.displayOptions?.show?.resource as string[]).includes(resource) &&
					(property.displayOptions?.show?.operation as string[]).includes(value),
			);
			const href = /href="([^"]+)"/.exec(notices[0]?.displayName ?? '')?.[1];
			expect({ resource, operation: value, notices: notices.length, href }).toEqual({
				resource,
				operation: value,
				notices: 1,
				href: `https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0/${page[value](resource.toLowerCase())}`,
			});
			operations++;
		}
	}
	expect(operations).toBe(14);
});

// n8n's nodes panel shows the node and its trigger as one entry, with the trigger's description
// (n8n 2.8.4, editor-ui generateMergedNodesAndActions: `app.description = trigger.description`),
// above the actions of both: each description must say what the pair does.
test('node and trigger descriptions each read right for the pair (the nodes panel shows the trigger\'s)', async () => {
	const { nodeTypes } = await loadPackage();
	for (const type of [NODE_TYPE, TRIGGER_TYPE]) {
		const { description } = nodeTypes.getByNameAndVersion(type, 1).description;
		expect({ type, description }).toEqual({ type, description: expect.stringMatching(/^Read and write customer payments, customers, sales invoices and payment journals in Microsoft Dynamics 365 Business Central/) });
		expect({ type, description }).toEqual({ type, description: expect.stringMatching(/start[s]? workflows when/) });
	}
});

test('the trigger hides n8n\'s "Webhook URLs" (the node registers the URL itself) and says so in Mode\'s hint', async () => {
	const { nodeTypes } = await loadPackage();
	const trigger = nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).description;
	expect(trigger.webhooks?.map((webhook) => webhook.ndvHideUrl)).toEqual([true]);
	const mode = trigger.properties.find((property) => property.name === 'mode')!;
	expect(mode.hint).toMatch(/registers n8n's production webhook URL .* itself; there is no URL to copy/);
});

test("the trigger's Journal list says that empty watches every journal (n8n's own placeholder is \"Choose...\")", async () => {
	const { nodeTypes } = await loadPackage();
	const journal = nodeTypes.getByNameAndVersion(TRIGGER_TYPE, 1).description.properties.find((property) => property.name === 'journal')!;
	expect(journal.modes?.find((mode) => mode.name === 'list')?.placeholder).toBe('Every journal (leave empty) or choose one');
	expect(journal.description).toMatch(/Empty: every customer payment journal/);
});

test("Update's Customer / Customer Number and Applies-to Invoice / its number each say they replace the other and that both are refused", async () => {
	const { nodeTypes } = await loadPackage();
	// both versions' Update Fields are in the description (each shown for its version)
	const updateFields = nodeTypes
		.getByNameAndVersion(NODE_TYPE, 2)
		.description.properties.filter((property) => property.name === 'updateFields' && property.displayOptions?.show?.resource?.includes('customerPayment'));
	expect(updateFields).toHaveLength(2);
	for (const fields of updateFields) {
		const version = JSON.stringify(fields.displayOptions?.show?.['@version']);
		const option = (name: string) => (fields.options as INodeProperties[]).find((field) => field.name === name)!;
		for (const [field, other] of [
			['customer', 'Customer Number'],
			['customerNumber', 'Customer'],
			['appliesToInvoice', 'Applies-to Invoice Number'],
			['appliesToInvoiceNumber', 'Applies-to Invoice'],
		]) {
			expect({ version, field, description: option(field).description }).toEqual({
				version,
				field,
				description: expect.stringContaining(other),
			});
			expect(option(field).description).toMatch(/add one of the two \(both at once are refused before any request\)/);
		}
	}
});
