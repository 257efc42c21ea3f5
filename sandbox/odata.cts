/**
 * OData v4 query options as Business Central's OData stack handles them:
 * `$filter` (eq ne gt ge lt le, and or not, parentheses, contains/startswith/
 * endswith, 'string' literals with '' escapes, unquoted GUID / date /
 * datetime / number literals, true/false/null), `$select`, `$orderby`, `$top`,
 * `$skip`, `$expand` (plain navigation names), `$count`, `$skiptoken`.
 * Operand types are checked like ODataLib does: a GUID property compared with
 * a quoted string is a 400, so is an unknown property or bad syntax.
 *
 * After parsing, BC turns the filter into AL record filters (one filter
 * expression per field, ANDed): MicrosoftDocs/dynamics365smb-devitpro-pb
 * `dev-itpro/webservices/use-filter-expressions-in-odata-uris.md` ("You can use
 * OR operators to apply different filters on the same field. However, you can't
 * use OR operators to apply filters on two different fields.") and
 * `odata-known-limitations.md` (the error text). So an `or` whose two sides
 * touch more than one property is refused (501, see errors.orDistinctFields);
 * `or` on one property stays allowed.
 */
import { errors } from './errors.cjs';
import type { FieldType } from './entities.cjs';

type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type LiteralType = FieldType | 'null';

export type Operand =
	| { kind: 'field'; name: string; type: FieldType }
	| { kind: 'literal'; type: LiteralType; value: string | number | boolean | null };

export type FilterNode =
	| { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
	| { kind: 'not'; operand: FilterNode }
	| { kind: 'cmp'; op: CmpOp; left: Operand; right: Operand }
	| { kind: 'func'; name: 'contains' | 'startswith' | 'endswith'; field: string; value: string };

export interface OrderBy {
	field: string;
	desc: boolean;
}

export interface QueryOptions {
	filter?: FilterNode;
	select?: string[];
	orderby: OrderBy[];
	top?: number;
	skip?: number;
	/** Offset into the result window, from a `$skiptoken` of a previous nextLink. */
	skiptoken?: number;
	expand: string[];
	count: boolean;
}

const EDM: Record<LiteralType, string> = {
	guid: 'Edm.Guid',
	string: 'Edm.String',
	number: 'Edm.Decimal',
	date: 'Edm.Date',
	datetime: 'Edm.DateTimeOffset',
	boolean: 'Edm.Boolean',
	null: 'null',
};
const OP_NAMES: Record<CmpOp, string> = {
	eq: 'Equal',
	ne: 'NotEqual',
	gt: 'GreaterThan',
	ge: 'GreaterThanOrEqual',
	lt: 'LessThan',
	le: 'LessThanOrEqual',
};
const SUPPORTED = new Set([
	'$filter',
	'$select',
	'$orderby',
	'$top',
	'$skip',
	'$expand',
	'$count',
	'$skiptoken',
	'$schemaversion',
	'$format',
]);

const noProperty = (name: string, typeName: string) =>
	errors.badQuery(`Could not find a property named '${name}' on type 'Microsoft.NAV.${typeName}'.`);

// ---------------------------------------------------------------- tokenizer

interface Token {
	t: 'lp' | 'rp' | 'comma' | 'str' | 'num' | 'guid' | 'date' | 'datetime' | 'ident';
	v: string;
	pos: number;
}

const LEX: Array<[Token['t'], RegExp]> = [
	['guid', /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/],
	['datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})(?![\w-])/],
	['date', /^\d{4}-\d{2}-\d{2}(?![\w-])/],
	['num', /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![\w-])/],
	['ident', /^[A-Za-z_][A-Za-z0-9_]*/],
];

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	const syntax = (pos: number) => errors.badQuery(`Syntax error at position ${pos} in '${text}'.`);
	while (i < text.length) {
		const ch = text[i];
		if (/\s/.test(ch)) {
			i++;
			continue;
		}
		if (ch === '(' || ch === ')' || ch === ',') {
			tokens.push({ t: ch === '(' ? 'lp' : ch === ')' ? 'rp' : 'comma', v: ch, pos: i });
			i++;
			continue;
		}
		if (ch === "'") {
			let value = '';
			let j = i + 1;
			for (;;) {
				if (j >= text.length)
					throw errors.badQuery(
						`There is an unterminated string literal at position ${i} in '${text}'.`,
					);
				if (text[j] === "'") {
					if (text[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += text[j++];
			}
			tokens.push({ t: 'str', v: value, pos: i });
			i = j + 1;
			continue;
		}
		const rest = text.slice(i);
		const hit = LEX.map(([t, re]) => [t, re.exec(rest)] as const).find(([, m]) => m);
		if (!hit || !hit[1]) throw syntax(i);
		tokens.push({ t: hit[0], v: hit[1][0], pos: i });
		i += hit[1][0].length;
	}
	return tokens;
}

// ---------------------------------------------------------------- parser

class FilterParser {
	private i = 0;
	private readonly tokens: Token[];

	constructor(
		private readonly text: string,
		private readonly fields: Record<string, FieldType>,
		private readonly typeName: string,
	) {
		this.tokens = tokenize(text);
	}

	parse(): FilterNode {
		if (this.tokens.length === 0) throw this.syntax(0);
		const node = this.or();
		if (this.i < this.tokens.length) throw this.syntax(this.tokens[this.i].pos);
		return node;
	}

	private syntax(pos: number) {
		return errors.badQuery(`Syntax error at position ${pos} in '${this.text}'.`);
	}
	private peek(): Token | undefined {
		return this.tokens[this.i];
	}
	private isWord(word: string): boolean {
		const t = this.peek();
		return t?.t === 'ident' && t.v === word;
	}
	private expect(kind: Token['t']): Token {
		const t = this.tokens[this.i];
		if (!t || t.t !== kind) throw this.syntax(t ? t.pos : this.text.length);
		this.i++;
		return t;
	}

	private or(): FilterNode {
		let left = this.and();
		while (this.isWord('or')) {
			this.i++;
			left = { kind: 'or', left, right: this.and() };
		}
		return left;
	}
	private and(): FilterNode {
		let left = this.unary();
		while (this.isWord('and')) {
			this.i++;
			left = { kind: 'and', left, right: this.unary() };
		}
		return left;
	}
	private unary(): FilterNode {
		if (this.isWord('not')) {
			this.i++;
			return { kind: 'not', operand: this.unary() };
		}
		if (this.peek()?.t === 'lp') {
			this.i++;
			const inner = this.or();
			this.expect('rp');
			return inner;
		}
		return this.comparison();
	}

	private comparison(): FilterNode {
		const t = this.peek();
		if (t?.t === 'ident' && this.tokens[this.i + 1]?.t === 'lp') return this.func();
		const left = this.operand();
		const opTok = this.peek();
		if (!opTok || opTok.t !== 'ident' || !(opTok.v in OP_NAMES)) {
			throw this.syntax(opTok ? opTok.pos : this.text.length);
		}
		this.i++;
		const op = opTok.v as CmpOp;
		const right = this.operand();
		checkTypes(left, right, op);
		return { kind: 'cmp', op, left, right };
	}

	private func(): FilterNode {
		const name = this.expect('ident').v;
		if (name !== 'contains' && name !== 'startswith' && name !== 'endswith') {
			throw errors.badQuery(
				`An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
			);
		}
		this.expect('lp');
		const field = this.operand();
		this.expect('comma');
		const value = this.operand();
		this.expect('rp');
		if (
			field.kind !== 'field' ||
			field.type !== 'string' ||
			value.kind !== 'literal' ||
			value.type !== 'string'
		) {
			throw errors.badQuery(
				`No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
			);
		}
		return { kind: 'func', name, field: field.name, value: String(value.value) };
	}

	private operand(): Operand {
		const t = this.peek();
		if (!t) throw this.syntax(this.text.length);
		this.i++;
		switch (t.t) {
			case 'str':
				return { kind: 'literal', type: 'string', value: t.v };
			case 'guid':
				return { kind: 'literal', type: 'guid', value: t.v.toLowerCase() };
			case 'date':
				if (!isValidDate(t.v)) throw errors.badQuery(`The date literal '${t.v}' is not valid.`);
				return { kind: 'literal', type: 'date', value: t.v };
			case 'datetime':
				if (Number.isNaN(Date.parse(t.v)))
					throw errors.badQuery(`The DateTimeOffset literal '${t.v}' is not valid.`);
				return { kind: 'literal', type: 'datetime', value: t.v };
			case 'num':
				return { kind: 'literal', type: 'number', value: Number(t.v.replace(/[mMdDfFlL]$/, '')) };
			case 'ident': {
				if (t.v === 'true' || t.v === 'false')
					return { kind: 'literal', type: 'boolean', value: t.v === 'true' };
				if (t.v === 'null') return { kind: 'literal', type: 'null', value: null };
				const type = this.fields[t.v];
				if (!type) throw noProperty(t.v, this.typeName);
				return { kind: 'field', name: t.v, type };
			}
			default:
				throw this.syntax(t.pos);
		}
	}
}

function checkTypes(left: Operand, right: Operand, op: CmpOp): void {
	if (left.type === 'null' || right.type === 'null') {
		if (op === 'eq' || op === 'ne') return;
	} else if (left.type === right.type) return;
	throw errors.badQuery(
		`A binary operator with incompatible types was detected. Found operand types '${EDM[left.type]}' and '${EDM[right.type]}' for operator kind '${OP_NAMES[op]}'.`,
	);
}

export function isValidDate(text: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
	const d = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function parseFilter(
	text: string,
	fields: Record<string, FieldType>,
	typeName: string,
): FilterNode {
	const node = new FilterParser(text, fields, typeName).parse();
	checkOrOnOneField(node);
	return node;
}

/** Properties a filter (sub)expression refers to. */
export function filterFields(node: FilterNode): Set<string> {
	switch (node.kind) {
		case 'and':
		case 'or':
			return new Set([...filterFields(node.left), ...filterFields(node.right)]);
		case 'not':
			return filterFields(node.operand);
		case 'func':
			return new Set([node.field]);
		case 'cmp': {
			const out = new Set<string>();
			for (const side of [node.left, node.right]) if (side.kind === 'field') out.add(side.name);
			return out;
		}
	}
}

/**
 * BC refuses `or` between different properties (an AL filter is per field):
 * `number eq '1' or number eq '2'` is fine, `number eq '1' or displayName eq 'x'`
 * is a 501 `BadRequest_MethodNotImplemented` (sources in the header comment).
 */
function checkOrOnOneField(node: FilterNode): void {
	switch (node.kind) {
		case 'or':
			if (filterFields(node).size > 1) throw errors.orDistinctFields();
			return;
		case 'and':
			checkOrOnOneField(node.left);
			checkOrOnOneField(node.right);
			return;
		case 'not':
			checkOrOnOneField(node.operand);
			return;
		default:
			return;
	}
}

// ---------------------------------------------------------------- evaluation

type Row = Record<string, unknown>;

function valueOf(operand: Operand, row: Row): unknown {
	return operand.kind === 'field' ? row[operand.name] : operand.value;
}

/** Ordering of two values of one EDM type (strings ordinal, GUIDs case-insensitive). */
export function compareValues(type: LiteralType, a: unknown, b: unknown): number {
	if (a === null || a === undefined || b === null || b === undefined) {
		return (a === null || a === undefined ? 0 : 1) - (b === null || b === undefined ? 0 : 1);
	}
	switch (type) {
		case 'number':
			return Number(a) - Number(b);
		case 'datetime':
			return Date.parse(String(a)) - Date.parse(String(b));
		case 'guid': {
			const x = String(a).toLowerCase();
			const y = String(b).toLowerCase();
			return x < y ? -1 : x > y ? 1 : 0;
		}
		case 'boolean':
			return Number(a) - Number(b);
		default: {
			const x = String(a);
			const y = String(b);
			return x < y ? -1 : x > y ? 1 : 0;
		}
	}
}

export function evaluate(node: FilterNode, row: Row): boolean {
	switch (node.kind) {
		case 'and':
			return evaluate(node.left, row) && evaluate(node.right, row);
		case 'or':
			return evaluate(node.left, row) || evaluate(node.right, row);
		case 'not':
			return !evaluate(node.operand, row);
		case 'func': {
			// BC turns these into case-insensitive filters (@*x*, @x*, @*x).
			const hay = String(row[node.field] ?? '').toLowerCase();
			const needle = node.value.toLowerCase();
			if (node.name === 'contains') return hay.includes(needle);
			if (node.name === 'startswith') return hay.startsWith(needle);
			return hay.endsWith(needle);
		}
		case 'cmp': {
			const a = valueOf(node.left, row);
			const b = valueOf(node.right, row);
			const type = node.left.type === 'null' ? node.right.type : node.left.type;
			if (a === null || a === undefined || b === null || b === undefined) {
				const same = (a === null || a === undefined) === (b === null || b === undefined);
				return node.op === 'eq' ? same : node.op === 'ne' ? !same : false;
			}
			const c = compareValues(type, a, b);
			switch (node.op) {
				case 'eq':
					return c === 0;
				case 'ne':
					return c !== 0;
				case 'gt':
					return c > 0;
				case 'ge':
					return c >= 0;
				case 'lt':
					return c < 0;
				default:
					return c <= 0;
			}
		}
	}
}

/**
 * Properties that carry a record filter of their own: those of top-level
 * conjuncts referring to one property only (`journalId eq X`, `journalId eq X or
 * journalId eq Y`, `not (id eq X)`). After BC's conversion each of them is an AL
 * filter on that field, which is what `Rec.GetFilter(...)` in an API page sees
 * (e.g. CheckFilters() of APIV2CustomerPayments.Page.al).
 */
export function filteredFields(node: FilterNode | undefined): Set<string> {
	if (!node) return new Set();
	if (node.kind === 'and')
		return new Set([...filteredFields(node.left), ...filteredFields(node.right)]);
	const fields = filterFields(node);
	return fields.size === 1 ? fields : new Set();
}

// ---------------------------------------------------------------- query options

function nonNegativeInt(name: string, raw: string): number {
	if (!/^\d+$/.test(raw.trim())) {
		throw errors.badQuery(
			`Invalid value '${raw}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
		);
	}
	return Number(raw.trim());
}

export function encodeSkiptoken(offset: number): string {
	return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeSkiptoken(raw: string): number {
	try {
		const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { o?: unknown };
		if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0)
			return parsed.o;
	} catch {
		// fall through
	}
	throw errors.badQuery(`The skip token value '${raw}' is not valid.`);
}

export function parseQuery(
	params: URLSearchParams,
	fields: Record<string, FieldType>,
	typeName: string,
	navigation: Record<string, unknown> = {},
): QueryOptions {
	const seen = new Set<string>();
	for (const key of params.keys()) {
		if (!key.startsWith('$')) continue;
		if (!SUPPORTED.has(key))
			throw errors.badQuery(`The query parameter '${key}' is not supported.`);
		if (seen.has(key))
			throw errors.badQuery(
				`Query option '${key}' was specified more than once, but it must be specified at most once.`,
			);
		seen.add(key);
	}
	const get = (key: string) => params.get(key) ?? undefined;
	const opts: QueryOptions = { orderby: [], expand: [], count: false };

	const filter = get('$filter');
	if (filter !== undefined) opts.filter = parseFilter(filter, fields, typeName);

	const select = get('$select');
	if (select !== undefined) {
		const names = select.split(',').map((s) => s.trim());
		if (!names.includes('*')) {
			for (const name of names) {
				if (!fields[name] && !(name in navigation)) throw noProperty(name, typeName);
			}
			opts.select = names.filter((n) => fields[n]);
		}
	}

	const orderby = get('$orderby');
	if (orderby !== undefined) {
		for (const part of orderby.split(',')) {
			const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/.exec(part);
			if (!m) throw errors.badQuery(`Syntax error in $orderby '${orderby}'.`);
			if (!fields[m[1]]) throw noProperty(m[1], typeName);
			opts.orderby.push({ field: m[1], desc: m[2] === 'desc' });
		}
	}

	const expand = get('$expand');
	if (expand !== undefined) {
		for (const raw of expand.split(',')) {
			const name = raw.trim();
			if (!(name in navigation)) {
				if (/[(/]/.test(name))
					throw errors.badQuery(
						`The sandbox supports only plain navigation names in $expand, got '${name}'.`,
					);
				throw noProperty(name, typeName);
			}
			opts.expand.push(name);
		}
	}

	const top = get('$top');
	if (top !== undefined) opts.top = nonNegativeInt('$top', top);
	const skip = get('$skip');
	if (skip !== undefined) opts.skip = nonNegativeInt('$skip', skip);
	const skiptoken = get('$skiptoken');
	if (skiptoken !== undefined) opts.skiptoken = decodeSkiptoken(skiptoken);
	const count = get('$count');
	if (count !== undefined) {
		if (count !== 'true' && count !== 'false')
			throw errors.badQuery(`'${count}' is not a valid count option.`);
		opts.count = count === 'true';
	}
	return opts;
}

/** Filter, then sort (stable: ties keep the default key order). */
export function filterAndSort<T extends object>(
	rows: T[],
	opts: QueryOptions,
	fields: Record<string, FieldType>,
): T[] {
	const filtered = opts.filter
		? rows.filter((r) => evaluate(opts.filter as FilterNode, r as Row))
		: [...rows];
	if (opts.orderby.length === 0) return filtered;
	return filtered
		.map((row, index) => ({ row, index }))
		.sort((a, b) => {
			for (const { field, desc } of opts.orderby) {
				const c = compareValues(fields[field], (a.row as Row)[field], (b.row as Row)[field]);
				if (c !== 0) return desc ? -c : c;
			}
			return a.index - b.index;
		})
		.map((x) => x.row);
}
