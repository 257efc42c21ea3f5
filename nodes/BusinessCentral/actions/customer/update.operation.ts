import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customer } from '../../entities/customer';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { checkUpdateInput, updateRecords } from '../../operations/updateRecords';
import { getConnection } from '../../transport/connection';
import { companyLocator, updateOptions } from '../common.descriptions';
import { runItems } from '../runItems';
import { customerRecordLocator, customerUpdateFields } from './customer.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	customerRecordLocator('The customer to update. By ID takes the GUID, e.g. the "id" of a previous step.'),
	customerUpdateFields,
	updateOptions(customer),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customer'], operation: ['update'] } },
	properties,
);

/**
 * PATCH `companies(c)/customers(id)` with If-Match per item, one by one or in `$batch`,
 * with the same eTag, conflict and verification rules as payments (operations/updateRecords.ts).
 * A field added but left empty is refused on every node version: this resource is new.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		done: 'updated',
		doneInAnyOrder: true,
		check: (itemIndex) => checkUpdateInput(this, customer, base, itemIndex, { refuseEmpty: true }),
		runAll: async (checked, report, stop) => await updateRecords(this, customer, checked, report, stop),
	});
}
