import type { INodeProperties } from 'n8n-workflow';

import { customerPayment, type WritablePaymentField } from '../../entities/customerPayment';

import { byIdMode, fromListMode, recordLocator } from '../common.descriptions';

/**
 * The parameters of Customer Payment, declared once and used by Create, Update, Get, Get
 * Many and Delete: the journal and payment locators, the customer and invoice pickers,
 * and one UI definition per writable property (its checks are in entities/customerPayment.ts).
 */

export const journalLocator: INodeProperties = {
	displayName: 'Journal',
	name: 'journal',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'Customer payment journal (cash receipt journal batch) to pick the payment from. Business Central only lists payments per journal; leave empty to search all journals of the company. On an Update of many payments of this journal, stating it lets the node read their eTags with one listing of the journal instead of one read per payment (1,000 updates: 11 requests instead of 20).',
	modes: [fromListMode('searchJournals'), byIdMode('e.g. 2b7e4c1a-4b7c-ef11-8a6b-6045bde9c5a1')],
};

/** The payment a Get, Update or Delete works on; `description` says what is done with it. */
export function paymentLocator(description: string): INodeProperties {
	return recordLocator(customerPayment, {
		description,
		searchListMethod: 'searchPayments',
		idExample: '9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1',
		urlForms:
			'…/companies({id})/customerPayments({id}) or …/companies/{id}/customerPaymentJournals/{id}/customerPayments/{id}',
	});
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
): INodeProperties {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			fromListMode(spec.searchListMethod),
			byIdMode(`e.g. ${spec.idExample}`, 'Not a valid GUID'),
			...(withNumber
				? [
						{
							displayName: 'By No.',
							name: 'number',
							type: 'string' as const,
							placeholder: `e.g. ${spec.numberExample}`,
						},
					]
				: []),
		],
	};
}

/**
 * Customer picker: from the list (number · name) or by ID → `customerId`; with
 * `withNumber`, also By No. → `customerNumber` (one parameter, so the pair
 * Business Central rejects when they disagree can never be sent together).
 */
export function customerLocator(description: string, withNumber: boolean): INodeProperties {
	const spec = {
		displayName: 'Customer',
		name: 'customer',
		searchListMethod: 'searchCustomers',
		idExample: '11aa0a52-4b7c-ef11-8a6b-6045bde9c5a1',
		numberExample: '10000',
	};
	return lookupLocator(spec, description, withNumber);
}

/** Applies-to invoice picker: open posted invoices (of the chosen customer), by ID, optionally By No. */
export function invoiceLocator(description: string, withNumber: boolean): INodeProperties {
	const spec = {
		displayName: 'Applies-to Invoice',
		name: 'appliesToInvoice',
		searchListMethod: 'searchInvoices',
		idExample: '44cc0a52-4b7c-ef11-8a6b-6045bde9c5a4',
		numberExample: '103001',
	};
	return lookupLocator(spec, description, withNumber);
}

const CODE_NOTE = 'sent trimmed and upper-cased, as Business Central stores Code fields';

const AMOUNT_DESCRIPTION =
	'Payment amount, sent as given, sign included; Business Central rounds it to the amount precision of its currency (0.01 unless the currency has another). In a cash receipt journal a payment received from a customer is usually negative (it credits the customer).';

/**
 * One UI definition per writable property that is a plain input (the pickers are above).
 * Amount and Line Number are node version 1's number inputs (pre-filled 0 and 10000) and
 * version 2's text inputs that start empty (nodeVersions.ts). Amount has no numberPrecision:
 * it is sent as given, and a currency with three decimals must be typed as such.
 */
/** A property's input, named and labelled as its declaration in entities/customerPayment.ts says. */
function input(
	name: WritablePaymentField,
	property: Omit<INodeProperties, 'displayName' | 'name'> & { displayName?: string },
): INodeProperties {
	return {
		displayName: customerPayment.fields[name].displayName,
		name,
		...property,
	} as INodeProperties;
}

const FIELD_PROPERTIES: Partial<
	Record<WritablePaymentField | 'amountV2' | 'lineNumberV2', INodeProperties>
> = {
	amount: input('amount', {
		type: 'number',
		default: 0,
		description: AMOUNT_DESCRIPTION,
	}),
	amountV2: input('amount', {
		type: 'string',
		default: '',
		placeholder: 'e.g. -1500.00',
		description: AMOUNT_DESCRIPTION.replace(
			'Payment amount,',
			'Payment amount (a number such as -1500.00, typed or mapped from the input),',
		),
	}),
	appliesToInvoiceNumber: input('appliesToInvoiceNumber', {
		type: 'string',
		default: '',
		description: `Number of the invoice the payment settles (max 20 characters; ${CODE_NOTE}). The same as Applies-to Invoice, by number: add one of the two (both at once are refused before any request).`,
	}),
	comment: input('comment', {
		type: 'string',
		default: '',
		description: 'Free-text comment (max 250 characters)',
	}),
	// The API version is a credential field, which displayOptions cannot see: the label says it.
	contactId: input('contactId', {
		displayName: 'Contact ID (API v1.0 and Beta Only)',
		type: 'string',
		default: '',
		description:
			'Contact of the customer (max 250 characters). Exists only in API v1.0 and the legacy Financials beta; on v2.0 it is refused before any request.',
	}),
	customerNumber: input('customerNumber', {
		type: 'string',
		default: '',
		description: `Number of the customer who paid (max 20 characters; ${CODE_NOTE}); Business Central fills in the customer ID. The same as Customer, by number: add one of the two (both at once are refused before any request).`,
	}),
	description: input('description', {
		type: 'string',
		default: '',
		description: 'Description of the journal line (max 100 characters)',
	}),
	documentNumber: input('documentNumber', {
		type: 'string',
		default: '',
		description: `Document number of the payment (max 20 characters; ${CODE_NOTE})`,
	}),
	externalDocumentNumber: input('externalDocumentNumber', {
		type: 'string',
		default: '',
		description: `The customer's own reference, e.g. their payment advice number (max 35 characters; ${CODE_NOTE})`,
	}),
	lineNumber: input('lineNumber', {
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 10000,
		description: 'Position of the line in its journal (whole number)',
	}),
	lineNumberV2: input('lineNumber', {
		type: 'string',
		default: '',
		placeholder: 'e.g. 10000',
		description: 'Position of the line in its journal (whole number)',
	}),
	postingDate: input('postingDate', {
		type: 'dateTime',
		// a date picker (n8n stores YYYY-MM-DD); a YYYY-MM-DDTHH:mm:ss picked before is shown and read too
		typeOptions: { dateOnly: true },
		default: '',
		description:
			"Date the payment is posted on. Only the date is sent (YYYY-MM-DD): a date-time with a UTC offset, or a date from an expression, counts as the calendar date in the workflow's time zone.",
	}),
};

/** The UI definition of a property, its description extended by what the operation adds (". Empty: …"). */
export function paymentField(
	name: keyof typeof FIELD_PROPERTIES,
	note?: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	const property = FIELD_PROPERTIES[name]!;
	const description = note
		? `${property.description!.replace(/\.$/, '')}. ${note}`
		: property.description;
	return { ...property, description, ...extra };
}
