/**
 * The canvas subtitle reads as a person would ("Update Customer Payment"), for every
 * resource and operation of both node versions and for the trigger's resources and
 * events. Evaluated the way n8n's editor does it (editor-ui `getNodeSubtitle`:
 * `workflow.expression.getSimpleParameterValue(node, nodeType.subtitle, 'internal', {})`)
 * on the node types loaded from dist/ by n8n-core, with the parameters n8n stores for a
 * node (its defaults filled in by NodeHelpers.getNodeParameters).
 */
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeType,
} from 'n8n-workflow';

import { loadPackage, NODE_TYPE } from '../dev/engine.cjs';

const TRIGGER_TYPE = 'n8n-nodes-business-central.businessCentralTrigger';

async function subtitleOf(
	type: string,
	version: number,
	parameters: INodeParameters,
): Promise<unknown> {
	const { nodeTypes } = await loadPackage();
	const nodeType = nodeTypes.getByNameAndVersion(type, version) as INodeType;
	const stored = NodeHelpers.getNodeParameters(
		nodeType.description.properties,
		parameters,
		false,
		false,
		null,
		nodeType.description,
	);
	const node: INode = {
		id: 'subtitle',
		name: 'Business Central',
		type,
		typeVersion: version,
		position: [0, 0],
		parameters: stored ?? {},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(
		node,
		nodeType.description.subtitle,
		'internal',
		{},
	);
}

const ACTIONS: Array<[string, string, string]> = [
	['customer', 'get', 'Get Customer'],
	['customer', 'getAll', 'Get Many Customers'],
	['customer', 'update', 'Update Customer'],
	['customerPayment', 'create', 'Create Customer Payment'],
	['customerPayment', 'delete', 'Delete Customer Payment'],
	['customerPayment', 'get', 'Get Customer Payment'],
	['customerPayment', 'getAll', 'Get Many Customer Payments'],
	['customerPayment', 'update', 'Update Customer Payment'],
	['customerPaymentJournal', 'create', 'Create Customer Payment Journal'],
	['customerPaymentJournal', 'get', 'Get Customer Payment Journal'],
	['customerPaymentJournal', 'getAll', 'Get Many Customer Payment Journals'],
	['customerPaymentJournal', 'post', 'Post Customer Payment Journal'],
	['salesInvoice', 'get', 'Get Sales Invoice'],
	['salesInvoice', 'getAll', 'Get Many Sales Invoices'],
];

describe.each([1, 2])('Business Central node v%s subtitle', (version) => {
	test.each(ACTIONS)('%s / %s reads "%s"', async (resource, operation, expected) => {
		expect(await subtitleOf(NODE_TYPE, version, { resource, operation })).toBe(expected);
	});

	test('a new node (defaults only) reads "Update Customer Payment"', async () => {
		expect(await subtitleOf(NODE_TYPE, version, {})).toBe('Update Customer Payment');
	});

	test('every operation the node offers has its text (none falls back to "operation: resource")', async () => {
		const { nodeTypes } = await loadPackage();
		const { properties } = (nodeTypes.getByNameAndVersion(NODE_TYPE, version) as INodeType)
			.description;
		const offered = properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) =>
				(property.options ?? []).map((option) => [
					property.displayOptions?.show?.resource?.[0],
					(option as { value: string }).value,
				]),
			);
		expect(offered.sort()).toEqual(
			ACTIONS.map(([resource, operation]) => [resource, operation]).sort(),
		);
	});
});

describe('Business Central Trigger subtitle', () => {
	test.each([
		[{ resource: 'customerPayment' }, 'Customer Payment: Created, Changed'],
		[{ resource: 'customer', events: ['changed'] }, 'Customer: Changed'],
		[{ resource: 'salesInvoice', events: ['created', 'paid'] }, 'Sales Invoice: Created, Paid'],
		[{ resource: 'salesInvoice', events: [] }, 'Sales Invoice'],
	])('%j reads "%s"', async (parameters, expected) => {
		expect(await subtitleOf(TRIGGER_TYPE, 1, parameters as INodeParameters)).toBe(expected);
	});
});
