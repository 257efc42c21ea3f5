/**
 * Write rules of the customerPayments API page (a Gen. Journal Line), after
 * the AL source of BC's "APIV2 - Customer Payments" page
 * (microsoft/ALAppExtensions `Apps/W1/APIV2/app/src/pages/APIV2CustomerPayments.Page.al`,
 * "the page" below) and of table 81 "Gen. Journal Line" (BaseApp, read in
 * StefanMaron/MSDyn365BC.Code.History
 * `BaseApp/Source/Base Application/Finance/GeneralLedger/Journal/GenJournalLine.Table.al`,
 * "table 81" below; BaseApp is not in ALAppExtensions):
 * - body properties are checked first (unknown → 400, read-only → 400, EDM
 *   type, Code/Text lengths); Code fields are trimmed and upper-cased (AL Code
 *   data type) and amounts rounded to 0.01 (table 81 ValidateAmount);
 * - then validated in page field order, each bound field through the table's
 *   OnValidate first and the page field's OnValidate second (docs: "If both the
 *   table field and page field triggers are defined, then the OnValidate trigger
 *   on the table field is run before the OnValidate trigger on the page field",
 *   MicrosoftDocs/dynamics365smb-devitpro-pb
 *   `dev-itpro/developer/triggers-auto/pagefield/devenv-onvalidate-pagefield-trigger.md`);
 * - the applies-to invoice lives in two page variables (AppliesToInvoiceNumberText,
 *   AppliesToInvoiceIdText) that OnModifyRecord / OnInsertRecord copy back into
 *   the record (ProcessAppliesToInvoiceNumberAndId), which is modelled as is;
 * - the page's own `Error(...)` calls answer `Application_DialogException`.
 */
import { BcError, EMPTY_GUID, errors, MSG } from './errors.cjs';
import { GUID_RE } from './entities.cjs';
import { isValidDate } from './odata.cjs';
import { nextDocNumber } from './seed.cjs';
import { bcNow, type CompanyData } from './store.cjs';
import type { ApiVersion, Customer, CustomerPayment, SalesInvoice } from './types.cjs';

type Kind = 'guid' | 'code' | 'text' | 'int' | 'decimal' | 'date';

/**
 * Writable properties: EDM kind and maximum length. Code vs Text as in table 81:
 * "Document No." Code[20], "Account No." Code[20], "Applies-to Doc. No." Code[20]
 * (and the page's AppliesToInvoiceNumberText: Code[20]), "External Document No."
 * Code[35], "Journal Batch Name" Code[10], Description Text[100], Comment Text[250].
 */
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
		case 'code': {
			if (typeof value !== 'string') throw typeError('Edm.String');
			// AL Code data type: "converted to uppercase and removes any trailing or leading
			// spaces"; "The length of a Code variable equals the number of characters in the
			// text without leading or trailing spaces" (MicrosoftDocs/dynamics365smb-devitpro-pb
			// dev-itpro/developer/methods-auto/code/code-data-type.md). So the length is
			// checked on the trimmed value. Whether BC's OData layer checks the raw JSON
			// string first is not documented (unverified; see README).
			const code = value.trim().toUpperCase();
			if (max !== undefined && code.length > max) throw errors.stringLength(key, code, max);
			return code;
		}
		default: {
			if (typeof value !== 'string') throw typeError('Edm.String');
			// Text fields keep their spaces and case.
			if (max !== undefined && value.length > max) throw errors.stringLength(key, value, max);
			return value;
		}
	}
}

/**
 * Table 81 field 13 Amount OnValidate → ValidateAmount():
 * `Amount := Round(Amount, Currency."Amount Rounding Precision")`, the currency
 * from GetCurrency() (`Currency.InitRoundingPrecision()` when the line has no
 * currency code, i.e. the general ledger's precision). AL Round with the default
 * direction '=' rounds to the nearest value, halves away from zero. The sandbox
 * models one precision, 0.01 (BC's default; currencies with another precision
 * are not modelled, see README).
 */
export function roundAmount(amount: number): number {
	const cents = Math.round(Number((Math.abs(amount) * 100).toPrecision(15)));
	const rounded = (Math.sign(amount) * cents) / 100;
	return rounded === 0 ? 0 : rounded;
}

interface Lookups {
	customerById(id: string): Customer | undefined;
	customerByNumber(no: string): Customer | undefined;
	/** Posted invoices only (Sales Invoice Header): status other than Draft. */
	postedInvoiceById(id: string): SalesInvoice | undefined;
	postedInvoiceByNumber(no: string): SalesInvoice | undefined;
}

function lookups(company: CompanyData): Lookups {
	// "In Review" is an unposted (draft) invoice awaiting approval, like Draft
	const posted = company.invoices
		.map((i) => i.data)
		.filter((i) => i.status !== 'Draft' && i.status !== 'In Review');
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
 * Table 81 field 4 "Account No." OnValidate, for a customer line, as far as the
 * API shows it (xAccountNo = the value stored before the request, xRec):
 * - `if ("Account No." <> xRec."Account No.") and not (xRec."Account No." = '') then
 *   ... ClearApplication("Account Type")`, and ClearApplication does
 *   `if "Applies-to Doc. No." <> '' then Validate("Applies-to Doc. No.", '')`;
 * - `if "Account No." = '' then begin CleanLine(); exit; end` (CleanLine leaves
 *   Description alone);
 * - GetCustomerAccount() → `UpdateDescription(Cust.Name)`: the description
 *   becomes the new customer's name unless IsAdHocDescription(): it is kept when
 *   it is not blank and either xRec."Account No." was blank or it differs from
 *   the previous customer's name;
 * - UpdateCustomerID() sets "Customer Id" (done by setCustomer).
 * The cleared "Applies-to Doc. No." does not survive a PATCH: the page's
 * OnModifyRecord writes its AppliesToInvoiceNumberText back (see applyFields).
 * Reached from customerNumber (bound to "Account No."; certain) and from
 * customerId: the table's field 8002 "Customer Id" OnValidate calls
 * UpdateCustomerNo(), whose body was not found in the sources read; that it
 * validates "Account No." like customerNumber does is inferred.
 */
function revalidateAccount(
	look: Lookups,
	line: CustomerPayment,
	xAccountNo: string,
	customer: Customer | undefined,
): void {
	const accountNo = customer ? customer.number : '';
	if (accountNo !== xAccountNo && xAccountNo !== '') line.appliesToInvoiceNumber = '';
	if (!customer) return;
	const previous = xAccountNo === '' ? undefined : look.customerByNumber(xAccountNo);
	const adHoc =
		line.description !== '' &&
		(xAccountNo === '' || (previous !== undefined && previous.displayName !== line.description));
	if (!adHoc) line.description = customer.displayName;
}

/**
 * Validates the (already type-checked) body fields in page order and applies
 * them to `line` (a copy of the stored record, or a new line). Throws BcError
 * on the first failure. `xAccountNo` is the customer number stored before the
 * request ('' for a new line, xRec of the table triggers).
 */
function applyFields(
	company: CompanyData,
	line: CustomerPayment,
	body: Record<string, unknown>,
	xAccountNo: string,
): void {
	const look = lookups(company);
	const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
	// Page variables: SetCalculatedFields() in OnAfterGetRecord for a PATCH, blank
	// after ClearCalculatedFields() in OnNewRecord for a POST (the new line is blank).
	let appliesToInvoiceNumberText = line.appliesToInvoiceNumber;
	let appliesToInvoiceIdText = line.appliesToInvoiceId;
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
	// field(customerId): blank → "Account No." := ''; unknown →
	// Error(CustomerIdDoesNotMatchACustomerErr); else "Account No." := Customer."No.".
	let customerFromId: Customer | undefined;
	if (has('customerId')) {
		const id = body.customerId as string;
		if (id === EMPTY_GUID) {
			setCustomer(line, undefined);
			revalidateAccount(look, line, xAccountNo, undefined);
		} else {
			customerFromId = look.customerById(id);
			if (!customerFromId) throw errors.dialog(MSG.customerIdUnknown);
			setCustomer(line, customerFromId);
			revalidateAccount(look, line, xAccountNo, customerFromId);
		}
	}
	// field(customerNumber) (bound to "Account No."): with a customer from customerId,
	// a different number → Error(CustomerValuesDontMatchErr); '' → "Customer Id" blank;
	// unknown → Error(CustomerNumberDoesNotMatchACustomerErr); else "Customer Id" set.
	if (has('customerNumber')) {
		const no = body.customerNumber as string;
		if (customerFromId) {
			if (customerFromId.number !== no) throw errors.dialog(MSG.customerMismatch);
		} else if (no === '') {
			setCustomer(line, undefined);
			revalidateAccount(look, line, xAccountNo, undefined);
		} else {
			const customer = look.customerByNumber(no);
			if (!customer) throw errors.dialog(MSG.customerNumberUnknown);
			setCustomer(line, customer);
			revalidateAccount(look, line, xAccountNo, customer);
		}
	}
	for (const k of [
		'contactId',
		'postingDate',
		'documentNumber',
		'externalDocumentNumber',
	] as const) {
		if (has(k)) (line as unknown as Record<string, unknown>)[k] = body[k];
	}
	if (has('amount')) line.amount = roundAmount(body.amount as number);
	// The page's SalesInvoiceHeader record: found by appliesToInvoiceId in this request.
	let invoiceFromId: SalesInvoice | undefined;
	// `if Rec."Account No." = '' then Rec."Account No." := <invoice's Bill-to/Sell-to Customer No.>`
	const fillCustomerFrom = (invoice: SalesInvoice) => {
		if (line.customerNumber === '') setCustomer(line, look.customerById(invoice.customerId));
	};
	// field(appliesToInvoiceId; AppliesToInvoiceIdText): Rec."Applies-to Invoice Id" :=
	// AppliesToInvoiceIdText; blank → AppliesToInvoiceNumberText := '' (Rec."Applies-to
	// Doc. No." is left as it is); not a posted invoice →
	// Error(AppliesToInvoiceIdDoesNotMatchAnInvoiceErr); else the number text is set.
	if (has('appliesToInvoiceId')) {
		const id = body.appliesToInvoiceId as string;
		appliesToInvoiceIdText = id;
		line.appliesToInvoiceId = id;
		if (id === EMPTY_GUID) appliesToInvoiceNumberText = '';
		else {
			invoiceFromId = look.postedInvoiceById(id);
			if (!invoiceFromId) throw errors.dialog(MSG.invoiceIdUnknown);
			appliesToInvoiceNumberText = invoiceFromId.number;
			fillCustomerFrom(invoiceFromId);
		}
	}
	// field(appliesToInvoiceNumber; AppliesToInvoiceNumberText): Rec."Applies-to Doc. No." :=
	// the text; with an invoice from the id, a different number →
	// Error(AppliesToDocValuesDontMatchErr); else SalesInvoiceHeader.Get(number) fills the
	// id text, or blanks it when there is no such posted invoice (the number is kept).
	if (has('appliesToInvoiceNumber')) {
		const no = body.appliesToInvoiceNumber as string;
		appliesToInvoiceNumberText = no;
		line.appliesToInvoiceNumber = no;
		if (invoiceFromId) {
			if (invoiceFromId.number !== no) throw errors.dialog(MSG.invoiceMismatch);
		} else {
			const invoice = no === '' ? undefined : look.postedInvoiceByNumber(no);
			appliesToInvoiceIdText = invoice ? invoice.id : EMPTY_GUID;
			if (invoice) fillCustomerFrom(invoice);
		}
	}
	for (const k of ['description', 'comment'] as const) {
		if (has(k)) line[k] = body[k] as string;
	}
	// OnModifyRecord / OnInsertRecord → ProcessAppliesToInvoiceNumberAndId():
	// `if AppliesToInvoiceNumberText <> '' then Rec."Applies-to Doc. No." := AppliesToInvoiceNumberText;
	//  Rec."Applies-to Invoice Id" := AppliesToInvoiceIdText;`
	// So a customer change (which cleared "Applies-to Doc. No." in table 81) keeps the
	// applies-to invoice the page read, and appliesToInvoiceId = empty GUID alone leaves
	// appliesToInvoiceNumber as it was.
	if (appliesToInvoiceNumberText !== '') line.appliesToInvoiceNumber = appliesToInvoiceNumberText;
	line.appliesToInvoiceId = appliesToInvoiceIdText;
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
	applyFields(company, line, body, current.customerNumber);
	line.lastModifiedDateTime = bcNow();
	return line;
}

/**
 * Table 81 SetUpNewLine() as far as the API shows it: a batch with a number series (every
 * seeded batch) gives the series' next number; a batch without one (created through the API:
 * its OnNewRecord sets only the template, so "No. Series" stays blank) repeats the last line's
 * number incremented (IncStr), or '' for its first line — which posting then refuses
 * ("Document No. must have a value", Gen. Jnl.-Check Line TestDocumentNo). Inferred from the
 * BaseApp code paths named, not verified on a live tenant.
 */
function defaultDocumentNumber(
	company: CompanyData,
	journalId: string,
	siblings: CustomerPayment[],
): string {
	const prefix = company.docPrefixes.get(journalId);
	if (prefix !== undefined) return nextDocNumber(prefix, siblings.map((p) => p.documentNumber));
	const last = [...siblings].sort((a, b) => a.lineNumber - b.lineNumber).at(-1);
	return last ? incStr(last.documentNumber) : '';
}

/** AL IncStr: increments the last run of digits, keeping its width; '' when there is none. */
export function incStr(text: string): string {
	const m = /^(.*?)(\d+)(\D*)$/.exec(text);
	if (!m) return '';
	const next = String(Number(m[2]) + 1).padStart(m[2].length, '0');
	return `${m[1]}${next}${m[3]}`;
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
		documentNumber: defaultDocumentNumber(company, journalId, siblings),
		externalDocumentNumber: '',
		amount: 0,
		appliesToInvoiceId: EMPTY_GUID,
		appliesToInvoiceNumber: '',
		description: '',
		comment: '',
		lastModifiedDateTime: bcNow(),
	};
	applyFields(company, line, body, '');
	// OnInsertRecord hands the line to GraphMgtCustomerPayments.SetCustomerPaymentsValues
	// (BaseApp, not read): inferred to validate "Account No." on the fresh line, which
	// fills a blank description with the customer's name (UpdateDescription), also when
	// the customer came from the applies-to invoice.
	if (line.description === '' && !('description' in body) && line.customerId !== EMPTY_GUID) {
		line.description =
			company.customers.find((c) => c.data.id === line.customerId)?.data.displayName ?? '';
	}
	return line;
}
