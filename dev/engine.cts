/**
 * Runs n8n workflows in-process through n8n-core's own engine (`WorkflowExecute`
 * over a real `Workflow`), with this package's node and credential types loaded
 * from `dist/` by n8n-core's `PackageDirectoryLoader`, exactly as n8n loads a
 * community package. Used by the test suite, `npm run demo` and `npm run bench`.
 *
 * What n8n's server would otherwise provide is kept to what a node run needs:
 * a credentials helper that stores decrypted credential data in memory, applies
 * property defaults and `={{ }}` expressions ($self) the way n8n's
 * CredentialsHelper does, and applies the credential's `authenticate`; OAuth2
 * token fetching and refreshing are n8n-core's own (`requestOAuth2`).
 */
import 'reflect-metadata';
import path from 'node:path';
import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PackageDirectoryLoader,
	WorkflowExecute,
} from 'n8n-core';
import {
	createDeferredPromise,
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

export const PACKAGE_DIR = path.resolve(__dirname, '..');
export const NODE_TYPE = 'n8n-nodes-business-central.businessCentral';
export const ITEMS_NODE_TYPE = 'dev.items';
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const CODE_NODE_TYPE = 'n8n-nodes-base.code';
export const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';

/**
 * A start node that emits the items in its `items` parameter (a JSON array):
 * it stands in for "Manual Trigger + pinned data", so a test can feed any items.
 */
class ItemsNode implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits the items given as JSON',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }] as INodeProperties[],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

/**
 * Stand-in for n8n-nodes-base's Manual Trigger (that package is not a
 * dependency): like the real one it starts a manual run with one empty item,
 * and like in the editor, pinned data on it replaces that item.
 */
class ManualTriggerNode implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/**
 * Stand-in for n8n-nodes-base's Sticky Note (the examples explain themselves in one): never
 * connected, so never run; the engine only needs its type to build the workflow.
 */
class StickyNoteNode implements INodeType {
	description = {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'Make your workflow easier to understand',
		defaults: { name: 'Sticky Note' },
		inputs: [],
		outputs: [],
		properties: [
			{ displayName: 'Content', name: 'content', type: 'string', default: '' },
			{ displayName: 'Height', name: 'height', type: 'number', default: 160 },
			{ displayName: 'Width', name: 'width', type: 'number', default: 240 },
		],
	} as unknown as INodeType['description'];
}

/**
 * Stand-in for n8n-nodes-base's Code node (that package is not a dependency), enough for
 * the examples: JavaScript, mode "Run Once for All Items" only. Like the real node it runs
 * `jsCode` as the body of an async function that sees the workflow data proxy n8n gives
 * expressions (`$input`, `$json`, `$('Node')`, `$now`, …) and `items`, and returns items
 * (`{ json }` or plain objects). Pairing is left to the engine, as for the real node (one
 * input item: every output pairs with it). Unlike the real node there is no sandbox or
 * task runner: the code runs in this process, so only run workflows you trust (dev only).
 */
class CodeNode implements INodeType {
	description = {
		displayName: 'Code',
		name: 'code',
		group: ['transform'],
		version: [1, 2],
		description: 'Run custom JavaScript code',
		defaults: { name: 'Code' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'options', options: [{ name: 'Run Once for All Items', value: 'runOnceForAllItems' }, { name: 'Run Once for Each Item', value: 'runOnceForEachItem' }], default: 'runOnceForAllItems' },
			{ displayName: 'Language', name: 'language', type: 'options', options: [{ name: 'JavaScript', value: 'javaScript' }], default: 'javaScript' },
			{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0, 'runOnceForAllItems');
		const language = this.getNodeParameter('language', 0, 'javaScript');
		if (mode !== 'runOnceForAllItems' || language !== 'javaScript') {
			throw new Error(`The dev Code node runs JavaScript "Run Once for All Items" only, not ${String(language)} / ${String(mode)}`);
		}
		const jsCode = this.getNodeParameter('jsCode', 0) as string;
		const scope: IDataObject = { ...this.getWorkflowDataProxy(0), items: this.getInputData() };
		const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
		const names = Object.keys(scope).filter((name) => /^[$A-Za-z_][$\w]*$/.test(name));
		const returned = await new AsyncFunction(...names, jsCode)(...names.map((name) => scope[name]));
		const list = Array.isArray(returned) ? returned : returned === undefined || returned === null ? [] : [returned];
		return [
			list.map((entry) => {
				const item = entry as INodeExecutionData;
				return item && typeof item === 'object' && 'json' in item ? item : { json: entry as IDataObject };
			}),
		];
	}
}

/** n8n-nodes-base's generic OAuth2 credential, reduced to the fields n8n-core's OAuth2 client reads. */
const oAuth2Api: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties: [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
	],
};

export interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Map<string, ICredentialType>;
}

let loaded: Promise<LoadedPackage> | undefined;

/** Loads node and credential types from the built package (dist/), once per process. */
export async function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		const types: Record<string, INodeType | IVersionedNodeType> = {
			[ITEMS_NODE_TYPE]: new ItemsNode(),
			[MANUAL_TRIGGER_TYPE]: new ManualTriggerNode(),
			[CODE_NODE_TYPE]: new CodeNode(),
			[STICKY_NOTE_TYPE]: new StickyNoteNode(),
		};
		for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
			types[`${loader.packageName}.${name}`] = type;
		}
		const credentialTypes = new Map<string, ICredentialType>([['oAuth2Api', oAuth2Api]]);
		for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
			credentialTypes.set(name, type);
		}
		const nodeTypes: INodeTypes = {
			getByName: (name) => {
				const type = types[name];
				if (!type) throw new Error(`Unknown node type ${name}`);
				return type;
			},
			getByNameAndVersion: (name, version) =>
				NodeHelpers.getVersionedNodeType(nodeTypes.getByName(name), version),
			getKnownTypes: () => ({}),
		};
		return { nodeTypes, credentialTypes };
	})();
	return await loaded;
}

function credentialChain(types: Map<string, ICredentialType>, name: string): ICredentialType[] {
	const type = types.get(name);
	if (!type) throw new Error(`Unknown credential type ${name}`);
	return [type, ...(type.extends ?? []).flatMap((parent) => credentialChain(types, parent))];
}

/**
 * In-memory credentials, as n8n's CredentialsHelper would hand them to a node:
 * defaults filled in, expressions resolved with $self, OAuth token data saved
 * back when n8n-core fetches or refreshes a token.
 */
export class MemoryCredentialsHelper extends ICredentialsHelper {
	readonly store = new Map<string, ICredentialDataDecryptedObject>();

	/** Every token n8n-core saved (to check that a refresh happened). */
	readonly tokenUpdates: IDataObject[] = [];

	constructor(
		private readonly types: Map<string, ICredentialType>,
		private readonly nodeTypes: INodeTypes,
	) {
		super();
	}

	set(type: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(type, { ...data });
	}

	getParentTypes(name: string): string[] {
		return credentialChain(this.types, name)
			.slice(1)
			.map((type) => type.name);
	}

	private expressionWorkflow(): { workflow: Workflow; node: INode } {
		const node: INode = {
			id: 'credential-node',
			name: 'Credential',
			type: ITEMS_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		return { workflow, node };
	}

	/** Stored data + property defaults of the type and its parents, expressions resolved. */
	decrypted(type: string): ICredentialDataDecryptedObject {
		const stored = this.store.get(type);
		if (!stored) throw new Error(`No credentials of type ${type} were set`);
		const properties = credentialChain(this.types, type)
			.reverse()
			.flatMap((credentialType) => credentialType.properties);
		const byName = new Map(properties.map((property) => [property.name, property]));
		const withDefaults = NodeHelpers.getNodeParameters(
			[...byName.values()],
			stored as never,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		const data = { ...withDefaults, ...stored };
		for (const property of byName.values()) {
			if (property.type === 'hidden') data[property.name] = property.default as never;
		}
		const { workflow, node } = this.expressionWorkflow();
		return workflow.expression.getComplexParameterValue(
			node,
			data as never,
			'internal',
			{},
			undefined,
			undefined,
			data,
		) as ICredentialDataDecryptedObject;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		return this.decrypted(type);
	}

	/** Resolves `={{ $credentials.x }}` in a value, as n8n does for generic `authenticate` and `test`. */
	resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		const { workflow, node } = this.expressionWorkflow();
		return workflow.expression.getParameterValue(
			value,
			null,
			0,
			0,
			node.name,
			[],
			'internal',
			{ $credentials: credentials } as never,
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = this.types.get(typeName);
		const authenticate = type?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type === 'generic') {
			for (const [target, values] of Object.entries(authenticate.properties)) {
				const key = target as 'headers' | 'qs' | 'body' | 'auth';
				const current = (requestOptions[key] ?? {}) as IDataObject;
				for (const [name, raw] of Object.entries(values as IDataObject)) {
					current[name] = this.resolve(raw, credentials) as never;
				}
				(requestOptions as unknown as IDataObject)[key] = current;
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialChain(this.types, type).flatMap((credentialType) => credentialType.properties);
	}

	async getCredentials(): Promise<never> {
		throw new Error('getCredentials is not used by this package');
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(type, { ...this.store.get(type), ...data });
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.tokenUpdates.push(data.oauthTokenData as IDataObject);
		this.store.set(type, { ...this.store.get(type), oauthTokenData: data.oauthTokenData });
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getOAuth2Options(): undefined {
		return undefined;
	}
}

export function additionalDataFor(
	credentialsHelper: ICredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in this harness');
		},
		getRunExecutionData: async () => undefined,
		executionId: 'dev-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in this harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
	/** Pinned output per node name, as in an exported n8n workflow. */
	pinData?: Record<string, Array<{ json: IDataObject }>>;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node (first output, first run). */
	output(nodeName: string): INodeExecutionData[];
	/** The error a node stopped with, if any. */
	error(nodeName?: string): (Error & IDataObject) | undefined;
	credentials: MemoryCredentialsHelper;
}

export interface RunOptions {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Reuse a helper to keep OAuth token data between runs. */
	credentialsHelper?: MemoryCredentialsHelper;
}

/** Executes a workflow from its start node through n8n-core's WorkflowExecute. */
export async function runWorkflow(workflowJson: WorkflowJson, options: RunOptions): Promise<RunResult> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const credentials = options.credentialsHelper ?? new MemoryCredentialsHelper(credentialTypes, nodeTypes);
	for (const [type, data] of Object.entries(options.credentials)) {
		if (!options.credentialsHelper || !credentials.store.has(type)) credentials.set(type, data);
	}
	const workflow = new Workflow({
		id: 'dev-workflow',
		name: workflowJson.name ?? 'dev workflow',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes,
		settings: workflowJson.settings,
		pinData: workflowJson.pinData as never,
	});
	const startNode = workflowJson.nodes.find(
		(node) =>
			!Object.values(workflowJson.connections).some((outputs) =>
				(outputs.main ?? []).some((targets) => (targets ?? []).some((target) => target.node === node.name)),
			),
	);
	if (!startNode) throw new Error('Workflow has no start node');
	const hooks = new ExecutionLifecycleHooks('manual', 'dev-execution', {
		id: 'dev-workflow',
		name: workflowJson.name ?? 'dev workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
	} as never);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		resultData: { pinData: workflowJson.pinData as never },
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(additionalDataFor(credentials, hooks), 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished.promise;
	return {
		run,
		credentials,
		output: (nodeName) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
		error: (nodeName) =>
			(nodeName
				? run.data.resultData.runData[nodeName]?.[0]?.error
				: run.data.resultData.error) as (Error & IDataObject) | undefined,
	};
}

/** Calls one of the node's list-search methods with n8n-core's LoadOptionsContext. */
export async function listSearch(
	method: string,
	node: INode,
	options: RunOptions & { filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const credentials = options.credentialsHelper ?? new MemoryCredentialsHelper(credentialTypes, nodeTypes);
	for (const [type, data] of Object.entries(options.credentials)) credentials.set(type, data);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(credentials), '');
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const search = nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`No list search method ${method}`);
	return await search.call(context as unknown as ILoadOptionsFunctions, options.filter, options.paginationToken);
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * Runs a credential type's declarative `test` request the way n8n's credential
 * dialog does: resolve its expressions against the credential, authenticate,
 * send, and call any 2xx a success.
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
	httpRequest: (options: IHttpRequestOptions) => Promise<unknown>,
): Promise<CredentialTestResult> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const helper = new MemoryCredentialsHelper(credentialTypes, nodeTypes);
	helper.set(type, data);
	const credentials = helper.decrypted(type);
	const test = credentialTypes.get(type)?.test;
	if (!test) throw new Error(`Credential type ${type} has no test request`);
	const request: IHttpRequestOptions = {
		method: test.request.method ?? 'GET',
		url: String(helper.resolve(test.request.url ?? '', credentials)),
		baseURL: String(helper.resolve(test.request.baseURL ?? '', credentials)),
		qs: test.request.qs as IDataObject,
		disableFollowRedirect: test.request.disableFollowRedirect,
		json: true,
	};
	const authenticated = await helper.authenticate(credentials, type, request);
	try {
		await httpRequest(authenticated);
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}
