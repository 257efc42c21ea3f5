import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { odataString } from '../helpers/odata';
import { GUID_PATTERN, locatorValue } from '../helpers/validation';

/** The customer a payment's invoice list is narrowed to, and the parameter it was chosen in. */
interface ChosenCustomer {
	id?: unknown;
	number?: unknown;
	/** Where the user chose it, as the editor labels it. */
	chosenIn: string;
}

/** The customer a payment's invoice list is narrowed to, wherever the current operation keeps it. */
function chosenCustomer(context: ILoadOptionsFunctions): ChosenCustomer {
	const operation = String(context.getNodeParameter('operation', 'update'));
	if (operation === 'create') {
		// One locator: From List / By ID → customerId, By No. → customerNumber.
		const customer = context.getNodeParameter('customer', {}) as IDataObject;
		return customer.mode === 'number'
			? { number: customer.value, chosenIn: 'Customer' }
			: { id: locatorValue(customer), chosenIn: 'Customer' };
	}
	const collection = operation === 'getAll' ? 'filters' : 'updateFields';
	const fields = (context.getNodeParameter(collection, {}) ?? {}) as IDataObject;
	const chosenIn = `${operation === 'getAll' ? 'Filters' : 'Update Fields'} → Customer or Customer Number`;
	return { id: locatorValue(fields.customer), number: fields.customerNumber, chosenIn };
}

/** The invoice list's narrowing to one customer: the OData condition and what to tell the user. */
export interface InvoiceNarrowing {
	condition: string;
	/** "customer 10000" or "the customer with ID …" */
	customer: string;
	chosenIn: string;
}

/**
 * The narrowing of the open-invoice list to the chosen customer:
 * Create's "Customer", Get Many's "Filters → Customer / Customer Number",
 * Update's "Update Fields → Customer / Customer Number". Values that are not a
 * GUID or a plain customer number (e.g. an unresolved expression) narrow nothing.
 */
export function invoiceNarrowing(context: ILoadOptionsFunctions): InvoiceNarrowing | undefined {
	let chosen: ChosenCustomer;
	try {
		chosen = chosenCustomer(context);
	} catch {
		// An expression that cannot be resolved while searching: list every customer's invoices.
		return undefined;
	}
	const id = typeof chosen.id === 'string' ? chosen.id.trim() : '';
	if (GUID_PATTERN.test(id)) {
		return {
			condition: `customerId eq ${id}`,
			customer: `the customer with ID ${id}`,
			chosenIn: chosen.chosenIn,
		};
	}
	const number = typeof chosen.number === 'string' ? chosen.number.trim() : '';
	if (number && number.length <= 20 && !number.startsWith('=')) {
		const code = number.toUpperCase();
		return {
			condition: `customerNumber eq ${odataString(code)}`,
			customer: `customer ${code}`,
			chosenIn: chosen.chosenIn,
		};
	}
	return undefined;
}
