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
	CustomerPayment,
	Journal,
	SalesInvoice,
	WriteMethod,
	WriteRecord,
} from './types.cjs';

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
}

/** Weak eTag of a record version: W/"base64('<n>;<digits>;00;')" like BC's. */
export function etagFor(id: string, version: number): string {
	const digits =
		String(fnv1a(id.toLowerCase())).padStart(10, '0') + String(version).padStart(9, '0');
	const inner = `'${digits.length};${digits};00;'`;
	return `W/"${Buffer.from(inner, 'latin1').toString('base64')}"`;
}

export interface StoreSnapshot {
	payments: Map<string, Map<string, Versioned<CustomerPayment>>>;
	writesLength: number;
}

const clonePayment = (p: CustomerPayment): CustomerPayment => ({ ...p });

export class Store {
	readonly writes: WriteRecord[] = [];
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
		current.data = { ...current.data, ...rest, lastModifiedDateTime: new Date().toISOString() };
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
		return { payments, writesLength: this.writes.length };
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
		}
		const removed = this.writes.splice(snapshot.writesLength);
		for (const w of removed) {
			const company = w.method === 'EXTERNAL' ? this.company(w.companyId) : undefined;
			if (company && w.after && this.payment(company, w.id)) {
				this.externalChange(w.companyId, w.id, w.after);
			}
		}
	}
}
