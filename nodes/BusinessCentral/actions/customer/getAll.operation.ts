import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { customer } from '../../entities/customer';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { codeCondition, customCondition } from '../../helpers/listInput';
import { odataString } from '../../helpers/odata';
import { InputValidationError, isBlank, validateAs } from '../../helpers/validation';
import {
	companyLocator,
	fieldProperty,
	getAllOptions,
	returnAllProperties,
	simplifyProperty,
	filtersCollection,
} from '../common.descriptions';
import { getAllExecute } from '../recordOperations';

/** "Filters": each one becomes an OData condition; all of them are ANDed. */
const filters: INodeProperties = filtersCollection('customers', [
	{
		...fieldProperty(customer, 'blocked', 'Only customers with this Blocked value (blocked eq …)'),
		default: ' ',
	},
	{
		displayName: 'Custom Filter',
		name: 'odataFilter',
		type: 'string',
		default: '',
		placeholder: "e.g. balanceDue gt 0 and city eq 'Atlanta'",
		description:
			"An OData $filter expression over customer properties, ANDed with the other filters inside parentheses, so its parentheses must balance (outside text literals). Text in single quotes with a quote inside written twice ('O''BRIEN'). Business Central refuses `or` between different properties.",
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. accounts@adatum.com',
		description: 'Only customers with exactly this email address (email eq …, max 80 characters)',
	},
	{
		displayName: 'Name Contains',
		name: 'nameContains',
		type: 'string',
		default: '',
		placeholder: 'e.g. Adatum',
		description:
			"Only customers whose name contains this text (contains(displayName,'…'), max 100 characters)",
	},
	{
		displayName: 'Number',
		name: 'number',
		type: 'string',
		default: '',
		placeholder: 'e.g. 10000',
		description:
			'Only the customer with this number (exact match, max 20 characters; upper-cased as Business Central stores it)',
	},
]);

const properties: INodeProperties[] = [
	companyLocator,
	...returnAllProperties,
	filters,
	simplifyProperty(
		customer,
		'type, addressLine1, postalCode, website, taxLiable, paymentTermsId, lastModifiedDateTime',
	),
	getAllOptions(customer, 'number,displayName,balanceDue'),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customer'], operation: ['getAll'] } },
	properties,
);

/** A text filter checked as a string of at most `maxLength`, as an OData condition. */
function textCondition(
	build: (literal: string) => string,
	label: string,
	value: unknown,
	maxLength: number,
) {
	if (isBlank(value)) return undefined;
	return build(odataString(String(validateAs(label, 'string', value, { maxLength }))));
}

/** The Filters as OData conditions, checked before any request. */
export function buildCustomerFilters(raw: IDataObject): string[] {
	const blocked = raw.blocked;
	if (blocked !== undefined && !customer.fields.blocked.values!.includes(blocked as string)) {
		throw new InputValidationError(
			'Blocked',
			blocked,
			`is not one of ${customer.fields.blocked.values!.map((v) => JSON.stringify(v)).join(', ')}`,
		);
	}
	const conditions = [
		codeCondition('number', 'Number', raw.number),
		textCondition(
			(text) => `contains(displayName,${text})`,
			'Name Contains',
			raw.nameContains,
			100,
		),
		textCondition((text) => `email eq ${text}`, 'Email', raw.email, 80),
		blocked === undefined ? undefined : `blocked eq ${odataString(blocked as string)}`,
		customCondition(raw.odataFilter),
	];
	return conditions.filter((condition): condition is string => condition !== undefined);
}

/** GET `companies(c)/customers` per input item with the filters ANDed, paged. */
export const execute = getAllExecute(customer, buildCustomerFilters);
