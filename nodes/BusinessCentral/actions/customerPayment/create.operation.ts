import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator } from '../../helpers/locators';
import { buildPaymentCreate } from '../../helpers/paymentInput';
import { paymentRecordSchema } from '../../helpers/schemas';
import { getConnection } from '../../transport/connection';
import { bcRequest, DEFAULT_RETRY_POLICY, type BcResponse } from '../../transport/request';
import { isUnclearWriteAnswer } from '../../transport/unclear';
import { runItems } from '../runItems';
import { createProperties } from './create.description';
import { paymentFailure } from './paymentErrors';
import { paymentOutput } from './simplify';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['create'] } },
	createProperties,
);

interface CreatePlan {
	companyId: string;
	body: IDataObject;
	simplify: boolean;
}

/** How to find out whether a payment whose POST got no answer exists after all. */
function howToCheck(body: IDataObject): string {
	const journal = `journal ${String(body.journalId)}`;
	if (body.documentNumber) {
		return `Before running this item again, look for document number ${String(body.documentNumber)} in ${journal} (Customer Payment → Get Many with Filters → Document Number).`;
	}
	return `Before running this item again, look in ${journal} for a new line with amount ${String(body.amount)}${body.customerNumber || body.customerId ? ` for customer ${String(body.customerNumber ?? body.customerId)}` : ''} (Customer Payment → Get Many); set a Document Number in Additional Fields to make such checks exact.`;
}

/** The 201 answer: a customer payment with id and eTag, in the journal asked for. */
function createdRecord(context: IExecuteFunctions, response: BcResponse, body: IDataObject, itemIndex: number): IDataObject {
	const parsed = paymentRecordSchema.safeParse(response.body);
	const record = parsed.success ? (parsed.data as IDataObject) : undefined;
	const journalId = record?.journalId;
	const problem = !record
		? `the answer is not a customer payment (${parsed.error?.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join('; ')})`
		: typeof journalId === 'string' && journalId.toLowerCase() !== String(body.journalId).toLowerCase()
			? `the new payment is in journal ${journalId}, not ${String(body.journalId)}`
			: undefined;
	if (problem || !record) {
		throw new NodeApiError(
			context.getNode(),
			{ message: problem ?? 'invalid answer' },
			{
				message: `Business Central sent an unexpected answer when creating a customer payment: ${problem}`,
				description: `The payment may have been created. ${howToCheck(body)}`,
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
	}
	return record;
}

/**
 * POST `companies(c)/customerPayments` with `journalId` in the body → 201 and
 * the new payment. Never re-sent after an ambiguous failure (no answer, 408, 502, 504):
 * the item fails saying the payment may or may not exist and how to check.
 * The transport retries a POST only after 429/503, which the server did not process.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems<CreatePlan>(this, items, {
		done: 'created',
		plan: (itemIndex) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return {
				companyId: parseCompanyLocator(this.getNodeParameter('company', itemIndex), base),
				body: buildPaymentCreate(
					{
						journal: this.getNodeParameter('journal', itemIndex),
						customer: this.getNodeParameter('customer', itemIndex, ''),
						amount: this.getNodeParameter('amount', itemIndex),
						postingDate: this.getNodeParameter('postingDate', itemIndex, ''),
						appliesToInvoice: this.getNodeParameter('appliesToInvoice', itemIndex, ''),
						additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
					},
					base.version,
					{ timeZone: this.getTimezone() },
				),
				simplify: options.simplify === true,
			};
		},
		run: async (plan, itemIndex) => {
			const response = await bcRequest.call(
				this,
				{
					method: 'POST',
					url: `companies(${plan.companyId})/customerPayments`,
					body: plan.body,
					headers: { 'Content-Type': 'application/json' },
				},
				DEFAULT_RETRY_POLICY,
			);
			const action = `Creating a customer payment in journal ${String(plan.body.journalId)}`;
			// a 2xx other than 200/201 (202, 204 without the record): accepted, but whether it was created is unclear
			const otherSuccess =
				response.statusCode >= 200 &&
				response.statusCode < 300 &&
				response.statusCode !== 200 &&
				response.statusCode !== 201;
			if (isUnclearWriteAnswer(response) || otherSuccess) {
				throw paymentFailure(this.getNode(), response, {
					action,
					itemIndex,
					note: 'The payment may or may not have been created; it was not sent again, so it cannot have been created twice.',
					hint: howToCheck(plan.body),
				});
			}
			if (response.statusCode !== 201 && response.statusCode !== 200) {
				throw paymentFailure(this.getNode(), response, { action, itemIndex });
			}
			return paymentOutput(createdRecord(this, response, plan.body, itemIndex), plan.simplify);
		},
	});
}
