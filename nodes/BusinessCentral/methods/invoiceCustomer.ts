import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { odataString } from '../helpers/odata';
import { GUID_PATTERN, locatorValue } from '../helpers/validation';

/** The customer a payment's invoice list is narrowed to, wherever the current operation keeps it. */
function chosenCustomer(context: ILoadOptionsFunctions): { id?: unknown; number?: unknown } {
	const operation = String(context.getNodeParameter('operation', 'update'));
	if (operation === 'create') {
		// One locator: From List / By ID → customerId, By Number → customerNumber.
		const customer = context.getNodeParameter('customer', {}) as IDataObject;
		return customer.mode === 'number' ? { number: customer.value } : { id: locatorValue(customer) };
	}
	const collection = operation === 'getAll' ? 'filters' : 'updateFields';
	const fields = (context.getNodeParameter(collection, {}) ?? {}) as IDataObject;
	return { id: locatorValue(fields.customer), number: fields.customerNumber };
}

/**
 * OData condition narrowing the open-invoice list to the chosen customer:
 * Create's "Customer", Get Many's "Filters → Customer / Customer Number",
 * Update's "Update Fields → Customer / Customer Number". Values that are not a
 * GUID or a plain customer number (e.g. an unresolved expression) narrow nothing.
 */
export function invoiceCustomerFilter(context: ILoadOptionsFunctions): string | undefined {
	let chosen: { id?: unknown; number?: unknown };
	try {
		chosen = chosenCustomer(context);
	} catch {
		// An expression that cannot be resolved while searching: list every customer's invoices.
		return undefined;
	}
	const id = typeof chosen.id === 'string' ? chosen.id.trim() : '';
	if (GUID_PATTERN.test(id)) return `customerId eq ${id}`;
	const number = typeof chosen.number === 'string' ? chosen.number.trim() : '';
	if (number && number.length <= 20 && !number.startsWith('=')) {
		return `customerNumber eq ${odataString(number.toUpperCase())}`;
	}
	return undefined;
}
