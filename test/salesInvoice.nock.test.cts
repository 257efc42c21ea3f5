/**
 * Resource Sales Invoice through n8n's engine (node loaded from dist/), HTTP intercepted by
 * strict nock (no real network; an unexpected or missing request fails the test): Get (ID,
 * URL, Simplify, another entity's answer, 404), Get Many (each filter as its exact
 * `$filter`, Return All over `@odata.nextLink`, Limit as `$top`), and input errors raised
 * before any request, naming field, value and item.
 */
import nock from 'nock';
import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	COMPANY,
	CUSTOMER,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	INVOICE,
	itemsNode,
	locator,
	SAAS_BASE,
	SAAS_PATH,
	saasApi,
	useNock,
} from './fixtures.cjs';

useNock(nock);

const NODE = 'Business Central';
const INVOICES_PATH = `${SAAS_PATH}/companies(${COMPANY})/salesInvoices`;
const invoicePath = (id: string) => `${INVOICES_PATH}(${id})`;
const INVOICE_2 = '55dd0a52-4b7c-ef11-8a6b-6045bde9c5a5';
const INVOICE_3 = '66ee0a52-4b7c-ef11-8a6b-6045bde9c5a6';


function invoiceRecord(id: string, eTag: string, values: IDataObject = {}): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/salesInvoices/$entity`,
		'@odata.etag': eTag,
		id,
		number: '103001',
		externalDocumentNumber: 'PO-12345',
		invoiceDate: '2026-10-01',
		postingDate: '2026-10-01',
		dueDate: '2026-10-31',
		customerId: CUSTOMER,
		customerNumber: '10000',
		customerName: 'Adatum Corporation',
		currencyCode: '',
		totalAmountExcludingTax: 1250,
		totalTaxAmount: 250,
		totalAmountIncludingTax: 1500,
		remainingAmount: 1500,
		status: 'Open',
		lastModifiedDateTime: '2026-10-01T10:00:00Z',
		...values,
	};
}

function invoiceNode(operation: string, parameters: IDataObject, continueOnFail = false): INode {
	return {
		id: 'bc-invoice',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			authentication: 'bearerToken',
			resource: 'salesInvoice',
			operation,
			company: locator(COMPANY),
			...parameters,
		} as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

async function run(items: IDataObject[], operation: string, parameters: IDataObject, continueOnFail = false) {
	const workflow: WorkflowJson = {
		name: `sales invoice ${operation}`,
		nodes: [itemsNode(items), invoiceNode(operation, parameters, continueOnFail)],
		connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } },
	};
	return await runWorkflow(workflow, { credentials: bearerCredentials() });
}

describe('Sales Invoice: Get (nock)', () => {
	test('GET companies(c)/salesInvoices(id) per item, simplified by default, paired to its item', async () => {
		saasApi(nock).get(invoicePath(INVOICE)).reply(200, invoiceRecord(INVOICE, ETAG_1));
		saasApi(nock).get(invoicePath(INVOICE_2)).reply(200, invoiceRecord(INVOICE_2, ETAG_2, { number: '103002', status: 'Paid', remainingAmount: 0 }));

		const result = await run([{ id: INVOICE }, { id: INVOICE_2 }], 'get', { salesInvoice: locator('={{ $json.id }}') });

		expect(result.error(NODE)).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toEqual({
			id: INVOICE,
			'@odata.etag': ETAG_1,
			number: '103001',
			externalDocumentNumber: 'PO-12345',
			invoiceDate: '2026-10-01',
			dueDate: '2026-10-31',
			customerId: CUSTOMER,
			customerNumber: '10000',
			customerName: 'Adatum Corporation',
			totalAmountIncludingTax: 1500,
			remainingAmount: 1500,
			status: 'Open',
		});
		expect(output[1].json).toMatchObject({ number: '103002', status: 'Paid', remainingAmount: 0 });
	});

	test('Simplify off, by URL: every property but @odata.context', async () => {
		saasApi(nock).get(invoicePath(INVOICE)).reply(200, invoiceRecord(INVOICE, ETAG_1));

		const url = `${SAAS_BASE}/companies(${COMPANY})/salesInvoices(${INVOICE})`;
		const result = await run([{}], 'get', { salesInvoice: locator(url, 'url'), simple: false });

		const { '@odata.context': _context, ...expected } = invoiceRecord(INVOICE, ETAG_1);
		expect(result.output(NODE)[0].json).toEqual(expected);
	});

	test('a customer URL or a malformed ID is refused before any request, naming the item', async () => {
		const url = `${SAAS_BASE}/companies(${COMPANY})/customers(${CUSTOMER})`;
		const wrongUrl = await run([{ url }], 'get', { salesInvoice: locator('={{ $json.url }}', 'url') });
		expect(wrongUrl.error(NODE)?.message).toContain('is not a sales invoice URL (…/companies({id})/salesInvoices({id}))');

		const badId = await run([{ id: INVOICE }, { id: `${INVOICE})/customers(` }], 'get', { salesInvoice: locator('={{ $json.id }}') });
		expect(badId.error(NODE)?.message).toContain('is not a GUID');
		expect(JSON.stringify(badId.error(NODE))).toContain('item 1');
	});

	test('an answer that is another entity becomes an error; a 404 carries Business Central\'s code', async () => {
		saasApi(nock)
			.get(invoicePath(INVOICE))
			.reply(200, invoiceRecord(INVOICE, ETAG_1, { '@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customers/$entity` }));
		saasApi(nock).get(invoicePath(INVOICE_2)).reply(404, bcError('BadRequest_NotFound', 'The salesInvoice does not exist.'));

		const result = await run([{ id: INVOICE }, { id: INVOICE_2 }], 'get', { salesInvoice: locator('={{ $json.id }}') }, true);

		const [wrong, missing] = result.output(NODE).map((item) => item.json);
		expect(String(wrong.error)).toContain(`unexpected answer for sales invoice ${INVOICE}: the answer is not a sales invoice`);
		expect(missing).toMatchObject({
			error: `Reading sales invoice ${INVOICE_2} failed: The salesInvoice does not exist.`,
			httpStatus: 404,
			code: 'BadRequest_NotFound',
		});
	});
});

describe('Sales Invoice: Get Many (nock)', () => {
	test('every filter as its exact $filter, ANDed in a fixed order; Limit as $top and odata.maxpagesize', async () => {
		const scope = saasApi(nock, { prefer: 'odata.maxpagesize=5' })
			.get(INVOICES_PATH)
			.query({
				$filter:
					`customerId eq ${CUSTOMER} and status eq 'Open' and dueDate ge 2026-10-01 and dueDate le 2026-10-31` +
					" and remainingAmount ge 1499.5 and remainingAmount le 1500 and number eq '103001'" +
					" and externalDocumentNumber eq 'PO-12''345' and (totalAmountIncludingTax gt 1000)",
				$top: '5',
			})
			.reply(200, { value: [invoiceRecord(INVOICE, ETAG_1)] });

		const result = await run([{}], 'getAll', {
			limit: 5,
			filters: {
				customer: locator(CUSTOMER),
				status: 'Open',
				dueDateFrom: '2026-10-01',
				dueDateTo: '2026-10-31T23:30:00',
				remainingAmountMin: '1499.50',
				remainingAmountMax: 1500,
				number: ' 103001 ',
				externalDocumentNumber: "po-12'345",
				odataFilter: 'totalAmountIncludingTax gt 1000',
			},
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output(NODE).map((item) => item.json.id)).toEqual([INVOICE]);
	});

	test('Customer By Number → customerNumber, upper-cased; Status Paid; Fields as $select', async () => {
		saasApi(nock)
			.get(INVOICES_PATH)
			.query({ $filter: "customerNumber eq 'C-10000' and status eq 'Paid'", $select: 'number,status', $top: '50' })
			.reply(200, { value: [{ '@odata.etag': ETAG_1, number: '103001', status: 'Paid' }] });

		const result = await run([{ customer: 'c-10000' }], 'getAll', {
			filters: { customer: locator('={{ $json.customer }}', 'number'), status: 'Paid' },
			options: { fields: 'number, status' },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json)).toEqual([{ '@odata.etag': ETAG_1, number: '103001', status: 'Paid' }]);
	});

	test('Return All: no $top, no $filter without filters, follows @odata.nextLink; one search per item', async () => {
		const next = `${SAAS_BASE}/companies(${COMPANY})/salesInvoices?$skiptoken=abc`;
		saasApi(nock)
			.get(INVOICES_PATH)
			.query((query) => Object.keys(query).length === 0)
			.reply(200, { value: [invoiceRecord(INVOICE, ETAG_1)], '@odata.nextLink': next })
			.get(INVOICES_PATH)
			.query({ $skiptoken: 'abc' })
			.reply(200, { value: [invoiceRecord(INVOICE_2, ETAG_2), invoiceRecord(INVOICE_3, ETAG_3)] });
		saasApi(nock)
			.get(INVOICES_PATH)
			.query({ $filter: "number eq '103009'" })
			.reply(200, { value: [] });

		const result = await run([{}, { number: '103009' }], 'getAll', {
			returnAll: true,
			filters: { number: '={{ $json.number ?? "" }}' },
		});

		expect(result.error(NODE)).toBeUndefined();
		expect(result.output(NODE).map((item) => item.json.id)).toEqual([INVOICE, INVOICE_2, INVOICE_3]);
		expect(result.output(NODE).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	test.each([
		[{ status: 'Overdue' }, 'Invalid Status: "Overdue" is not one of "Draft", "In Review", "Open", "Paid", "Canceled", "Corrective"'],
		[{ customer: locator('not-a-guid') }, 'Invalid Customer: "not-a-guid" is not a GUID'],
		[{ customer: locator('x'.repeat(21), 'number') }, 'Invalid Customer: "xxxxxxxxxxxxxxxxxxxxx" is longer than 20 characters'],
		[{ dueDateFrom: '2026-02-30' }, 'Invalid Due Date From: "2026-02-30" is not a real calendar date'],
		[{ dueDateFrom: '2026-11-01', dueDateTo: '2026-10-01' }, 'Invalid Due Date To: "2026-10-01" is before Due Date From (2026-11-01)'],
		[{ remainingAmountMin: '12abc' }, 'Invalid Remaining Amount Min: "12abc" is not a number'],
		[{ remainingAmountMin: 200, remainingAmountMax: '100' }, 'Invalid Remaining Amount Max: "100" is below Remaining Amount Min (200)'],
		[{ externalDocumentNumber: 'x'.repeat(36) }, 'Invalid External Document Number: '],
		[{ odataFilter: "status eq 'Open') or (status ne 'Open'" }, 'Invalid Custom Filter'],
	])('bad filters %j are refused before any request: %s', async (filters, message) => {
		const result = await run([{}, {}], 'getAll', { filters });

		expect(result.error(NODE)?.message).toContain(message);
	});

	test('a bad filter in item 1 stops the run before item 0 is sent', async () => {
		const result = await run([{ max: '100' }, { max: 'lots' }], 'getAll', {
			filters: { remainingAmountMax: '={{ $json.max }}' },
		});

		expect(result.error(NODE)?.message).toContain('Invalid Remaining Amount Max: "lots" is not a number');
		expect(JSON.stringify(result.error(NODE))).toContain('item 1');
	});
});
