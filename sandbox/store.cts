/**
 * In-memory records of the sandbox tenant. Every record carries a version; the
 * `@odata.etag` BC sends is derived from the record's id and version (BC's tag
 * is a base64 blob around the row version, e.g. `W/"JzE5OzEyMzQ...OzAwOyc="`),
 * so it changes on every write. Also holds the audit log of writes, pending
 * forced conflicts, and snapshot/restore for `Isolation: snapshot` batches.
 */
import { fnv1a } from './random.cjs';
import type {
	Company,
	Contact,
	Customer,
	CustomerLedgerEntry,
	CustomerPayment,
	Journal,
	PostingRecord,
	SalesInvoice,
	WriteMethod,
	WriteRecord,
} from './types.cjs';

/**
 * Business Central's clock for SystemModifiedAt / lastModifiedDateTime. The column is a SQL
 * Server `datetime`, which stores 1/300 s: milliseconds end in 0, 3 or 7 (SQL Server's
 * "datetime (Transact-SQL)" accuracy; captures of live v2.0 answers show the same, e.g.
 * `"lastModifiedDateTime": "2023-11-16T15:44:53.277Z"` and `"2023-07-30T18:11:59.58Z"` in
 * tomasholiencik/BusinessCentralApiRead README.md, trailing zeros dropped). So records changed
 * within the same ~3 ms get equal timestamps: a poller must use `ge` (or `gt` on the last value
 * minus a margin) and de-duplicate, never `gt` alone.
 */
export function bcNow(ms: number = Date.now()): string {
	const second = Math.floor(ms / 1000) * 1000;
	const tick = Math.round(((ms - second) * 300) / 1000);
	const rounded = second + Math.round((tick * 1000) / 300);
	return new Date(rounded).toISOString().replace(/\.?0+Z$/, 'Z');
}

export interface Versioned<T> {
	data: T;
	version: number;
}

export interface CompanyData {
	company: Versioned<Company>;
	customers: Versioned<Customer>[];
	invoices: Versioned<SalesInvoice>[];
	journals: Versioned<Journal>[];
	contacts: Versioned<Contact>[];
	/** Payments by id (insertion order = creation order). */
	payments: Map<string, Versioned<CustomerPayment>>;
	/** Document number series prefix per journal id (BC's No. Series of the batch). */
	docPrefixes: Map<string, string>;
	/** Batches of the general journal template (what `journals` lists). */
	generalJournals: Versioned<Journal>[];
	/** Customer ledger entries written by posting. */
	ledger: CustomerLedgerEntry[];
	/** G/L accounts a journal's balancingAccountId may name (id → number). */
	glAccounts: Map<string, string>;
	/** General Ledger Setup "Allow Posting From" / "Allow Posting To" ('' = open). */
	allowPostingFrom: string;
	allowPostingTo: string;
}

/** Fields a new CompanyData needs besides the seeded records. */
export function companyDefaults(): Pick<
	CompanyData,
	'generalJournals' | 'ledger' | 'glAccounts' | 'allowPostingFrom' | 'allowPostingTo'
> {
	return {
		generalJournals: [],
		ledger: [],
		glAccounts: new Map(),
		allowPostingFrom: '',
		allowPostingTo: '',
	};
}

/** Weak eTag of a record version: W/"base64('<n>;<digits>;00;')" like BC's. */
export function etagFor(id: string, version: number): string {
	const digits =
		String(fnv1a(id.toLowerCase())).padStart(10, '0') + String(version).padStart(9, '0');
	const inner = `'${digits.length};${digits};00;'`;
	return `W/"${Buffer.from(inner, 'latin1').toString('base64')}"`;
}

interface CompanyRecords {
	customers: Versioned<Customer>[];
	invoices: Versioned<SalesInvoice>[];
	journals: Versioned<Journal>[];
	generalJournals: Versioned<Journal>[];
	ledger: CustomerLedgerEntry[];
	docPrefixes: Map<string, string>;
}

export interface StoreSnapshot {
	payments: Map<string, Map<string, Versioned<CustomerPayment>>>;
	/** Everything else a write may change (customers, invoices, journals, ledger), per company. */
	records: Map<string, CompanyRecords>;
	writesLength: number;
	postingsLength: number;
}

const cloneRows = <T,>(rows: Versioned<T>[]): Versioned<T>[] =>
	rows.map((r) => ({ data: { ...r.data }, version: r.version }));

const clonePayment = (p: CustomerPayment): CustomerPayment => ({ ...p });

export class Store {
	readonly writes: WriteRecord[] = [];
	/** Successful posting runs. */
	readonly postings: PostingRecord[] = [];
	private seq = 0;
	private readonly forced = new Map<string, number>();
	/** What "another user" writes when a forced conflict fires (default: nothing but a new version). */
	private readonly forcedPatches = new Map<string, Partial<CustomerPayment>>();

	constructor(readonly companies: CompanyData[]) {}

	company(id: string): CompanyData | undefined {
		const key = id.toLowerCase();
		return this.companies.find((c) => c.company.data.id === key);
	}

	journal(company: CompanyData, id: string): Versioned<Journal> | undefined {
		const key = id.toLowerCase();
		return company.journals.find((j) => j.data.id === key);
	}

	payment(company: CompanyData, id: string): Versioned<CustomerPayment> | undefined {
		return company.payments.get(id.toLowerCase());
	}

	/** Payments in BC's key order: journal (as listed), then line number. */
	paymentList(company: CompanyData, journalId?: string): Versioned<CustomerPayment>[] {
		const order = new Map(company.journals.map((j, i) => [j.data.id, i]));
		return [...company.payments.values()]
			.filter((p) => !journalId || p.data.journalId === journalId.toLowerCase())
			.sort(
				(a, b) =>
					(order.get(a.data.journalId) ?? 0) - (order.get(b.data.journalId) ?? 0) ||
					a.data.lineNumber - b.data.lineNumber,
			);
	}

	/** Appends to the audit log. */
	log(
		entry: Omit<WriteRecord, 'seq' | 'at' | 'before' | 'after'> & {
			before: CustomerPayment | null;
			after: CustomerPayment | null;
		},
	): WriteRecord {
		const record: WriteRecord = {
			...entry,
			seq: ++this.seq,
			before: entry.before && clonePayment(entry.before),
			after: entry.after && clonePayment(entry.after),
			at: new Date().toISOString(),
		};
		this.writes.push(record);
		return record;
	}

	/**
	 * "Another user" changes the record: version bump (new eTag), optional
	 * patch, new lastModifiedDateTime; logged as method 'EXTERNAL'.
	 */
	externalChange(
		companyId: string,
		paymentId: string,
		patch: Partial<CustomerPayment> = {},
	): Versioned<CustomerPayment> {
		const company = this.company(companyId);
		const current = company && this.payment(company, paymentId);
		if (!company || !current) throw new Error(`No payment ${paymentId} in company ${companyId}`);
		const before = clonePayment(current.data);
		const etagBefore = etagFor(current.data.id, current.version);
		const { id: _ignored, ...rest } = patch;
		current.data = { ...current.data, ...rest, lastModifiedDateTime: bcNow() };
		current.version++;
		this.log(this.entry('EXTERNAL', company, before, current, etagBefore, null, false));
		return current;
	}

	entry(
		method: WriteMethod,
		company: CompanyData,
		before: CustomerPayment | null,
		after: Versioned<CustomerPayment> | null,
		etagBefore: string | null,
		ifMatch: string | null,
		viaBatch: boolean,
	) {
		return {
			method,
			entity: 'customerPayment' as const,
			id: (after?.data.id ?? before?.id) as string,
			companyId: company.company.data.id,
			before,
			after: after ? after.data : null,
			etagBefore,
			etagAfter: after ? etagFor(after.data.id, after.version) : null,
			ifMatch,
			viaBatch,
		};
	}

	forceConflict(paymentId: string, times: number, patch?: Partial<CustomerPayment>): void {
		const key = paymentId.toLowerCase();
		this.forced.set(key, (this.forced.get(key) ?? 0) + times);
		if (patch) this.forcedPatches.set(key, patch);
	}

	/** Consumes one pending forced conflict for the record: the other user's patch, or undefined if none pending. */
	takeForcedConflict(paymentId: string): Partial<CustomerPayment> | undefined {
		const key = paymentId.toLowerCase();
		const left = this.forced.get(key) ?? 0;
		if (left <= 0) return undefined;
		const patch = this.forcedPatches.get(key) ?? {};
		if (left === 1) {
			this.forced.delete(key);
			this.forcedPatches.delete(key);
		} else this.forced.set(key, left - 1);
		return patch;
	}

	snapshot(): StoreSnapshot {
		const payments = new Map<string, Map<string, Versioned<CustomerPayment>>>();
		for (const c of this.companies) {
			const copy = new Map<string, Versioned<CustomerPayment>>();
			for (const [id, v] of c.payments)
				copy.set(id, { data: clonePayment(v.data), version: v.version });
			payments.set(c.company.data.id, copy);
		}
		const records = new Map<string, CompanyRecords>();
		for (const c of this.companies) {
			records.set(c.company.data.id, {
				customers: cloneRows(c.customers),
				invoices: cloneRows(c.invoices),
				journals: cloneRows(c.journals),
				generalJournals: cloneRows(c.generalJournals),
				ledger: c.ledger.map((e) => ({ ...e })),
				docPrefixes: new Map(c.docPrefixes),
			});
		}
		return {
			payments,
			records,
			writesLength: this.writes.length,
			postingsLength: this.postings.length,
		};
	}

	/**
	 * Undo everything since the snapshot (records, versions, audit entries).
	 * Changes of "another user" (EXTERNAL, e.g. a forced conflict) are not part
	 * of the batch: they are re-applied on top, as a fresh version.
	 */
	restore(snapshot: StoreSnapshot): void {
		for (const c of this.companies) {
			const saved = snapshot.payments.get(c.company.data.id);
			if (saved) c.payments = saved;
			const records = snapshot.records.get(c.company.data.id);
			if (records) Object.assign(c, records);
		}
		this.postings.splice(snapshot.postingsLength);
		const removed = this.writes.splice(snapshot.writesLength);
		for (const w of removed) {
			const company = w.method === 'EXTERNAL' ? this.company(w.companyId) : undefined;
			if (company && w.after && this.payment(company, w.id)) {
				this.externalChange(w.companyId, w.id, w.after);
			}
		}
	}
}
