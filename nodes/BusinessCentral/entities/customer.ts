import { asText, type EntityDescriptor, type FieldSpec } from './entity';

/**
 * Properties of the customer entity a PATCH may change (API v2.0, APIV2Customers.Page.al;
 * table 18 "Customer": Name Text[100], Address Text[100], Address 2 Text[50], City Text[30],
 * County Text[30], Country/Region Code Code[10], Post Code Code[20], Phone No. Text[30],
 * E-Mail Text[80], Home Page Text[80], Salesperson Code Code[20], VAT Registration No.
 * Text[20], Currency Code Code[10]). `number` (renaming the customer) and the read-only
 * balances are not offered.
 */
export const WRITABLE_CUSTOMER_FIELDS = {
	displayName: { displayName: 'Display Name', kind: 'string', maxLength: 100 },
	addressLine1: { displayName: 'Address Line 1', kind: 'string', maxLength: 100, clearable: true },
	addressLine2: { displayName: 'Address Line 2', kind: 'string', maxLength: 50, clearable: true },
	city: { displayName: 'City', kind: 'string', maxLength: 30, clearable: true },
	state: { displayName: 'State', kind: 'string', maxLength: 30, clearable: true },
	country: { displayName: 'Country/Region Code', kind: 'code', maxLength: 10 },
	postalCode: { displayName: 'Postal Code', kind: 'code', maxLength: 20 },
	phoneNumber: { displayName: 'Phone Number', kind: 'string', maxLength: 30, clearable: true },
	email: { displayName: 'Email', kind: 'string', maxLength: 80, clearable: true },
	website: { displayName: 'Website', kind: 'string', maxLength: 80, clearable: true },
	salespersonCode: { displayName: 'Salesperson Code', kind: 'code', maxLength: 20 },
	taxRegistrationNumber: {
		displayName: 'Tax Registration Number',
		kind: 'string',
		maxLength: 20,
		clearable: true,
	},
	currencyCode: { displayName: 'Currency Code', kind: 'code', maxLength: 10 },
	creditLimit: { displayName: 'Credit Limit', kind: 'decimal' },
	taxLiable: { displayName: 'Tax Liable', kind: 'boolean' },
	blocked: { displayName: 'Blocked', kind: 'option', values: [' ', 'Ship', 'Invoice', 'All'] },
} satisfies Record<string, FieldSpec>;

export type WritableCustomerField = keyof typeof WRITABLE_CUSTOMER_FIELDS;

/** A customer, `companies(c)/customers(id)`. */
export const customer: EntityDescriptor<WritableCustomerField> = {
	entitySet: 'customers',
	displayName: 'Customer',
	locatorParameter: 'customer',
	label: 'customer',
	shortLabel: 'customer',
	fields: WRITABLE_CUSTOMER_FIELDS,
	// Readable fields first (n8n's table view shows them leftmost), GUIDs and the eTag last.
	simpleFields: [
		'number',
		'displayName',
		'email',
		'phoneNumber',
		'city',
		'country',
		'currencyCode',
		'blocked',
		'balanceDue',
		'creditLimit',
		'id',
		'@odata.etag',
	],
	pickerLabel: (record) => `${asText(record.number)} · ${asText(record.displayName)}`,
	searchFields: ['number', 'displayName'],
};
