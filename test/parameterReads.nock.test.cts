/**
 * Parameter reads (issue 13 §1): a parameter with no expression is read from n8n once
 * per run, whatever the number of items; one with an expression is read for every item.
 * Through n8n's engine with the node from dist/ and strict nock. The count is taken
 * outside the code under test: the test wraps the context n8n hands the node (its
 * `execute` is patched here, in the test) and counts the `getNodeParameter` calls that
 * reach n8n's context.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { loadPackage, NODE_TYPE, runWorkflow } from '../dev/engine.cjs';
import { applied, BATCH_PATH, eTagOf, indexOf, paymentId, type Operation } from './batchNock.cjs';
import {
	bearerCredentials,
	COMPANY,
	locator,
	paymentRecord,
	SAAS_ORIGIN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

/** Every `getNodeParameter` call that reached n8n: parameter name and item. */
const reads: Array<{ name: string; itemIndex: number }> = [];
let original: INodeType['execute'];
let nodeType: INodeType;

beforeAll(async () => {
	const { nodeTypes } = await loadPackage();
	nodeType = nodeTypes.getByNameAndVersion(NODE_TYPE, 1) as INodeType;
	original = nodeType.execute;
	nodeType.execute = async function (this: IExecuteFunctions) {
		const counting = new Proxy(this, {
			get(target, property) {
				const member: unknown = Reflect.get(target, property, target);
				if (property !== 'getNodeParameter') {
					return typeof member === 'function' ? member.bind(target) : member;
				}
				return (name: string, itemIndex: number, ...rest: unknown[]) => {
					reads.push({ name, itemIndex });
					return (member as (...args: unknown[]) => unknown).call(target, name, itemIndex, ...rest);
				};
			},
		});
		return await original!.call(counting);
	};
});

afterAll(() => {
	nodeType.execute = original;
});

beforeEach(() => {
	reads.length = 0;
});

/** Calls per parameter name. */
function readCounts(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const { name } of reads) counts[name] = (counts[name] ?? 0) + 1;
	return counts;
}

/** Items read for a parameter, each once, in order. */
const itemsRead = (name: string) =>
	reads.filter((read) => read.name === name).map((read) => read.itemIndex);

/**
 * `$batch` answered like Business Central: a GET gets the payment with its eTag, a PATCH
 * the payment with the body applied. Every operation sent is recorded.
 */
function businessCentral(sent: Operation[]) {
	const batch = nock(SAAS_ORIGIN).persist().post(BATCH_PATH);
	batch.reply((_uri, body) => {
		const operations = (body as { requests: Operation[] }).requests;
		sent.push(...operations);
		const answers = operations.map((operation) =>
			operation.method === 'GET'
				? {
						id: operation.id,
						status: 200,
						body: paymentRecord(paymentId(indexOf(operation)), eTagOf(indexOf(operation))),
					}
				: applied(operation),
		);
		return [200, { responses: answers }];
	});
	return batch;
}

const items = (count: number) =>
	Array.from({ length: count }, (_v, n) => ({
		id: paymentId(n),
		amount: -(n + 1),
		company: COMPANY,
	}));

async function run(count: number, parameters: Parameters<typeof updateWorkflow>[1]) {
	const sent: Operation[] = [];
	const batch = businessCentral(sent);
	const result = await runWorkflow(updateWorkflow(items(count), parameters), {
		credentials: bearerCredentials(),
	});
	nock.removeInterceptor(batch);
	expect(sent.length).toBeGreaterThan(0);
	expect(result.error()).toBeUndefined();
	return { output: result.output('Business Central').map((item) => item.json), sent };
}

/** What was sent, in a stable order (batch ids aside). */
const requestsOf = (sent: Operation[]) =>
	sent
		.map(({ method, url, headers, body }) => ({
			method,
			url,
			ifMatch: headers['If-Match'] ?? headers['if-match'],
			body,
		}))
		.sort((a, b) => `${a.method}${a.url}`.localeCompare(`${b.method}${b.url}`));

describe('fixed parameters are read once per run', () => {
	test('1,000 updates: Company, Update Fields, Options and Journal read once; the payment ($json) for every item', async () => {
		const { output, sent } = await run(1000, {
			payment: locator('={{ $json.id }}'),
			updateFields: { amount: -10, description: 'Paid' },
			options: { maxRetries: 0 },
		});

		expect(output).toHaveLength(1000);
		expect(sent.filter((operation) => operation.method === 'PATCH')).toHaveLength(1000);
		const counts = readCounts();
		for (const name of [
			'authentication',
			'resource',
			'operation',
			'company',
			'updateFields',
			'options',
			// the Journal: a hint for reading eTags with one listing (operations/etagReads.ts)
			'journal',
		]) {
			expect([name, counts[name]]).toEqual([name, 1]);
		}
		expect(itemsRead('customerPayment')).toEqual(Array.from({ length: 1000 }, (_v, n) => n));
		expect(reads).toHaveLength(7 + 1000);
	});

	test('an expression anywhere in a collection makes it per item; its fixed neighbours stay fixed', async () => {
		const { sent } = await run(5, {
			payment: locator('={{ $json.id }}'),
			updateFields: { amount: '={{ $json.amount }}', description: 'Paid' },
			options: { maxRetries: 0 },
		});

		expect(itemsRead('updateFields')).toEqual([0, 1, 2, 3, 4]);
		expect(readCounts()).toMatchObject({ company: 1, options: 1 });
		// each item's own amount, the fixed description with it
		const patches = sent.filter((operation) => operation.method === 'PATCH');
		expect(patches.map((operation) => [indexOf(operation), operation.body])).toEqual(
			[0, 1, 2, 3, 4].map((n) => [n, { amount: -(n + 1), description: 'Paid' }]),
		);
	});
});

describe('the same values fixed or as expressions give the same run', () => {
	test('Company, Update Fields and Options fixed vs from $json: identical requests and output', async () => {
		const fixed = await run(3, {
			company: locator(COMPANY),
			payment: locator('={{ $json.id }}'),
			updateFields: { amount: -10, description: 'Paid' },
			options: { maxRetries: 0, batching: true },
		});
		const fixedReads = reads.length;
		reads.length = 0;
		const expressions = await run(3, {
			company: locator('={{ $json.company }}'),
			payment: locator('={{ $json.id }}'),
			updateFields: { amount: '={{ -10 }}', description: '={{ "Pa" + "id" }}' },
			options: { maxRetries: '={{ 0 }}', batching: '={{ true }}' },
		});

		expect(expressions.output).toEqual(fixed.output);
		expect(requestsOf(expressions.sent)).toEqual(requestsOf(fixed.sent));
		expect(fixed.output.map((json) => json.id)).toEqual([0, 1, 2].map(paymentId));
		expect(reads.length).toBeGreaterThan(fixedReads);
		expect(requests.unmatched).toEqual([]);
	});

	test('a caller changing what it read cannot change the next item: each item gets its own copy', async () => {
		// Update reads Update Fields per item and builds each body from it: three equal bodies
		const { sent } = await run(3, {
			payment: locator('={{ $json.id }}'),
			updateFields: { amount: -10 } as IDataObject,
		});
		const bodies = sent
			.filter((operation) => operation.method === 'PATCH')
			.map((operation) => operation.body);
		expect(bodies).toEqual([{ amount: -10 }, { amount: -10 }, { amount: -10 }]);
		expect(readCounts().updateFields).toBe(1);
	});
});
