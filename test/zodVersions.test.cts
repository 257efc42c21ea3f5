/**
 * The node's error texts do not depend on the zod n8n provides at run time. This file
 * runs twice: in `jest` (zod 3.25, the dev dependency) and in `jest -c
 * jest.zod4.config.cjs`, where the node's `import 'zod'` is zod 4 (its `ZOD_MAJOR`
 * global says which run this is). Same values, same texts, word for word — also when
 * something else in n8n installed a global zod error map.
 */
import * as zod from 'zod';

import { customer } from '../nodes/BusinessCentral/entities/customer';
import { customerPayment } from '../nodes/BusinessCentral/entities/customerPayment';
import { collectionSchema } from '../nodes/BusinessCentral/helpers/schemas';
import {
	validateAs,
	validateField,
	validateGuid,
} from '../nodes/BusinessCentral/helpers/validation';
import { notARecord } from '../nodes/BusinessCentral/operations/records';
import { paymentRecord, PAYMENT, ETAG_1 } from './fixtures.cjs';

declare const ZOD_MAJOR: number | undefined;
const EXPECTED_MAJOR = typeof ZOD_MAJOR === 'number' ? ZOD_MAJOR : 3;

/** zod 4 schemas carry `_zod`; zod 3's do not. */
const isZod4 = (schema: object): boolean => '_zod' in schema;

/** The message a check throws, or 'accepted'. */
function refusal(check: () => unknown): string {
	try {
		check();
		return 'accepted';
	} catch (error) {
		return (error as Error).message;
	}
}

const GUID = '9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1';

/** [what, check, the node's own text]: every kind of field, every rule. */
const REFUSALS: Array<[string, () => unknown, string]> = [
	['"12abc" as an amount', () => validateAs('Amount', 'decimal', '12abc'), 'Invalid Amount: "12abc" is not a number'],
	['true as an amount', () => validateAs('Amount', 'decimal', true), 'Invalid Amount: true is not a number'],
	['a missing amount', () => validateAs('Amount', 'decimal', undefined), 'Invalid Amount: undefined is not a number'],
	['NaN as an amount', () => validateAs('Amount', 'decimal', Number.NaN), 'Invalid Amount: NaN is not a number'],
	['Infinity as an amount', () => validateAs('Amount', 'decimal', Infinity), 'Invalid Amount: Infinity is not a finite number'],
	['1e15 as an amount', () => validateAs('Amount', 'decimal', 1e15), 'Invalid Amount: 1000000000000000 is outside the range Business Central can store'],
	['1.5 as a line number', () => validateAs('Line Number', 'integer', 1.5), 'Invalid Line Number: 1.5 is not a whole number'],
	['"abc" as a line number', () => validateAs('Line Number', 'integer', 'abc'), 'Invalid Line Number: "abc" is not a whole number'],
	['-1 as a line number', () => validateAs('Line Number', 'integer', -1), 'Invalid Line Number: -1 must not be negative'],
	['2^31 as a line number', () => validateAs('Line Number', 'integer', 2147483648), 'Invalid Line Number: 2147483648 is larger than 2147483647'],
	['a number as a GUID', () => validateGuid('Customer Payment', 12345), 'Invalid Customer Payment: 12345 is not a GUID (expected 8-4-4-4-12 hex digits)'],
	['a missing GUID', () => validateGuid('Customer Payment', undefined), 'Invalid Customer Payment: undefined is not a GUID (expected 8-4-4-4-12 hex digits)'],
	['an object as text', () => validateField(customerPayment, 'description', { a: 1 }, 'v2.0'), 'Invalid Description: {"a":1} is not text'],
	['text too long', () => validateAs('Description', 'string', 'abcdef', { maxLength: 5 }), 'Invalid Description: "abcdef" is longer than 5 characters, the most Business Central stores'],
	['a code too long', () => validateField(customer, 'currencyCode', 'abcdefghijk', 'v2.0'), 'Invalid Currency Code: "abcdefghijk" is longer than 10 characters, the most Business Central stores'],
	['null as a code', () => validateField(customer, 'currencyCode', null, 'v2.0'), 'Invalid Currency Code: null is not text'],
	['"yes" as a boolean', () => validateAs('Flag', 'boolean', 'yes'), 'Invalid Flag: "yes" is not true or false'],
	['an unknown option', () => validateField(customer, 'blocked', 'Everything', 'v2.0'), 'Invalid Blocked: "Everything" is not one of " ", "Ship", "Invoice", "All"'],
	['a number as a date', () => validateAs('Posting Date', 'date', 5), 'Invalid Posting Date: 5 is not a date'],
	['a non-date text', () => validateAs('Posting Date', 'date', '02/11/2026'), 'Invalid Posting Date: "02/11/2026" is not a date (expected YYYY-MM-DD)'],
];

/** [what, check, value after the check]: accepted values come out the same too. */
const ACCEPTED: Array<[string, () => unknown, unknown]> = [
	['"12.50" as an amount', () => validateAs('Amount', 'decimal', ' 12.50 '), 12.5],
	['"10000" as a line number', () => validateAs('Line Number', 'integer', '10000'), 10000],
	['a GUID', () => validateGuid('Customer Payment', GUID), GUID],
	['a number as text', () => validateField(customerPayment, 'description', 42, 'v2.0'), '42'],
	['a code', () => validateField(customer, 'currencyCode', ' eur ', 'v2.0'), 'EUR'],
	['"false" as a boolean', () => validateAs('Flag', 'boolean', 'false'), 'false'],
	['an option', () => validateField(customer, 'blocked', 'Ship', 'v2.0'), 'Ship'],
	['a date-time', () => validateAs('Posting Date', 'date', '2026-11-02T10:00:00'), '2026-11-02'],
];

/** [what, body, the node's own text]: answers that are not a record. */
const NOT_RECORDS: Array<[string, unknown, string]> = [
	['text', 'Sign in', 'the answer is not a customer payment (body is not a JSON object)'],
	['an array', [paymentRecord(PAYMENT, ETAG_1)], 'the answer is not a customer payment (body is not a JSON object)'],
	['no eTag', { ...paymentRecord(PAYMENT, ETAG_1), '@odata.etag': undefined }, 'the answer is not a customer payment (@odata.etag has no @odata.etag)'],
	['an empty eTag', paymentRecord(PAYMENT, ''), 'the answer is not a customer payment (@odata.etag has no @odata.etag)'],
	['no id', { ...paymentRecord(PAYMENT, ETAG_1), id: 7 }, 'the answer is not a customer payment (id has no valid id)'],
	['a customer', paymentRecord(PAYMENT, ETAG_1, { '@odata.context': 'https://x/$metadata#companies(1)/customers/$entity' }), 'the answer is not a customer payment (@odata.context names another entity than a customer payment)'],
];

/** Installs a global error map, as n8n or another package sharing its zod could. */
function withGlobalErrorMap(run: () => void): void {
	const z = zod as unknown as {
		config?: (settings?: { customError?: () => string }) => unknown;
		setErrorMap?: (map: () => { message: string }) => void;
		getErrorMap?: () => unknown;
	};
	if (EXPECTED_MAJOR === 4) {
		z.config!({ customError: () => 'a message n8n configured' });
		try {
			run();
		} finally {
			z.config!({ customError: undefined });
		}
		return;
	}
	const before = z.getErrorMap!();
	z.setErrorMap!(() => ({ message: 'a message n8n configured' }));
	try {
		run();
	} finally {
		z.setErrorMap!(before as () => { message: string });
	}
}

describe(`the node's texts with zod ${EXPECTED_MAJOR}`, () => {
	test(`the node's code (source and dist/) loads zod ${EXPECTED_MAJOR}`, () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const built = require('../dist/nodes/BusinessCentral/helpers/schemas.js') as {
			collectionSchema: object;
		};
		expect(isZod4(collectionSchema)).toBe(EXPECTED_MAJOR === 4);
		expect(isZod4(built.collectionSchema)).toBe(EXPECTED_MAJOR === 4);
		expect(isZod4(zod.z.string())).toBe(EXPECTED_MAJOR === 4);
	});

	test.each(REFUSALS)('%s: the node names the rule', (_what, check, text) => {
		expect(refusal(check)).toBe(text);
	});

	test.each(ACCEPTED)('%s is accepted as before', (_what, check, value) => {
		expect(String(check())).toBe(String(value));
	});

	test.each(NOT_RECORDS)('an answer with %s: the node says why', (_what, body, text) => {
		expect(notARecord(customerPayment, body)).toBe(text);
	});

	test('a global zod error map changes none of them', () => {
		withGlobalErrorMap(() => {
			for (const [, check, text] of REFUSALS) expect(refusal(check)).toBe(text);
			for (const [, body, text] of NOT_RECORDS) {
				expect(notARecord(customerPayment, body)).toBe(text);
			}
		});
	});
});
