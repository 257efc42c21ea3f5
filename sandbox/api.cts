/**
 * The API endpoint proper (one request or one $batch operation): reads with
 * query options and server-driven paging (`@odata.nextLink`, page size from
 * the options, lowered per request by `Prefer: odata.maxpagesize=N`), and
 * customerPayments writes with BC's optimistic concurrency: `If-Match`
 * required (400 `BadRequest_InvalidToken` without it), `*` skips the check, a
 * stale tag answers 409 `Request_EntityChanged` (or 412). The journal rule of
 * the customerPayments page is enforced: a company-level list needs a filter on
 * journalId (or id), a company-level POST a journalId
 * (APIV2CustomerPayments.Page.al CheckFilters() / OnInsertRecord).
 */
import { BcError, errors } from './errors.cjs';
import { type ApiRequest, type ApiResponse, type Context, fail, ok } from './context.cjs';
import { ENTITIES, type EntityDef, fieldTypes, NAVIGATION, project } from './entities.cjs';
import {
	encodeSkiptoken,
	filterAndSort,
	filteredFields,
	parseQuery,
	type QueryOptions,
} from './odata.cjs';
import { checkBody, newPayment, updatedPayment } from './payments.cjs';
import { findBatch, postJournal } from './posting.cjs';
import {
	patchCustomer,
	postCustomerPaymentJournal,
	writeCustomerPaymentJournal,
} from './records.cjs';
import { type NavigationTarget, resolve, type ResourceTarget } from './routes.cjs';
import { type CompanyData, etagFor, type Versioned } from './store.cjs';
import type { CustomerPayment, Journal } from './types.cjs';

const MAX_PAGE = 20000;

type Row = Versioned<{ id: string }>;

/** Handles one API request; never throws (errors become BC error answers). */
export function handleApi(ctx: Context, req: ApiRequest): ApiResponse {
	try {
		return route(ctx, req);
	} catch (err) {
		if (err instanceof BcError) return fail(ctx, err);
		throw err;
	}
}

/** True when the method changes data (for apply-then-drop faults). */
export function isWrite(method: string): boolean {
	return method === 'POST' || method === 'PATCH' || method === 'DELETE' || method === 'PUT';
}

function route(ctx: Context, req: ApiRequest): ApiResponse {
	const target = resolve(ctx.store, req.path);
	const method = req.method.toUpperCase();
	switch (target.kind) {
		case 'service':
			if (method !== 'GET') throw errors.methodNotAllowed(method, 'service', 'EntitySet');
			return ok(200, {
				'@odata.context': `${req.base}/$metadata`,
				value: [{ name: 'companies', kind: 'EntitySet', url: 'companies' }],
			});
		case 'batch':
			throw errors.badQuery('A $batch request cannot be nested inside a $batch request.');
		case 'navigation':
			if (method !== 'GET') throw errors.methodNotAllowed(method, target.nav, 'Entity');
			return getNavigation(ctx, req, target);
		case 'action':
			// APIV2Journals.Page.al `[ServiceEnabled] procedure post`; no other page of the
			// sandbox has actions (the customerPaymentJournals page's `actions { }` is empty)
			if (target.def.set !== 'journals' || target.action !== 'Microsoft.NAV.post')
				throw errors.segmentNotFound(target.action);
			if (method !== 'POST') throw errors.methodNotAllowed(method, target.action, 'Entity');
			return postJournal(ctx, req, target.company, target.id);
		case 'collection':
			if (method === 'GET') return getCollection(ctx, req, target);
			if (method === 'POST' && target.def.writable && target.company)
				return postPayment(ctx, req, target.company, target);
			if (method === 'POST' && target.company && target.def.set === 'customerPaymentJournals')
				return postCustomerPaymentJournal(ctx, req, target.company, target.contextPath);
			throw errors.methodNotAllowed(method, target.def.set, 'EntitySet');
		case 'entity': {
			if (method === 'GET') return getEntity(ctx, req, target);
			if ((method === 'PATCH' || method === 'DELETE') && target.def.writable && target.company) {
				return writePayment(ctx, req, method, target.company, target);
			}
			const check = (ifMatch: string | undefined, row: Versioned<{ id: string }>) =>
				checkIfMatch(ctx, ifMatch, row, target.company as CompanyData);
			if (method === 'PATCH' && target.company && target.def.set === 'customers')
				return patchCustomer(ctx, req, target.company, target.id as string, target.contextPath, check);
			if (
				(method === 'PATCH' || method === 'DELETE') &&
				target.company &&
				target.def.set === 'customerPaymentJournals'
			) {
				return writeCustomerPaymentJournal(
					ctx,
					req,
					method,
					target.company,
					target.id as string,
					target.contextPath,
					check,
				);
			}
			throw errors.methodNotAllowed(method, target.def.set, 'Entity');
		}
	}
}

/** `journals` rows: the general template's batches, with templateDisplayName (the page's field). */
function journalRows(company: CompanyData): Row[] {
	return company.generalJournals;
}

// ---------------------------------------------------------------- reads

function rowsOf(ctx: Context, def: EntityDef, company?: CompanyData, journalId?: string): Row[] {
	if (def.set === 'companies') return ctx.store.companies.map((c) => c.company);
	if (!company) return [];
	switch (def.set) {
		case 'customers':
			return company.customers;
		case 'salesInvoices':
			return company.invoices;
		case 'customerPaymentJournals':
			return company.journals;
		case 'contacts':
			return company.contacts;
		case 'journals':
			return journalRows(company);
		default:
			return ctx.store.paymentList(company, journalId);
	}
}

function matchingJournal(row: Row | undefined, journalId?: string): Row | undefined {
	if (!row || !journalId) return row;
	return (row.data as { journalId?: string }).journalId === journalId.toLowerCase()
		? row
		: undefined;
}

function findRow(
	ctx: Context,
	def: EntityDef,
	company: CompanyData | undefined,
	id: string,
	journalId?: string,
): Row {
	// Payments are looked up by key (a Map), not by sorting the whole list: bulk runs stay linear.
	let row: Row | undefined;
	if (def.set === 'customerPayments' && company)
		row = matchingJournal(ctx.store.payment(company, id), journalId);
	else if (def.set === 'journals' && company) {
		// APIV2Journals.Page.al OnFindRecord: `if IdFilter <> '' then exit(Rec.GetBySystemId(IdFilter))`
		// — any template, so a customer payment journal's id works too
		const found = findBatch(company, id);
		if (found) {
			const data: Journal = { ...found.row.data, templateDisplayName: found.template };
			row = { data, version: found.row.version };
		}
	} else row = rowsOf(ctx, def, company, journalId).find((r) => r.data.id === id);
	if (!row) throw errors.notFound(def.type, id);
	return row;
}

/** An entity as BC serialises it: `@odata.etag` first, then the version's properties. */
function present(
	ctx: Context,
	req: ApiRequest,
	def: EntityDef,
	row: Row,
	opts?: QueryOptions,
	company?: CompanyData,
): Record<string, unknown> {
	const out: Record<string, unknown> = {
		'@odata.etag': etagFor(row.data.id, row.version),
		...project(def, req.api, row.data, opts?.select),
	};
	for (const nav of opts?.expand ?? []) out[nav] = expand(ctx, req, def, row, nav, company);
	return out;
}

function expand(
	ctx: Context,
	req: ApiRequest,
	def: EntityDef,
	row: Row,
	nav: string,
	company?: CompanyData,
): unknown {
	const spec = NAVIGATION[def.set]?.[nav];
	if (!spec || !company) return null;
	const target = ENTITIES[spec.set];
	const data = row.data as unknown as Record<string, string>;
	if (spec.many)
		return rowsOf(ctx, target, company, row.data.id).map((r) => present(ctx, req, target, r));
	const key = spec.set === 'customers' ? data.customerId : data.journalId;
	const found = rowsOf(ctx, target, company).find((r) => r.data.id === key);
	return found ? present(ctx, req, target, found) : null;
}

function preferences(req: ApiRequest): { maxPageSize?: number; minimal: boolean } {
	const prefer = req.headers.prefer ?? '';
	const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
	return {
		maxPageSize: m ? Number(m[1]) : undefined,
		minimal: /return\s*=\s*minimal/i.test(prefer),
	};
}

function getCollection(ctx: Context, req: ApiRequest, target: ResourceTarget): ApiResponse {
	const { def, company, journalId } = target;
	const fields = fieldTypes(def, req.api);
	const opts = parseQuery(req.query, fields, def.type, NAVIGATION[def.set]);
	if (def.set === 'customerPayments' && !journalId) {
		// APIV2CustomerPayments.Page.al CheckFilters(): Error(FiltersNotSpecifiedErr) when
		// Rec.GetFilter("Journal Batch Id") = '' and Rec.GetFilter(SystemId) = ''. Any
		// filter on journalId or id that becomes a record filter passes (eq, ne, ranges,
		// `or` on the same property); the error is the page's Error(), a DialogException.
		const scoped = filteredFields(opts.filter);
		if (!scoped.has('journalId') && !scoped.has('id')) throw errors.journalRequired();
	}
	const rows = rowsOf(ctx, def, company, journalId);
	const byData = new Map(rows.map((r) => [r.data, r]));
	const matched = filterAndSort(
		rows.map((r) => r.data),
		opts,
		fields,
	).map((d) => byData.get(d) as Row);
	const start = opts.skip ?? 0;
	const window = matched.slice(start, opts.top === undefined ? undefined : start + opts.top);
	const prefs = preferences(req);
	const configured = Math.max(1, ctx.options.pageSize ?? 50);
	const pageSize = Math.min(
		MAX_PAGE,
		prefs.maxPageSize ? Math.min(configured, Math.max(1, prefs.maxPageSize)) : configured,
	);
	const offset = opts.skiptoken ?? 0;
	const page = window.slice(offset, offset + pageSize);
	const body: Record<string, unknown> = {
		'@odata.context': `${req.base}/$metadata#${target.contextPath}${opts.select ? `(${opts.select.join(',')})` : ''}`,
	};
	if (opts.count) body['@odata.count'] = matched.length;
	body.value = page.map((r) => present(ctx, req, def, r, opts, company));
	if (offset + pageSize < window.length) body['@odata.nextLink'] = nextLink(req, offset + pageSize);
	const headers: Record<string, string> = {};
	if (prefs.maxPageSize) headers['preference-applied'] = `odata.maxpagesize=${pageSize}`;
	return ok(200, body, headers);
}

/** Absolute link to the next page: same path and options, new $skiptoken. */
function nextLink(req: ApiRequest, offset: number): string {
	const parts: string[] = [];
	for (const [key, value] of req.query) {
		if (key !== '$skiptoken') parts.push(`${key}=${encodeURIComponent(value)}`);
	}
	parts.push(`$skiptoken=${encodeSkiptoken(offset)}`);
	return `${req.base}/${req.path}?${parts.join('&')}`;
}

function getEntity(ctx: Context, req: ApiRequest, target: ResourceTarget): ApiResponse {
	const { def, company, journalId, id } = target;
	const opts = parseQuery(req.query, fieldTypes(def, req.api), def.type, NAVIGATION[def.set]);
	const row = findRow(ctx, def, company, id as string, journalId);
	const entity = present(ctx, req, def, row, opts, company);
	return ok(
		200,
		{ '@odata.context': `${req.base}/$metadata#${target.contextPath}/$entity`, ...entity },
		{ etag: entity['@odata.etag'] as string },
	);
}

function getNavigation(ctx: Context, req: ApiRequest, target: NavigationTarget): ApiResponse {
	const parent = findRow(ctx, target.parentDef, target.company, target.parentId, target.journalId);
	const opts = parseQuery(
		req.query,
		fieldTypes(target.def, req.api),
		target.def.type,
		NAVIGATION[target.def.set],
	);
	const found = expand(ctx, req, target.parentDef, parent, target.nav, target.company) as Record<
		string,
		unknown
	> | null;
	if (!found) return ok(204, undefined);
	const row = findRow(ctx, target.def, target.company, found.id as string);
	const entity = present(ctx, req, target.def, row, opts, target.company);
	return ok(
		200,
		{ '@odata.context': `${req.base}/$metadata#${target.contextPath}/$entity`, ...entity },
		{ etag: entity['@odata.etag'] as string },
	);
}

// ---------------------------------------------------------------- writes

function bodyObject(req: ApiRequest): Record<string, unknown> {
	const body = req.body === undefined ? {} : req.body;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw errors.badBody('The request body must be a JSON object.');
	}
	return body as Record<string, unknown>;
}

function postPayment(
	ctx: Context,
	req: ApiRequest,
	company: CompanyData,
	target: ResourceTarget,
): ApiResponse {
	const fields = checkBody(bodyObject(req), req.api);
	const line = newPayment(company, target.journalId, fields, ctx.ids.guid());
	const row: Versioned<CustomerPayment> = { data: line, version: 1 };
	company.payments.set(line.id, row);
	ctx.store.log(ctx.store.entry('POST', company, null, row, null, null, req.viaBatch));
	const entity = present(ctx, req, ENTITIES.customerPayments, row);
	return ok(
		201,
		{ '@odata.context': `${req.base}/$metadata#${target.contextPath}/$entity`, ...entity },
		{
			etag: entity['@odata.etag'] as string,
			location: `${req.base}/${target.contextPath}(${line.id})`,
		},
	);
}

/** Concurrency check of BC: If-Match required, `*` always matches, else it must be the current tag. */
function checkIfMatch(
	ctx: Context,
	ifMatch: string | undefined,
	row: Versioned<{ id: string }>,
	company: CompanyData,
): void {
	if (ifMatch === undefined || ifMatch.trim() === '') throw errors.invalidToken();
	const tags = ifMatch.split(',').map((t) => t.trim());
	if (tags.includes('*')) return;
	if (tags.some((t) => !/^(W\/)?"[^"]*"$/.test(t))) throw errors.invalidToken();
	const status = ctx.options.conflictStatus ?? 409;
	if (!tags.includes(etagFor(row.data.id, row.version))) throw errors.entityChanged(status);
	const forced = ctx.store.takeForcedConflict(row.data.id);
	if (forced) {
		// a change by another user raced in just before this write
		ctx.store.externalChange(company.company.data.id, row.data.id, forced);
		throw errors.entityChanged(status);
	}
}

function writePayment(
	ctx: Context,
	req: ApiRequest,
	method: 'PATCH' | 'DELETE',
	company: CompanyData,
	target: ResourceTarget,
): ApiResponse {
	const row = findRow(
		ctx,
		target.def,
		company,
		target.id as string,
		target.journalId,
	) as Versioned<CustomerPayment>;
	const body = method === 'PATCH' ? bodyObject(req) : {};
	const ifMatch = req.headers['if-match'];
	checkIfMatch(ctx, ifMatch, row, company);
	const before = { ...row.data };
	const etagBefore = etagFor(row.data.id, row.version);
	if (method === 'DELETE') {
		company.payments.delete(row.data.id);
		ctx.store.log(
			ctx.store.entry('DELETE', company, before, null, etagBefore, ifMatch ?? null, req.viaBatch),
		);
		return ok(204, undefined);
	}
	const updated = updatedPayment(company, row.data, checkBody(body, req.api));
	row.data = updated;
	row.version++;
	ctx.store.log(
		ctx.store.entry('PATCH', company, before, row, etagBefore, ifMatch ?? null, req.viaBatch),
	);
	const entity = present(ctx, req, target.def, row);
	if (preferences(req).minimal)
		return ok(204, undefined, { etag: entity['@odata.etag'] as string });
	return ok(
		200,
		{ '@odata.context': `${req.base}/$metadata#${target.contextPath}/$entity`, ...entity },
		{ etag: entity['@odata.etag'] as string },
	);
}
