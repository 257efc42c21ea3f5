/**
 * Writes to entities other than customerPayments:
 *
 * - `PATCH customers({id})` after page 30009 "APIV2 - Customers" (microsoft/ALAppExtensions
 *   `Apps/W1/APIV2/app/src/pages/APIV2Customers.Page.al`): displayName (Name, Text[100]; blank →
 *   `Error(BlankCustomerNameErr)`), type ("Contact Type": Company / Person), phoneNumber ("Phone
 *   No.", Text[30]), email ("E-Mail", Text[80]), website ("Home Page", Text[80]), blocked (' ',
 *   Ship, Invoice, All) are writable; id and lastModifiedDateTime are not (`Editable = false` /
 *   SystemModifiedAt). Lengths as table 18 Customer declares them (as recalled; unverified).
 *   Renaming (number) and the currency / payment terms / address fields are not modelled.
 * - `customerPaymentJournals` POST / PATCH / DELETE after page 30013 "APIV2 - Cust. Paym.
 *   Journals" (`APIV2CustPaymJournals.Page.al`: code = Name, displayName = Description,
 *   balancingAccountId = BalAccountId, balancingAccountNumber `Editable = false`; OnNewRecord sets
 *   the template to the customer payments one) and table 232 "Gen. Journal Batch"
 *   (StefanMaron/MSDyn365BC.Code.History `.../Finance/GeneralLedger/Journal/GenJournalBatch.Table.al`:
 *   Name Code[10] NotBlank, Description Text[100]; BalAccountId OnValidate →
 *   `Error(BalAccountIdDoesNotMatchAGLAccountErr)` when no G/L account has that SystemId, else
 *   "Bal. Account No." := that account; OnDelete deletes every line of the batch).
 */
import { BcError, EMPTY_GUID, errors, MSG } from './errors.cjs';
import { type ApiRequest, type ApiResponse, type Context, ok } from './context.cjs';
import { ENTITIES, type EntityDef, GUID_RE, project } from './entities.cjs';
import { CASH_RECEIPTS_TEMPLATE } from './posting.cjs';
import { bcNow, type CompanyData, etagFor, type Versioned } from './store.cjs';
import type { Customer, Journal } from './types.cjs';

type Spec =
	| { kind: 'text'; max: number }
	| { kind: 'code'; max: number }
	| { kind: 'guid' }
	| { kind: 'enum'; values: string[]; edm: string };

function checkFields(
	body: Record<string, unknown>,
	writable: Record<string, Spec>,
	readOnly: Set<string>,
	typeName: string,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		if (key.startsWith('@')) continue;
		if (readOnly.has(key)) throw errors.readOnly(key);
		const spec = writable[key];
		if (!spec) throw errors.unknownProperty(key, typeName);
		const literal = () => (typeof value === 'object' ? JSON.stringify(value) : String(value));
		switch (spec.kind) {
			case 'guid':
				if (typeof value !== 'string' || !GUID_RE.test(value)) throw errors.invalidGuid(value);
				out[key] = value.toLowerCase();
				break;
			case 'enum':
				if (typeof value !== 'string' || !spec.values.includes(value)) {
					// unverified text: an OData enum literal BC cannot map
					throw errors.badBody(
						`Cannot convert the literal '${literal()}' to the expected type '${spec.edm}' (property '${key}').`,
					);
				}
				out[key] = value;
				break;
			default: {
				if (typeof value !== 'string')
					throw errors.badBody(
						`Cannot convert the literal '${literal()}' to the expected type 'Edm.String' (property '${key}').`,
					);
				const text = spec.kind === 'code' ? value.trim().toUpperCase() : value;
				if (text.length > spec.max) throw errors.stringLength(key, text, spec.max);
				out[key] = text;
			}
		}
	}
	return out;
}

/** BC's concurrency check (same rules as customerPayments; see api.cts checkIfMatch). */
export type IfMatchCheck = (ifMatch: string | undefined, row: Versioned<{ id: string }>) => void;

function answer(
	req: ApiRequest,
	def: EntityDef,
	row: Versioned<{ id: string }>,
	contextPath: string,
	status: 200 | 201,
	extraHeaders: Record<string, string> = {},
): ApiResponse {
	const etag = etagFor(row.data.id, row.version);
	if (status === 200 && /return\s*=\s*minimal/i.test(req.headers.prefer ?? ''))
		return ok(204, undefined, { etag });
	return ok(
		status,
		{
			'@odata.context': `${req.base}/$metadata#${contextPath}/$entity`,
			'@odata.etag': etag,
			...project(def, req.api, row.data),
		},
		{ etag, ...extraHeaders },
	);
}

function bodyObject(req: ApiRequest): Record<string, unknown> {
	const body = req.body === undefined ? {} : req.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw errors.badBody('The request body must be a JSON object.');
	return body as Record<string, unknown>;
}

// ---------------------------------------------------------------- customers

const CUSTOMER_WRITABLE: Record<string, Spec> = {
	displayName: { kind: 'text', max: 100 },
	type: { kind: 'enum', values: ['Company', 'Person'], edm: 'Microsoft.NAV.contactType' },
	phoneNumber: { kind: 'text', max: 30 },
	email: { kind: 'text', max: 80 },
	website: { kind: 'text', max: 80 },
	blocked: { kind: 'enum', values: [' ', 'Ship', 'Invoice', 'All'], edm: 'Microsoft.NAV.customerBlocked' },
};
const CUSTOMER_READ_ONLY = new Set(['id', 'lastModifiedDateTime', 'balanceDue']);
/** Writable in Business Central but not modelled by the sandbox. */
const CUSTOMER_NOT_MODELLED = new Set(['number', 'currencyCode']);

export function patchCustomer(
	ctx: Context,
	req: ApiRequest,
	company: CompanyData,
	id: string,
	contextPath: string,
	checkIfMatch: IfMatchCheck,
): ApiResponse {
	const row = company.customers.find((c) => c.data.id === id);
	if (!row) throw errors.notFound('customer', id);
	const body = bodyObject(req);
	checkIfMatch(req.headers['if-match'], row);
	for (const key of Object.keys(body)) {
		if (CUSTOMER_NOT_MODELLED.has(key)) {
			throw new BcError(
				501,
				'BadRequest_MethodNotImplemented',
				`The sandbox does not model changing '${key}' of a customer (Business Central allows it).`,
			);
		}
	}
	const fields = checkFields(body, CUSTOMER_WRITABLE, CUSTOMER_READ_ONLY, 'customer');
	const next: Customer = { ...row.data };
	// page field order; displayName OnValidate: `if Name = '' then Error(BlankCustomerNameErr)`
	if ('displayName' in fields) {
		if (fields.displayName === '') throw errors.dialog(MSG.blankDisplayName);
		next.displayName = fields.displayName as string;
	}
	if ('type' in fields) next.type = fields.type as Customer['type'];
	if ('phoneNumber' in fields) next.phoneNumber = fields.phoneNumber as string;
	if ('email' in fields) {
		const email = fields.email as string;
		// table 18 "E-Mail" OnValidate → Mail Management ValidateEmailAddressField; label as
		// recalled (unverified): 'The email address "%1" is not valid.'
		if (email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
			throw errors.dialog(`The email address "${email}" is not valid.`);
		next.email = email;
	}
	if ('website' in fields) next.website = fields.website as string;
	if ('blocked' in fields) next.blocked = fields.blocked as Customer['blocked'];
	next.lastModifiedDateTime = bcNow();
	row.data = next;
	row.version++;
	return answer(req, ENTITIES.customers, row, contextPath, 200);
}

// ---------------------------------------------------------------- customer payment journals

const JOURNAL_WRITABLE: Record<string, Spec> = {
	code: { kind: 'code', max: 10 },
	displayName: { kind: 'text', max: 100 },
	balancingAccountId: { kind: 'guid' },
};
const JOURNAL_READ_ONLY = new Set(['id', 'lastModifiedDateTime', 'balancingAccountNumber']);

function sortJournals(company: CompanyData): void {
	company.journals.sort((a, b) => (a.data.code < b.data.code ? -1 : a.data.code > b.data.code ? 1 : 0));
}

function applyJournalFields(company: CompanyData, journal: Journal, fields: Record<string, unknown>): void {
	if ('code' in fields) {
		const code = fields.code as string;
		// table 232 field Name: NotBlank = true → the platform's TestField-like error (text unverified)
		if (code === '') {
			throw new BcError(
				400,
				'Application_FieldValidationException',
				`Name must have a value in Gen. Journal Batch: Journal Template Name=${CASH_RECEIPTS_TEMPLATE}, Name=. It cannot be zero or empty.`,
			);
		}
		if (company.journals.some((j) => j.data.code === code && j.data.id !== journal.id)) {
			throw errors.duplicateKey(
				'Gen. Journal Batch',
				`Journal Template Name='${CASH_RECEIPTS_TEMPLATE}',Name='${code}'`,
			);
		}
		journal.code = code;
	}
	if ('displayName' in fields) journal.displayName = fields.displayName as string;
	if ('balancingAccountId' in fields) {
		const id = fields.balancingAccountId as string;
		if (id === EMPTY_GUID) {
			journal.balancingAccountId = EMPTY_GUID;
			journal.balancingAccountNumber = '';
		} else {
			const number = company.glAccounts.get(id);
			if (number === undefined) throw errors.dialog(MSG.balAccountIdUnknown);
			journal.balancingAccountId = id;
			journal.balancingAccountNumber = number;
		}
	}
}

export function postCustomerPaymentJournal(
	ctx: Context,
	req: ApiRequest,
	company: CompanyData,
	contextPath: string,
): ApiResponse {
	const fields = checkFields(bodyObject(req), JOURNAL_WRITABLE, JOURNAL_READ_ONLY, 'customerPaymentJournal');
	const journal: Journal = {
		id: ctx.ids.guid(),
		code: '',
		displayName: '',
		balancingAccountId: EMPTY_GUID,
		balancingAccountNumber: '',
		lastModifiedDateTime: '',
	};
	applyJournalFields(company, journal, { code: '', ...fields });
	journal.lastModifiedDateTime = bcNow();
	const row: Versioned<Journal> = { data: journal, version: 1 };
	company.journals.push(row);
	sortJournals(company);
	return answer(req, ENTITIES.customerPaymentJournals, row, contextPath, 201, {
		location: `${req.base}/${contextPath}(${journal.id})`,
	});
}

export function writeCustomerPaymentJournal(
	ctx: Context,
	req: ApiRequest,
	method: 'PATCH' | 'DELETE',
	company: CompanyData,
	id: string,
	contextPath: string,
	checkIfMatch: IfMatchCheck,
): ApiResponse {
	const row = company.journals.find((j) => j.data.id === id);
	if (!row) throw errors.notFound('customerPaymentJournal', id);
	const body = method === 'PATCH' ? bodyObject(req) : {};
	checkIfMatch(req.headers['if-match'], row);
	if (method === 'DELETE') {
		// table 232 OnDelete: GenJnlLine.DeleteAll(true) — every line of the batch goes, anyone's
		for (const p of ctx.store.paymentList(company, id)) {
			company.payments.delete(p.data.id);
			ctx.store.log(
				ctx.store.entry('DELETE', company, { ...p.data }, null, etagFor(p.data.id, p.version), null, req.viaBatch),
			);
		}
		company.journals = company.journals.filter((j) => j !== row);
		company.docPrefixes.delete(id);
		return ok(204, undefined);
	}
	const fields = checkFields(body, JOURNAL_WRITABLE, JOURNAL_READ_ONLY, 'customerPaymentJournal');
	const next = { ...row.data };
	applyJournalFields(company, next, fields);
	if (next.code !== row.data.code) {
		// a rename carries the lines along (their "Journal Batch Name" is part of their key)
		for (const p of ctx.store.paymentList(company, id)) {
			p.data = { ...p.data, journalDisplayName: next.code };
		}
	}
	next.lastModifiedDateTime = bcNow();
	row.data = next;
	row.version++;
	sortJournals(company);
	return answer(req, ENTITIES.customerPaymentJournals, row, contextPath, 200);
}
