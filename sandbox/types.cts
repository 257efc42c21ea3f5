/**
 * Public types of the Business Central API sandbox: entity shapes (as the
 * v2.0 API pages return them), options, statistics and the audit log.
 */

/** API flavours the sandbox serves: SaaS v2.0, SaaS v1.0 and the legacy Financials beta. */
export type ApiVersion = 'v2.0' | 'v1.0' | 'beta';

/** `companies` entity (API v2.0 page "APIV2 - Companies"). */
export interface Company {
	id: string;
	systemVersion: string;
	timestamp: number;
	name: string;
	displayName: string;
	businessProfileId: string;
	systemCreatedAt: string;
	systemModifiedAt: string;
}

/**
 * `customers` entity (subset of the v2.0 fields a payment UI needs; page 30009
 * "APIV2 - Customers", microsoft/ALAppExtensions `Apps/W1/APIV2/app/src/pages/APIV2Customers.Page.al`).
 */
export interface Customer {
	id: string;
	number: string;
	displayName: string;
	type: 'Company' | 'Person';
	/** Customer."Phone No." (Text[30]). */
	phoneNumber: string;
	email: string;
	/** Customer."Home Page" (Text[80]). */
	website: string;
	currencyCode: string;
	/** BC's Blocked option: ' ' (not blocked), 'Ship', 'Invoice', 'All'. */
	blocked: ' ' | 'Ship' | 'Invoice' | 'All';
	balanceDue: number;
	lastModifiedDateTime: string;
}

/**
 * Status of the "Sales Invoice Entity Aggregate" (v2.0 reference `dynamics_salesinvoice.md`:
 * Draft, In Review, Open, Paid, Canceled, Corrective). Draft and In Review are unposted.
 */
export type SalesInvoiceStatus = 'Open' | 'Paid' | 'Draft' | 'In Review' | 'Canceled' | 'Corrective';

/** `salesInvoices` entity (subset). Drafts are unposted; the others are posted invoices. */
export interface SalesInvoice {
	id: string;
	number: string;
	externalDocumentNumber: string;
	invoiceDate: string;
	postingDate: string;
	dueDate: string;
	customerId: string;
	customerNumber: string;
	customerName: string;
	totalAmountIncludingTax: number;
	remainingAmount: number;
	status: SalesInvoiceStatus;
	lastModifiedDateTime: string;
}

/** `customerPaymentJournals` entity (a Gen. Journal Batch of the cash receipts template). */
export interface Journal {
	id: string;
	code: string;
	displayName: string;
	balancingAccountId: string;
	balancingAccountNumber: string;
	lastModifiedDateTime: string;
	/**
	 * "Journal Template Name" of the batch (`CASHRCPT` for customer payment journals, `GENERAL`
	 * for the general journal batches `journals` lists); the `journals` page's templateDisplayName.
	 */
	templateDisplayName?: string;
}

/**
 * A customer ledger entry written by posting a payment line (table 21 "Cust. Ledger Entry").
 * Business Central's standard API v2.0 has no customer ledger entry endpoint (only the
 * `reportsFinance` beta API group, a separate route), so the sandbox keeps them internal:
 * `Sandbox.ledgerEntries()`.
 */
export interface CustomerLedgerEntry {
	entryNumber: number;
	customerId: string;
	customerNumber: string;
	postingDate: string;
	documentType: 'Payment';
	documentNumber: string;
	externalDocumentNumber: string;
	description: string;
	/** As posted: negative for a payment. */
	amount: number;
	/** What is left open after application (0 when fully applied). */
	remainingAmount: number;
	open: boolean;
	/** The invoice the payment was applied to ('' / empty GUID when none). */
	appliedToInvoiceNumber: string;
	appliedToInvoiceId: string;
	/** Positive amount taken off the invoice's remaining amount. */
	appliedAmount: number;
	/** The journal batch and line (SystemId of the line) it came from. */
	journalId: string;
	journalDisplayName: string;
	paymentId: string;
	lineNumber: number;
	/** When it was posted (BC: SystemCreatedAt of the entry). */
	postedAt: string;
}

/** A posting run of `Microsoft.NAV.post` (sandbox record, for tests and the demo). */
export interface PostingRecord {
	companyId: string;
	journalId: string;
	/** The lines posted, as they were in the journal. */
	lines: CustomerPayment[];
	entries: CustomerLedgerEntry[];
	viaBatch: boolean;
	at: string;
}
export type CustomerPaymentJournal = Journal;

/** `contacts` entity (read-only lookup; extra, not required by the brief). */
export interface Contact {
	id: string;
	number: string;
	type: 'Company' | 'Person';
	displayName: string;
	companyName: string;
	email: string;
	phoneNumber: string;
	lastModifiedDateTime: string;
}

/**
 * `customerPayments` entity (a Gen. Journal Line). Stored records always hold
 * `contactId`; the v2.0 API omits it (it only exists in v1.0 and beta).
 */
export interface CustomerPayment {
	id: string;
	journalId: string;
	journalDisplayName: string;
	lineNumber: number;
	customerId: string;
	customerNumber: string;
	contactId?: string;
	postingDate: string;
	documentNumber: string;
	externalDocumentNumber: string;
	amount: number;
	appliesToInvoiceId: string;
	appliesToInvoiceNumber: string;
	description: string;
	comment: string;
	lastModifiedDateTime: string;
}

export interface ThrottleOptions {
	/** Requests (a $batch counts as its number of operations) allowed per user in the window. */
	maxRequests: number;
	/** Sliding window length. */
	windowMs: number;
	/** When set, 429 answers carry `Retry-After: <value>`; omitted → no header. */
	retryAfterSeconds?: number;
}

export interface FaultOptions {
	/** Probability per API request of answering 503 (with `Retry-After: 1`) without doing anything. */
	rate503?: number;
	/** Probability per API request of answering 504 without doing anything. */
	rate504?: number;
	/** Probability of destroying the socket without a response, before doing anything. */
	dropRate?: number;
	/** For requests that write (PATCH/POST/DELETE, or a $batch containing one): apply, then destroy the socket. */
	applyThenDropRate?: number;
	/** Probability of never answering (socket kept open until the client gives up or the server closes). */
	hangRate?: number;
	/**
	 * For requests that write: apply, then never answer (like `hangRate`, after the write):
	 * what a client timeout looks like when the server was only slow to answer.
	 */
	applyThenHangRate?: number;
	/**
	 * For requests that write: wait `slowWriteMs` (default 1000) before handling it, then apply
	 * and answer — applied even if the client gave up meanwhile (a write applied late).
	 */
	slowWriteRate?: number;
	slowWriteMs?: number;
	/**
	 * For requests that write: apply, then answer 500 `Internal_ServerError` (a $batch: the whole
	 * batch answer). Business Central's service tier answers 500 when an AL error or a database
	 * deadlock/timeout surfaces after the transaction committed, and Azure front ends answer 500
	 * for failures between the service tier and the client; the write may well be stored.
	 */
	applyThen500Rate?: number;
	/**
	 * For requests that write: apply, then an answer that cannot be parsed: bytes that are not
	 * HTTP on the raw socket then close, a complete HTTP answer whose JSON is cut in the middle,
	 * or a JSON body cut by the connection closing mid-body (what load balancers and proxies
	 * produce when they are recycled mid-answer).
	 */
	applyThenMalformedRate?: number;
	/**
	 * For requests that write: apply, then 200 with an empty body or a body that is not the record
	 * (`{}`): gateways and proxies that strip or replace bodies, and `Prefer: return=minimal`-like
	 * behaviour, leave the client with a success status but no record.
	 */
	applyThenEmpty200Rate?: number;
	/**
	 * For requests that write: apply, then "another user" changes the same record(s) (the same
	 * field as ours, `description`, plus `comment`, or only a field we do not write, `comment`),
	 * then the answer is dropped. The re-read sees a changed eTag: when the values differ the
	 * outcome of our write cannot be known (it landed and was overwritten, or never landed).
	 */
	applyThenOtherUserRate?: number;
	/**
	 * Answer 302 or 307 with `Location` on another origin (the sandbox's foreign host, another
	 * port) without doing anything: misconfigured reverse proxies, captive portals and
	 * compromised DNS/CDN answers do this; a client must not follow it (with the token).
	 */
	redirectRate?: number;
	/**
	 * Send the (real, applied) answer slowly: headers at once, then the body `trickleBytes`
	 * (default 1) at a time every `trickleMs` (default 50) ms; with `trickleTotalMs` the chunk
	 * grows (long bodies) or the interval does (short ones) so the whole body takes at least
	 * that long (at most about twice). Slowloris-like networks and overloaded
	 * proxies do this; only a timeout on the whole answer (not an idle-socket timeout) cuts it.
	 */
	trickleRate?: number;
	trickleMs?: number;
	trickleBytes?: number;
	trickleTotalMs?: number;
	/** Planted server defects, for the soak's self-tests only (scripts/soakLib.cts). */
	defects?: DefectOptions;
}

/**
 * Deliberate defects of the sandbox, so the soak's self-tests can show that each must-be-0 row
 * counts the defect it is about. Rates are per request that writes, drawn from their own
 * seeded stream (they never shift the fault draws).
 */
export interface DefectOptions {
	/** Every PATCH applied is applied a second time (a new version, logged as a second PATCH). */
	applyTwiceRate?: number;
	/** The writes are answered as usual (200 with the updated record) but silently not stored. */
	dropWriteRate?: number;
	/** The If-Match of every PATCH is replaced by the record's current eTag (concurrency ignored). */
	ignoreIfMatchRate?: number;
	/** The write is applied, then answered 400 as if it had been refused. */
	applyThen400Rate?: number;
	/** A PATCH replaces the record: `comment` and `externalDocumentNumber`, not sent, are emptied. */
	resetUntouchedRate?: number;
}

export interface SandboxOptions {
	port?: number;
	seed?: number;
	pageSize?: number;
	/** Delay added to every request, spent inside its concurrency slot (default 0). */
	latencyMs?: number;
	/**
	 * Server time per operation, inside the slot, after `latencyMs`: a single request costs it
	 * once, a `$batch` once per operation, because Business Central runs a batch's operations
	 * one after another (limits.cts). Default 0.
	 */
	operationMs?: number;
	conflictStatus?: 409 | 412;
	tokenLifetimeSeconds?: number;
	/** Rate window per user (the token's app / subject: a new token does not reset it). */
	throttle?: ThrottleOptions;
	/** Requests per user processed at once. */
	maxConcurrent?: number;
	/** Requests per user allowed to wait for a slot when `maxConcurrent` is reached (default 0: excess → 429). */
	queueSize?: number;
	/** A queued request that waited this long gets 503 with `Retry-After` (Business Central: 8 minutes). */
	queueTimeoutMs?: number;
	/**
	 * Business Central online's per-user limits (limits.cts `BC_LIMITS`): 5 requests at once,
	 * 95 queued (8-minute queue timeout → 503), past them 429; 6,000 requests per 5-minute
	 * sliding window, past it 429 without Retry-After; pages of 20,000 entities. Limits set
	 * explicitly win.
	 */
	bcLimits?: boolean;
	faults?: FaultOptions;
	companies?: number;
	customersPerCompany?: number;
	paymentsPerJournal?: number;
	journalsPerCompany?: number;
	/**
	 * What a `$batch` does after a failing operation: `honourPrefer` (default, as Business
	 * Central: stop there unless the request carries `Prefer: odata.continue-on-error`),
	 * `stop` (always stop: a proxy that strips the header, an older server) or
	 * `continue` (always answer every operation).
	 */
	batchOnError?: 'honourPrefer' | 'stop' | 'continue';
	/**
	 * What a posting run (`journals({id})/Microsoft.NAV.post`) marks as modified (new
	 * `lastModifiedDateTime` and eTag): `all` (default) every customer and invoice whose
	 * balance / remaining amount changed; `storedOnly` what Business Central stores: the
	 * customer's balance is a FlowField and an invoice's remainingAmount is computed on read
	 * (APIV2SalesInvoices.Page.al GetRemainingAmount()), so only invoices whose status changed
	 * (stored in the Sales Invoice Entity Aggregate) are touched (inferred; see README).
	 */
	touchOnPost?: 'all' | 'storedOnly';
	/**
	 * What `POST journals({unknown id})/Microsoft.NAV.post` answers: `notFound` (default, 404
	 * `BadRequest_NotFound`: the page's OnFindRecord finds no batch, so the platform never runs
	 * the action) or `dialog` (400 `Application_DialogException` "The General Journal Batch with
	 * ID … cannot be found.", the action's own GetBatch() error; both from APIV2Journals.Page.al).
	 */
	missingJournalOnPost?: 'notFound' | 'dialog';
	/**
	 * Webhooks (see subscriptions.cts, README "Webhook subscriptions"). How long after the first
	 * change of a batch its notification goes out (Business Central: about 30 s; default 200 ms).
	 */
	notificationDelayMs?: number;
	/** More changed records than this for one notification URL within the delay → one `collection` entry (BC 1,000; default 1000). */
	collectionThreshold?: number;
	/** Waits before the 2nd, 3rd, … attempt after 408 / 429 / 5xx / no answer (BC: retries over 36 hours; default [100, 200, 400]); then it gives up. */
	notificationRetryDelaysMs?: number[];
	/** The handshake must be answered within this (default 5000, as reported for BC). */
	handshakeTimeoutMs?: number;
	/** A notification POST not answered within this counts as no answer (retried; default 5000). */
	notificationTimeoutMs?: number;
	/** Subscriptions per environment (BC 200). */
	maxSubscriptions?: number;
	/** Lifetime of a subscription from creation / renewal (BC three days). */
	subscriptionLifetimeMs?: number;
}

/** A webhook subscription as stored (properties of MicrosoftDocs `resources/dynamics_subscriptions.md`). */
export interface SubscriptionRecord {
	subscriptionId: string;
	notificationUrl: string;
	resource: string;
	timestamp: number;
	userId: string;
	lastModifiedDateTime: string;
	clientState: string;
	expirationDateTime: string;
	systemCreatedAt: string;
	systemCreatedBy: string;
	systemModifiedAt: string;
	systemModifiedBy: string;
}

export type ApiSubscription = SubscriptionRecord & { '@odata.etag': string };

/** One entry of a notification payload's `value` (MicrosoftDocs `dynamics-subscriptions.md`). */
export interface NotificationEntry {
	subscriptionId: string;
	clientState: string;
	expirationDateTime: string;
	/** `api/v2.0/companies(c)/customers(id)`, or for `collection` `api/v2.0/companies(c)/customers?$filter=lastModifiedDateTime%20gt%20…`. */
	resource: string;
	changeType: 'created' | 'updated' | 'deleted' | 'collection';
	lastModifiedDateTime: string;
}

/** One notification POST the sandbox made (every attempt). */
export interface NotificationRecord {
	url: string;
	/** 1 for the first attempt. */
	attempt: number;
	body: { value: NotificationEntry[] };
	/** 0 when no answer came. */
	status: number;
	error?: string;
	/** `retry` (408/429/5xx/no answer, another attempt scheduled), `gaveUp` (the last of them). */
	outcome: 'delivered' | 'retry' | 'gaveUp' | 'subscriptionDeleted';
	/** Sandbox clock (with the clock offset). */
	at: string;
}

/** One handshake the sandbox made (subscription create or renewal). */
export interface HandshakeRecord {
	/** The URL called: notificationUrl with `validationToken=…`. */
	url: string;
	purpose: 'create' | 'renew';
	validationToken: string;
	status: number;
	body: string;
	error?: string;
	accepted: boolean;
	at: string;
}

export interface FaultStats {
	503: number;
	504: number;
	drop: number;
	applyThenDrop: number;
	hang: number;
	applyThenHang: number;
	slowWrite: number;
	applyThen500: number;
	applyThenMalformed: number;
	applyThenEmpty200: number;
	applyThenOtherUser: number;
	redirect: number;
	trickle: number;
	/** Trickled answers the client closed before the last byte (a whole-answer timeout cut them). */
	trickleCut: number;
	/** Planted defects that fired (self-tests only). */
	planted: number;
}

/** One fault that hit a request, with the customer payments the request wrote (for the soak). */
export interface FaultEvent {
	fault: string;
	method: string;
	batch: boolean;
	/** Lower-case ids of the customerPayments the request (or its $batch operations) addressed with a write. */
	paymentIds: string[];
	/** Lower-case ids of the customerPayments it (or its $batch operations) read. */
	readPaymentIds?: string[];
	/** Trickled answers, once over: how long from the first byte to the end or the client closing … */
	answerMs?: number;
	/** … and whether the client closed before the last byte. */
	cut?: boolean;
}

/**
 * A second loopback server on another port (another origin): where redirect faults point.
 * It answers 404 to everything and counts what reaches it.
 */
export interface ForeignHost {
	url: string;
	/** Requests received since start or the last `reset()`. */
	requests: number;
	/** `METHOD path` of each request received. */
	received: string[];
	/** Every `Authorization` header it received (a token sent off the configured host). */
	authorizations: string[];
	reset(): void;
	close(): Promise<void>;
}

export interface SandboxStats {
	/** Every HTTP request that reached the server (token endpoint, throttled and faulted ones included). */
	requests: number;
	byMethod: Record<string, number>;
	batchRequests: number;
	batchOperations: number;
	/** 429 answers (rate window or concurrency). */
	throttled: number;
	faults: FaultStats;
	tokensIssued: number;
	/** Highest number of API requests of one token being processed at the same time. */
	maxConcurrentSeen: number;
	/** 401 answers of the API (extra). */
	unauthorized: number;
	/** 409/412 concurrency answers, inside batches too (extra). */
	conflicts: number;
}

/** `POSTED`: the line was posted by `Microsoft.NAV.post` and left the journal. */
export type WriteMethod = 'PATCH' | 'POST' | 'DELETE' | 'EXTERNAL' | 'POSTED';

/** One applied write, in order. Writes rolled back by an `Isolation: snapshot` batch are removed. */
export interface WriteRecord {
	seq: number;
	method: WriteMethod;
	entity: 'customerPayment';
	id: string;
	companyId: string;
	before: CustomerPayment | null;
	after: CustomerPayment | null;
	etagBefore: string | null;
	etagAfter: string | null;
	/** The If-Match header the client sent (null for POST / EXTERNAL). */
	ifMatch: string | null;
	viaBatch: boolean;
	/** ISO time of the write. */
	at: string;
}

export type ApiPayment = CustomerPayment & { '@odata.etag': string };
export type ApiCustomer = Customer & { '@odata.etag': string };
export type ApiSalesInvoice = SalesInvoice & { '@odata.etag': string };
export type ApiJournal = Journal & { '@odata.etag': string };

export interface Sandbox {
	url: string;
	tenantId: string;
	environment: string;
	baseUrl(api?: ApiVersion): string;
	tokenUrl: string;
	token: string;
	clientId: string;
	clientSecret: string;
	options: SandboxOptions;
	stats: SandboxStats;
	resetStats(): void;
	/** The server on another origin that redirect faults point at. */
	foreign: ForeignHost;
	/** Every fault that hit a request (with the payments it wrote, if any), in order (cleared by `resetStats`). */
	faultLog: FaultEvent[];
	writes: WriteRecord[];
	companies(): Company[];
	journals(companyId: string): Journal[];
	customers(companyId: string): Customer[];
	invoices(companyId: string): SalesInvoice[];
	payments(companyId: string, journalId?: string): CustomerPayment[];
	getPayment(companyId: string, paymentId: string): ApiPayment | undefined;
	seedPayments(companyId: string, journalId: string, count: number): CustomerPayment[];
	simulateConcurrentChange(
		companyId: string,
		paymentId: string,
		patch?: Partial<CustomerPayment>,
	): void;
	/**
	 * The next `times` writes of the payment with a current If-Match meet "another
	 * user" first: their change (`patch`, else only a new version) is applied, the write gets 409/412.
	 */
	forceConflictOnce(paymentId: string, times?: number, patch?: Partial<CustomerPayment>): void;
	/** One customer by id or number, as the v2.0 API shows it (with `@odata.etag`). */
	customer(companyId: string, idOrNumber: string): ApiCustomer | undefined;
	/** One sales invoice by id or number, as the v2.0 API shows it (with `@odata.etag`). */
	invoice(companyId: string, idOrNumber: string): ApiSalesInvoice | undefined;
	/** One journal batch by id, any template (customer payment journals and general batches). */
	journal(companyId: string, journalId: string): ApiJournal | undefined;
	/** General journal batches (template GENERAL), what `GET companies(c)/journals` lists. */
	generalJournals(companyId: string): Journal[];
	/** Customer ledger entries written by posting, in entry order (optionally one customer's). */
	ledgerEntries(companyId: string, customerId?: string): CustomerLedgerEntry[];
	/** Every successful posting run, in order. */
	postings: PostingRecord[];
	/**
	 * General Ledger Setup "Allow Posting From" / "Allow Posting To" (`YYYY-MM-DD`; null or ''
	 * = open on that side), for one company or (no companyId) all. Default: open.
	 */
	setAllowedPostingDates(from: string | null, to: string | null, companyId?: string): void;
	/**
	 * "Another user" enters a payment line in a journal (not through this client): it lands in
	 * the batch and is posted with everything else. Defaults: next line number, next document
	 * number, today's posting date; `fields` are stored raw (no validation: a blank documentNumber
	 * or a positive amount are allowed, to test posting errors). Logged as EXTERNAL.
	 */
	addForeignPaymentLine(
		companyId: string,
		journalId: string,
		fields?: Partial<CustomerPayment>,
	): CustomerPayment;
	/** Live webhook subscriptions (expired ones are removed first), with `@odata.etag`. */
	subscriptions(): ApiSubscription[];
	/** Makes a subscription expire now (it sends nothing more and disappears). Throws on an unknown id. */
	expireSubscription(subscriptionId: string): void;
	/** Moves the sandbox's subscription clock forward (expiry, `expirationDateTime` of new/renewed ones); record timestamps keep the real clock. */
	advanceClock(ms: number): void;
	/** The subscription clock: Date.now() + the offset of `advanceClock`. */
	now(): Date;
	/** Detects changes now, sends every pending notification batch and scheduled retry now, and waits for their answers. */
	flushNotifications(): Promise<void>;
	/** Every notification POST (each attempt), in order. */
	notificationsSent: NotificationRecord[];
	/** Every handshake, in order. */
	handshakes: HandshakeRecord[];
	close(): Promise<void>;
}
