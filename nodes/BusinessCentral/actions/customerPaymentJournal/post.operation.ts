import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { customerPaymentJournal } from '../../entities/customerPaymentJournal';
import type { ApiBase } from '../../helpers/apiBase';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { parseCompanyLocator, parseRecordLocator } from '../../helpers/locators';
import { InputValidationError, validateAs, validateGuid } from '../../helpers/validation';
import { retryPolicy } from '../../operations/updateRecords';
import { getConnection } from '../../transport/connection';
import type { RetryPolicy } from '../../transport/request';
import { companyLocator } from '../common.descriptions';
import { runItems, type CheckedItem, type ItemOutcome } from '../runItems';
import { journalRecordLocator } from './journal.descriptions';
import type { PostGuard, PostWhen } from './postGuard';
import { toCents } from './journalLines';
import { postJournal } from './postJournal';

const properties: INodeProperties[] = [
	companyLocator,
	journalRecordLocator(
		'The customer payment journal to post. Business Central posts every line of it, whoever entered the line: "Post When" says what the journal must hold first.',
	),
	{
		displayName: 'Post When',
		name: 'postWhen',
		type: 'options',
		options: [
			{
				name: 'Only the Payments Coming In',
				value: 'expectedPayments',
				description:
					'Post only when the journal holds exactly the payments the input items name (Payment ID), no other line and none missing; otherwise refuse, naming the other and the missing lines, and post nothing',
			},
			{
				name: 'Only a Stated Count and Total',
				value: 'countAndTotal',
				description:
					'Post only when the journal holds exactly Line Count lines whose amounts add up to Total Amount; otherwise refuse and post nothing',
			},
			{
				name: 'Everything in the Journal',
				value: 'always',
				description:
					'Post whatever the journal holds, including lines other users or workflows entered',
			},
		],
		default: 'expectedPayments',
		description:
			'What the journal must hold before it is posted. Business Central posts every line of the journal at once, including lines others entered, so by default only the payments coming in are posted.',
	},
	{
		displayName: 'Payment ID',
		name: 'paymentId',
		type: 'string',
		default: '={{ $json.id }}',
		placeholder: 'e.g. 9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1',
		description:
			'ID (GUID) of the payment line this input item expects in the journal, e.g. the ID that Customer Payment → Create outputs. All input items for the same journal together name every line it must hold.',
		displayOptions: { show: { postWhen: ['expectedPayments'] } },
	},
	{
		displayName: 'Line Count',
		name: 'lineCount',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1,
		description: 'How many lines the journal must hold (a whole number of at least 1)',
		displayOptions: { show: { postWhen: ['countAndTotal'] } },
	},
	{
		displayName: 'Total Amount',
		name: 'totalAmount',
		type: 'number',
		default: 0,
		description:
			'What the amounts of all lines must add up to, sign included (payments received are negative in a cash receipt journal, e.g. -2500.00); compared to 0.01 as Business Central stores amounts',
		displayOptions: { show: { postWhen: ['countAndTotal'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description:
			'How persistent the requests of the Post are. Leave empty for 5 retries and 2 minutes per request.',
		options: [
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 5,
				description:
					'How often to retry a request that Business Central throttled (429) or could not serve (503; for the reads also 408, 502, 504), waiting as it asks (Retry-After) or with exponential back-off (from the 6th retry of a 429, 60 s each). The Post itself is never sent again after any other failure: the node re-reads the journal instead.',
			},
			{
				displayName: 'Timeout (Milliseconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120000,
				description:
					'Milliseconds each request may take in all, from connecting to the last byte of the answer. A Post without an answer in time is never sent again: the node re-reads the journal to see whether it was posted.',
			},
		],
	},
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPaymentJournal'], operation: ['post'] } },
	properties,
);

/** One item's checked Post input. */
interface PostItem {
	companyId: string;
	journalId: string;
	guard: PostGuard;
	policy: RetryPolicy;
}

/** Options → Max Retries and Timeout, checked (a mapped "2m" is refused, not ignored). */
function checkPolicy(raw: IDataObject): RetryPolicy {
	const maxRetries =
		raw.maxRetries === undefined
			? undefined
			: Number(validateAs('Max Retries', 'integer', raw.maxRetries));
	if (maxRetries !== undefined && maxRetries > 10)
		throw new InputValidationError('Max Retries', raw.maxRetries, 'is more than 10');
	const timeout =
		raw.timeout === undefined ? undefined : Number(validateAs('Timeout', 'integer', raw.timeout));
	if (timeout !== undefined && timeout < 1)
		throw new InputValidationError('Timeout', raw.timeout, 'must be at least 1 ms');
	return retryPolicy({ maxRetries, timeout });
}

const POST_WHEN: readonly PostWhen[] = ['expectedPayments', 'countAndTotal', 'always'];

/** Reads and checks one item's parameters (before any request). */
function checkPostInput(context: IExecuteFunctions, base: ApiBase, itemIndex: number): PostItem {
	const companyId = parseCompanyLocator(context.getNodeParameter('company', itemIndex), base);
	const raw = context.getNodeParameter('journal', itemIndex);
	const journalId = parseRecordLocator(raw, base, companyId, customerPaymentJournal).toLowerCase();
	const policy = checkPolicy(context.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const postWhen = context.getNodeParameter('postWhen', itemIndex, 'expectedPayments') as PostWhen;
	if (!POST_WHEN.includes(postWhen)) {
		throw new InputValidationError('Post When', postWhen, `is not one of ${POST_WHEN.join(', ')}`);
	}
	if (postWhen === 'always') return { companyId, journalId, policy, guard: { postWhen } };
	if (postWhen === 'expectedPayments') {
		const id = validateGuid(
			'Payment ID',
			String(context.getNodeParameter('paymentId', itemIndex, '')).trim(),
		);
		return { companyId, journalId, policy, guard: { postWhen, paymentIds: [id.toLowerCase()] } };
	}
	const rawCount = context.getNodeParameter('lineCount', itemIndex);
	const lineCount = Number(validateAs('Line Count', 'integer', rawCount));
	if (lineCount < 1) throw new InputValidationError('Line Count', rawCount, 'must be at least 1');
	const totalAmount = Number(
		validateAs('Total Amount', 'decimal', context.getNodeParameter('totalAmount', itemIndex)),
	);
	return { companyId, journalId, policy, guard: { postWhen, lineCount, totalAmount } };
}

/** The items of one journal: posted once, each item gets the journal's result. */
interface JournalGroup {
	items: Array<CheckedItem<PostItem>>;
	guard: PostGuard;
}

/** Why the items of one journal disagree about what it must hold, or undefined. */
function disagreement(items: Array<CheckedItem<PostItem>>): string | undefined {
	const first = items[0].request.guard;
	for (const { itemIndex, request } of items.slice(1)) {
		const guard = request.guard;
		if (guard.postWhen !== first.postWhen) {
			return `item ${itemIndex} says Post When "${guard.postWhen}", item ${items[0].itemIndex} "${first.postWhen}"`;
		}
		if (
			guard.postWhen === 'countAndTotal' &&
			first.postWhen === 'countAndTotal' &&
			(guard.lineCount !== first.lineCount ||
				toCents(guard.totalAmount) !== toCents(first.totalAmount))
		) {
			return `item ${itemIndex} states ${guard.lineCount} line(s) totalling ${guard.totalAmount}, item ${items[0].itemIndex} ${first.lineCount} totalling ${first.totalAmount}`;
		}
	}
	return undefined;
}

/** Items grouped by (company, journal), in the order of their first item; one guard per journal. */
function groupByJournal(items: Array<CheckedItem<PostItem>>): Map<string, JournalGroup> {
	const groups = new Map<string, JournalGroup>();
	for (const item of items) {
		const key = `${item.request.companyId.toLowerCase()}/${item.request.journalId}`;
		const group = groups.get(key) ?? { items: [], guard: item.request.guard };
		group.items.push(item);
		groups.set(key, group);
	}
	for (const group of groups.values()) {
		const guard = group.guard;
		if (guard.postWhen !== 'expectedPayments') continue;
		const ids = group.items.flatMap(({ request }) =>
			request.guard.postWhen === 'expectedPayments' ? request.guard.paymentIds : [],
		);
		group.guard = { postWhen: 'expectedPayments', paymentIds: [...new Set(ids)] };
	}
	return groups;
}

/**
 * Post: items grouped by (company, journal), one Post per journal (journals one after
 * another), each item paired to its journal's result. Every journal's items are checked
 * for agreement before the first request, like every input.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const { base } = await getConnection(this);
	return await runItems(this, items, {
		done: 'posted',
		check: (itemIndex) => checkPostInput(this, base, itemIndex),
		runAll: async (checked, report, stop) => {
			const groups = [...groupByJournal(checked).values()];
			for (const group of groups) {
				const problem = disagreement(group.items);
				if (!problem) continue;
				const error = new InputValidationError(
					'Post When',
					group.items[0].request.guard.postWhen,
					`differs between the items of journal ${group.items[0].request.journalId}: ${problem}; one journal is posted once, under one rule`,
				);
				for (const { itemIndex } of group.items) report(itemIndex, error);
				group.items = [];
			}
			for (const group of groups) {
				if (stop()) return;
				if (group.items.length === 0) continue;
				await postGroup(this, base, group, report);
			}
		},
	});
}

async function postGroup(
	context: IExecuteFunctions,
	base: ApiBase,
	group: JournalGroup,
	report: (itemIndex: number, outcome: ItemOutcome) => void,
): Promise<void> {
	const first = group.items[0];
	const { companyId, journalId, policy } = first.request;
	const target = { companyId, journalId, policy, version: base.version };
	let outcome: ItemOutcome;
	try {
		outcome = await postJournal(context, target, group.guard, first.itemIndex);
	} catch (error) {
		outcome = error as Error;
	}
	// each item gets its own copy: later nodes may change one item's json
	for (const { itemIndex } of group.items) {
		report(itemIndex, outcome instanceof Error ? outcome : deepCopy(outcome));
	}
}
