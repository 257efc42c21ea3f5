import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { customerPaymentJournal } from '../../entities/customerPaymentJournal';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { codeCondition } from '../../helpers/listInput';
import { odataString } from '../../helpers/odata';
import { isBlank, validateAs } from '../../helpers/validation';
import {
	companyLocator,
	getAllOptions,
	returnAllProperties,
	simplifyProperty,
	filtersCollection,
} from '../common.descriptions';
import { getAllExecute } from '../recordOperations';
import { JOURNAL_SIMPLIFY_NOTE } from './journal.descriptions';

/** "Filters": each one becomes an OData condition; all of them are ANDed. */
const filters: INodeProperties = filtersCollection('journals', [
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		placeholder: 'e.g. BANK',
		description:
			'Only the journal with this code (exact match, max 10 characters; upper-cased as Business Central stores it)',
	},
	{
		displayName: 'Display Name Contains',
		name: 'displayNameContains',
		type: 'string',
		default: '',
		placeholder: 'e.g. Bank',
		description:
			"Only journals whose display name contains this text (contains(displayName,'…'), max 100 characters)",
	},
]);

const properties: INodeProperties[] = [
	companyLocator,
	...returnAllProperties,
	filters,
	simplifyProperty(customerPaymentJournal, JOURNAL_SIMPLIFY_NOTE),
	getAllOptions(customerPaymentJournal, 'code,displayName,balancingAccountNumber'),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPaymentJournal'], operation: ['getAll'] } },
	properties,
);

/** The Filters as OData conditions, checked before any request. */
export function buildJournalFilters(raw: IDataObject): string[] {
	const contains = isBlank(raw.displayNameContains)
		? undefined
		: `contains(displayName,${odataString(String(validateAs('Display Name Contains', 'string', raw.displayNameContains, { maxLength: 100 })))})`;
	return [codeCondition('code', 'Code', raw.code, 10), contains].filter(
		(condition): condition is string => condition !== undefined,
	);
}

/** GET `companies(c)/customerPaymentJournals` per input item with the filters ANDed, paged. */
export const execute = getAllExecute(customerPaymentJournal, buildJournalFilters);
