import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { checkUpdateInput, updateRecords } from '../../operations/updateRecords';
import { getConnection } from '../../transport/connection';
import { runItems } from '../runItems';
import { updateProperties } from './update.description';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['update'] } },
	updateProperties,
);

/**
 * PATCH `companies(c)/customerPayments(p)` with If-Match per item, one by one or in
 * `$batch`; eTags, conflicts and unclear answers as operations/updateRecords.ts says.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		done: 'updated',
		doneInAnyOrder: true,
		check: (itemIndex) => checkUpdateInput(this, customerPayment, base, itemIndex),
		runAll: async (checked, report, stop) => await updateRecords(this, customerPayment, checked, report, stop),
	});
}
