/**
 * The rules of helpers/parameterReader.ts at unit level, where n8n's `getNodeParameter`
 * is stood in for by `n8nRead` (it answers what lodash `get` finds, or the fallback, and
 * records each call): which reads reach n8n, with which arguments, and what comes back.
 * test/parameterReads.nock.test.cts shows the same through n8n's engine.
 */
import type { IGetNodeParameterOptions, INodeParameters } from 'n8n-workflow';

import { parameterReader } from '../nodes/BusinessCentral/helpers/parameterReader';

const PARAMETERS: INodeParameters = {
	company: { __rl: true, mode: 'id', value: '5e0fe3d1-4b7c-ef11-8a6b-6045bde9c5a1' },
	customerPayment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
	updateFields: { amount: -10, lines: [{ text: 'a' }, { text: '={{ $json.text }}' }] },
	options: { maxRetries: 3, timeout: 30 },
	simple: true,
};

function setUp(parameters: INodeParameters = PARAMETERS) {
	const calls: Array<[string, number, unknown, IGetNodeParameterOptions | undefined]> = [];
	const n8nRead = (
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: IGetNodeParameterOptions,
	) => {
		calls.push([name, itemIndex, fallback, options]);
		let value: unknown = parameters;
		for (const key of name.split('.'))
			value = (value as Record<string, unknown> | undefined)?.[key];
		if (value === undefined && fallback === undefined)
			throw new Error(`Could not get parameter "${name}" (item ${itemIndex})`);
		return JSON.parse(JSON.stringify({ value: value ?? fallback, itemIndex })) as unknown;
	};
	return { calls, read: parameterReader(n8nRead, parameters) };
}

test('a fixed value reaches n8n once, for the first item that asks; later items get the same value', () => {
	const { calls, read } = setUp();
	const values = [3, 4, 5].map((item) => read('company', item));
	expect(calls).toEqual([['company', 3, undefined, undefined]]);
	expect(values).toEqual([values[0], values[0], values[0]]);
});

test('an expression anywhere in the value (a locator, an entry of a list) is read for every item', () => {
	const { calls, read } = setUp();
	for (const item of [0, 1, 2]) {
		read('customerPayment', item);
		read('updateFields', item);
	}
	expect(calls.map(([name, item]) => `${name}@${item}`)).toEqual([
		'customerPayment@0',
		'updateFields@0',
		'customerPayment@1',
		'updateFields@1',
		'customerPayment@2',
		'updateFields@2',
	]);
});

test('dotted names follow the path: a fixed part of a collection is fixed, its expression part per item', () => {
	const { calls, read } = setUp();
	read('options.timeout', 0);
	read('options.timeout', 1);
	read('updateFields.lines', 0);
	read('updateFields.lines', 1);
	expect(calls.map(([name, item]) => `${name}@${item}`)).toEqual([
		'options.timeout@0',
		'updateFields.lines@0',
		'updateFields.lines@1',
	]);
});

test('each caller gets its own copy: changing it changes nothing for the next item', () => {
	const { read } = setUp();
	const first = read('options', 0) as { value: { maxRetries: number } };
	first.value.maxRetries = 99;
	expect((read('options', 1) as typeof first).value.maxRetries).toBe(3);
});

test('missing parameters: n8n answers with the fallback; another fallback or options is another read', () => {
	const { calls, read } = setUp();
	expect(read('limit', 0, 50)).toEqual({ value: 50, itemIndex: 0 });
	expect(read('limit', 1, 50)).toEqual({ value: 50, itemIndex: 0 });
	expect(read('limit', 1, 20)).toEqual({ value: 20, itemIndex: 1 });
	read('company', 0);
	read('company', 1, undefined, { extractValue: true });
	read('company', 2, undefined, { extractValue: true });
	expect(calls.map(([name, item, fallback, options]) => [name, item, fallback, options])).toEqual([
		['limit', 0, 50, undefined],
		['limit', 1, 20, undefined],
		['company', 0, undefined, undefined],
		['company', 1, undefined, { extractValue: true }],
	]);
});

test('a fallback with an expression is read per item, as n8n would evaluate it', () => {
	const { calls, read } = setUp();
	read('missing', 0, '={{ $json.x }}');
	read('missing', 1, '={{ $json.x }}');
	expect(calls).toHaveLength(2);
});

test("n8n's error is not remembered: every item that asks gets it, with its own item", () => {
	const { calls, read } = setUp();
	expect(() => read('nothing', 4)).toThrow('Could not get parameter "nothing" (item 4)');
	expect(() => read('nothing', 5)).toThrow('Could not get parameter "nothing" (item 5)');
	expect(calls).toHaveLength(2);
});

test('names lodash reads another way (brackets, quotes) are read for every item', () => {
	const { calls, read } = setUp();
	read('updateFields.lines[0].text', 0, '');
	read('updateFields.lines[0].text', 1, '');
	expect(calls).toHaveLength(2);
});
