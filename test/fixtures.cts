/** Workflow and credential builders shared by the tests (nock and sandbox). */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { ITEMS_NODE_TYPE, NODE_TYPE, type WorkflowJson } from '../dev/engine.cjs';

export const TENANT = 'contoso.onmicrosoft.com';
export const SAAS_BASE = `https://api.businesscentral.dynamics.com/v2.0/${TENANT}/production/api/v2.0`;
export const SAAS_ORIGIN = 'https://api.businesscentral.dynamics.com';
export const SAAS_PATH = `/v2.0/${TENANT}/production/api/v2.0`;
export const TOKEN = 'test-token-9f8e7d6c5b4a';

export const COMPANY = '5e0fe3d1-4b7c-ef11-8a6b-6045bde9c5a1';
export const JOURNAL = '2b7e4c1a-4b7c-ef11-8a6b-6045bde9c5a1';
export const PAYMENT = '9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1';
export const PAYMENT_2 = 'a01c0a52-4b7c-ef11-8a6b-6045bde9c5a2';
export const PAYMENT_3 = 'b02c0a52-4b7c-ef11-8a6b-6045bde9c5a3';
export const CUSTOMER = '11aa0a52-4b7c-ef11-8a6b-6045bde9c5a1';
export const ETAG_1 = 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDA7Jw=="';
export const ETAG_2 = 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDE7Jw=="';
export const ETAG_3 = 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDI7Jw=="';

export function bearerCredentials(overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> {
	return {
		businessCentralApi: {
			accessToken: TOKEN,
			tenantId: TENANT,
			deployment: 'saas',
			environment: 'production',
			apiVersion: 'v2.0',
			...overrides,
		} as ICredentialDataDecryptedObject,
	};
}

export function paymentRecord(id: string, eTag: string, values: IDataObject = {}): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customerPayments/$entity`,
		'@odata.etag': eTag,
		id,
		journalId: JOURNAL,
		journalDisplayName: 'CASH RCPT',
		lineNumber: 10000,
		customerId: CUSTOMER,
		customerNumber: '10000',
		postingDate: '2026-11-02',
		documentNumber: 'G02001',
		externalDocumentNumber: '',
		amount: -1500,
		appliesToInvoiceId: '00000000-0000-0000-0000-000000000000',
		appliesToInvoiceNumber: '',
		description: 'Payment from Adatum',
		comment: '',
		lastModifiedDateTime: '2026-11-02T10:00:00Z',
		...values,
	};
}

export function bcError(code: string, message: string): IDataObject {
	return {
		error: { code, message: `${message}  CorrelationId:  4f6e2a0c-8d2b-4e51-9f3a-2c1d0b9e8a7f.` },
	};
}

export interface UpdateNodeOptions {
	authentication?: 'bearerToken' | 'oAuth2';
	company?: IDataObject | string;
	journal?: IDataObject;
	payment?: IDataObject | string;
	updateFields?: IDataObject;
	options?: IDataObject;
	continueOnFail?: boolean;
}

export function locator(value: string, mode = 'id'): IDataObject {
	return { __rl: true, mode, value };
}

export function businessCentralNode(parameters: UpdateNodeOptions): INode {
	const authentication = parameters.authentication ?? 'bearerToken';
	const company = parameters.company ?? COMPANY;
	const payment = parameters.payment ?? PAYMENT;
	return {
		id: 'bc-node',
		name: 'Business Central',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: {
			authentication,
			resource: 'customerPayment',
			operation: 'update',
			company: typeof company === 'string' ? locator(company) : company,
			journal: parameters.journal ?? locator('', 'list'),
			customerPayment: typeof payment === 'string' ? locator(payment) : payment,
			updateFields: parameters.updateFields ?? { amount: -1750 },
			options: parameters.options ?? {},
		} as INode['parameters'],
		credentials:
			authentication === 'bearerToken'
				? { businessCentralApi: { id: '1', name: 'Business Central token' } }
				: { businessCentralOAuth2Api: { id: '2', name: 'Business Central OAuth2' } },
		...(parameters.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Items → Business Central. Node parameters may use expressions over the items. */
/** The test input node "Items": emits the given items. */
export function itemsNode(items: IDataObject[]): INode {
	return {
		id: 'items-node',
		name: 'Items',
		type: ITEMS_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items) },
	};
}

export function updateWorkflow(items: IDataObject[], parameters: UpdateNodeOptions = {}): WorkflowJson {
	return {
		name: 'update customer payments',
		nodes: [itemsNode(items), businessCentralNode(parameters)],
		connections: {
			Items: { main: [[{ node: 'Business Central', type: 'main' as never, index: 0 }]] },
		},
	};
}

// ---------------------------------------------------------------------------
// Helpers for the nock tests
// ---------------------------------------------------------------------------

export const PAYMENT_URL = `${SAAS_PATH}/companies(${COMPANY})/customerPayments(${PAYMENT})`;
export const CUSTOMER_2 = '22bb0a52-4b7c-ef11-8a6b-6045bde9c5a2';
export const JOURNAL_2 = '3c8f5d2b-4b7c-ef11-8a6b-6045bde9c5a2';
export const INVOICE = '44cc0a52-4b7c-ef11-8a6b-6045bde9c5a4';
export const CORRELATION_ID = '4f6e2a0c-8d2b-4e51-9f3a-2c1d0b9e8a7f';

export const CLIENT_ID = '7d1c2b3a-0f9e-4d8c-b7a6-123456789abc';
export const CLIENT_SECRET = 'client-secret-Q~s3cr3tV4lu3-do-not-leak';
export const TOKEN_ORIGIN = 'https://login.microsoftonline.com';
export const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`;
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

/** Company-level path of a payment under an API base path (default: SaaS v2.0). */
export function paymentPath(paymentId: string = PAYMENT, basePath: string = SAAS_PATH, companyId = COMPANY): string {
	return `${basePath}/companies(${companyId})/customerPayments(${paymentId})`;
}

export function oAuth2Credentials(overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> {
	return {
		businessCentralOAuth2Api: {
			tenantId: TENANT,
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			entraEndpoint: 'global',
			deployment: 'saas',
			environment: 'production',
			apiVersion: 'v2.0',
			...overrides,
		} as ICredentialDataDecryptedObject,
	};
}

/** A token endpoint answer (Microsoft Entra ID client credentials grant). */
export function tokenResponse(accessToken: string): IDataObject {
	return { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken };
}

/**
 * Everything an error object holds, including non-enumerable own properties
 * (`message`, `stack`, `cause`, ...) of it and of every nested object, as text.
 * Used to prove that secrets never end up in errors.
 */
export function serializeDeep(value: unknown): string {
	const seen = new WeakSet<object>();
	const walk = (current: unknown, depth: number): unknown => {
		if (current === null || typeof current !== 'object') {
			return typeof current === 'function' ? `[function ${(current as { name?: string }).name ?? ''}]` : current;
		}
		if (seen.has(current) || depth > 12) return '[seen]';
		seen.add(current);
		if (Array.isArray(current)) return current.map((entry) => walk(entry, depth + 1));
		const out: Record<string, unknown> = {};
		for (const key of Object.getOwnPropertyNames(current)) {
			let entry: unknown;
			try {
				entry = (current as Record<string, unknown>)[key];
			} catch {
				entry = '[unreadable]';
			}
			out[key] = walk(entry, depth + 1);
		}
		return out;
	};
	return JSON.stringify(walk(value, 0));
}

/** Asserts that none of the secrets appears anywhere in the given values (deeply, incl. non-enumerables). */
export function expectNoSecrets(values: unknown[], secrets: string[] = [TOKEN, CLIENT_SECRET]): void {
	for (const value of values) {
		const text = `${JSON.stringify(value) ?? ''}\n${serializeDeep(value)}`;
		for (const secret of secrets) expect(text).not.toContain(secret);
	}
}

/**
 * A nock scope on the SaaS API origin that only matches requests carrying the
 * test bearer token (and any further headers given). nock is passed in, as to
 * useNock: importing it here would intercept the sandbox tests' sockets too.
 */
export function saasApi(
	nockModule: typeof import('nock'),
	reqheaders: Record<string, string | RegExp> = {},
): ReturnType<typeof import('nock')> {
	return nockModule(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}`, ...reqheaders } });
}

/**
 * Installs the nock lifecycle for a test file: no real network, and every
 * request nock could not match is recorded. `unmatched` lists them ("METHOD url");
 * after each test it must be empty and every interceptor must have been used.
 */
export function useNock(nockModule: typeof import('nock')): { unmatched: string[] } {
	const state = { unmatched: [] as string[] };
	type Seen = { method?: string; path?: string; host?: string; hostname?: string; proto?: string; port?: string | number };
	const onNoMatch = (request: Seen, options?: Seen) => {
		const seen = { ...request, ...(options ?? {}) } as Seen;
		const host = seen.host ?? seen.hostname ?? '?';
		state.unmatched.push(`${seen.method ?? request.method ?? '?'} ${seen.proto ?? 'http'}://${host}${seen.path ?? request.path ?? ''}`);
	};
	beforeAll(() => {
		nockModule.disableNetConnect();
		nockModule.emitter.on('no match', onNoMatch);
	});
	beforeEach(() => {
		state.unmatched.length = 0;
	});
	afterEach(() => {
		const pending = nockModule.pendingMocks();
		const unmatched = [...state.unmatched];
		nockModule.cleanAll();
		expect({ unmatched, pending }).toEqual({ unmatched: [], pending: [] });
	});
	afterAll(() => {
		nockModule.emitter.removeListener('no match', onNoMatch);
		nockModule.enableNetConnect();
		// Take nock's interceptor off node:http. Jest gives each test file its own
		// nock but the same node:http, so without this every nock test file run
		// before it in a worker leaves one more interceptor layer on the real
		// sockets of the loopback sandbox tests (seen: a hung request was never
		// cut by the node's Timeout and the short soak stalled).
		nockModule.restore();
	});
	return state;
}

// ---------------------------------------------------------------------------
// Helpers for the sandbox (end-to-end) tests: test/e2e.*.sandbox.test.cts
// ---------------------------------------------------------------------------

type SandboxLike = import('../sandbox/index.cjs').Sandbox;

// The sandbox credential builders live with the sandbox (the demo, bench and soak use them too).
export { sandboxBearerCredentials, sandboxOAuth2Credentials } from '../sandbox/credentials.cjs';

/** A Business Central node with its own name/id, for workflows with more than one of them. */
export function namedBusinessCentralNode(name: string, parameters: UpdateNodeOptions, x = 220): INode {
	return { ...businessCentralNode(parameters), id: `bc-${name.replace(/\W+/g, '-').toLowerCase()}`, name, position: [x, 0] };
}

/** Items → first Business Central node → second Business Central node (each gets the previous node's output). */
export function chainedUpdateWorkflow(
	items: IDataObject[],
	first: { name: string; parameters: UpdateNodeOptions },
	second: { name: string; parameters: UpdateNodeOptions },
): WorkflowJson {
	const items0 = updateWorkflow(items).nodes[0];
	return {
		name: 'chained customer payment updates',
		nodes: [
			items0,
			namedBusinessCentralNode(first.name, first.parameters, 220),
			namedBusinessCentralNode(second.name, second.parameters, 440),
		],
		connections: {
			[items0.name]: { main: [[{ node: first.name, type: 'main' as never, index: 0 }]] },
			[first.name]: { main: [[{ node: second.name, type: 'main' as never, index: 0 }]] },
		},
	};
}

/** What the sandbox saw since `since()` was called: requests per method, and the writes applied. */
export function sandboxActivity(sandbox: SandboxLike): {
	requests(): number;
	byMethod(): Record<string, number>;
	writes(): SandboxLike['writes'];
} {
	const requests = sandbox.stats.requests;
	const byMethod = { ...sandbox.stats.byMethod };
	const writes = sandbox.writes.length;
	return {
		requests: () => sandbox.stats.requests - requests,
		byMethod: () => {
			const delta: Record<string, number> = {};
			for (const [method, count] of Object.entries(sandbox.stats.byMethod)) {
				const diff = count - (byMethod[method] ?? 0);
				if (diff) delta[method] = diff;
			}
			return delta;
		},
		writes: () => sandbox.writes.slice(writes),
	};
}

/**
 * Runs `action` the moment the next request with `method` reaches the sandbox,
 * before the sandbox handles it (the sandbox counts `stats.byMethod` on arrival).
 * Used to let "another user" change a record between the node's GET and its
 * PATCH, deterministically, over real HTTP.
 */
export function beforeNextRequest(sandbox: SandboxLike, method: string, action: () => void): void {
	const counts = sandbox.stats.byMethod;
	const value = counts[method];
	Object.defineProperty(counts, method, {
		configurable: true,
		enumerable: true,
		get: () => value,
		set: (next: number) => {
			Object.defineProperty(counts, method, { configurable: true, enumerable: true, writable: true, value: next });
			action();
		},
	});
}
