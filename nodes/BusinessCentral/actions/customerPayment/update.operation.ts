import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parsePaymentLocator } from '../../helpers/locators';
import { buildPaymentPatch } from '../../helpers/validation';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../transport/request';
import { failureJson, itemError } from '../itemErrors';
import { updateProperties } from './update.description';
import { updateOne, type ConflictPolicy, type UpdatePlan } from './updateOne';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['update'] } },
	updateProperties,
);

interface UpdateOptions {
	eTag?: string;
	onConflict?: ConflictPolicy;
	includePreviousValues?: boolean;
	maxRetries?: number;
}

function retryPolicy(options: UpdateOptions): RetryPolicy {
	const maxRetries = Number(options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries);
	return {
		...DEFAULT_RETRY_POLICY,
		maxRetries: Number.isInteger(maxRetries) && maxRetries >= 0 ? Math.min(maxRetries, 10) : 5,
	};
}

/**
 * Reads and checks every item's parameters before anything is sent, so a bad
 * value in item 7 cannot leave items 0–6 applied and the rest not.
 */
async function planUpdates(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<Array<UpdatePlan | Error>> {
	const { base } = await getConnection(this);
	return items.map((_item, itemIndex) => {
		try {
			const companyId = parseCompanyLocator(this.getNodeParameter('company', itemIndex), base);
			const paymentId = parsePaymentLocator(
				this.getNodeParameter('customerPayment', itemIndex),
				base,
				companyId,
			);
			const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const options = this.getNodeParameter('options', itemIndex, {}) as UpdateOptions;
			const eTag = typeof options.eTag === 'string' ? options.eTag.trim() : '';
			return {
				itemIndex,
				companyId,
				paymentId,
				patch: buildPaymentPatch(fields, base.version),
				eTag,
				onConflict: options.onConflict ?? 'fail',
				includePreviousValues: options.includePreviousValues === true,
			};
		} catch (error) {
			return itemError(this.getNode(), error as Error, itemIndex);
		}
	});
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const plans = await planUpdates.call(this, items);
	const continueOnFail = this.continueOnFail();
	if (!continueOnFail) {
		const invalid = plans.find((plan): plan is Error => plan instanceof Error);
		if (invalid) throw invalid;
	}
	const policy = retryPolicy(this.getNodeParameter('options', 0, {}) as UpdateOptions);
	const results: INodeExecutionData[] = [];
	for (const [itemIndex, plan] of plans.entries()) {
		try {
			if (plan instanceof Error) throw plan;
			const json = await updateOne.call(this, plan, policy);
			results.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!continueOnFail) throw itemError(this.getNode(), error as Error, itemIndex);
			results.push({ json: failureJson(error as Error), pairedItem: { item: itemIndex } });
		}
	}
	return results;
}
