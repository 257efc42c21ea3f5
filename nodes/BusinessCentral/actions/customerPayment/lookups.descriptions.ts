import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

const GUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

function byId(placeholder: string): INodePropertyMode {
	return {
		displayName: 'By ID',
		name: 'id',
		type: 'string' as const,
		placeholder,
		validation: [{ type: 'regex', properties: { regex: GUID_REGEX, errorMessage: 'Not a valid GUID' } }],
	};
}

function byNumber(placeholder: string): INodePropertyMode {
	return { displayName: 'By Number', name: 'number', type: 'string' as const, placeholder };
}

/**
 * Customer picker: from the list (number · name) or by ID → `customerId`; with
 * `withNumber`, also By Number → `customerNumber` (one parameter, so the pair
 * Business Central rejects when they disagree can never be sent together).
 */
export function customerLocator(
	description: string,
	withNumber: boolean,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: 'Customer',
		name: 'customer',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCustomers', searchable: true },
			},
			byId('e.g. 11aa0a52-4b7c-ef11-8a6b-6045bde9c5a1'),
			...(withNumber ? [byNumber('e.g. 10000')] : []),
		],
		...extra,
	};
}

/** Applies-to invoice picker: open posted invoices (of the chosen customer), by ID, optionally By Number. */
export function invoiceLocator(
	description: string,
	withNumber: boolean,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: 'Applies-to Invoice',
		name: 'appliesToInvoice',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchInvoices', searchable: true },
			},
			byId('e.g. 44cc0a52-4b7c-ef11-8a6b-6045bde9c5a4'),
			...(withNumber ? [byNumber('e.g. 103001')] : []),
		],
		...extra,
	};
}
