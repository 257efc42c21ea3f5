import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parseRecordLocator } from '../../helpers/locators';
import { validateConflictPolicy, validateETag, type ETagRules } from '../../helpers/validation';
import type { ConflictPolicy } from '../../operations/concurrency';
import { deleteRecord, type ItemDelete } from '../../operations/deleteRecord';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY } from '../../transport/request';
import { companyLocator } from '../common.descriptions';
import { runItems } from '../runItems';
import { journalLocator, paymentLocator } from './payment.descriptions';

const deleteOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		"Concurrency control of the delete. Leave empty to read the payment's current eTag and fail if it changes before the delete.",
	options: [
		{
			displayName: 'eTag',
			name: 'eTag',
			type: 'string',
			default: '',
			placeholder: 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDA7Jw=="',
			description:
				'Version of the payment you mean to delete: map the @odata.etag output of a previous step, so a payment someone changed since is not deleted. Empty: the node reads the payment and uses its current eTag. * is accepted only with On eTag Conflict → Delete Regardless.',
		},
		{
			displayName: 'On eTag Conflict',
			name: 'onConflict',
			type: 'options',
			options: [
				{
					name: 'Delete Regardless',
					value: 'overwrite',
					description: 'Send If-Match: * so the payment is deleted whatever changed in between',
				},
				{
					name: 'Fail',
					value: 'fail',
					description: 'Report that the payment changed since it was read; nothing is deleted',
				},
				{
					name: 'Fetch Latest and Retry Once',
					value: 'retryOnce',
					description: 'Read the current version and delete it; fail if it changes again',
				},
			],
			default: 'fail',
			description:
				'What to do when Business Central answers that the payment was changed by someone else (409 Request_EntityChanged or 412)',
		},
	],
};

const properties: INodeProperties[] = [
	companyLocator,
	journalLocator,
	paymentLocator(
		'The customer payment (a line of a customer payment journal, not yet posted) to delete. By ID takes the GUID, e.g. the "id" of a previous step.',
	),
	deleteOptions,
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['delete'] } },
	properties,
);

/** `*` (delete whatever changed) is what "Delete Regardless" sends; given by hand it needs that choice. */
function deleteETagRules(onConflict: ConflictPolicy): ETagRules {
	return {
		allowWildcard: onConflict === 'overwrite',
		wildcardHint: 'to delete whatever changed, set "On eTag Conflict" to "Delete Regardless"',
	};
}

/** DELETE `companies(c)/customerPayments(p)` with If-Match per item → `{ deleted: true, id }`. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems<ItemDelete>(this, items, {
		done: 'deleted',
		check: (itemIndex) => {
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const onConflict = validateConflictPolicy(options.onConflict);
			const raw = this.getNodeParameter('customerPayment', itemIndex);
			return {
				companyId,
				id: parseRecordLocator(raw, base, companyId, customerPayment),
				// Checked here, for every item before the first DELETE: a bad eTag in item 2
				// must not leave items 0 and 1 deleted, and a number is a mapping mistake,
				// not "read the current eTag".
				eTag: validateETag(options.eTag, deleteETagRules(onConflict)),
				onConflict,
			};
		},
		run: async (request, itemIndex) =>
			await deleteRecord(this, customerPayment, request, itemIndex, DEFAULT_RETRY_POLICY),
	});
}
