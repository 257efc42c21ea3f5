/**
 * Resource Customer through n8n's engine (node loaded from dist/), HTTP intercepted by
 * nock: Get (ID, URL, an answer that is not a customer), Get Many (each filter as its exact
 * `$filter`, Return All over `@odata.nextLink`, Limit with `$top`), and Update with the
 * eTag rules and conflict policies of payments, one by one and as `$batch`. The same
 * generic operations as Customer Payment, over the customer descriptor.
 */
import nock from 'nock';
import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	CUSTOMER_2,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	itemsNode,
	locator,
	SAAS_BASE,
	SAAS_PATH,
	saasApi,
	useNock,
} from './fixtures.cjs';
import { batches, type Operation } from './batchNock.cjs';

useNock(nock);

const NODE = 'Business Central';
const CUSTOMERS_PATH = `${SAAS_PATH}/companies(${COMPANY})/customers`;
const customerPath = (id: string) => `${CUSTOMERS_PATH}(${id})`;
const CUSTOMER_3 = '33cc0a52-4b7c-ef11-8a6b-6045bde9c5a3';


function customerRecord(id: string, eTag: string, values: IDataObject = {}): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customers/$entity`,
		'@odata.etag': eTag,
		id,
		number: '10000',
		displayName: 'Adatum Corporation',
		type: 'Company',
		addressLine1: '192 Market Square',
		city: 'Atlanta',
		country: 'US',
		postalCode: '31772',
		phoneNumber: '',
		email: 'robert.townes@contoso.com',
		website: '',
		taxLiable: true,
		currencyCode: '',
		blocked: ' ',
		balanceDue: 1499.02,
		creditLimit: 0,
		lastModifiedDateTime: '2026-11-02T10:00:00Z',
		...values,
	};
}

function customerNode(operation: string, parameters: IDataObject, continueOnFail = false): INode {
	return {
		id: 'bc-customer',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			authentication: 'bearerToken',
			resource: 'customer',
			operation,
			company: locator(COMPANY),
			...parameters,
		} as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

async function run(items: IDataObject[], operation: string, parameters: IDataObject, continueOnFail = false) {
	const node = customerNode(operation, parameters, continueOnFail);
	const workflow: WorkflowJson = {
		name: `customer ${operation}`,
		nodes: [itemsNode(items), node],
		connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } },
	};
	return await runWorkflow(workflow, { credentials: bearerCredentials() });
}

const byId = (expression = '={{ $json.id }}') => locator(expression);

describe('Customer: Get (nock)', () => {
	test('GET companies(c)/customers(id) per item, simplified by default, paired to its item', async () => {
		saasApi(nock).get(customerPath(CUSTOMER)).reply(200, customerRecord(CUSTOMER, ETAG_1));
		saasApi(nock).get(customerPath(CUSTOMER_2)).reply(200, customerRecord(CUSTOMER_2, ETAG_2, { number: '20000' }));

		const result = await run([{ id: CUSTOMER }, { id: CUSTOMER_2 }], 'get', { customer: byId() });

		expect(result.error(NODE)).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			id: CUSTOMER,
			'@odata.etag': ETAG_1,
			number: '10000',
			displayName: 'Adatum Corporation',
			email: 'robert.townes@contoso.com',
			phoneNumber: '',
			city: 'Atlanta',
			country: 'US',
			currencyCode: '',
			blocked: ' ',
			balanceDue: 1499.02,
			creditLimit: 0,
		});
		expect(output[1].json.number).toBe('20000');
	});

	test('Simplify off: every property but @odata.context; by URL', async () => {
		saasApi(nock).get(customerPath(CUSTOMER)).reply(200, customerRecord(CUSTOMER, ETAG_1));

		const url = `${SAAS_BASE}/companies(${COMPANY})/customers(${CUSTOMER})`;
		const result = await run([{}], 'get', { customer: locator(url, 'url'), simple: false });

		const { '@odata.context': _context, ...expected } = customerRecord(CUSTOMER, ETAG_1);
		expect(result.output(NODE)[0].json).toEqual(expected);
	});

	test('a URL of a customer payment is refused before any request (UI check passed by an expression)', async () => {
		const url = `${SAAS_BASE}/companies(${COMPANY})/customerPayments(${CUSTOMER})`;
		const result = await run([{ url }], 'get', { customer: locator('={{ $json.url }}', 'url') });

		expect(result.error(NODE)?.message).toContain('is not a customer URL (…/companies({id})/customers({id}))');
	});

	test('an answer that is another entity (a payment) becomes an error, not output', async () => {
		saasApi(nock)
			.get(customerPath(CUSTOMER))
			.reply(200, customerRecord(CUSTOMER, ETAG_1, { '@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customerPayments/$entity` }));

		const result = await run([{ id: CUSTOMER }], 'get', { customer: byId() }, true);

		expect(String(result.output(NODE)[0].json.error)).toContain(
			`Business Central sent an unexpected answer for customer ${CUSTOMER}: the answer is not a customer (@odata.context names another entity than a customer)`,
		);
	});

	test("404: Business Central's error with code, per item under Continue On Fail", async () => {
		saasApi(nock).get(customerPath(CUSTOMER)).reply(404, bcError('BadRequest_NotFound', 'The customer does not exist.'));

		const result = await run([{ id: CUSTOMER }], 'get', { customer: byId() }, true);

		expect(result.output(NODE)[0].json).toMatchObject({
			error: `Reading customer ${CUSTOMER} failed: The customer does not exist.`,
			httpStatus: 404,
			code: 'BadRequest_NotFound',
		});
	});
});

describe('Customer: Get Many (nock)', () => {
	test('every filter as its exact $filter, ANDed; Limit as $top and Prefer odata.maxpagesize', async () => {
		const scope = saasApi(nock, { prefer: 'odata.maxpagesize=10' })
			.get(CUSTOMERS_PATH)
			.query({
				$filter:
					"number eq '10000' and contains(displayName,'O''Brien') and email eq 'ap@adatum.com' and blocked eq 'Invoice' and (balanceDue gt 0)",
				$select: 'number,displayName',
				$top: '10',
			})
			.reply(200, { value: [{ '@odata.etag': ETAG_1, number: '10000', displayName: "O'Brien" }] });

		const result = await run([{}], 'getAll', {
			limit: 10,
			filters: {
				number: ' 10000 ',
				nameContains: "O'Brien",
				email: 'ap@adatum.com',
				blocked: 'Invoice',
				odataFilter: 'balanceDue gt 0',
			},
			options: { fields: 'number, displayName' },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE).map((item) => item.json)).toEqual([
			{ '@odata.etag': ETAG_1, number: '10000', displayName: "O'Brien" },
		]);
	});

	test('Return All: no $top, no $filter without filters, follows @odata.nextLink', async () => {
		const next = `${SAAS_BASE}/companies(${COMPANY})/customers?$skiptoken=abc`;
		saasApi(nock)
			.get(CUSTOMERS_PATH)
			.query((query) => Object.keys(query).length === 0)
			.reply(200, { value: [customerRecord(CUSTOMER, ETAG_1)], '@odata.nextLink': next })
			.get(CUSTOMERS_PATH)
			.query({ $skiptoken: 'abc' })
			.reply(200, { value: [customerRecord(CUSTOMER_2, ETAG_2), customerRecord(CUSTOMER_3, ETAG_3)] });

		const result = await run([{}], 'getAll', { returnAll: true });

		expect(result.output(NODE).map((item) => item.json.id)).toEqual([CUSTOMER, CUSTOMER_2, CUSTOMER_3]);
		expect(result.output(NODE).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	test('bad filters are refused before any request, naming the field and the value', async () => {
		const long = await run([{}], 'getAll', { filters: { email: `${'x'.repeat(81)}@a.com` } });
		expect(long.error(NODE)?.message).toMatch(/^Invalid Email: "x{76}\.\.\. is longer than 80 characters/);

		const escape = await run([{}], 'getAll', { filters: { odataFilter: "number eq '1') or (number ne '1'" } });
		expect(escape.error(NODE)?.message).toContain('Invalid Custom Filter');

		const blocked = await run([{}], 'getAll', { filters: { blocked: 'Everything' } });
		expect(blocked.error(NODE)?.message).toContain('Invalid Blocked: "Everything" is not one of " ", "Ship", "Invoice", "All"');
	});
});

const relative = (id: string) => `companies(${COMPANY})/customers(${id})`;

describe('Customer: Update (nock)', () => {
	test('automatic eTag: GET, then PATCH only the fields given with If-Match; Code fields upper-cased', async () => {
		saasApi(nock).get(customerPath(CUSTOMER)).reply(200, customerRecord(CUSTOMER, ETAG_1));
		saasApi(nock, { 'if-match': ETAG_1 })
			.patch(customerPath(CUSTOMER), { email: 'ap@adatum.com', country: 'DK', creditLimit: 5000, taxLiable: false, blocked: 'All' })
			.reply(200, customerRecord(CUSTOMER, ETAG_2, { email: 'ap@adatum.com', country: 'DK', creditLimit: 5000, taxLiable: false, blocked: 'All' }));

		const result = await run([{ id: CUSTOMER }], 'update', {
			customer: byId(),
			updateFields: { email: 'ap@adatum.com', country: ' dk ', creditLimit: '5000', taxLiable: false, blocked: 'All' },
			options: { includePreviousValues: true },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({
			id: CUSTOMER,
			'@odata.etag': ETAG_2,
			email: 'ap@adatum.com',
			previousValues: { email: 'robert.townes@contoso.com', country: 'US', creditLimit: 0, taxLiable: true, blocked: ' ' },
		});
	});

	test('given eTag, 409 under Fail: the item fails, nothing re-read, the eTag named', async () => {
		saasApi(nock, { 'if-match': ETAG_1 })
			.patch(customerPath(CUSTOMER), { displayName: 'Adatum Ltd.' })
			.reply(409, bcError('Request_EntityChanged', 'Another user has already changed the record.'));

		const result = await run([{ id: CUSTOMER }], 'update', {
			customer: byId(),
			updateFields: { displayName: 'Adatum Ltd.' },
			options: { eTag: ETAG_1 },
		}, true);

		expect(result.output(NODE)[0].json).toMatchObject({
			error: `Updating customer ${CUSTOMER} failed: Another user has already changed the record. The customer changed after eTag ${ETAG_1} was read; nothing was written.`,
			httpStatus: 409,
			code: 'Request_EntityChanged',
		});
	});

	test('409 under Fetch Latest and Retry Once: re-read, the same fields written once more on the new eTag', async () => {
		saasApi(nock, { 'if-match': ETAG_1 })
			.patch(customerPath(CUSTOMER), { city: 'Copenhagen' })
			.reply(409, bcError('Request_EntityChanged', 'Another user has already changed the record.'));
		saasApi(nock).get(customerPath(CUSTOMER)).reply(200, customerRecord(CUSTOMER, ETAG_2, { phoneNumber: '555-0100' }));
		saasApi(nock, { 'if-match': ETAG_2 })
			.patch(customerPath(CUSTOMER), { city: 'Copenhagen' })
			.reply(200, customerRecord(CUSTOMER, ETAG_3, { phoneNumber: '555-0100', city: 'Copenhagen' }));

		const result = await run([{ id: CUSTOMER }], 'update', {
			customer: byId(),
			updateFields: { city: 'Copenhagen' },
			options: { eTag: ETAG_1, onConflict: 'retryOnce' },
		});

		expect(result.output(NODE)[0].json).toMatchObject({ '@odata.etag': ETAG_3, city: 'Copenhagen', phoneNumber: '555-0100' });
	});

	test('Overwrite Regardless still sends a real eTag (never If-Match: *)', async () => {
		saasApi(nock, { 'if-match': ETAG_1 })
			.patch(customerPath(CUSTOMER), { website: 'adatum.com' })
			.reply(412, bcError('Request_EntityChanged', 'Another user has already changed the record.'));
		saasApi(nock).get(customerPath(CUSTOMER)).reply(200, customerRecord(CUSTOMER, ETAG_2));
		saasApi(nock, { 'if-match': ETAG_2 })
			.patch(customerPath(CUSTOMER), { website: 'adatum.com' })
			.reply(200, customerRecord(CUSTOMER, ETAG_3, { website: 'adatum.com' }));

		const result = await run([{ id: CUSTOMER }], 'update', {
			customer: byId(),
			updateFields: { website: 'adatum.com' },
			options: { eTag: ETAG_1, onConflict: 'overwrite' },
		});

		expect(result.output(NODE)[0].json).toMatchObject({ '@odata.etag': ETAG_3, website: 'adatum.com' });
	});

	test('a 504 to a PATCH is verified by re-reading: the record carries the values sent → applied, not re-sent', async () => {
		saasApi(nock, { 'if-match': ETAG_1 }).patch(customerPath(CUSTOMER), { postalCode: 'DK-1000' }).reply(504, 'Gateway Timeout');
		saasApi(nock).get(customerPath(CUSTOMER)).reply(200, customerRecord(CUSTOMER, ETAG_2, { postalCode: 'DK-1000' }));

		const result = await run([{ id: CUSTOMER }], 'update', {
			customer: byId(),
			updateFields: { postalCode: 'dk-1000' },
			options: { eTag: ETAG_1 },
		});

		expect(result.output(NODE)[0].json).toMatchObject({ '@odata.etag': ETAG_2, postalCode: 'DK-1000' });
	});

	test('several items: one $batch of GETs, one $batch of PATCHes; a conflict under Retry Once re-reads only that customer', async () => {
		const sent: Operation[][] = [];
		const eTags: Record<string, string> = { [CUSTOMER]: ETAG_1, [CUSTOMER_2]: ETAG_1, [CUSTOMER_3]: ETAG_1 };
		const idOf = (operation: Operation) => /customers\(([^)]+)\)/.exec(operation.url)![1];
		const record = (operation: Operation, eTag: string, values?: IDataObject) => ({
			id: operation.id,
			status: 200,
			body: customerRecord(idOf(operation), eTag, values),
		});
		batches(sent, 4, (operations, call) =>
			operations.map((operation) => {
				if (call === 0) return record(operation, eTags[idOf(operation)]);
				if (call === 1 && idOf(operation) === CUSTOMER_2) {
					return { id: operation.id, status: 409, body: bcError('Request_EntityChanged', 'Another user has already changed the record.') };
				}
				return call === 2 ? record(operation, ETAG_3) : record(operation, ETAG_2, operation.body);
			}),
		);

		const items = [CUSTOMER, CUSTOMER_2, CUSTOMER_3].map((id, index) => ({ id, phone: `555-010${index}` }));
		const result = await run(items, 'update', {
			customer: byId(),
			updateFields: { phoneNumber: '={{ $json.phone }}' },
			options: { onConflict: 'retryOnce' },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(sent.map((operations) => operations.map((operation) => `${operation.method} ${operation.url}`))).toEqual([
			[CUSTOMER, CUSTOMER_2, CUSTOMER_3].map((id) => `GET ${relative(id)}`),
			[CUSTOMER, CUSTOMER_2, CUSTOMER_3].map((id) => `PATCH ${relative(id)}`),
			[`GET ${relative(CUSTOMER_2)}`],
			[`PATCH ${relative(CUSTOMER_2)}`],
		]);
		expect(sent[1].map((operation) => operation.headers['If-Match'])).toEqual([ETAG_1, ETAG_1, ETAG_1]);
		expect(sent[3][0].headers['If-Match']).toBe(ETAG_3);
		expect(result.output(NODE).map((item) => item.json.phoneNumber)).toEqual(['555-0100', '555-0101', '555-0102']);
	});

	test('input checked for every item before any request: empty field, too long, Code too long, not a number, nothing to change, Clear Fields', async () => {
		const refused = async (updateFields: IDataObject) =>
			(await run([{ id: CUSTOMER }], 'update', { customer: byId(), updateFields })).error(NODE)?.message;

		expect(await refused({ email: '' })).toBe('Invalid Email: "" is empty: enter a value or remove the field (item 0)');
		expect(await refused({ city: 'x'.repeat(31) })).toContain('is longer than 30 characters, the most Business Central stores');
		expect(await refused({ currencyCode: 'EURO-DOLLAR' })).toContain('Invalid Currency Code: "EURO-DOLLAR" is longer than 10 characters');
		expect(await refused({ creditLimit: '12abc' })).toContain('Invalid Credit Limit: "12abc" is not a number');
		expect(await refused({})).toContain('Invalid Update Fields: {} is empty: add at least one field to change');
		expect(await refused({ clearFields: ['country'] })).toContain('which is not a text field that can be cleared');
	});

	test('Clear Fields empties a text property', async () => {
		saasApi(nock, { 'if-match': ETAG_1 })
			.patch(customerPath(CUSTOMER), { website: '', phoneNumber: '' })
			.reply(200, customerRecord(CUSTOMER, ETAG_2));

		const result = await run([{ id: CUSTOMER }], 'update', {
			customer: byId(),
			updateFields: { clearFields: ['website', 'phoneNumber'] },
			options: { eTag: ETAG_1 },
		});

		expect(result.error(NODE)).toBeUndefined();
	});
});
