import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parsePaymentLocator } from '../../helpers/locators';
import { refusesEmptyFields } from '../../helpers/nodeVersions';
import { buildPaymentPatch, validateETag } from '../../helpers/validation';
import { MAX_BATCH_OPERATIONS } from '../../transport/batch';
import { getConnection } from '../../transport/connection';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../transport/request';
import { failureJson, itemError } from '../itemErrors';
import { batchIo, directIo, type PaymentIo } from './paymentIo';
import { updateProperties } from './update.description';
import { runUpdates, type UpdateEngineOptions, type UpdateOutcome } from './updateEngine';
import type { ConflictPolicy, UpdatePlan } from './updatePlan';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['update'] } },
	updateProperties,
);

interface UpdateOptions {
	eTag?: unknown;
	onConflict?: ConflictPolicy;
	includePreviousValues?: boolean;
	maxRetries?: number;
	batching?: boolean;
	batchSize?: number;
	maxConcurrency?: number;
	timeout?: number;
}

function wholeNumber(value: unknown, fallback: number, min: number, max: number): number {
	const number = Number(value ?? fallback);
	return Number.isInteger(number) ? Math.min(Math.max(number, min), max) : fallback;
}

function retryPolicy(options: UpdateOptions): RetryPolicy {
	return {
		...DEFAULT_RETRY_POLICY,
		maxRetries: wholeNumber(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0, 10),
		// per request, in ms; at most an hour (Business Central itself gives up after 10 minutes: 504)
		timeoutMs: wholeNumber(options.timeout, DEFAULT_RETRY_POLICY.timeoutMs, 1, 3_600_000),
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
	const patchOptions = { timeZone: this.getTimezone(), refuseEmpty: refusesEmptyFields(this.getNode().typeVersion) };
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
			const eTag = validateETag(options.eTag);
			return {
				itemIndex,
				companyId,
				paymentId,
				patch: buildPaymentPatch(fields, base.version, patchOptions),
				eTag,
				onConflict: options.onConflict ?? 'fail',
				includePreviousValues: options.includePreviousValues === true,
			};
		} catch (error) {
			return itemError(this.getNode(), error as Error, itemIndex);
		}
	});
}

/**
 * Splits plans so that no payment appears twice in one group: the k-th update
 * of the same payment goes to group k, and groups run one after another, so
 * repeated updates of one record apply in item order as they would one by one.
 */
function inWaves(plans: UpdatePlan[]): UpdatePlan[][] {
	const seen = new Map<string, number>();
	const waves: UpdatePlan[][] = [];
	for (const plan of plans) {
		const key = `${plan.companyId}/${plan.paymentId}`.toLowerCase();
		const wave = seen.get(key) ?? 0;
		seen.set(key, wave + 1);
		(waves[wave] ??= []).push(plan);
	}
	return waves;
}

function chunks<T>(list: T[], size: number): T[][] {
	const result: T[][] = [];
	for (let start = 0; start < list.length; start += size) result.push(list.slice(start, start + size));
	return result;
}

/** Runs tasks with at most `limit` in flight; stops starting new ones once `stop()` says so. */
async function inPool(tasks: Array<() => Promise<void>>, limit: number, stop: () => boolean) {
	let next = 0;
	const worker = async () => {
		while (next < tasks.length && !stop()) {
			const task = tasks[next++];
			await task();
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/**
 * runUpdates turns Business Central's answers into per-item outcomes, but a request
 * can also fail outright (token endpoint refused, TLS error, ...): that becomes the
 * outcome of every item of the chunk, so "Continue On Fail" still gives one error
 * item per input item instead of passing the input through as if it had been updated.
 */
async function runSafely(
	this: IExecuteFunctions,
	plans: UpdatePlan[],
	io: PaymentIo,
	engineOptions: UpdateEngineOptions,
): Promise<Map<number, UpdateOutcome>> {
	try {
		return await runUpdates.call(this, plans, io, engineOptions);
	} catch (error) {
		return new Map(
			plans.map((plan): [number, UpdateOutcome] => [
				plan.itemIndex,
				itemError(this.getNode(), error as Error, plan.itemIndex),
			]),
		);
	}
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
	const options = this.getNodeParameter('options', 0, {}) as UpdateOptions;
	const policy = retryPolicy(options);
	// "Max Retries" also bounds how often an unanswered PATCH is re-sent (each time only after a re-read)
	const engineOptions: UpdateEngineOptions = { maxResends: policy.maxRetries };
	const valid = plans.filter((plan): plan is UpdatePlan => !(plan instanceof Error));
	const outcomes = new Map<number, UpdateOutcome>();
	const failed = () => !continueOnFail && [...outcomes.values()].some((outcome) => outcome instanceof Error);

	if (options.batching !== false && valid.length > 1) {
		const size = wholeNumber(options.batchSize, MAX_BATCH_OPERATIONS, 1, MAX_BATCH_OPERATIONS);
		const concurrency = wholeNumber(options.maxConcurrency, 5, 1, 5);
		const io = batchIo(this, policy);
		for (const wave of inWaves(valid)) {
			if (failed()) break;
			const tasks = chunks(wave, size).map((chunk) => async () => {
				for (const [index, outcome] of await runSafely.call(this, chunk, io, engineOptions)) outcomes.set(index, outcome);
			});
			await inPool(tasks, concurrency, failed);
		}
	} else {
		const io = directIo(this, policy);
		for (const plan of valid) {
			if (failed()) break;
			for (const [index, outcome] of await runSafely.call(this, [plan], io, engineOptions)) outcomes.set(index, outcome);
		}
	}

	const results: INodeExecutionData[] = [];
	for (const [itemIndex, plan] of plans.entries()) {
		const outcome = plan instanceof Error ? plan : outcomes.get(itemIndex);
		if (outcome === undefined) continue;
		if (outcome instanceof Error) {
			if (!continueOnFail) throw stoppedError(this, outcome, itemIndex, outcomes);
			results.push({ json: failureJson(outcome), pairedItem: { item: itemIndex } });
		} else {
			results.push({ json: outcome, pairedItem: { item: itemIndex } });
		}
	}
	return results;
}

/** The item's error, saying how many other items were already updated (they stay updated). */
function stoppedError(
	context: IExecuteFunctions,
	error: Error,
	itemIndex: number,
	outcomes: Map<number, UpdateOutcome>,
): Error {
	const wrapped = itemError(context.getNode(), error, itemIndex);
	const applied = [...outcomes.values()].filter((outcome) => !(outcome instanceof Error)).length;
	if (applied > 0 && 'description' in wrapped) {
		const note = `${applied} other item(s) of this run were updated before the node stopped and stay updated; turn on "Continue On Fail" to get one result per item.`;
		(wrapped as { description?: string | null }).description = [wrapped.description, note]
			.filter(Boolean)
			.join(' ');
	}
	return wrapped;
}
