/**
 * `POST companies({c})/journals({id})/Microsoft.NAV.post`, after the AL source of page 30016
 * "APIV2 - Journals" (microsoft/ALAppExtensions `Apps/W1/APIV2/app/src/pages/APIV2Journals.Page.al`,
 * "the page") and the BaseApp codeunits it runs (read in StefanMaron/MSDyn365BC.Code.History
 * `BaseApp/Source/Base Application/Finance/GeneralLedger/Posting/GenJnlPost.Codeunit.al` (231
 * "Gen. Jnl.-Post"), `.../Posting/GenJnlPostBatch.Codeunit.al` (13 "Gen. Jnl.-Post Batch"),
 * `.../Journal/GenJnlCheckLine.Codeunit.al` (11 "Gen. Jnl.-Check Line")):
 *
 * - the page's OnFindRecord finds the batch with `Rec.GetBySystemId(IdFilter)` whatever its
 *   template, so a customer payment journal's id works; an unknown id → 404 (or, option
 *   `missingJournalOnPost: 'dialog'`, the action's own GetBatch() error);
 * - PostBatch(): every line of the batch (`SetRange("Journal Template Name")`,
 *   `SetRange("Journal Batch Name")`, no other filter: lines other users entered too);
 *   none → `Error(ThereIsNothingToPostErr)` "There is nothing to post.";
 * - `Codeunit.RUN(Codeunit::"Gen. Jnl.-Post", GenJournalLine)`: one transaction. Gen. Jnl.-Post
 *   Batch checks every line first (ProcessLines "Check lines" loop → Gen. Jnl.-Check Line), then
 *   the balance (ProcessBalanceOfLines / CheckBalance), then posts, then deletes the lines
 *   (UpdateAndDeleteLines) and commits; any error rolls everything back. The sandbox plans the
 *   whole run before changing anything, so a failure leaves no trace;
 * - the action answers 204 (`ActionContext.SetResultCode(WebServiceActionResultCode::Deleted)`).
 *
 * Per line (Gen. Jnl.-Check Line RunCheck order): empty lines (no customer, amount 0: table 81
 * EmptyLine()) are skipped; CheckDates → posting date within the allowed range (User Setup
 * Management IsPostingDateValidWithSetup: User Setup, else General Ledger Setup "Allow Posting
 * From/To", blank = open; `FieldError("Posting Date", 'is not within your range of allowed
 * posting dates')`); TestDocumentNo (`TestField("Document No.")`); `TestField("Account No.")`
 * when the line has no balancing account (the sandbox tests it always: it has no G/L-only
 * lines); CheckZeroAmount (`TestField(Amount)`); CheckDocType: a Payment on a Customer must be
 * negative (`ErrorIfPositiveAmt` → `FieldError(Amount, 'must be negative')`); CheckICPartner →
 * Customer.CheckBlockedCustOnJnls: Blocked = All refuses a payment (Invoice / Ship do not).
 *
 * Balance (Gen. Jnl.-Post Batch CheckBalance, template "Force Doc. Balance" = true for
 * CASHRCPT): a batch with a balancing account balances every line by itself; one without
 * (the seeded `GENERAL` batch, batches created through the API without balancingAccountId)
 * must sum to 0 per document number and posting date, else "Document No. X is out of balance
 * by Y. Please check that Posting Date, Document Type, Document No. and Amount are correct for
 * each line." (Text012 + Text013).
 *
 * Posting (Gen. Jnl.-Post Line, not read in full): the payment becomes a customer ledger entry;
 * "Applies-to Doc. No." must name an open invoice entry of the same customer
 * (PrepareTempCustLedgEntry: `OldCustLedgEntry.FindFirst()` on Document No., Document Type
 * Invoice, Customer No., Open — as recalled; a paid, canceled or other customer's invoice →
 * "There is no Cust. Ledger Entry within the filter."); the applied amount is
 * min(|payment|, invoice remaining); an invoice whose remaining amount reaches 0 is Paid; what is
 * not applied stays open on the payment entry; the customer's balance drops by the payment.
 */
import { EMPTY_GUID, errors, type LineKey, MSG } from './errors.cjs';
import { type ApiRequest, type ApiResponse, type Context, ok } from './context.cjs';
import { roundAmount } from './payments.cjs';
import { bcNow, type CompanyData, etagFor, type Versioned } from './store.cjs';
import type {
	Customer,
	CustomerLedgerEntry,
	CustomerPayment,
	Journal,
	SalesInvoice,
} from './types.cjs';

/** Template names (Graph Mgt - Journal: the customer payments and the journal lines templates). */
export const CASH_RECEIPTS_TEMPLATE = 'CASHRCPT';
export const GENERAL_TEMPLATE = 'GENERAL';

/** Any batch by SystemId, whatever its template (the page's OnFindRecord with an id filter). */
export function findBatch(
	company: CompanyData,
	id: string,
): { row: Versioned<Journal>; template: string } | undefined {
	const key = id.toLowerCase();
	const cash = company.journals.find((j) => j.data.id === key);
	if (cash) return { row: cash, template: CASH_RECEIPTS_TEMPLATE };
	const general = company.generalJournals.find((j) => j.data.id === key);
	return general ? { row: general, template: GENERAL_TEMPLATE } : undefined;
}

/** AL Format of a decimal in a message: thousands separators, no trailing zeros. */
function formatDecimal(n: number): string {
	return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function isEmptyLine(line: CustomerPayment): boolean {
	return line.customerNumber === '' && line.amount === 0;
}

/** Gen. Jnl.-Check Line RunCheck for one customer payment line (the parts the sandbox models). */
function checkLine(
	company: CompanyData,
	line: CustomerPayment,
	key: LineKey,
	customers: Map<string, Customer>,
): void {
	const from = company.allowPostingFrom;
	const to = company.allowPostingTo;
	if ((from && line.postingDate < from) || (to && line.postingDate > to)) {
		throw errors.fieldError('Posting Date', 'is not within your range of allowed posting dates', key);
	}
	if (line.documentNumber === '') throw errors.testField('Document No.', key);
	if (line.customerNumber === '') throw errors.testField('Account No.', key);
	if (line.amount === 0) throw errors.testField('Amount', key);
	if (line.amount > 0) throw errors.fieldError('Amount', 'must be negative', key);
	const customer = customers.get(line.customerNumber);
	if (customer?.blocked === 'All') {
		// Customer.CheckBlockedCustOnJnls → CustBlockedErrorMessage: Error(Text006, 'post', No., Blocked);
		// label text as recalled (unverified): 'You cannot %1 this type of document when Customer %2 is blocked with type %3'
		throw errors.dialog(
			`You cannot post this type of document when Customer ${customer.number} is blocked with type All`,
		);
	}
}

/** Gen. Jnl.-Post Batch CheckBalance with "Force Doc. Balance": per document number and posting date. */
function checkBalance(lines: CustomerPayment[], balancingAccount: string): void {
	if (balancingAccount !== '') return; // every line carries its own balancing entry
	const sorted = [...lines].sort(
		(a, b) =>
			a.documentNumber.localeCompare(b.documentNumber) ||
			a.postingDate.localeCompare(b.postingDate) ||
			a.lineNumber - b.lineNumber,
	);
	let i = 0;
	while (i < sorted.length) {
		const { documentNumber, postingDate } = sorted[i];
		let sum = 0;
		while (
			i < sorted.length &&
			sorted[i].documentNumber === documentNumber &&
			sorted[i].postingDate === postingDate
		) {
			sum = roundAmount(sum + sorted[i].amount);
			i++;
		}
		if (sum !== 0) {
			throw errors.dialog(
				`Document No. ${documentNumber} is out of balance by ${formatDecimal(sum)}. Please check that Posting Date, Document Type, Document No. and Amount are correct for each line.`,
			);
		}
	}
}

interface PlannedLine {
	line: CustomerPayment;
	invoice?: Versioned<SalesInvoice>;
	applied: number;
}

export function postJournal(
	ctx: Context,
	req: ApiRequest,
	company: CompanyData,
	journalId: string,
): ApiResponse {
	const found = findBatch(company, journalId);
	if (!found) {
		throw ctx.options.missingJournalOnPost === 'dialog'
			? errors.batchNotFound(journalId)
			: errors.notFound('journal', journalId);
	}
	const { row: batch, template } = found;
	// general batches hold no customer payment lines in the sandbox (journalLines not modelled)
	const rows = template === CASH_RECEIPTS_TEMPLATE ? ctx.store.paymentList(company, batch.data.id) : [];
	if (rows.length === 0) throw errors.dialog(MSG.nothingToPost);

	// ---- check every line, then the balance: nothing is changed before all checks pass
	const customers = new Map(company.customers.map((c) => [c.data.number, c.data]));
	const postable = rows.filter((r) => !isEmptyLine(r.data));
	for (const r of postable) {
		checkLine(company, r.data, { template, batch: batch.data.code, lineNo: r.data.lineNumber }, customers);
	}
	checkBalance(
		postable.map((r) => r.data),
		batch.data.balancingAccountNumber,
	);
	// only empty lines: nothing is posted, no G/L register, so UpdateAndDeleteLines does not run
	if (postable.length === 0) return ok(204, undefined);

	// ---- plan the postings in posting order (Posting Date, Document No., line), applying as we go
	const order = [...postable].sort(
		(a, b) =>
			a.data.postingDate.localeCompare(b.data.postingDate) ||
			a.data.documentNumber.localeCompare(b.data.documentNumber) ||
			a.data.lineNumber - b.data.lineNumber,
	);
	const remaining = new Map<string, number>();
	const plan: PlannedLine[] = [];
	for (const r of order) {
		const line = r.data;
		let invoice: Versioned<SalesInvoice> | undefined;
		let applied = 0;
		if (line.appliesToInvoiceNumber !== '') {
			invoice = company.invoices.find(
				(i) =>
					i.data.number === line.appliesToInvoiceNumber &&
					i.data.customerNumber === line.customerNumber &&
					i.data.status === 'Open',
			);
			const left = invoice ? (remaining.get(invoice.data.id) ?? invoice.data.remainingAmount) : 0;
			if (!invoice || left <= 0) {
				throw errors.noOpenInvoiceEntry(line.appliesToInvoiceNumber, line.customerNumber);
			}
			applied = Math.min(-line.amount, left);
			remaining.set(invoice.data.id, roundAmount(left - applied));
		}
		plan.push({ line, invoice, applied });
	}

	// ---- commit
	const at = bcNow();
	const touchAll = (ctx.options.touchOnPost ?? 'all') === 'all';
	const touch = <T extends { lastModifiedDateTime: string }>(row: Versioned<T>) => {
		row.version++;
		row.data = { ...row.data, lastModifiedDateTime: at };
	};
	let entryNo = company.ledger.at(-1)?.entryNumber ?? 2000;
	const entries: CustomerLedgerEntry[] = [];
	const changedCustomers = new Set<Versioned<Customer>>();
	const changedInvoices = new Set<Versioned<SalesInvoice>>();
	const paidInvoices = new Set<Versioned<SalesInvoice>>();
	for (const { line, invoice, applied } of plan) {
		const customer = company.customers.find((c) => c.data.number === line.customerNumber);
		if (invoice && applied > 0) {
			const left = roundAmount(invoice.data.remainingAmount - applied);
			invoice.data = { ...invoice.data, remainingAmount: left };
			if (left === 0) {
				invoice.data = { ...invoice.data, status: 'Paid' };
				paidInvoices.add(invoice);
			}
			changedInvoices.add(invoice);
		}
		if (customer) {
			customer.data = { ...customer.data, balanceDue: roundAmount(customer.data.balanceDue + line.amount) };
			changedCustomers.add(customer);
		}
		const open = roundAmount(line.amount + applied);
		const entry: CustomerLedgerEntry = {
			entryNumber: ++entryNo,
			customerId: customer?.data.id ?? line.customerId,
			customerNumber: line.customerNumber,
			postingDate: line.postingDate,
			documentType: 'Payment',
			documentNumber: line.documentNumber,
			externalDocumentNumber: line.externalDocumentNumber,
			description: line.description,
			amount: line.amount,
			remainingAmount: open,
			open: open !== 0,
			appliedToInvoiceNumber: invoice ? invoice.data.number : '',
			appliedToInvoiceId: invoice ? invoice.data.id : EMPTY_GUID,
			appliedAmount: applied,
			journalId: line.journalId,
			journalDisplayName: line.journalDisplayName,
			paymentId: line.id,
			lineNumber: line.lineNumber,
			postedAt: at,
		};
		company.ledger.push(entry);
		entries.push({ ...entry });
	}
	for (const invoice of changedInvoices) if (touchAll || paidInvoices.has(invoice)) touch(invoice);
	if (touchAll) for (const customer of changedCustomers) touch(customer);
	// UpdateAndDeleteLines: the posted batch is emptied (empty lines too)
	const posted: CustomerPayment[] = [];
	for (const r of rows) {
		company.payments.delete(r.data.id);
		posted.push({ ...r.data });
		ctx.store.log({
			...ctx.store.entry('POSTED', company, { ...r.data }, null, etagFor(r.data.id, r.version), null, req.viaBatch),
		});
	}
	ctx.store.postings.push({
		companyId: company.company.data.id,
		journalId: batch.data.id,
		lines: posted,
		entries,
		viaBatch: req.viaBatch,
		at,
	});
	return ok(204, undefined);
}
