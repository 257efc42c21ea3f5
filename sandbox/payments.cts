/**
 * Write rules of the customerPayments API page (a Gen. Journal Line), after
 * the AL source of BC's "APIV2 - Customer Payments" page:
 * - body properties are checked first (unknown → 400, read-only → 400, EDM
 *   type, Code/Text lengths; Code fields are upper-cased like BC stores them);
 * - then validated in page field order: journalId (create only), lineNumber
 *   (unique per journal), customerId → fills customerNumber, customerNumber
 *   (must agree with customerId when both are sent), appliesToInvoiceId (a
 *   posted invoice; fills the number and, if the line has no customer, the
 *   customer), appliesToInvoiceNumber (must agree with the id; an unknown
 *   number is stored as is with the id cleared);
 * - amount is stored exactly as sent.
 */
import { BcError, EMPTY_GUID, errors, MSG } from './errors.cjs';
import { GUID_RE } from './entities.cjs';
import { isValidDate } from './odata.cjs';
import { nextDocNumber } from './seed.cjs';
import type { CompanyData } from './store.cjs';
import type { ApiVersion, Customer, CustomerPayment, SalesInvoice } from './types.cjs';

type Kind = 'guid' | 'code' | 'text' | 'int' | 'decimal' | 'date';

/** Writable properties: EDM kind and maximum length (Code fields are upper-cased). */
const WRITABLE: Record<string, { kind: Kind; max?: number }> = {
	journalId: { kind: 'guid' },
	journalDisplayName: { kind: 'code', max: 10 },
	lineNumber: { kind: 'int' },
	customerId: { kind: 'guid' },
	customerNumber: { kind: 'code', max: 20 },
	contactId: { kind: 'text', max: 250 },
	postingDate: { kind: 'date' },
	documentNumber: { kind: 'code', max: 20 },
	externalDocumentNumber: { kind: 'code', max: 35 },
	amount: { kind: 'decimal' },
	appliesToInvoiceId: { kind: 'guid' },
	appliesToInvoiceNumber: { kind: 'code', max: 20 },
	description: { kind: 'text', max: 100 },
	comment: { kind: 'text', max: 250 },
};
const READ_ONLY = new Set(['id', 'lastModifiedDateTime']);
const V2_MISSING = new Set(['contactId']);

export type PaymentBody = Partial<Record<keyof CustomerPayment, unknown>>;

/** Checks property names and EDM types; returns normalised values. */
export function checkBody(body: Record<string, unknown>, api: ApiVersion): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		if (key.startsWith('@')) continue; // instance annotations such as @odata.etag / @odata.context
		if (READ_ONLY.has(key)) throw errors.readOnly(key);
		const spec = WRITABLE[key];
		if (!spec || (api === 'v2.0' && V2_MISSING.has(key)))
			throw errors.unknownProperty(key, 'customerPayment');
		out[key] = checkValue(key, value, spec.kind, spec.max);
	}
	return out;
}

function checkValue(key: string, value: unknown, kind: Kind, max?: number): unknown {
	const typeError = (edm: string) =>
		errors.badBody(
			`Cannot convert the literal '${value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value)}' to the expected type '${edm}' (property '${key}').`,
		);
	switch (kind) {
		case 'guid':
			if (typeof value !== 'string' || !GUID_RE.test(value)) throw errors.invalidGuid(value);
			return value.toLowerCase();
		case 'int':
			if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2147483647)
				throw typeError('Edm.Int32');
			return value;
		case 'decimal':
			if (typeof value !== 'number' || !Number.isFinite(value)) throw typeError('Edm.Decimal');
			return value;
		case 'date':
			if (typeof value !== 'string' || !isValidDate(value)) throw typeError('Edm.Date');
			return value;
		default: {
			if (typeof value !== 'string') throw typeError('Edm.String');
			if (max !== undefined && value.length > max) throw errors.stringLength(key, value, max);
			return kind === 'code' ? value.toUpperCase() : value;
		}
	}
}

interface Lookups {
	customerById(id: string): Customer | undefined;
	customerByNumber(no: string): Customer | undefined;
	/** Posted invoices only (Sales Invoice Header): status other than Draft. */
	postedInvoiceById(id: string): SalesInvoice | undefined;
	postedInvoiceByNumber(no: string): SalesInvoice | undefined;
}

function lookups(company: CompanyData): Lookups {
	const posted = company.invoices.map((i) => i.data).filter((i) => i.status !== 'Draft');
	return {
		customerById: (id) => company.customers.find((c) => c.data.id === id)?.data,
		customerByNumber: (no) => company.customers.find((c) => c.data.number === no)?.data,
		postedInvoiceById: (id) => posted.find((i) => i.id === id),
		postedInvoiceByNumber: (no) => posted.find((i) => i.number === no),
	};
}

function setCustomer(line: CustomerPayment, customer: Customer | undefined): void {
	line.customerId = customer ? customer.id : EMPTY_GUID;
	line.customerNumber = customer ? customer.number : '';
}

/**
 * Validates the (already type-checked) body fields in page order and applies
 * them to `line` (a copy). Throws BcError on the first failure.
 */
function applyFields(
	company: CompanyData,
	line: CustomerPayment,
	body: Record<string, unknown>,
): void {
	const look = lookups(company);
	const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
	if (has('lineNumber') && body.lineNumber !== line.lineNumber) {
		const taken = [...company.payments.values()].some(
			(p) =>
				p.data.journalId === line.journalId &&
				p.data.lineNumber === body.lineNumber &&
				p.data.id !== line.id,
		);
		if (taken) {
			throw new BcError(
				400,
				'Internal_EntityWithSameKeyExists',
				`The record in table Gen. Journal Line already exists. Identification fields and values: Journal Template Name='CASHRCPT',Journal Batch Name='${line.journalDisplayName}',Line No.='${String(body.lineNumber)}'`,
			);
		}
		line.lineNumber = body.lineNumber as number;
	}
	let customerFromId: Customer | undefined;
	if (has('customerId')) {
		const id = body.customerId as string;
		if (id === EMPTY_GUID) setCustomer(line, undefined);
		else {
			customerFromId = look.customerById(id);
			if (!customerFromId) throw errors.tableRelation(MSG.customerIdUnknown);
			setCustomer(line, customerFromId);
		}
	}
	if (has('customerNumber')) {
		const no = body.customerNumber as string;
		if (customerFromId) {
			if (customerFromId.number !== no) throw errors.fieldValidation(MSG.customerMismatch);
		} else if (no === '') setCustomer(line, undefined);
		else {
			const customer = look.customerByNumber(no);
			if (!customer) throw errors.tableRelation(MSG.customerNumberUnknown);
			setCustomer(line, customer);
		}
	}
	for (const k of [
		'contactId',
		'postingDate',
		'documentNumber',
		'externalDocumentNumber',
		'amount',
	] as const) {
		if (has(k)) (line as unknown as Record<string, unknown>)[k] = body[k];
	}
	let invoiceFromId: SalesInvoice | undefined;
	const fillCustomerFrom = (invoice: SalesInvoice) => {
		if (line.customerNumber === '') setCustomer(line, look.customerById(invoice.customerId));
	};
	if (has('appliesToInvoiceId')) {
		const id = body.appliesToInvoiceId as string;
		if (id === EMPTY_GUID) {
			line.appliesToInvoiceId = EMPTY_GUID;
			line.appliesToInvoiceNumber = '';
		} else {
			invoiceFromId = look.postedInvoiceById(id);
			if (!invoiceFromId) throw errors.tableRelation(MSG.invoiceIdUnknown);
			line.appliesToInvoiceId = invoiceFromId.id;
			line.appliesToInvoiceNumber = invoiceFromId.number;
			fillCustomerFrom(invoiceFromId);
		}
	}
	if (has('appliesToInvoiceNumber')) {
		const no = body.appliesToInvoiceNumber as string;
		if (invoiceFromId) {
			if (invoiceFromId.number !== no) throw errors.fieldValidation(MSG.invoiceMismatch);
		} else {
			const invoice = no === '' ? undefined : look.postedInvoiceByNumber(no);
			line.appliesToInvoiceNumber = no;
			line.appliesToInvoiceId = invoice ? invoice.id : EMPTY_GUID;
			if (invoice) fillCustomerFrom(invoice);
		}
	}
	for (const k of ['description', 'comment'] as const) {
		if (has(k)) line[k] = body[k] as string;
	}
}

/** PATCH: returns the updated copy of `current`. */
export function updatedPayment(
	company: CompanyData,
	current: CustomerPayment,
	body: Record<string, unknown>,
): CustomerPayment {
	const line: CustomerPayment = { ...current };
	if ('journalId' in body && body.journalId !== current.journalId)
		throw errors.dialog(MSG.journalIdChange);
	if ('journalDisplayName' in body && body.journalDisplayName !== current.journalDisplayName) {
		throw errors.dialog(MSG.journalNameChange);
	}
	applyFields(company, line, body);
	line.lastModifiedDateTime = new Date().toISOString();
	return line;
}

/**
 * POST: a new line in the journal given by the URL (journal-level) or by the
 * body's journalId (company-level; required there). Line number defaults to
 * last + 10000, document number to the batch's next number, posting date to
 * today (BC's work date), description to the customer's name.
 */
export function newPayment(
	company: CompanyData,
	pathJournalId: string | undefined,
	body: Record<string, unknown>,
	id: string,
): CustomerPayment {
	const bodyJournal = body.journalId as string | undefined;
	if (pathJournalId && bodyJournal && bodyJournal !== pathJournalId)
		throw errors.dialog(MSG.journalIdNameMismatch);
	const journalId = pathJournalId ?? bodyJournal;
	if (!journalId || journalId === EMPTY_GUID) throw errors.journalRequired();
	const journal = company.journals.find((j) => j.data.id === journalId)?.data;
	if (!journal) {
		throw new BcError(
			400,
			'Internal_RecordNotFound',
			`The Gen. Journal Batch does not exist. Identification fields and values: Id='${journalId}'`,
		);
	}
	if ('journalDisplayName' in body && body.journalDisplayName !== journal.code) {
		throw errors.dialog(MSG.journalIdNameMismatch);
	}
	const siblings = [...company.payments.values()]
		.map((p) => p.data)
		.filter((p) => p.journalId === journalId);
	const line: CustomerPayment = {
		id,
		journalId,
		journalDisplayName: journal.code,
		lineNumber: Math.max(0, ...siblings.map((p) => p.lineNumber)) + 10000,
		customerId: EMPTY_GUID,
		customerNumber: '',
		contactId: '',
		postingDate: new Date().toISOString().slice(0, 10),
		documentNumber: nextDocNumber(
			company.docPrefixes.get(journalId) ?? 'G02',
			siblings.map((p) => p.documentNumber),
		),
		externalDocumentNumber: '',
		amount: 0,
		appliesToInvoiceId: EMPTY_GUID,
		appliesToInvoiceNumber: '',
		description: '',
		comment: '',
		lastModifiedDateTime: new Date().toISOString(),
	};
	applyFields(company, line, body);
	if (!('description' in body) && line.customerId !== EMPTY_GUID) {
		line.description =
			company.customers.find((c) => c.data.id === line.customerId)?.data.displayName ?? '';
	}
	return line;
}
