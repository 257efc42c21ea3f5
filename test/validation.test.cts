/**
 * Input checks before any request (unit level, on the node's TypeScript source):
 * every refused value gives an error naming the field and the value.
 */
import { DateTime } from 'luxon';

import {
	describeValue,
	InputValidationError,
	validateGuid,
} from '../nodes/BusinessCentral/helpers/validation';
import { buildPaymentPatch, validatePaymentField } from '../nodes/BusinessCentral/actions/customerPayment/paymentInput';
import {
	WRITABLE_PAYMENT_FIELDS,
	type WritablePaymentField,
} from '../nodes/BusinessCentral/entities/customerPayment';

const GUID = '9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1';

/** Runs `action`, expects an InputValidationError for `field` whose message shows `value`. */
function expectRefused(
	action: () => unknown,
	field: string,
	value: unknown,
	reason?: RegExp | string,
): InputValidationError {
	let caught: unknown;
	try {
		action();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InputValidationError);
	const error = caught as InputValidationError;
	expect(error.field).toBe(field);
	expect(error.message.startsWith(`Invalid ${field}: ${describeValue(value)} `)).toBe(true);
	if (reason) expect(error.message).toMatch(reason);
	return error;
}

describe('GUIDs (company, payment, customer, invoice)', () => {
	test.each([
		['x)/customers(', 'OData path injection'],
		[`${GUID})/customers(${GUID}`, 'GUID followed by a path'],
		[`%2F..%2F${GUID}`, 'percent-encoded traversal'],
		[`'${GUID}'`, 'quoted'],
		[` ${GUID}`, 'leading space'],
		[`${GUID} `, 'trailing space'],
		[`{${GUID}}`, 'braces'],
		[GUID.replace(/-/g, ''), 'no dashes'],
		[GUID.replace('f', 'g'), 'non-hex digit'],
		[GUID.slice(0, -1), 'one digit short'],
		['', 'empty'],
		[undefined, 'undefined'],
		[12345, 'a number'],
		[{ id: GUID }, 'an object'],
	])('%j (%s) is refused', (value: unknown, _case: string) => {
		expectRefused(
			() => validateGuid('Customer Payment', value),
			'Customer Payment',
			value,
			/is not a GUID/,
		);
	});

	test.each([GUID, GUID.toUpperCase()])('%s is accepted as is', (value) => {
		expect(validateGuid('Company', value)).toBe(value);
	});
});

describe('Posting Date', () => {
	const check = (value: unknown) => validatePaymentField('postingDate', value, 'v2.0');

	test.each([
		['2026-02-30', /real calendar date/],
		['2025-02-29', /real calendar date/],
		['2026-13-01', /real calendar date/],
		['2026-00-10', /real calendar date/],
		['1752-12-31', /between 1753 and 9998/],
		['9999-01-01', /between 1753 and 9998/],
		['tomorrow', /is not a date/],
		['', /is not a date/],
		['02/11/2026', /is not a date/],
		['2026-11-2', /is not a date/],
		['2026-11-02 10:00', /is not a date/],
		['2026-11-02T25', /is not a date/],
		[20261102, /is not a date/],
		[null, /is not a date/],
		[new Date('not a date'), /is not a date/],
		[DateTime.fromISO('2026-02-30'), /is not a date/],
	])('%p is refused', (value, reason) => {
		expectRefused(() => check(value), 'Posting Date', value, reason);
	});

	test.each<[unknown, string]>([
		['2026-11-02', '2026-11-02'],
		['1753-01-01', '1753-01-01'],
		['9998-12-31', '9998-12-31'],
		['2024-02-29', '2024-02-29'],
		['2026-11-02T23:30:00', '2026-11-02'],
		['2026-11-02T23:30:00.000Z', '2026-11-02'],
		['2026-11-02T23:30:00+02:00', '2026-11-02'],
		[new Date(Date.UTC(2026, 10, 2, 12, 0, 0)), '2026-11-02'],
		// A Luxon DateTime (n8n's date type in expressions) keeps its own calendar date, not UTC's.
		[DateTime.fromISO('2026-11-02T23:30:00', { zone: 'Pacific/Auckland' }), '2026-11-02'],
		[DateTime.fromISO('2026-11-02T00:30:00', { zone: 'America/Los_Angeles' }), '2026-11-02'],
	])('%p → %s', (value, expected) => {
		expect(check(value)).toBe(expected);
	});
});

describe("Posting Date given as an instant: the calendar date in the workflow's time zone", () => {
	const inZone = (value: unknown, zone: string) =>
		validatePaymentField('postingDate', value, 'v2.0', zone);

	test.each<[unknown, string, string]>([
		['2026-03-01T23:30:00-05:00', 'America/New_York', '2026-03-01'],
		['2026-03-01T23:30:00-05:00', 'Europe/Berlin', '2026-03-02'],
		['2026-03-01T23:30:00-0500', 'Asia/Kolkata', '2026-03-02'],
		['2026-03-01T10:00:00Z', 'Pacific/Kiritimati', '2026-03-02'],
		['2026-03-01T10:00:00Z', 'Pacific/Pago_Pago', '2026-02-28'],
		['2024-02-29T23:00:00+00:00', 'Asia/Tokyo', '2024-03-01'],
		// no offset: wall-clock time, its own date in any zone
		['2026-03-01T23:30:00', 'Pacific/Auckland', '2026-03-01'],
		['2026-03-01', 'Pacific/Pago_Pago', '2026-03-01'],
		[new Date(Date.UTC(2026, 2, 1, 23, 30)), 'Europe/Berlin', '2026-03-02'],
		[new Date(Date.UTC(2026, 2, 1, 23, 30)), 'America/New_York', '2026-03-01'],
		// Luxon carries its zone: its own date, whatever the workflow's
		[
			DateTime.fromISO('2026-03-02T08:00:00', { zone: 'Asia/Tokyo' }),
			'America/New_York',
			'2026-03-02',
		],
	])('%p in %s → %s', (value, zone, expected) => {
		expect(inZone(value, zone)).toBe(expected);
	});

	test.each([
		['2026-03-01T24:00', /impossible time of day/],
		['2026-03-01T23:99:99Z', /impossible time of day/],
		['2026-03-01T25:00', /impossible time of day/],
		['2026-03-01T23:60', /impossible time of day/],
		['2026-03-01T12:00:00+19:00', /impossible UTC offset/],
		['2026-03-01T12:00:00+05:60', /impossible UTC offset/],
		// the instant lands before 1753 in the workflow's zone
		['1753-01-01T00:30:00+01:00', /between 1753 and 9998/],
	])('%p is refused', (value, reason) => {
		expectRefused(() => inZone(value, 'UTC'), 'Posting Date', value, reason);
	});

	test('an unknown time zone is named', () => {
		expectRefused(
			() => inZone('2026-03-01T10:00:00Z', 'Nowhere/Else'),
			'Posting Date',
			'2026-03-01T10:00:00Z',
			/"Nowhere\/Else" is unknown/,
		);
	});
});

describe('text fields and their Business Central lengths', () => {
	const textFields = (
		Object.entries(WRITABLE_PAYMENT_FIELDS) as Array<
			[WritablePaymentField, { displayName: string; kind: string; maxLength?: number }]
		>
	)
		.filter(([, field]) => field.kind === 'string' || field.kind === 'code')
		.map(([name, field]) => [name, field.displayName, field.maxLength!] as const);

	test('every text field has a length limit', () => {
		expect(textFields.map(([name, , max]) => [name, max])).toEqual([
			['customerNumber', 20],
			['contactId', 250],
			['documentNumber', 20],
			['externalDocumentNumber', 35],
			['appliesToInvoiceNumber', 20],
			['description', 100],
			['comment', 250],
		]);
	});

	test.each(textFields.filter(([name]) => WRITABLE_PAYMENT_FIELDS[name].kind === 'code'))(
		'Code field %s (%s): sent trimmed and upper-cased as Business Central stores it; the length counts after trimming',
		(name, _displayName, max) => {
			expect(validatePaymentField(name, ' inv-9 ', 'v2.0')).toBe('INV-9');
			expect(validatePaymentField(name, `  ${'x'.repeat(max)}  `, 'v2.0')).toBe('X'.repeat(max));
		},
	);

	test.each(textFields)(
		'%s (%s): %i characters accepted, one more refused',
		(name, displayName, max) => {
			const version = name === 'contactId' ? 'v1.0' : 'v2.0';
			const stored =
				WRITABLE_PAYMENT_FIELDS[name].kind === 'code' ? 'A'.repeat(max) : 'a'.repeat(max);
			expect(validatePaymentField(name, 'a'.repeat(max), version)).toBe(stored);
			const tooLong = 'b'.repeat(max + 1);
			const error = expectRefused(
				() => validatePaymentField(name, tooLong, version),
				displayName,
				tooLong,
				`is longer than ${max} characters`,
			);
			// Long values are shortened in the message, which stays readable.
			expect(error.message.length).toBeLessThan(200);
		},
	);

	test('a number in a text field is sent as text; an object is refused', () => {
		expect(validatePaymentField('documentNumber', 10042, 'v2.0')).toBe('10042');
		expectRefused(
			() => validatePaymentField('comment', { a: 1 }, 'v2.0'),
			'Comment',
			{ a: 1 },
			/is not text/,
		);
	});
});

describe('Amount and Line Number', () => {
	test.each([
		[Number.NaN, /is not a number/],
		[Number.POSITIVE_INFINITY, /finite/],
		[Number.NEGATIVE_INFINITY, /finite/],
		['12abc', /is not a number/],
		['', /is not a number/],
		['  ', /is not a number/],
		['1,5', /is not a number/],
		['1e3', /is not a number/],
		['0x10', /is not a number/],
		['--1', /is not a number/],
		[true, /is not a number/],
		[null, /is not a number/],
		[1e15, /outside the range/],
	])('Amount %p is refused', (value, reason) => {
		expectRefused(() => validatePaymentField('amount', value, 'v2.0'), 'Amount', value, reason);
	});

	test.each<[unknown, number]>([
		[-1500, -1500],
		[0, 0],
		['12', 12],
		['-1500.50', -1500.5],
		[' 42 ', 42],
		['+3', 3],
		['.5', 0.5],
		['7.', 7],
	])('Amount %p → %p', (value, expected) => {
		expect(validatePaymentField('amount', value, 'v2.0')).toBe(expected);
	});

	test.each([
		[1.5, /whole number/],
		['10000.5', /whole number/],
		[-1, /must not be negative/],
		[2147483648, /larger than 2147483647/],
		['abc', /whole number/],
	])('Line Number %p is refused', (value, reason) => {
		expectRefused(
			() => validatePaymentField('lineNumber', value, 'v2.0'),
			'Line Number',
			value,
			reason,
		);
	});

	test('Line Number "20000" → 20000', () => {
		expect(validatePaymentField('lineNumber', '20000', 'v2.0')).toBe(20000);
	});
});

describe('Update Fields as a whole (buildPaymentPatch)', () => {
	test('UI names become API properties; resource locators give their value', () => {
		expect(
			buildPaymentPatch(
				{
					customer: { __rl: true, mode: 'list', value: GUID },
					appliesToInvoiceNumber: '103022',
					amount: '-10',
					postingDate: '2026-11-02T08:00:00',
				},
				'v2.0',
			),
		).toEqual({
			customerId: GUID,
			appliesToInvoiceNumber: '103022',
			amount: -10,
			postingDate: '2026-11-02',
		});
		expect(
			buildPaymentPatch({ appliesToInvoice: { __rl: true, mode: 'id', value: GUID } }, 'v2.0'),
		).toEqual({
			appliesToInvoiceId: GUID,
		});
	});

	test('empty Update Fields are refused', () => {
		expectRefused(() => buildPaymentPatch({}, 'v2.0'), 'Update Fields', {}, /is empty/);
	});

	test('Customer and Customer Number together are refused', () => {
		expectRefused(
			() =>
				buildPaymentPatch(
					{ customer: { __rl: true, mode: 'id', value: GUID }, customerNumber: '10000' },
					'v2.0',
				),
			'Customer Number',
			'10000',
			/cannot be set together with Customer/,
		);
	});

	test('Applies-to Invoice and its number together are refused', () => {
		expectRefused(
			() => buildPaymentPatch({ appliesToInvoice: GUID, appliesToInvoiceNumber: '103022' }, 'v2.0'),
			'Applies-to Invoice Number',
			'103022',
			/cannot be set together with Applies-to Invoice/,
		);
	});

	test('a customer picker holding something other than a GUID is refused', () => {
		expectRefused(
			() =>
				buildPaymentPatch(
					{ customer: { __rl: true, mode: 'id', value: "x')/customers(" } },
					'v2.0',
				),
			'Customer',
			"x')/customers(",
			/is not a GUID/,
		);
	});

	test.each(['journalId', 'journalDisplayName', 'id', 'lastModifiedDateTime', '@odata.etag'])(
		'%s cannot be changed by an update',
		(name) => {
			expectRefused(
				() => buildPaymentPatch({ [name]: 'x' }, 'v2.0'),
				name,
				'x',
				/not a field of a customer payment that can be changed/,
			);
		},
	);

	test('Contact ID: refused on v2.0, accepted on v1.0 and beta', () => {
		expectRefused(
			() => buildPaymentPatch({ contactId: 'CT01' }, 'v2.0'),
			'Contact ID',
			'CT01',
			'cannot be set: API v2.0 has no "contactId" property (only v1.0 and beta)',
		);
		expect(buildPaymentPatch({ contactId: 'CT01' }, 'v1.0')).toEqual({ contactId: 'CT01' });
		expect(buildPaymentPatch({ contactId: 'CT01' }, 'beta')).toEqual({ contactId: 'CT01' });
	});

	test('the first bad field stops the whole patch (nothing partial is returned)', () => {
		expectRefused(
			() =>
				buildPaymentPatch({ description: 'fine', amount: 'twelve', comment: 'fine too' }, 'v2.0'),
			'Amount',
			'twelve',
		);
	});
});

describe('describeValue', () => {
	test.each<[unknown, string]>([
		['text', '"text"'],
		[12, '12'],
		[Number.NaN, 'NaN'],
		[Number.POSITIVE_INFINITY, 'Infinity'],
		[undefined, 'undefined'],
		[null, 'null'],
		[{ a: 1 }, '{"a":1}'],
	])('%p → %s', (value, expected) => {
		expect(describeValue(value)).toBe(expected);
	});

	test('long values are cut to 80 characters', () => {
		const text = describeValue('z'.repeat(500));
		expect(text).toHaveLength(80);
		expect(text.endsWith('...')).toBe(true);
	});
});
