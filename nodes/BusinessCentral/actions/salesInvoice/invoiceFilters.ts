import type { IDataObject } from 'n8n-workflow';

import { SALES_INVOICE_STATUSES } from '../../entities/salesInvoice';
import { codeCondition, customCondition } from '../../helpers/listInput';
import { odataString } from '../../helpers/odata';
import {
	InputValidationError,
	isBlank,
	locatorValue,
	validateAs,
	validateGuid,
} from '../../helpers/validation';

/**
 * The "Filters" of Sales Invoice → Get Many as OData conditions, checked before any request.
 * GUIDs, dates and numbers unquoted (as Business Central expects), Code fields upper-cased.
 */

/** Customer: From List / By ID → `customerId eq …`, By No. → `customerNumber eq '…'`. */
function customerCondition(raw: unknown): string | undefined {
	const value = locatorValue(raw);
	if (isBlank(value)) return undefined;
	const mode = raw && typeof raw === 'object' ? (raw as { mode?: string }).mode : 'id';
	if (mode === 'number') return codeCondition('customerNumber', 'Customer', value);
	return `customerId eq ${validateGuid('Customer', String(value).trim())}`;
}

function statusCondition(status: unknown): string | undefined {
	if (status === undefined || status === '') return undefined;
	if (!SALES_INVOICE_STATUSES.includes(status as (typeof SALES_INVOICE_STATUSES)[number])) {
		throw new InputValidationError(
			'Status',
			status,
			`is not one of ${SALES_INVOICE_STATUSES.map((value) => JSON.stringify(value)).join(', ')}`,
		);
	}
	return `status eq ${odataString(status as string)}`;
}

/** `<property> ge <from>` and `<property> le <to>`; From after To (or Min above Max) is refused. */
function rangeConditions(
	property: string,
	kind: 'date' | 'decimal',
	labels: [string, string],
	values: [unknown, unknown],
	timeZone: string,
): string[] {
	const [from, to] = values.map((value, index) =>
		isBlank(value) ? undefined : validateAs(labels[index], kind, value, { timeZone }),
	);
	if (from !== undefined && to !== undefined && from > to) {
		const order = kind === 'date' ? 'is before' : 'is below';
		throw new InputValidationError(labels[1], values[1], `${order} ${labels[0]} (${from})`);
	}
	return [
		from === undefined ? undefined : `${property} ge ${from}`,
		to === undefined ? undefined : `${property} le ${to}`,
	].filter((condition): condition is string => condition !== undefined);
}

export function buildInvoiceFilters(
	raw: IDataObject,
	{ timeZone }: { timeZone: string },
): string[] {
	const conditions = [
		customerCondition(raw.customer),
		statusCondition(raw.status),
		...rangeConditions(
			'dueDate',
			'date',
			['Due Date From', 'Due Date To'],
			[raw.dueDateFrom, raw.dueDateTo],
			timeZone,
		),
		...rangeConditions(
			'remainingAmount',
			'decimal',
			['Remaining Amount Min', 'Remaining Amount Max'],
			[raw.remainingAmountMin, raw.remainingAmountMax],
			timeZone,
		),
		codeCondition('number', 'Number', raw.number),
		codeCondition(
			'externalDocumentNumber',
			'External Document Number',
			raw.externalDocumentNumber,
			35,
		),
		customCondition(raw.odataFilter),
	];
	return conditions.filter((condition): condition is string => condition !== undefined);
}
