import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { customerPaymentJournal } from '../../entities/customerPaymentJournal';
import type { ApiVersion } from '../../helpers/apiBase';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator } from '../../helpers/locators';
import { InputValidationError, isBlank, validateField } from '../../helpers/validation';
import { createRecord } from '../../operations/createRecord';
import { recordOutput } from '../../operations/records';
import { getConnection } from '../../transport/connection';
import { companyLocator, fieldProperty } from '../common.descriptions';
import { runItems } from '../runItems';

const properties: INodeProperties[] = [
	companyLocator,
	{
		...fieldProperty(
			customerPaymentJournal,
			'code',
			'Code (name) of the new journal, unique among the customer payment journals of the company, e.g. BANK2',
		),
		required: true,
		placeholder: 'e.g. BANK2',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Optional properties of the new journal. Left out or empty: Business Central leaves them blank.',
		options: [
			fieldProperty(
				customerPaymentJournal,
				'balancingAccountId',
				"ID (GUID) of the G/L account (e.g. a bank account's G/L account) every payment line is balanced against. Business Central fills in balancingAccountNumber from it. Without one, the lines of each document must balance among themselves to be posted.",
			),
			fieldProperty(customerPaymentJournal, 'displayName', 'Description of the journal'),
		],
	},
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPaymentJournal'], operation: ['create'] } },
	properties,
);

/** The POST body: code required (upper-cased), the additional fields that have a value; checked before any request. */
function journalBody(code: unknown, additional: IDataObject, version: ApiVersion): IDataObject {
	const body: IDataObject = { code: validateField(customerPaymentJournal, 'code', code, version) };
	if (body.code === '')
		throw new InputValidationError('Code', code, 'is empty: a journal needs a code');
	for (const name of ['displayName', 'balancingAccountId'] as const) {
		const value = additional[name];
		if (!isBlank(value))
			body[name] = validateField(
				customerPaymentJournal,
				name,
				typeof value === 'string' ? value.trim() : value,
				version,
			);
	}
	return body;
}

/**
 * POST `companies(c)/customerPaymentJournals` per item → the new journal. Never re-sent
 * after an unclear answer (operations/createRecord.ts): the code is unique, so Get Many with
 * Filters → Code tells whether it exists.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		done: 'created',
		check: (itemIndex) => {
			const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			const body = journalBody(this.getNodeParameter('code', itemIndex), additional, base.version);
			return {
				companyId,
				body,
				where: `with code ${String(body.code)}`,
				howToCheck: `Before running this item again, look for journal code ${String(body.code)} (Customer Payment Journal → Get Many with Filters → Code).`,
			};
		},
		run: async (request, itemIndex) => {
			const record = await createRecord(
				this,
				customerPaymentJournal,
				base.version,
				request,
				itemIndex,
			);
			return recordOutput(customerPaymentJournal, record, false);
		},
	});
}
