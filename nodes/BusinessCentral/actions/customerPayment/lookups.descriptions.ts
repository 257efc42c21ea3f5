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

interface LookupSpec {
	displayName: string;
	name: string;
	searchListMethod: string;
	idExample: string;
	numberExample: string;
}

function lookupLocator(
	spec: LookupSpec,
	description: string,
	withNumber: boolean,
	extra: Partial<INodeProperties>,
): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			byId(`e.g. ${spec.idExample}`),
			...(withNumber ? [byNumber(`e.g. ${spec.numberExample}`)] : []),
		],
		...extra,
	};
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
	const spec = {
		displayName: 'Customer',
		name: 'customer',
		searchListMethod: 'searchCustomers',
		idExample: '11aa0a52-4b7c-ef11-8a6b-6045bde9c5a1',
		numberExample: '10000',
	};
	return lookupLocator(spec, description, withNumber, extra);
}

/** Applies-to invoice picker: open posted invoices (of the chosen customer), by ID, optionally By Number. */
export function invoiceLocator(
	description: string,
	withNumber: boolean,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	const spec = {
		displayName: 'Applies-to Invoice',
		name: 'appliesToInvoice',
		searchListMethod: 'searchInvoices',
		idExample: '44cc0a52-4b7c-ef11-8a6b-6045bde9c5a4',
		numberExample: '103001',
	};
	return lookupLocator(spec, description, withNumber, extra);
}

/** Free-text and reference properties Create and Update offer alike. */
export const commentField: INodeProperties = {
	displayName: 'Comment',
	name: 'comment',
	type: 'string',
	default: '',
	description: 'Free-text comment (max 250 characters)',
};

export const contactIdField: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	default: '',
	description:
		'Contact of the customer (max 250 characters). Exists only in API v1.0 and the legacy Financials beta; refused on v2.0.',
};

export const externalDocumentNumberField: INodeProperties = {
	displayName: 'External Document Number',
	name: 'externalDocumentNumber',
	type: 'string',
	default: '',
	description: "The customer's own reference, e.g. their payment advice number (max 35 characters; sent trimmed and upper-cased, as Business Central stores Code fields)",
};
