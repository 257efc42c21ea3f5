import type { IExecuteFunctions, IGetNodeParameterOptions, INodeParameters } from 'n8n-workflow';

/**
 * Reading the node's parameters costs n8n more than the node's own work: every
 * `getNodeParameter` call builds n8n's expression context and walks the value, even
 * when it holds no expression (for 1,000 items n8n 2.41 spent 1.8–1.9 s before the first
 * request). A value without any expression is the same for every item, so it is read
 * from n8n once, for the first item that asks, and handed out again as a copy; a value
 * with an expression anywhere in it (`$json`, `$itemIndex`, `$fromAI`, …) is still read
 * for every item. Everything else n8n does (defaults, resource locators, `extractValue`,
 * type checks, its errors) still happens: the one read goes through n8n.
 */

/** n8n-workflow's `isExpression` (same rule in 2.8 and 2.41): a string starting with '='. */
function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.charAt(0) === '=';
}

function containsExpression(value: unknown): boolean {
	if (isExpression(value)) return true;
	if (value === null || typeof value !== 'object') return false;
	return Object.values(value).some(containsExpression);
}

/** Parameter names n8n reads with lodash `get` that this reader follows: `a` or `a.b.c`. */
const PLAIN_PATH = /^[^.[\]"'`]+(\.[^.[\]"'`]+)*$/;

/** The stored value at `path`, as lodash `get` finds it (a key with a dot in it wins). */
function storedValue(parameters: INodeParameters, path: string): unknown {
	if (path in parameters) return parameters[path];
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

/** A copy of a JSON-like value, so a caller changing what it got cannot change the next item's. */
function copyOf<T>(value: T): T {
	if (Array.isArray(value)) return value.map(copyOf) as T;
	if (value === null || typeof value !== 'object') return value;
	const prototype = Object.getPrototypeOf(value) as unknown;
	if (prototype !== Object.prototype && prototype !== null) return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) copy[key] = copyOf(entry);
	return copy as T;
}

/** What identifies one read: the name, the fallback and the options (`extractValue`, …). */
function readKey(name: string, fallback: unknown, options?: IGetNodeParameterOptions) {
	try {
		return JSON.stringify([name, fallback === undefined ? null : [fallback], options ?? null]);
	} catch {
		return undefined; // a value JSON cannot write (a cycle): read it every time
	}
}

type GetNodeParameter = (
	name: string,
	itemIndex: number,
	fallbackValue?: unknown,
	options?: IGetNodeParameterOptions,
) => unknown;

/**
 * `getNodeParameter` for one execution of the node: a fixed value read from n8n once,
 * an expression per item. `parameters` are the node's stored parameters (defaults in).
 */
export function parameterReader(
	read: GetNodeParameter,
	parameters: INodeParameters,
): GetNodeParameter {
	const fixed = new Map<string, { value: unknown } | 'expression'>();
	return (name, itemIndex, fallbackValue, options) => {
		const key = PLAIN_PATH.test(name) ? readKey(name, fallbackValue, options) : undefined;
		if (key === undefined) return read(name, itemIndex, fallbackValue, options);
		let known = fixed.get(key);
		if (known === undefined) {
			const stored = storedValue(parameters, name);
			if (containsExpression(stored === undefined ? fallbackValue : stored)) {
				known = 'expression';
			} else {
				// n8n's own read: its defaults, checks and errors (a throw caches nothing)
				known = { value: read(name, itemIndex, fallbackValue, options) };
			}
			fixed.set(key, known);
		}
		if (known === 'expression') return read(name, itemIndex, fallbackValue, options);
		return copyOf(known.value);
	};
}

/**
 * The execute context the operations get: n8n's own, except that `getNodeParameter`
 * reads fixed values once (see above). Every other member is n8n's, bound to n8n's
 * context, so the operations and n8n's helpers see no difference.
 */
export function readingFixedParametersOnce(context: IExecuteFunctions): IExecuteFunctions {
	const getNodeParameter = parameterReader(
		context.getNodeParameter.bind(context) as GetNodeParameter,
		context.getNode().parameters,
	);
	return new Proxy(context, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			const member: unknown = Reflect.get(target, property, target);
			return typeof member === 'function' ? member.bind(target) : member;
		},
	});
}
