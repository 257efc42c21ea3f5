/**
 * The workflow n8n users build today without this package, run by the same engine as the
 * node (dev/engine.cts: n8n-core's WorkflowExecute): Items → HTTP Request GET of the payment
 * → HTTP Request PATCH with `If-Match` from its `@odata.etag`, with n8n's own HTTP Request
 * node (n8n-nodes-base, version 4.2) loaded from the real n8n installed by
 * `npm run n8n -- install` (n8n-nodes-base is not a dependency of this project: it would
 * pull most of n8n into node_modules). Its `require('n8n-workflow' | 'n8n-core')` are pointed
 * at the project's copies (the same 2.8.x versions), so there is one engine and one set of
 * error classes.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { IDataObject, INode, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { loadPackage, type WorkflowJson } from '../../dev/engine.cjs';
import { itemsNode } from '../../test/fixtures.cjs';

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const NODES_BASE = path.join(
	os.homedir(),
	'.cache/n8n-nodes-business-central/n8n-app/node_modules/n8n-nodes-base',
);
const HTTP_REQUEST_FILE = path.join(NODES_BASE, 'dist/nodes/HttpRequest/HttpRequest.node.js');

/** Where n8n-nodes-base is expected, and whether it is there. */
export const httpRequestAvailable = () => existsSync(HTTP_REQUEST_FILE);
export const HTTP_REQUEST_MISSING = `n8n's HTTP Request node not found at ${HTTP_REQUEST_FILE}; install the real n8n with \`npm run n8n -- install\` to add the HTTP Request rows.`;

let registered = false;

/** Adds n8n's HTTP Request node type to the dev engine's node types (once). */
export async function registerHttpRequest(): Promise<void> {
	if (registered) return;
	const own: Record<string, string> = {
		'n8n-workflow': require.resolve('n8n-workflow'),
		'n8n-core': require.resolve('n8n-core'),
	};
	const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
	const original = resolver._resolveFilename;
	resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
		return own[request] ?? original.call(this, request, ...rest);
	};
	const { HttpRequest } = require(HTTP_REQUEST_FILE) as { HttpRequest: new () => IVersionedNodeType };
	const httpRequest = new HttpRequest();
	const { nodeTypes } = await loadPackage();
	const getByName = nodeTypes.getByName.bind(nodeTypes);
	nodeTypes.getByName = (name: string): INodeType | IVersionedNodeType =>
		name === HTTP_REQUEST_TYPE ? httpRequest : getByName(name);
	registered = true;
}

/** How the user set up the two HTTP Request nodes. */
export interface HttpRequestSetup {
	/** Options → Batching (items per batch, interval in ms); absent: n8n sends all items at once. */
	batching?: { batchSize: number; batchInterval: number };
	/** Settings → Retry On Fail with n8n's defaults (3 tries, 1000 ms apart). */
	retryOnFail?: boolean;
}

function httpNode(name: string, x: number, parameters: IDataObject, setup: HttpRequestSetup): INode {
	const options: IDataObject = setup.batching ? { batching: { batch: { ...setup.batching } } } : {};
	return {
		id: name,
		name,
		type: HTTP_REQUEST_TYPE,
		typeVersion: 4.2,
		position: [x, 0],
		parameters: { ...parameters, options } as INode['parameters'],
		...(setup.retryOnFail ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 } : {}),
	};
}

/**
 * Items → GET payment → PATCH payment. The token goes in an Authorization header parameter
 * (as with a Header Auth credential: the same request on the wire).
 */
export function httpRequestWorkflow(
	items: IDataObject[],
	target: { base: string; companyId: string; token: string },
	setup: HttpRequestSetup,
): WorkflowJson {
	const paymentUrl = (id: string) =>
		`=${target.base}/companies(${target.companyId})/customerPayments({{ ${id} }})`;
	const auth = { name: 'Authorization', value: `Bearer ${target.token}` };
	const get = httpNode(
		'GET payment',
		220,
		{
			method: 'GET',
			url: paymentUrl('$json.paymentId'),
			sendHeaders: true,
			headerParameters: { parameters: [auth] },
		},
		setup,
	);
	const patch = httpNode(
		'PATCH payment',
		440,
		{
			method: 'PATCH',
			url: paymentUrl("$('Items').item.json.paymentId"),
			sendHeaders: true,
			headerParameters: {
				parameters: [auth, { name: 'If-Match', value: "={{ $json['@odata.etag'] }}" }],
			},
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody:
				"={{ JSON.stringify({ amount: $('Items').item.json.amount, description: $('Items').item.json.description }) }}",
		},
		setup,
	);
	const link = (node: string) => ({ main: [[{ node, type: 'main' as never, index: 0 }]] });
	return {
		name: 'update customer payments with HTTP Request',
		nodes: [itemsNode(items), get, patch],
		connections: { Items: link('GET payment'), 'GET payment': link('PATCH payment') },
	};
}
