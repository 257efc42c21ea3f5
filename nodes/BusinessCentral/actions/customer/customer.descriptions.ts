import type { INodeProperties } from 'n8n-workflow';

import { customer, type WritableCustomerField } from '../../entities/customer';
import { clearFieldsProperty, fieldProperty, recordLocator } from '../common.descriptions';

/** The customer a Get or Update works on; `description` says what is done with it. */
export function customerRecordLocator(description: string): INodeProperties {
	return recordLocator(customer, {
		description,
		searchListMethod: 'searchCustomers',
		idExample: '11aa0a52-4b7c-ef11-8a6b-6045bde9c5a1',
		urlForms: '…/companies({id})/customers({id})',
	});
}

/** What each writable property is, for the UI and AI agents (limits come from entities/customer.ts). */
const FIELD_DESCRIPTIONS: Record<WritableCustomerField, string> = {
	displayName: "The customer's name",
	addressLine1: 'First line of the address',
	addressLine2: 'Second line of the address',
	city: 'City',
	state: 'State, county or province',
	country: 'Country/region code, e.g. US or DK',
	postalCode: 'Postal code',
	phoneNumber: 'Phone number',
	email: 'Email address',
	website: 'Website (home page)',
	salespersonCode: 'Code of the salesperson responsible for the customer',
	taxRegistrationNumber: 'VAT or tax registration number',
	currencyCode: 'Code of the currency the customer is invoiced in; empty for the local currency',
	creditLimit:
		'Credit limit in local currency, a number such as 5000 (typed or mapped from the input)',
	taxLiable: 'Whether the customer is liable for sales tax',
	blocked: 'Which transactions are blocked for the customer: none, shipping, invoicing or all',
};

/** "Update Fields" of Customer → Update: only the fields added are sent, each must have a value. */
export const customerUpdateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description:
		'Only the fields added here are sent, and each must have a value (use Clear Fields to empty a text); everything else keeps its value',
	options: [
		...(Object.keys(FIELD_DESCRIPTIONS) as WritableCustomerField[]).map((name) =>
			fieldProperty(customer, name, FIELD_DESCRIPTIONS[name]),
		),
		clearFieldsProperty(customer),
	].sort((a, b) => a.displayName.localeCompare(b.displayName)),
};
