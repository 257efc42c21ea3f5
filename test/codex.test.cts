/**
 * The nodes panel finds the nodes by the words people search for. The codex is read
 * from the built package by n8n-core's PackageDirectoryLoader (as n8n loads a community
 * package: `alias` is one of the keys it copies into `description.codex`), and the search
 * is n8n's own: `sublimeSearch` from @n8n/utils with its DEFAULT_KEYS (displayName weight
 * 1.3, codex.alias weight 1), called the way the editor's node creator calls it
 * (editor-ui `searchNodes`: a trailing "trigger" word dropped, the filter lower-cased).
 * Every search term must match, and must not match once the aliases are taken away (so
 * the aliases, not the display name, are what the panel finds).
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import { loadPackage, NODE_TYPE } from '../dev/engine.cjs';
import { readmeAnchors } from './readmeAnchors.cjs';

interface SearchKey {
	key: string;
	weight: number;
}

/**
 * n8n's editor search, from @n8n/utils (installed with @n8n/node-cli). Its type
 * declarations are ES modules, which a CommonJS test file cannot `import`; the
 * package ships the CommonJS build that `require` loads.
 */
const { DEFAULT_KEYS, sublimeSearch } = require('@n8n/utils/search/sublime-search') as {
	DEFAULT_KEYS: SearchKey[];
	sublimeSearch: <T>(
		filter: string,
		data: T[],
		keys: SearchKey[],
	) => Array<{ score: number; item: T }>;
};

const TRIGGER_TYPE = 'n8n-nodes-business-central.businessCentralTrigger';
const README = 'https://github.com/n8n-nodes-business-central/n8n-nodes-business-central#';

/** A nodes panel entry as the editor builds it: the node type's description as `properties`. */
interface NodeCreateElement {
	key: string;
	type: 'node';
	properties: INodeTypeDescription;
}

/**
 * editor-ui's removeTrailingTrigger (n8n 2.8.x, node creator utils): "slack trig" and
 * "slack trigger" search as "slack".
 */
function removeTrailingTrigger(filter: string): string {
	const parts = filter.split(' ');
	if (parts.length > 1 && 'trigger'.startsWith(parts.slice(-1)[0].toLowerCase())) {
		return parts
			.slice(0, -1)
			.filter((part) => part)
			.join(' ')
			.trimEnd();
	}
	return filter;
}

function searchNodes(filter: string, items: NodeCreateElement[]): string[] {
	const query = removeTrailingTrigger(filter).toLowerCase();
	return sublimeSearch(query, items, DEFAULT_KEYS).map(({ item }) => item.key);
}

async function panelEntry(type: string): Promise<NodeCreateElement> {
	const { nodeTypes } = await loadPackage();
	const { description } = nodeTypes.getByName(type);
	return { key: type, type: 'node', properties: description as INodeTypeDescription };
}

function withoutAliases(entry: NodeCreateElement): NodeCreateElement {
	const { alias: _alias, ...codex } = entry.properties.codex ?? {};
	return { ...entry, properties: { ...entry.properties, codex } };
}

const ACTION_TERMS = [
	'Dynamics',
	'Dynamics 365',
	'Microsoft',
	'payment',
	'ERP',
	'Navision',
	'invoice',
	'customer',
	'cash receipt',
	'journal',
];
const TRIGGER_TERMS = [
	'Dynamics',
	'Dynamics 365',
	'Microsoft',
	'payment',
	'ERP',
	'Navision',
	'invoice paid',
];

describe.each([
	{ type: NODE_TYPE, terms: ACTION_TERMS, anchor: 'the-node' },
	{ type: TRIGGER_TYPE, terms: TRIGGER_TERMS, anchor: 'business-central-trigger' },
])('$type in the nodes panel', ({ type, terms, anchor }) => {
	test.each(terms)('"%s" finds it, through its aliases', async (term) => {
		const entry = await panelEntry(type);
		expect(searchNodes(term, [entry])).toEqual([type]);
		expect(searchNodes(term, [withoutAliases(entry)])).toEqual([]);
	});

	test('"Business Central" finds it by its display name', async () => {
		const entry = await panelEntry(type);
		expect(searchNodes('Business Central', [withoutAliases(entry)])).toEqual([type]);
	});

	test('its Docs link is this package README section, which exists', async () => {
		const { codex } = (await panelEntry(type)).properties;
		expect(codex?.categories).toEqual(['Finance & Accounting']);
		expect(codex?.resources?.primaryDocumentation).toEqual([{ url: `${README}${anchor}` }]);
		expect(readmeAnchors()).toContain(anchor);
	});
});

test('"Business Central Trigger" (trailing "trigger" dropped as in the editor) finds both nodes', async () => {
	const entries = [await panelEntry(NODE_TYPE), await panelEntry(TRIGGER_TYPE)];
	expect(searchNodes('Business Central Trigger', entries).sort()).toEqual(
		[NODE_TYPE, TRIGGER_TYPE].sort(),
	);
});
