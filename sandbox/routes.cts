/**
 * Resolves a path below the service root into a resource, the way BC's OData
 * endpoint does: `companies`, `companies({id})`, `companies({id})/<set>`,
 * `companies({id})/<set>({id})`, the journal-level
 * `companies({id})/customerPaymentJournals({id})/customerPayments[({id})]`,
 * and a single-valued navigation property after an entity
 * (`.../customerPayments({id})/customer`). Keys are unquoted GUIDs
 * (`(guid)` or `(id=guid)`); anything else is a 400, an unknown segment a 404,
 * the slash form `companies/{id}` a 400 (it is not OData key syntax).
 */
import { errors } from './errors.cjs';
import { ENTITIES, type EntityDef, GUID_RE, NAVIGATION } from './entities.cjs';
import type { CompanyData, Store } from './store.cjs';

interface Segment {
	name: string;
	key?: string;
}

/** A collection or a single entity (by id) of an entity set. */
export interface ResourceTarget {
	kind: 'collection' | 'entity';
	def: EntityDef;
	company?: CompanyData;
	/** Journal id when addressed below customerPaymentJournals({id}). */
	journalId?: string;
	id?: string;
	/** `companies(x)/customerPayments` — used for @odata.context. */
	contextPath: string;
}

/** A single-valued navigation property of an entity, e.g. `customerPayments({id})/customer`. */
export interface NavigationTarget {
	kind: 'navigation';
	def: EntityDef;
	company: CompanyData;
	parentDef: EntityDef;
	parentId: string;
	journalId?: string;
	nav: string;
	contextPath: string;
}

/**
 * A bound action on an entity, e.g. `journals({id})/Microsoft.NAV.post` (APIV2Journals.Page.al
 * `[ServiceEnabled] procedure post`; BC's bound actions are addressed with the `Microsoft.NAV.`
 * namespace: Microsoft's v2.0 reference, `api-reference/v2.0/resources/dynamics_journal`, "bound
 * action called post", `POST …/companies({id})/journals({id})/Microsoft.NAV.post`, 204).
 */
export interface ActionTarget {
	kind: 'action';
	def: EntityDef;
	company: CompanyData;
	id: string;
	/** Full segment, e.g. `Microsoft.NAV.post`. */
	action: string;
	contextPath: string;
}

export type Target =
	| { kind: 'service' }
	| { kind: 'batch' }
	| ResourceTarget
	| NavigationTarget
	| ActionTarget;

function parseSegments(path: string): Segment[] {
	if (path === '') return [];
	return path.split('/').map((raw) => {
		let text: string;
		try {
			text = decodeURIComponent(raw);
		} catch {
			throw errors.querySyntax();
		}
		// a bare GUID is a segment name here; it fails later as the slash key form
		if (GUID_RE.test(text)) return { name: text };
		const m = /^([A-Za-z_$][\w$.]*)(?:\((.*)\))?$/.exec(text);
		if (!m) throw errors.querySyntax();
		if (m[2] === undefined) return { name: m[1] };
		const key = m[2].trim().replace(/^id\s*=\s*/, '');
		if (!GUID_RE.test(key)) throw errors.querySyntax();
		return { name: m[1], key: key.toLowerCase() };
	});
}

export function resolve(store: Store, path: string): Target {
	const segments = parseSegments(path.replace(/\/+$/, ''));
	if (segments.length === 0) return { kind: 'service' };
	const [first, ...rest] = segments;
	if (first.name === '$batch' && rest.length === 0 && first.key === undefined)
		return { kind: 'batch' };
	if (first.name !== 'companies') throw errors.segmentNotFound(first.name);
	if (first.key === undefined) {
		if (rest.length > 0) throw errors.collectionNotLast('companies');
		return { kind: 'collection', def: ENTITIES.companies, contextPath: 'companies' };
	}
	const company = store.company(first.key);
	if (!company) throw errors.companyNotFound(first.key);
	const companyPath = `companies(${first.key})`;
	if (rest.length === 0) {
		return {
			kind: 'entity',
			def: ENTITIES.companies,
			company,
			id: first.key,
			contextPath: 'companies',
		};
	}
	const [second, ...more] = rest;
	const def = ENTITIES[second.name];
	if (!def || def.set === 'companies') throw errors.segmentNotFound(second.name);
	let journalId: string | undefined;
	let current = second;
	let currentDef = def;
	let contextPath = `${companyPath}/${def.set}`;
	let tail = more;
	if (def.set === 'customerPaymentJournals' && second.key && more[0]?.name === 'customerPayments') {
		if (!store.journal(company, second.key))
			throw errors.notFound('customerPaymentJournal', second.key);
		journalId = second.key;
		current = more[0];
		currentDef = ENTITIES.customerPayments;
		contextPath = `${companyPath}/customerPaymentJournals(${second.key})/customerPayments`;
		tail = more.slice(1);
	}
	if (current.key === undefined) {
		if (tail.length > 0) throw errors.collectionNotLast(current.name);
		return { kind: 'collection', def: currentDef, company, journalId, contextPath };
	}
	if (tail.length === 0) {
		return { kind: 'entity', def: currentDef, company, journalId, id: current.key, contextPath };
	}
	if (tail.length === 1 && tail[0].key === undefined && tail[0].name.startsWith('Microsoft.NAV.')) {
		return {
			kind: 'action',
			def: currentDef,
			company,
			id: current.key,
			action: tail[0].name,
			contextPath: `${contextPath}(${current.key})/${tail[0].name}`,
		};
	}
	const nav = NAVIGATION[currentDef.set]?.[tail[0].name];
	if (!nav || nav.many || tail.length > 1 || tail[0].key !== undefined)
		throw errors.segmentNotFound(tail[0].name);
	return {
		kind: 'navigation',
		def: ENTITIES[nav.set],
		company,
		parentDef: currentDef,
		parentId: current.key,
		journalId,
		nav: tail[0].name,
		contextPath: `${contextPath}(${current.key})/${tail[0].name}`,
	};
}
