/**
 * Seed data in the style of BC's CRONUS demo companies: customers numbered
 * 10000, 20000, ..., posted sales invoices 103001..., draft invoices 101001...,
 * cash receipt journal batches (`CASH RCPT`, `GENERAL`, ...) holding payment
 * lines with document numbers from the batch's number series (G02001...) and
 * line numbers 10000, 20000, ... Everything comes from the seeded PRNG.
 */
import { EMPTY_GUID } from './errors.cjs';
import type { Rng } from './random.cjs';
import { companyDefaults, type CompanyData, type Versioned } from './store.cjs';
import type { Contact, Customer, CustomerPayment, Journal, SalesInvoice } from './types.cjs';

export interface SeedSizes {
	companies: number;
	customersPerCompany: number;
	journalsPerCompany: number;
	paymentsPerJournal: number;
}

const COMPANY_NAMES = [
	'CRONUS USA, Inc.',
	'CRONUS Canada, Inc.',
	'CRONUS UK Ltd.',
	'CRONUS International Ltd.',
	'CRONUS Danmark A/S',
	'CRONUS Deutschland GmbH',
];

const CUSTOMER_NAMES: Array<[string, 'Company' | 'Person']> = [
	['Adatum Corporation', 'Company'],
	['Trey Research', 'Company'],
	['School of Fine Art', 'Company'],
	['Alpine Ski House', 'Company'],
	['Relecloud', 'Company'],
	['Coho Winery', 'Company'],
	["Margie's Travel", 'Company'],
	['Fabrikam, Inc.', 'Company'],
	['Contoso Ltd.', 'Company'],
	['Wide World Importers', 'Company'],
	['Litware, Inc.', 'Company'],
	['Tailspin Toys', 'Company'],
	['Northwind Traders', 'Company'],
	['Proseware, Inc.', 'Company'],
	['Woodgrove Bank', 'Company'],
	['Lamna Healthcare Company', 'Company'],
	['Fourth Coffee', 'Company'],
	['Graphic Design Institute', 'Company'],
	['Blue Yonder Airlines', 'Company'],
	['City Power & Light', 'Company'],
	['VanArsdel, Ltd.', 'Company'],
	['Humongous Insurance', 'Company'],
	['Consolidated Messenger', 'Company'],
	['Wingtip Toys', 'Company'],
	['Best For You Organics Company', 'Company'],
	['Bellows College', 'Company'],
	['Nod Publishers', 'Company'],
	['Southridge Video', 'Company'],
	['Megan Bowen', 'Person'],
	['Alex Wilber', 'Person'],
];

const PEOPLE = [
	'Robert Townes',
	'Jesse Homer',
	'Kathleen Hogan',
	'Mark Hanson',
	'Ian Deberry',
	'Meagan Bond',
	'Mindy Martin',
	'Belinda Newman',
	'Carlos Grilo',
	'Dan Jump',
	'Andrea Dunker',
	'Pete Male',
];

const JOURNALS: Array<[string, string, string]> = [
	['CASH RCPT', 'Cash receipts', '10100'],
	['GENERAL', 'Default Journal Batch', ''],
	['BANK', 'Bank deposits', '10200'],
	['LOCKBOX', 'Lockbox receipts', '10300'],
	['DAILY', 'Daily receipts', '10100'],
];

const COMMENTS = [
	'',
	'',
	'',
	'',
	'Partial payment',
	'Paid by wire transfer',
	'Check received by mail',
];

/** `YYYY-MM-DD` plus n days (UTC). */
export function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function stamp(rng: Rng, date: string): string {
	const ms = rng.int(7, 18) * 3600000 + rng.int(0, 3599999);
	return new Date(Date.parse(`${date}T00:00:00Z`) + ms).toISOString();
}

function slug(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

const v = <T,>(data: T): Versioned<T> => ({ data, version: 1 });

export function seedCompanies(rng: Rng, sizes: SeedSizes): CompanyData[] {
	const out: CompanyData[] = [];
	for (let c = 0; c < sizes.companies; c++) out.push(seedCompany(rng, sizes, c));
	return out;
}

function seedCompany(rng: Rng, sizes: SeedSizes, index: number): CompanyData {
	const name = COMPANY_NAMES[index] ?? `CRONUS Company ${index + 1}`;
	const created = stamp(rng, addDays('2023-10-02', rng.int(0, 30)));
	const data: CompanyData = {
		company: v({
			id: rng.guid(),
			systemVersion: '25.0.23364.25460',
			timestamp: rng.int(10000, 99999),
			name,
			displayName: name,
			businessProfileId: '',
			systemCreatedAt: created,
			systemModifiedAt: created,
		}),
		customers: [],
		invoices: [],
		journals: [],
		contacts: [],
		payments: new Map(),
		docPrefixes: new Map(),
		...companyDefaults(),
	};
	seedCustomers(rng, data, sizes.customersPerCompany, index);
	for (let j = 0; j < sizes.journalsPerCompany; j++) {
		const [code, displayName, account] = JOURNALS[j] ?? [`JNL${j + 1}`, `Journal ${j + 1}`, ''];
		const journal: Journal = {
			id: rng.guid(),
			code,
			displayName,
			balancingAccountId: account ? rng.guid() : EMPTY_GUID,
			balancingAccountNumber: account,
			lastModifiedDateTime: stamp(rng, addDays('2024-01-02', rng.int(0, 20))),
		};
		data.journals.push(v(journal));
		data.docPrefixes.set(journal.id, j < 8 ? `G0${j + 2}` : `G${j + 2}`);
		seedPayments(rng, data, journal.id, sizes.paymentsPerJournal);
	}
	// the balancing accounts named by the batches are the G/L accounts the sandbox knows
	for (const j of data.journals) {
		if (j.data.balancingAccountNumber)
			data.glAccounts.set(j.data.balancingAccountId, j.data.balancingAccountNumber);
	}
	// BC lists batches by their key (template, name)
	data.journals.sort((a, b) =>
		a.data.code < b.data.code ? -1 : a.data.code > b.data.code ? 1 : 0,
	);
	return data;
}

function seedCustomers(rng: Rng, data: CompanyData, count: number, companyIndex: number): void {
	let posted = 103001;
	let draft = 101001;
	for (let i = 0; i < count; i++) {
		const [baseName, type] = CUSTOMER_NAMES[i % CUSTOMER_NAMES.length];
		const round = Math.floor(i / CUSTOMER_NAMES.length);
		const displayName = round === 0 ? baseName : `${baseName} ${round + 1}`;
		const customer: Customer = {
			id: rng.guid(),
			number: String((i + 1) * 10000),
			displayName,
			type,
			// not drawn from the seeded stream (added after it; keeps every other value as it was)
			phoneNumber: `+1 425 555 ${String(1010 + ((i * 137) % 8900))}`,
			email:
				type === 'Person'
					? `${slug(displayName)}@contoso.com`
					: `accounts@${slug(displayName)}.com`,
			website: type === 'Company' ? `www.${slug(displayName)}.com` : '',
			currencyCode: rng.next() < 0.15 ? (companyIndex === 1 ? 'USD' : 'EUR') : '',
			blocked: rng.next() < 0.05 ? 'Ship' : ' ',
			balanceDue: 0,
			lastModifiedDateTime: stamp(rng, addDays('2023-11-01', rng.int(0, 60))),
		};
		data.customers.push(v(customer));
		const contactName = PEOPLE[(i + companyIndex) % PEOPLE.length];
		const contact: Contact = {
			id: rng.guid(),
			number: `CT${String((i + 1) * 10).padStart(6, '0')}`,
			type: 'Person',
			displayName: contactName,
			companyName: displayName,
			email: `${slug(contactName)}@${slug(displayName)}.com`,
			phoneNumber: `+1 425 555 0${String(100 + rng.int(0, 899))}`,
			lastModifiedDateTime: customer.lastModifiedDateTime,
		};
		data.contacts.push(v(contact));
		const invoiceCount = rng.int(1, 3);
		for (let k = 0; k <= invoiceCount; k++) {
			const isDraft = k === invoiceCount;
			if (isDraft && rng.next() > 0.3) continue;
			const invoiceDate = addDays('2024-01-02', rng.int(0, 80));
			const total = round2(rng.int(25000, 2500000) / 100);
			const roll = rng.next();
			const status: SalesInvoice['status'] = isDraft
				? 'Draft'
				: roll < 0.68
					? 'Open'
					: roll < 0.9
						? 'Paid'
						: roll < 0.96
							? 'Canceled'
							: 'Corrective';
			const remaining =
				status === 'Open'
					? rng.next() < 0.2
						? round2(total * 0.5)
						: total
					: status === 'Draft'
						? total
						: 0;
			data.invoices.push(
				v({
					id: rng.guid(),
					number: String(isDraft ? draft++ : posted++),
					externalDocumentNumber: rng.next() < 0.4 ? `PO-${rng.int(10000, 99999)}` : '',
					invoiceDate,
					postingDate: invoiceDate,
					dueDate: addDays(invoiceDate, 30),
					customerId: customer.id,
					customerNumber: customer.number,
					customerName: customer.displayName,
					totalAmountIncludingTax: total,
					remainingAmount: remaining,
					status,
					lastModifiedDateTime: stamp(rng, invoiceDate),
				}),
			);
			if (status === 'Open') customer.balanceDue = round2(customer.balanceDue + remaining);
		}
	}
	data.invoices.sort((a, b) => a.data.number.localeCompare(b.data.number));
}

/**
 * Adds `count` payment lines to a journal, continuing its line numbers and
 * document number series. Amounts are negative, as cash receipt lines
 * usually are in BC (the API itself stores whatever sign is sent), with two
 * decimals as table 81's ValidateAmount() leaves them; the description is the
 * customer's name, as table 81's UpdateDescription(Cust.Name) fills it (see
 * payments.cts and README "What it models and from where").
 */
export function seedPayments(
	rng: Rng,
	data: CompanyData,
	journalId: string,
	count: number,
): CustomerPayment[] {
	const journal = data.journals.find((j) => j.data.id === journalId);
	if (!journal) throw new Error(`Unknown journal ${journalId}`);
	const prefix = data.docPrefixes.get(journalId) ?? 'G02';
	const existing = [...data.payments.values()].filter((p) => p.data.journalId === journalId);
	let line = Math.max(0, ...existing.map((p) => p.data.lineNumber));
	let doc = nextDocNumber(
		prefix,
		existing.map((p) => p.data.documentNumber),
	);
	const created: CustomerPayment[] = [];
	for (let i = 0; i < count; i++) {
		const customer = rng.pick(data.customers).data;
		const open = data.invoices.filter(
			(inv) => inv.data.customerId === customer.id && inv.data.status === 'Open',
		);
		const invoice = open.length > 0 && rng.next() < 0.8 ? rng.pick(open).data : undefined;
		const amount = invoice
			? -(rng.next() < 0.2 ? round2(invoice.remainingAmount / 2) : invoice.remainingAmount)
			: -round2(rng.int(5000, 500000) / 100);
		const postingDate = addDays(invoice ? invoice.invoiceDate : '2024-02-01', rng.int(5, 45));
		line += 10000;
		const payment: CustomerPayment = {
			id: rng.guid(),
			journalId,
			journalDisplayName: journal.data.code,
			lineNumber: line,
			customerId: customer.id,
			customerNumber: customer.number,
			contactId: '',
			postingDate,
			documentNumber: doc,
			externalDocumentNumber: rng.next() < 0.5 ? `CHK${rng.int(1000, 9999)}` : '',
			amount,
			appliesToInvoiceId: invoice ? invoice.id : EMPTY_GUID,
			appliesToInvoiceNumber: invoice ? invoice.number : '',
			description: customer.displayName,
			comment: rng.pick(COMMENTS),
			lastModifiedDateTime: stamp(rng, postingDate),
		};
		data.payments.set(payment.id, v(payment));
		created.push({ ...payment });
		doc = nextDocNumber(prefix, [doc]);
	}
	return created;
}

/** Next number of a series like G02001, G02002, ... given the numbers used so far. */
export function nextDocNumber(prefix: string, used: string[]): string {
	let max = 0;
	for (const n of used) {
		if (n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length))) {
			max = Math.max(max, Number(n.slice(prefix.length)));
		}
	}
	return `${prefix}${String(max + 1).padStart(3, '0')}`;
}
