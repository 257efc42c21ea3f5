import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * Canvas subtitles as a person reads them ("Update Customer Payment", "Get Many Sales
 * Invoices", "Customer Payment: Created, Changed") instead of n8n's template default
 * `operation: resource` ("update: customerPayment"). The editor evaluates a subtitle from
 * the node's parameters alone, so it is an expression over a lookup table, built here from
 * the node's own option names so that it follows them.
 */

function optionsOf(property: INodeProperties | undefined): INodePropertyOptions[] {
	return (property?.options ?? []).filter(
		(option): option is INodePropertyOptions =>
			'value' in option && typeof option.value === 'string',
	);
}

/** The property `name` shown for `resource` (the node has one Operation per resource). */
function propertyFor(properties: INodeProperties[], name: string, resource: string) {
	return properties.find(
		(property) =>
			property.name === name && property.displayOptions?.show?.resource?.includes(resource),
	);
}

/** "Get Many" lists records, so it names the resource in the plural. */
function operationLabel(operation: string, resource: string): string {
	return operation === 'Get Many' ? `Get Many ${resource}s` : `${operation} ${resource}`;
}

/**
 * A JSON object as an expression literal. n8n ends an expression at the first `}}`,
 * which nested JSON objects contain, so every brace gets a space beside it.
 */
function literal(table: object): string {
	return JSON.stringify(table).replace(/\{/g, '{ ').replace(/\}/g, ' }');
}

/** Subtitle of the action node: operation and resource, e.g. "Post Customer Payment Journal". */
export function operationSubtitle(properties: INodeProperties[]): string {
	const labels: Record<string, Record<string, string>> = {};
	for (const resource of optionsOf(properties.find((property) => property.name === 'resource'))) {
		const value = resource.value as string;
		labels[value] = {};
		for (const operation of optionsOf(propertyFor(properties, 'operation', value))) {
			labels[value][operation.value as string] = operationLabel(operation.name, resource.name);
		}
	}
	return `={{ (${literal(labels)}[$parameter["resource"]] || {})[$parameter["operation"]] || $parameter["operation"] + ": " + $parameter["resource"] }}`;
}

/** Subtitle of the trigger: resource and events, e.g. "Sales Invoice: Created, Paid". */
export function eventsSubtitle(properties: INodeProperties[]): string {
	const resources: Record<string, string> = {};
	const events: Record<string, string> = {};
	for (const resource of optionsOf(properties.find((property) => property.name === 'resource'))) {
		resources[resource.value as string] = resource.name;
		for (const event of optionsOf(propertyFor(properties, 'events', resource.value as string))) {
			events[event.value as string] = event.name;
		}
	}
	const resource = `(${literal(resources)}[$parameter["resource"]] || $parameter["resource"])`;
	const chosen = `($parameter["events"] || []).map(event => (${literal(events)}[event] || event)).join(", ")`;
	return `={{ ${resource} + (${chosen} ? ": " + ${chosen} : "") }}`;
}
