/**
 * Runs the Business Central Trigger's webhook mode the way n8n's active workflows do: one
 * `Workflow` kept for the activation (static data persists), n8n-core's `HookContext` for
 * `webhookMethods.default.{checkExists,create,delete}` (activation: checkExists, then create if
 * false; deactivation: delete), and a loopback HTTP server standing in for n8n's webhook endpoint
 * that hands each request to the node's `webhook()` through a real n8n-core `WebhookContext`,
 * answering as n8n does (`noWebhookResponse`: the node answered; else 200, the workflow runs
 * with `workflowData`; a throw: 500). Used by test/triggerWebhook.sandbox.test.cts.
 */
import 'reflect-metadata';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HookContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INode,
	type INodeType,
	type IWebhookData,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { additionalDataFor, loadPackage, MemoryCredentialsHelper } from './engine.cjs';

export interface WebhookRequestRecord {
	query: Record<string, string>;
	status: number;
	/** Items the workflow ran with (empty when it did not run). */
	emitted: IDataObject[];
}

export interface WebhookTrigger {
	/** checkExists, then create when it says no (n8n's activation); returns whether it created. */
	activate(): Promise<{ existed: boolean }>;
	deactivate(): Promise<boolean>;
	staticData(): IDataObject;
	/** Every item of every workflow run, in order. */
	emitted: IDataObject[];
	requests: WebhookRequestRecord[];
	webhookUrl(): string;
	close(): Promise<void>;
}

/** The express-like response n8n hands to a webhook (status/type/send), writing to a node response. */
function responseFor(res: http.ServerResponse, record: WebhookRequestRecord) {
	let status = 200;
	const headers: Record<string, string> = {};
	const response = {
		status(code: number) {
			status = code;
			return response;
		},
		type(type: string) {
			headers['content-type'] = type;
			return response;
		},
		set(name: string, value: string) {
			headers[name.toLowerCase()] = value;
			return response;
		},
		send(body: string) {
			record.status = status;
			res.writeHead(status, headers).end(body);
			return response;
		},
	};
	return response;
}

interface Activation {
	workflow: Workflow;
	node: INode;
	nodeType: INodeType;
	additionalData: () => IWorkflowExecuteAdditionalData;
	emitted: IDataObject[];
	requests: WebhookRequestRecord[];
}

function webhookDataOf(activation: Activation): IWebhookData {
	return {
		httpMethod: 'POST',
		node: activation.node.name,
		path: 'webhook',
		webhookDescription: activation.nodeType.description.webhooks![0],
		workflowId: activation.workflow.id,
		workflowExecuteAdditionalData: activation.additionalData(),
	} as IWebhookData;
}

function parsedBody(text: string): unknown {
	try {
		return text ? JSON.parse(text) : {};
	} catch {
		return text;
	}
}

/** One request to the webhook URL, as n8n's webhook server hands it to the node. */
async function handle(activation: Activation, req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
	const { workflow, node, nodeType } = activation;
	const query = Object.fromEntries(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
	const record: WebhookRequestRecord = { query, status: 0, emitted: [] };
	activation.requests.push(record);
	const httpRequest = { query, body: parsedBody(text), headers: req.headers, params: {}, method: req.method };
	const httpResponse = responseFor(res, record);
	const data = { ...activation.additionalData(), httpRequest, httpResponse } as unknown as IWorkflowExecuteAdditionalData;
	const context = new WebhookContext(workflow, node, data, 'trigger', webhookDataOf(activation), [], null);
	try {
		const result: IWebhookResponseData = await nodeType.webhook!.call(context as unknown as IWebhookFunctions);
		if (result.noWebhookResponse) return;
		record.emitted = (result.workflowData?.[0] ?? []).map((item) => item.json);
		activation.emitted.push(...record.emitted);
		httpResponse.type('application/json').send(JSON.stringify({ message: 'Webhook call received' }));
	} catch (error) {
		httpResponse.status(500).type('application/json').send(JSON.stringify({ message: (error as Error).message }));
	}
}

async function listen(activation: Activation): Promise<http.Server> {
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => void handle(activation, req, res, Buffer.concat(chunks).toString('utf8')));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return server;
}

export async function webhookTrigger(
	node: INode,
	credentialData: Record<string, ICredentialDataDecryptedObject>,
): Promise<WebhookTrigger> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const credentials = new MemoryCredentialsHelper(credentialTypes, nodeTypes);
	for (const [type, data] of Object.entries(credentialData)) credentials.set(type, data);
	const workflow = new Workflow({ id: 'dev-webhook-workflow', nodes: [node], connections: {}, active: true, nodeTypes, staticData: {} });
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	let additionalData: IWorkflowExecuteAdditionalData = additionalDataFor(credentials);
	const activation: Activation = { workflow, node, nodeType, additionalData: () => additionalData, emitted: [], requests: [] };
	const server = await listen(activation);
	const port = (server.address() as AddressInfo).port;
	additionalData = { ...additionalData, webhookBaseUrl: `http://127.0.0.1:${port}/webhook` };
	const hook = () =>
		new HookContext(workflow, node, additionalData, 'trigger', 'activate', webhookDataOf(activation)) as unknown as IHookFunctions;
	const methods = nodeType.webhookMethods!.default!;
	return {
		emitted: activation.emitted,
		requests: activation.requests,
		staticData: () => workflow.getStaticData('node', node),
		webhookUrl: () => hook().getNodeWebhookUrl('default') ?? '',
		activate: async () => {
			const existed = await methods.checkExists.call(hook());
			if (!existed) await methods.create.call(hook());
			return { existed };
		},
		deactivate: async () => await methods.delete.call(hook()),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
