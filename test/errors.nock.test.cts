/**
 * Business Central's error answers, bad input, and "Continue On Fail":
 * what the node reports, what it sends (and does not), and that no secret leaks.
 */
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	CORRELATION_ID,
	ETAG_1,
	ETAG_2,
	expectNoSecrets,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	PAYMENT_URL,
	paymentPath,
	paymentRecord,
	saasApi,
	TOKEN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

const api = () => saasApi(nock);

describe('the secret check itself', () => {
	test('finds a secret in non-enumerable properties and nested causes', () => {
		const inner = new Error('request failed');
		Object.defineProperty(inner, 'config', { value: { headers: { Authorization: `Bearer ${TOKEN}` } }, enumerable: false });
		const outer = new Error('wrapped', { cause: inner });
		expect(JSON.stringify(outer)).not.toContain(TOKEN);
		expect(() => expectNoSecrets([outer])).toThrow();
		expect(() => expectNoSecrets([{ nested: [{ description: `x ${TOKEN}` }] }])).toThrow();
		expect(() => expectNoSecrets([new Error('clean'), { a: 1 }])).not.toThrow();
	});
});

describe('Business Central error answers', () => {
	test.each([
		{
			status: 404,
			code: 'BadRequest_NotFound',
			message: 'The CustomerPayment does not exist. Identification fields and values: Id=\'9f1c0a52\'',
			hint: 'was not found',
		},
		{
			status: 401,
			code: 'Authentication_InvalidCredentials',
			message: 'The server has rejected the client credentials.',
			hint: 'The access token was rejected',
		},
		{
			status: 403,
			code: 'Authorization_InsufficientPermissions',
			message: 'You do not have the following permissions on TableData Gen. Journal Line: Read.',
			hint: 'Microsoft Entra applications',
		},
		{
			status: 500,
			code: 'Unknown',
			message: 'Something went wrong.',
			hint: 'unavailable right now',
		},
	])('$status $code on the GET: NodeApiError with code, status and hint; no PATCH', async ({ status, code, message, hint }) => {
		const scope = api().get(PAYMENT_URL).reply(status, bcError(code, message));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials() });

		expect(result.output('Business Central')).toEqual([]);
		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(`Reading customer payment ${PAYMENT} failed: ${message}`);
		expect(error?.httpCode).toBe(String(status));
		expect(error?.description).toContain(`Code: ${code}.`);
		expect(error?.description).toContain(hint);
		expect(error?.description).toContain(`CorrelationId: ${CORRELATION_ID}.`);
		expect(error?.context).toMatchObject({
			itemIndex: 0,
			businessCentral: { httpStatus: status, code, message, correlationId: CORRELATION_ID },
		});
		expect(result.error()?.message).toBe(error?.message);
		// Exactly one GET: no PATCH, and a rejected bearer token is not sent again.
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
		expectNoSecrets([error, result.error(), result.run.data.resultData]);
	});

	test('400 BadRequest_InvalidToken on the PATCH: hint about If-Match and the eTag option', async () => {
		const scope = api()
			.patch(PAYMENT_URL)
			.matchHeader('if-match', 'W/"not-a-token-of-this-server"')
			.reply(
				400,
				bcError(
					'BadRequest_InvalidToken',
					'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
				),
			);

		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { eTag: 'W/"not-a-token-of-this-server"' } }), {
			credentials: bearerCredentials(),
		});

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toContain('Could not validate the client concurrency token');
		expect(error?.httpCode).toBe('400');
		expect(error?.description).toContain('Code: BadRequest_InvalidToken.');
		expect(error?.description).toContain('If-Match');
		expect(error?.description).toContain('"eTag" option empty');
		expect(scope.isDone()).toBe(true);
		expectNoSecrets([error, result.error()]);
	});

	test('400 naming a field: the field is in the error and in the Continue On Fail item', async () => {
		const message =
			'The length of the string for "externalDocumentNumber" is 30, but it must be less than or equal to 20 characters.';
		const failingRun = () => {
			api()
				.get(PAYMENT_URL)
				.reply(200, paymentRecord(PAYMENT, ETAG_1))
				.patch(PAYMENT_URL, { externalDocumentNumber: 'ADV-2026-000000000000000000001' })
				.matchHeader('if-match', ETAG_1)
				.reply(400, bcError('Application_StringExceededLength', message));
		};
		const fields = { externalDocumentNumber: 'ADV-2026-000000000000000000001' };

		failingRun();
		const stopped = await runWorkflow(updateWorkflow([{ n: 1 }], { updateFields: fields }), {
			credentials: bearerCredentials(),
		});
		const error = stopped.error('Business Central');
		expect(error?.message).toContain(message);
		expect(error?.httpCode).toBe('400');
		expect(error?.description).toContain('Code: Application_StringExceededLength.');
		expect(error?.description).toContain('Field: externalDocumentNumber.');
		expect(error?.description).toContain('refused the value of "externalDocumentNumber"');

		failingRun();
		const continued = await runWorkflow(
			updateWorkflow([{ n: 1 }], { updateFields: fields, continueOnFail: true }),
			{ credentials: bearerCredentials() },
		);
		expect(continued.error()).toBeUndefined();
		const output = continued.output('Business Central');
		expect(output).toEqual([
			{
				json: {
					error: `Updating customer payment ${PAYMENT} failed: ${message}`,
					description: expect.stringContaining('Field: externalDocumentNumber.'),
					httpStatus: 400,
					code: 'Application_StringExceededLength',
					field: 'externalDocumentNumber',
					correlationId: CORRELATION_ID,
				},
				pairedItem: { item: 0 },
			},
		]);
		expectNoSecrets([error, output]);
	});

	test('an HTML error page (502 from a gateway) is reported with its text, not as JSON', async () => {
		api()
			.get(PAYMENT_URL)
			.reply(502, '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>', {
				'Content-Type': 'text/html',
			});

		// Max Retries 0: a read is otherwise re-sent after a 502 (see transport.nock.test.cts)
		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { options: { maxRetries: 0 } }), {
			credentials: bearerCredentials(),
		});

		const error = result.error('Business Central');
		expect(error?.message).toContain('Unexpected answer from Business Central (HTTP 502): 502 Bad Gateway Bad Gateway');
		expect(error?.httpCode).toBe('502');
		expect(error?.description).toContain('Code: Unknown.');
	});
});

describe('Continue On Fail', () => {
	test('3 items, the middle one not found: 3 output items in order, the middle one an error item', async () => {
		const scope = api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(paymentPath(PAYMENT), { amount: -10 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -10 }))
			.get(paymentPath(PAYMENT_2))
			.reply(404, bcError('BadRequest_NotFound', 'The CustomerPayment does not exist.'))
			.get(paymentPath(PAYMENT_3))
			.reply(200, paymentRecord(PAYMENT_3, ETAG_1))
			.patch(paymentPath(PAYMENT_3), { amount: -30 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT_3, ETAG_2, { amount: -30 }));

		const result = await runWorkflow(
			updateWorkflow(
				[
					{ id: PAYMENT, amount: -10 },
					{ id: PAYMENT_2, amount: -20 },
					{ id: PAYMENT_3, amount: -30 },
				],
				{
					payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					updateFields: { amount: '={{ $json.amount }}' },
					options: { batching: false },
					continueOnFail: true,
				},
			),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(3);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -10, '@odata.etag': ETAG_2 });
		expect(output[1].json).toEqual({
			error: `Reading customer payment ${PAYMENT_2} failed: The CustomerPayment does not exist.`,
			description: expect.stringContaining('Code: BadRequest_NotFound.'),
			code: 'BadRequest_NotFound',
			httpStatus: 404,
			correlationId: CORRELATION_ID,
		});
		expect(output[2].json).toMatchObject({ id: PAYMENT_3, amount: -30, '@odata.etag': ETAG_2 });
		expect(scope.isDone()).toBe(true);
		expectNoSecrets([output]);
	});

	test('without Continue On Fail the same run stops at the middle item, saying the first stays updated', async () => {
		const scope = api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }))
			.get(paymentPath(PAYMENT_2))
			.reply(404, bcError('BadRequest_NotFound', 'The CustomerPayment does not exist.'));

		const result = await runWorkflow(
			updateWorkflow(
				[{ id: PAYMENT }, { id: PAYMENT_2 }, { id: PAYMENT_3 }],
				{ payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, options: { batching: false } },
			),
			{ credentials: bearerCredentials() },
		);

		const error = result.error('Business Central');
		expect(error?.message).toContain(`Reading customer payment ${PAYMENT_2} failed`);
		expect(error?.httpCode).toBe('404');
		expect(error?.context).toMatchObject({ itemIndex: 1 });
		expect(error?.description).toContain('1 other item(s) of this run were updated');
		// Nothing is sent for the third item once the second failed.
		expect(scope.isDone()).toBe(true);
		expect(requests.unmatched).toEqual([]);
	});
});

describe('bad input', () => {
	const items = [
		{ id: PAYMENT, amount: '-10' },
		{ id: PAYMENT_2, amount: '12abc' },
		{ id: PAYMENT_3, amount: -30 },
	];
	const parameters = {
		payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		updateFields: { amount: '={{ $json.amount }}' },
		options: { batching: false },
	};

	test('one bad item without Continue On Fail: error names field, value and item; no request at all', async () => {
		// No interceptors: any request, even for the valid first item, would be unmatched.
		const result = await runWorkflow(updateWorkflow(items, parameters), { credentials: bearerCredentials() });

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Invalid Amount: "12abc" is not a number (item 1)');
		expect(error?.description).toContain('Fix "Amount" for item 1');
		expect(error?.description).toContain('Nothing was sent to Business Central');
		expect(error?.context).toMatchObject({ itemIndex: 1, field: 'Amount' });
		expect(result.output('Business Central')).toEqual([]);
		expect(requests.unmatched).toEqual([]);
	});

	test('one bad item with Continue On Fail: an error item for it, the others are updated', async () => {
		const scope = api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(paymentPath(PAYMENT), { amount: -10 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -10 }))
			.get(paymentPath(PAYMENT_3))
			.reply(200, paymentRecord(PAYMENT_3, ETAG_1))
			.patch(paymentPath(PAYMENT_3), { amount: -30 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT_3, ETAG_2, { amount: -30 }));

		const result = await runWorkflow(updateWorkflow(items, { ...parameters, continueOnFail: true }), {
			credentials: bearerCredentials(),
		});

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -10 });
		expect(output[1].json).toEqual({
			error: 'Invalid Amount: "12abc" is not a number (item 1)',
			description: 'Fix "Amount" for item 1. Nothing was sent to Business Central.',
			field: 'Amount',
		});
		expect(output[2].json).toMatchObject({ id: PAYMENT_3, amount: -30 });
		expect(scope.isDone()).toBe(true);
	});

	test.each([
		[{ customerNumber: '10000', customer: { __rl: true, mode: 'id', value: PAYMENT_2 } }, 'Customer Number', '"10000"'],
		[{ postingDate: '2026-02-30' }, 'Posting Date', '"2026-02-30"'],
		[{ description: 'x'.repeat(101) }, 'Description', '"xxxx'],
		[{}, 'Update Fields', '{}'],
		[{ customer: { __rl: true, mode: 'id', value: "x')/customers(" } }, 'Customer', `"x')/customers("`],
	])('bad Update Fields %j: error names %s and the value, nothing sent', async (updateFields, field, value) => {
		const result = await runWorkflow(updateWorkflow([{ n: 1 }], { updateFields }), {
			credentials: bearerCredentials(),
		});

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toMatch(new RegExp(`^Invalid ${field}: `));
		expect(error?.message).toContain(value);
		expect(error?.message).toMatch(/\(item 0\)$/);
		expect(error?.context).toMatchObject({ field });
		expect(requests.unmatched).toEqual([]);
	});

	test('a bad Customer Payment ID (OData injection attempt) is refused before any request', async () => {
		// From an expression: a literal ID is already refused by n8n's own parameter check.
		const result = await runWorkflow(
			updateWorkflow([{ id: `${PAYMENT})/customers(${PAYMENT}` }], {
				payment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			}),
			{ credentials: bearerCredentials() },
		);

		const error = result.error('Business Central');
		expect(error?.message).toContain('Invalid Customer Payment:');
		expect(error?.message).toContain('is not a GUID');
		expect(requests.unmatched).toEqual([]);
	});
});
