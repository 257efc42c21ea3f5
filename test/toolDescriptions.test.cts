/**
 * The node is `usableAsTool`: an AI agent fills parameters from their descriptions
 * (`$fromAI()`). Every parameter of every resource and operation — top level, inside
 * collections (Update Fields, Filters, Options) and every operation choice — says what it
 * takes, read from the built node (dist/) as n8n loads it.
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { loadPackage, NODE_TYPE } from '../dev/engine.cjs';

type Option = INodeProperties | INodePropertyOptions | INodePropertyCollection;

/** "resource/operation › Update Fields › Email" for every parameter without a description. */
function undescribed(properties: Option[], path: string): string[] {
	const missing: string[] = [];
	for (const property of properties) {
		// a notice is text to read (the operation's Microsoft API page), nothing an agent fills in
		if (!('type' in property) || property.type === 'notice') continue;
		const where = `${path} › ${property.displayName}`;
		if (!property.description?.trim()) missing.push(where);
		if (property.type === 'collection' || property.type === 'fixedCollection') {
			missing.push(...undescribed((property.options ?? []) as Option[], where));
		}
	}
	return missing;
}

test('every parameter of every operation has a description for AI agents', async () => {
	const { nodeTypes } = await loadPackage();
	const description = nodeTypes.getByNameAndVersion(NODE_TYPE, 2).description;
	expect(description.usableAsTool).toBe(true);

	const resources = (description.properties.find((property) => property.name === 'resource')!.options ?? []) as INodePropertyOptions[];
	expect(resources.map((resource) => resource.value)).toEqual(['customer', 'customerPayment', 'customerPaymentJournal', 'salesInvoice']);
	for (const resource of resources) {
		const ofResource = description.properties.filter((property) =>
			(property.displayOptions?.show?.resource as string[] | undefined)?.includes(String(resource.value)),
		);
		const operations = ofResource.find((property) => property.name === 'operation')!.options as INodePropertyOptions[];
		for (const operation of operations) {
			expect({ operation: operation.value, description: !!operation.description, action: !!operation.action }).toEqual({
				operation: operation.value,
				description: true,
				action: true,
			});
		}
		const parameters = ofResource.filter((property) => property.name !== 'operation');
		expect(undescribed(parameters, String(resource.value))).toEqual([]);
	}
});
