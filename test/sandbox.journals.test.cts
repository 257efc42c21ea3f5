/**
 * Issue 11, sandbox side: journals and their Post action, customer payment journals writes,
 * customers (filters, PATCH with If-Match), sales invoices (filters), lastModifiedDateTime
 * filters — direct HTTP against the sandbox (loopback fetch), as test/sandbox.test.cts does.
 */
import { EMPTY_GUID, MSG, startSandbox, type Sandbox } from '../sandbox/index.cjs';

type Json = Record<string, any>;

let sb: Sandbox;
let base: string;
let cid: string;
/** The seeded CASH RCPT journal (has a balancing account) and GENERAL (has none). */
let cashId: string;
let generalId: string;
let company: string;

beforeAll(async () => {
	sb = await startSandbox({ seed: 7 });
	base = sb.baseUrl();
	cid = sb.companies()[0].id;
	company = `companies(${cid})`;
	const journals = sb.journals(cid);
	cashId = journals.find((j) => j.code === 'CASH RCPT')!.id;
	generalId = journals.find((j) => j.code === 'GENERAL')!.id;
});
afterAll(() => sb.close());

function call(path: string, init: RequestInit = {}): Promise<Response> {
	const url = /^https?:/.test(path) ? path : `${base}/${path}`;
	return fetch(url, {
		...init,
		headers: {
			Authorization: `Bearer ${sb.token}`,
			'Content-Type': 'application/json',
			...(init.headers as Record<string, string>),
		},
	});
}
async function json(res: Response): Promise<Json> {
	const text = await res.text();
	return text ? (JSON.parse(text) as Json) : {};
}
const post = (path: string, body: unknown = undefined, headers: Record<string, string> = {}) =>
	call(`${company}/${path}`, {
		method: 'POST',
		body: body === undefined ? undefined : JSON.stringify(body),
		headers,
	});
const patch = (path: string, body: unknown, ifMatch?: string) =>
	call(`${company}/${path}`, {
		method: 'PATCH',
		body: JSON.stringify(body),
		headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch },
	});
const postJournal = (journalId: string) => post(`journals(${journalId})/Microsoft.NAV.post`);
const errorOf = async (res: Response) => (await json(res)).error as { code: string; message: string };

/** The CASH RCPT journal's G/L account (the only balancing accounts the sandbox knows are the seeded ones). */
const cashAccountId = () => sb.journals(cid).find((j) => j.id === cashId)!.balancingAccountId;

/** A fresh, empty customer payment journal with a balancing account (so nothing else is in it). */
async function newJournal(code: string, balanced = true): Promise<Json> {
	const res = await post('customerPaymentJournals', {
		code,
		displayName: `Test ${code}`,
		...(balanced ? { balancingAccountId: cashAccountId() } : {}),
	});
	expect(res.status).toBe(201);
	return json(res);
}

/** An open invoice with nothing applied yet, and its customer. */
function openInvoice(skip = 0) {
	const invoice = sb
		.invoices(cid)
		.filter((i) => i.status === 'Open' && i.remainingAmount === i.totalAmountIncludingTax)[skip];
	return { invoice, customer: sb.customer(cid, invoice.customerId)! };
}

let documents = 0;
/**
 * A payment line through the API. Journals created through the API have no number series, so
 * the sandbox leaves documentNumber blank unless given (see README): give one.
 */
async function addPayment(journalId: string, body: Json): Promise<Json> {
	const res = await post(`customerPaymentJournals(${journalId})/customerPayments`, {
		documentNumber: `PMT${String(++documents).padStart(4, '0')}`,
		...body,
	});
	expect(res.status).toBe(201);
	return json(res);
}

describe('journals', () => {
	test('GET journals lists the general template batches; journals({id}) finds any batch by id', async () => {
		const list = await json(await call(`${company}/journals`));
		expect(list.value.map((j: Json) => [j.code, j.templateDisplayName])).toEqual([['DEFAULT', 'GENERAL']]);
		const one = await call(`${company}/journals(${cashId})`);
		expect(one.status).toBe(200);
		const body = await json(one);
		expect(Object.keys(body)).toEqual([
			'@odata.context',
			'@odata.etag',
			'id',
			'code',
			'displayName',
			'templateDisplayName',
			'lastModifiedDateTime',
			'balancingAccountId',
			'balancingAccountNumber',
		]);
		expect(body).toMatchObject({ id: cashId, code: 'CASH RCPT', templateDisplayName: 'CASHRCPT', balancingAccountNumber: '10100' });
		expect(one.headers.get('etag')).toBe(body['@odata.etag']);
		expect((await call(`${company}/journals(${EMPTY_GUID.replace(/0$/, '1')})`)).status).toBe(404);
		// writes to journals are not modelled; GET on the action is not allowed
		expect((await call(`${company}/journals(${cashId})/Microsoft.NAV.post`)).status).toBe(405);
		// the seeded GENERAL batch has no balancing account: its payments alone are out of balance
		const seeded = sb.payments(cid, generalId);
		const unbalanced = await postJournal(generalId);
		expect(unbalanced.status).toBe(400);
		expect((await errorOf(unbalanced)).message).toMatch(/^Document No\. G03\d{3} is out of balance by -[\d,.]+\. Please check/);
		expect(sb.payments(cid, generalId)).toEqual(seeded);
		// the customerPaymentJournals page has no actions
		expect((await post(`customerPaymentJournals(${cashId})/Microsoft.NAV.post`)).status).toBe(404);
	});
});

describe('Microsoft.NAV.post', () => {
	test('happy path: 204, the invoice is paid, the journal empty, a ledger entry, customer balance and eTags move', async () => {
		const journal = await newJournal('POSTOK');
		const { invoice, customer } = openInvoice(0);
		const invoiceEtag = sb.invoice(cid, invoice.id)!['@odata.etag'];
		const customerEtag = customer['@odata.etag'];
		const payment = await addPayment(journal.id, {
			customerNumber: customer.number,
			appliesToInvoiceNumber: invoice.number,
			amount: -invoice.remainingAmount,
			postingDate: '2024-03-15',
		});
		const before = Date.now();
		const res = await postJournal(journal.id);
		expect(res.status).toBe(204);
		expect(await res.text()).toBe('');
		expect(sb.payments(cid, journal.id)).toEqual([]);
		const after = sb.invoice(cid, invoice.id)!;
		expect(after).toMatchObject({ remainingAmount: 0, status: 'Paid' });
		expect(after['@odata.etag']).not.toBe(invoiceEtag);
		expect(Date.parse(after.lastModifiedDateTime)).toBeGreaterThanOrEqual(before - 5);
		const c = sb.customer(cid, customer.id)!;
		expect(c.balanceDue).toBeCloseTo(customer.balanceDue - invoice.remainingAmount, 2);
		expect(c['@odata.etag']).not.toBe(customerEtag);
		const [entry] = sb.ledgerEntries(cid, customer.id);
		expect(entry).toMatchObject({
			documentType: 'Payment',
			amount: -invoice.remainingAmount,
			remainingAmount: 0,
			open: false,
			appliedToInvoiceNumber: invoice.number,
			appliedAmount: invoice.remainingAmount,
			paymentId: payment.id,
			postingDate: '2024-03-15',
		});
		expect(sb.writes.at(-1)).toMatchObject({ method: 'POSTED', id: payment.id, after: null });
		expect(sb.postings.at(-1)).toMatchObject({ journalId: journal.id, lines: [{ id: payment.id }] });
		// the API shows it too
		const api = await json(await call(`${company}/salesInvoices(${invoice.id})`));
		expect(api).toMatchObject({ status: 'Paid', remainingAmount: 0, '@odata.etag': after['@odata.etag'] });
		// the line is gone from the API
		expect((await call(`${company}/customerPayments(${payment.id})`)).status).toBe(404);
	});

	test('partial payment: remaining reduced, still Open; an overpayment closes the invoice and leaves the rest open', async () => {
		const journal = await newJournal('PARTIAL');
		const { invoice, customer } = openInvoice(0);
		const half = Math.round(invoice.remainingAmount * 50) / 100;
		await addPayment(journal.id, { customerNumber: customer.number, appliesToInvoiceNumber: invoice.number, amount: -half });
		expect((await postJournal(journal.id)).status).toBe(204);
		const after = sb.invoice(cid, invoice.id)!;
		expect(after.status).toBe('Open');
		expect(after.remainingAmount).toBeCloseTo(invoice.remainingAmount - half, 2);
		// pay more than what is left: invoice paid, the payment entry keeps the difference open
		await addPayment(journal.id, {
			customerNumber: customer.number,
			appliesToInvoiceNumber: invoice.number,
			amount: -(after.remainingAmount + 10),
		});
		expect((await postJournal(journal.id)).status).toBe(204);
		expect(sb.invoice(cid, invoice.id)).toMatchObject({ status: 'Paid', remainingAmount: 0 });
		expect(sb.ledgerEntries(cid, customer.id).at(-1)).toMatchObject({ remainingAmount: -10, open: true });
	});

	test('an empty journal: 400 Application_DialogException "There is nothing to post."', async () => {
		const journal = await newJournal('EMPTY');
		const res = await postJournal(journal.id);
		expect(res.status).toBe(400);
		const error = await errorOf(res);
		expect(error.code).toBe('Application_DialogException');
		expect(error.message.startsWith(`${MSG.nothingToPost}  CorrelationId:  `)).toBe(true);
	});

	test('a missing batch: 404 by default, the action\'s own error with missingJournalOnPost: dialog', async () => {
		const id = '0b0b0b0b-1111-4222-8333-444444444444';
		const notFound = await postJournal(id);
		expect(notFound.status).toBe(404);
		expect((await errorOf(notFound)).code).toBe('BadRequest_NotFound');
		sb.options.missingJournalOnPost = 'dialog';
		try {
			const dialog = await postJournal(id);
			expect(dialog.status).toBe(400);
			const error = await errorOf(dialog);
			expect(error.code).toBe('Application_DialogException');
			expect(error.message).toContain(`The General Journal Batch with ID {${id.toUpperCase()}} cannot be found.`);
		} finally {
			sb.options.missingJournalOnPost = undefined;
		}
	});

	test('another user\'s line in the same batch is posted too', async () => {
		const journal = await newJournal('FOREIGN');
		const { invoice, customer } = openInvoice(0);
		const mine = await addPayment(journal.id, { customerNumber: customer.number, amount: -12.5 });
		const foreign = sb.addForeignPaymentLine(cid, journal.id, { documentNumber: 'OTHER-1', amount: -99 });
		expect(sb.writes.at(-1)).toMatchObject({ method: 'EXTERNAL', id: foreign.id });
		expect(sb.payments(cid, journal.id).map((p) => p.id)).toEqual([mine.id, foreign.id]);
		expect((await postJournal(journal.id)).status).toBe(204);
		expect(sb.payments(cid, journal.id)).toEqual([]);
		const posted = sb.postings.at(-1)!;
		expect(posted.lines.map((l) => l.id).sort()).toEqual([mine.id, foreign.id].sort());
		expect(posted.entries.map((e) => e.documentNumber)).toContain('OTHER-1');
		void invoice;
	});

	test('a line without document number: 400, nothing posted (atomic), whatever the line order', async () => {
		const journal = await newJournal('ATOMIC');
		const { invoice, customer } = openInvoice(0);
		const invoiceBefore = sb.invoice(cid, invoice.id)!;
		const customerBefore = sb.customer(cid, customer.id)!;
		const ledgerBefore = sb.ledgerEntries(cid).length;
		const good = await addPayment(journal.id, {
			customerNumber: customer.number,
			appliesToInvoiceNumber: invoice.number,
			amount: -invoice.remainingAmount,
		});
		const bad = sb.addForeignPaymentLine(cid, journal.id, { documentNumber: '' });
		const res = await postJournal(journal.id);
		expect(res.status).toBe(400);
		const error = await errorOf(res);
		expect(error.code).toBe('Application_FieldValidationException');
		expect(error.message).toContain(
			`Document No. must have a value in Gen. Journal Line: Journal Template Name=CASHRCPT, Journal Batch Name=ATOMIC, Line No.=${bad.lineNumber}. It cannot be zero or empty.`,
		);
		expect(sb.payments(cid, journal.id).map((p) => p.id)).toEqual([good.id, bad.id]);
		expect(sb.invoice(cid, invoice.id)).toEqual(invoiceBefore);
		expect(sb.customer(cid, customer.id)).toEqual(customerBefore);
		expect(sb.ledgerEntries(cid)).toHaveLength(ledgerBefore);
		expect(sb.getPayment(cid, good.id)?.['@odata.etag']).toBe(good['@odata.etag']);
	});

	test('posting date outside the allowed range: 400, nothing posted; posts once the range allows it', async () => {
		const journal = await newJournal('DATES');
		const { customer } = openInvoice(1);
		const line = await addPayment(journal.id, { customerNumber: customer.number, amount: -5, postingDate: '2023-12-31' });
		sb.setAllowedPostingDates('2024-01-01', '2024-12-31');
		try {
			const res = await postJournal(journal.id);
			expect(res.status).toBe(400);
			const error = await errorOf(res);
			expect(error.code).toBe('Application_DialogException');
			expect(error.message).toContain(
				`Posting Date is not within your range of allowed posting dates in Gen. Journal Line Journal Template Name='CASHRCPT',Journal Batch Name='DATES',Line No.='${line.lineNumber}'.`,
			);
			expect(sb.payments(cid, journal.id)).toHaveLength(1);
			sb.setAllowedPostingDates('2023-12-01', null);
			expect((await postJournal(journal.id)).status).toBe(204);
		} finally {
			sb.setAllowedPostingDates(null, null);
		}
	});

	test('other line checks: zero and positive amounts, a closed invoice, a batch without balancing account', async () => {
		const journal = await newJournal('CHECKS');
		const { invoice, customer } = openInvoice(0);
		const zero = await addPayment(journal.id, { customerNumber: customer.number, amount: 0 });
		let error = await errorOf(await postJournal(journal.id));
		expect(error).toMatchObject({ code: 'Application_FieldValidationException' });
		expect(error.message).toContain(`Amount must have a value in Gen. Journal Line: Journal Template Name=CASHRCPT, Journal Batch Name=CHECKS, Line No.=${zero.lineNumber}.`);
		await patch(`customerPayments(${zero.id})`, { amount: 5 }, '*');
		error = await errorOf(await postJournal(journal.id));
		expect(error.message).toContain(`Amount must be negative in Gen. Journal Line Journal Template Name='CASHRCPT',Journal Batch Name='CHECKS',Line No.='${zero.lineNumber}'.`);
		// a paid invoice has no open entry left
		const paid = sb.invoices(cid).find((i) => i.status === 'Paid')!;
		await patch(`customerPayments(${zero.id})`, { amount: -5, customerNumber: paid.customerNumber, appliesToInvoiceNumber: paid.number }, '*');
		const res = await postJournal(journal.id);
		expect(res.status).toBe(400);
		error = await errorOf(res);
		expect(error.code).toBe('Internal_DataNotFoundFilter');
		expect(error.message).toContain('There is no Cust. Ledger Entry within the filter.');
		expect(sb.payments(cid, journal.id)).toHaveLength(1);
		// a batch without balancing account must balance per document
		const unbalanced = await newJournal('NOBAL', false);
		await addPayment(unbalanced.id, { customerNumber: customer.number, amount: -1234.5, documentNumber: 'D1' });
		error = await errorOf(await postJournal(unbalanced.id));
		expect(error.message).toContain(
			'Document No. D1 is out of balance by -1,234.5. Please check that Posting Date, Document Type, Document No. and Amount are correct for each line.',
		);
		void invoice;
	});

	test('in an Isolation: snapshot $batch a post rolled back by a later failure leaves no trace', async () => {
		const journal = await newJournal('SNAP');
		const { invoice, customer } = openInvoice(2);
		const line = await addPayment(journal.id, {
			customerNumber: customer.number,
			appliesToInvoiceNumber: invoice.number,
			amount: -invoice.remainingAmount,
		});
		const ledgerBefore = sb.ledgerEntries(cid).length;
		const res = await call('$batch', {
			method: 'POST',
			headers: { Accept: 'application/json', Isolation: 'snapshot' },
			body: JSON.stringify({
				requests: [
					{ id: '1', method: 'POST', url: `${company}/journals(${journal.id})/Microsoft.NAV.post` },
					{ id: '2', method: 'GET', url: `${company}/customers(${EMPTY_GUID})` },
				],
			}),
		});
		expect(res.status).toBe(200);
		const answers = (await json(res)).responses as Json[];
		expect(answers.find((a) => a.id === '2')?.status).toBe(404);
		expect(sb.payments(cid, journal.id).map((p) => p.id)).toEqual([line.id]);
		expect(sb.invoice(cid, invoice.id)!.status).toBe('Open');
		expect(sb.ledgerEntries(cid)).toHaveLength(ledgerBefore);
	});
});

describe('customer payment journals', () => {
	test('POST: code upper-cased, balancing account from its id, 201 with Location and ETag; errors', async () => {
		const res = await post('customerPaymentJournals', { code: ' web ', displayName: 'Web receipts', balancingAccountId: cashAccountId() });
		expect(res.status).toBe(201);
		const body = await json(res);
		expect(body).toMatchObject({ code: 'WEB', displayName: 'Web receipts', balancingAccountNumber: '10100' });
		expect(res.headers.get('location')).toBe(`${base}/${company}/customerPaymentJournals(${body.id})`);
		expect(res.headers.get('etag')).toBe(body['@odata.etag']);
		expect((await call(`${company}/customerPaymentJournals(${body.id})`)).status).toBe(200);

		const duplicate = await post('customerPaymentJournals', { code: 'web' });
		expect(duplicate.status).toBe(400);
		expect((await errorOf(duplicate)).code).toBe('Internal_EntityWithSameKeyExists');
		const blank = await post('customerPaymentJournals', { displayName: 'no code' });
		expect((await errorOf(blank)).code).toBe('Application_FieldValidationException');
		const unknownAccount = await post('customerPaymentJournals', { code: 'X1', balancingAccountId: '12345678-1234-4234-8234-123456789012' });
		expect(await errorOf(unknownAccount)).toMatchObject({ code: 'Application_DialogException' });
		const readOnly = await post('customerPaymentJournals', { code: 'X2', balancingAccountNumber: '10100' });
		expect((await errorOf(readOnly)).code).toBe('BadRequest_InvalidOperation');
		const tooLong = await post('customerPaymentJournals', { code: 'ELEVENCHARS' });
		expect((await errorOf(tooLong)).code).toBe('Application_StringExceededLength');
	});

	test('PATCH (If-Match) renames and carries the lines along; DELETE removes the batch and every line in it', async () => {
		const journal = await newJournal('RENAME');
		const { customer } = openInvoice(0);
		const line = await addPayment(journal.id, { customerNumber: customer.number, amount: -1 });
		expect((await patch(`customerPaymentJournals(${journal.id})`, { code: 'renamed' })).status).toBe(400);
		const stale = await patch(`customerPaymentJournals(${journal.id})`, { code: 'renamed' }, 'W/"JzE5OzE7MDA7Jw=="');
		expect(stale.status).toBe(409);
		const ok = await patch(`customerPaymentJournals(${journal.id})`, { code: 'renamed' }, journal['@odata.etag']);
		expect(ok.status).toBe(200);
		const renamed = await json(ok);
		expect(renamed.code).toBe('RENAMED');
		expect(renamed['@odata.etag']).not.toBe(journal['@odata.etag']);
		expect(sb.getPayment(cid, line.id)?.journalDisplayName).toBe('RENAMED');
		const foreign = sb.addForeignPaymentLine(cid, journal.id);
		const del = await call(`${company}/customerPaymentJournals(${journal.id})`, {
			method: 'DELETE',
			headers: { 'If-Match': renamed['@odata.etag'] },
		});
		expect(del.status).toBe(204);
		expect(sb.getPayment(cid, line.id)).toBeUndefined();
		expect(sb.getPayment(cid, foreign.id)).toBeUndefined();
		expect(sb.journal(cid, journal.id)).toBeUndefined();
	});
});

describe('customers', () => {
	const list = async (query: string) => {
		const res = await call(`${company}/customers?${query}`);
		expect(res.status).toBe(200);
		return json(res);
	};

	test('v2.0 properties and $filter on number, displayName (contains / startswith), email, blocked; paging', async () => {
		const all = sb.customers(cid);
		const first = (await list('$top=1')).value[0];
		expect(Object.keys(first)).toEqual([
			'@odata.etag',
			'id',
			'number',
			'displayName',
			'type',
			'phoneNumber',
			'email',
			'website',
			'currencyCode',
			'blocked',
			'balanceDue',
			'lastModifiedDateTime',
		]);
		expect((await list(`$filter=number eq '30000'`)).value.map((c: Json) => c.number)).toEqual(['30000']);
		const contains = (await list(`$filter=contains(displayName,'RESEARCH')`)).value;
		expect(contains.map((c: Json) => c.displayName)).toEqual(all.filter((c) => /research/i.test(c.displayName)).map((c) => c.displayName));
		const starts = (await list(`$filter=startswith(displayName,'a')`)).value;
		expect(starts.length).toBe(all.filter((c) => /^a/i.test(c.displayName)).length);
		expect(starts.length).toBeGreaterThan(0);
		const byEmail = (await list(`$filter=email eq '${all[3].email}'`)).value;
		expect(byEmail.map((c: Json) => c.id)).toEqual([all[3].id]);
		const notBlocked = (await list(`$filter=blocked eq ' '&$count=true`));
		expect(notBlocked['@odata.count']).toBe(all.filter((c) => c.blocked === ' ').length);
		// server-driven paging
		sb.options.pageSize = 5;
		try {
			const page1 = await list('');
			expect(page1.value).toHaveLength(5);
			const page2 = await json(await call(page1['@odata.nextLink']));
			expect(page2.value[0].id).toBe(all[5].id);
		} finally {
			sb.options.pageSize = 50;
		}
	});

	test('PATCH with If-Match: 200 and a new eTag; stale 409; none 400; field rules', async () => {
		const customer = sb.customers(cid)[4];
		const etag = sb.customer(cid, customer.id)!['@odata.etag'];
		const path = `customers(${customer.id})`;
		expect((await patch(path, { phoneNumber: '+1 555 0100' })).status).toBe(400);
		const res = await patch(path, { phoneNumber: '+1 555 0100', email: 'ap@example.com', blocked: 'Invoice' }, etag);
		expect(res.status).toBe(200);
		const body = await json(res);
		expect(body).toMatchObject({ phoneNumber: '+1 555 0100', email: 'ap@example.com', blocked: 'Invoice' });
		expect(body['@odata.etag']).not.toBe(etag);
		expect(res.headers.get('etag')).toBe(body['@odata.etag']);
		expect(Date.parse(body.lastModifiedDateTime)).toBeGreaterThan(Date.parse(customer.lastModifiedDateTime));
		const stale = await patch(path, { displayName: 'Late' }, etag);
		expect(stale.status).toBe(409);
		expect((await errorOf(stale)).code).toBe('Request_EntityChanged');
		expect(sb.customer(cid, customer.id)!.displayName).toBe(customer.displayName);
		const blank = await errorOf(await patch(path, { displayName: '' }, '*'));
		expect(blank.code).toBe('Application_DialogException');
		expect(blank.message).toContain(MSG.blankDisplayName);
		expect((await errorOf(await patch(path, { balanceDue: 1 }, '*'))).code).toBe('BadRequest_InvalidOperation');
		expect((await errorOf(await patch(path, { nickname: 'x' }, '*'))).code).toBe('BadRequest_NotFound');
		expect((await errorOf(await patch(path, { blocked: 'Everything' }, '*'))).code).toBe('BadRequest_InvalidRequestBody');
		expect((await patch(path, { number: '99999' }, '*')).status).toBe(501);
		// customers cannot be created or deleted in the sandbox
		expect((await call(`${company}/customers`, { method: 'POST', body: '{}' })).status).toBe(405);
	});
});

describe('sales invoices', () => {
	const list = async (query: string) => {
		const res = await call(`${company}/salesInvoices?${query}`);
		expect(res.status).toBe(200);
		return (await json(res)).value as Json[];
	};

	test('filters that matter for matching payments', async () => {
		const invoices = sb.invoices(cid);
		const sample = invoices.find((i) => i.status === 'Open' && i.externalDocumentNumber !== '')!;
		expect((await list(`$filter=customerId eq ${sample.customerId}`)).map((i) => i.id)).toEqual(
			invoices.filter((i) => i.customerId === sample.customerId).map((i) => i.id),
		);
		expect((await list(`$filter=customerNumber eq '${sample.customerNumber}' and status eq 'Open'`)).every((i) => i.status === 'Open')).toBe(true);
		expect((await list(`$filter=number eq '${sample.number}'`)).map((i) => i.id)).toEqual([sample.id]);
		expect((await list(`$filter=externalDocumentNumber eq '${sample.externalDocumentNumber}'`)).map((i) => i.id)).toContain(sample.id);
		const due = await list(`$filter=dueDate ge 2024-03-01 and dueDate le 2024-03-31`);
		expect(due.map((i) => i.id)).toEqual(invoices.filter((i) => i.dueDate >= '2024-03-01' && i.dueDate <= '2024-03-31').map((i) => i.id));
		const big = await list(`$filter=remainingAmount gt 10000&$orderby=remainingAmount desc`);
		expect(big.every((i, k) => i.remainingAmount > 10000 && (k === 0 || big[k - 1].remainingAmount >= i.remainingAmount))).toBe(true);
		expect((await list(`$filter=status eq 'Paid' or status eq 'Canceled'`)).every((i) => ['Paid', 'Canceled'].includes(i.status))).toBe(true);
		// GUIDs are unquoted in BC filters
		expect((await call(`${company}/salesInvoices?$filter=customerId eq '${sample.customerId}'`)).status).toBe(400);
		const one = await call(`${company}/salesInvoices(${sample.id})`);
		expect(one.headers.get('etag')).toBe((await json(one))['@odata.etag']);
		// posted invoices stay read-only
		expect((await patch(`salesInvoices(${sample.id})`, { externalDocumentNumber: 'X' }, '*')).status).toBe(405);
	});
});

describe('lastModifiedDateTime', () => {
	/** BC's SystemModifiedAt is a SQL datetime: 1/300 s, milliseconds end in 0, 3 or 7. */
	const bcPrecision = (iso: string) => {
		const ms = new Date(iso).getUTCMilliseconds();
		return [0, 3, 7].includes(ms % 10);
	};

	test('gt / ge / lt / le filters see changes on payments, customers and invoices', async () => {
		await new Promise((r) => setTimeout(r, 15));
		const mark = new Date().toISOString();
		await new Promise((r) => setTimeout(r, 15));
		// a payment change, a customer change, an invoice change (through posting)
		const journal = await newJournal('POLL');
		const { invoice, customer } = openInvoice(0);
		const line = await addPayment(journal.id, { customerNumber: customer.number, amount: -1, appliesToInvoiceNumber: invoice.number });
		const changed = sb.customers(cid)[7];
		await patch(`customers(${changed.id})`, { website: 'www.example.com' }, '*');

		const payments = (await json(await call(`${company}/customerPayments?$filter=journalId eq ${journal.id} and lastModifiedDateTime gt ${mark}`))).value as Json[];
		expect(payments.map((p) => p.id)).toEqual([line.id]);
		expect(bcPrecision(payments[0].lastModifiedDateTime)).toBe(true);
		const customers = (await json(await call(`${company}/customers?$filter=lastModifiedDateTime ge ${mark}`))).value as Json[];
		expect(customers.map((c) => c.id)).toEqual([changed.id]);
		const older = (await json(await call(`${company}/customers?$filter=lastModifiedDateTime lt ${mark}&$count=true`)))['@odata.count'];
		expect(older).toBe(sb.customers(cid).length - 1);

		expect((await postJournal(journal.id)).status).toBe(204);
		const invoices = (await json(await call(`${company}/salesInvoices?$filter=lastModifiedDateTime gt ${mark}`))).value as Json[];
		expect(invoices.map((i) => i.id)).toEqual([invoice.id]);
		const touched = (await json(await call(`${company}/customers?$filter=lastModifiedDateTime gt ${mark}`))).value as Json[];
		expect(touched.map((c) => c.id).sort()).toEqual([changed.id, customer.id].sort());
		expect((await json(await call(`${company}/salesInvoices?$filter=lastModifiedDateTime le ${mark}&$top=1`))).value).toHaveLength(1);
	});

	test('touchOnPost: storedOnly leaves customers alone and touches only invoices whose status changed', async () => {
		sb.options.touchOnPost = 'storedOnly';
		try {
			const journal = await newJournal('STORED');
			const { invoice: open, customer } = openInvoice(0);
			const invoice = sb.invoice(cid, open.id)!;
			await addPayment(journal.id, { customerNumber: customer.number, amount: -1, appliesToInvoiceNumber: invoice.number });
			expect((await postJournal(journal.id)).status).toBe(204);
			expect(sb.invoice(cid, invoice.id)).toMatchObject({
				remainingAmount: Math.round((invoice.remainingAmount - 1) * 100) / 100,
				lastModifiedDateTime: invoice.lastModifiedDateTime,
				'@odata.etag': invoice['@odata.etag'],
			});
			expect(sb.customer(cid, customer.id)!['@odata.etag']).toBe(customer['@odata.etag']);
			expect(sb.customer(cid, customer.id)!.balanceDue).toBeCloseTo(customer.balanceDue - 1, 2);
		} finally {
			sb.options.touchOnPost = undefined;
		}
	});

	test('records changed within the same tick share a timestamp (SQL datetime precision)', async () => {
		const journal = await newJournal('TICKS');
		const customers = sb.customers(cid).slice(0, 2);
		// a posting touches invoices and customers in one transaction: one timestamp
		const { invoice, customer } = openInvoice(0);
		await addPayment(journal.id, { customerNumber: customer.number, amount: -2, appliesToInvoiceNumber: invoice.number });
		expect((await postJournal(journal.id)).status).toBe(204);
		expect(sb.invoice(cid, invoice.id)!.lastModifiedDateTime).toBe(sb.customer(cid, customer.id)!.lastModifiedDateTime);
		expect(bcPrecision(sb.customer(cid, customer.id)!.lastModifiedDateTime)).toBe(true);
		void customers;
	});
});
