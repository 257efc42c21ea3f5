/**
 * Runs the Business Central Trigger's `poll()` the way n8n's active workflows do: one
 * `Workflow` object kept for the life of the activation (its static data persists between
 * polls, as in n8n's memory), a fresh n8n-core `PollContext` per poll ('trigger' mode, or
 * 'manual' for "Fetch Test Event"), the package loaded from `dist/` (dev/engine.cts) and
 * credentials from memory. Used by test/trigger.sandbox.test.cts.
 */
import 'reflect-metadata';
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IPollFunctions,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { additionalDataFor, loadPackage, MemoryCredentialsHelper } from './engine.cjs';

export const TRIGGER_TYPE = 'n8n-nodes-business-central.businessCentralTrigger';

export interface Poller {
	/** One poll: the items it emits (empty for null). Throws what the node throws. */
	poll(mode?: WorkflowExecuteMode): Promise<IDataObject[]>;
	/** The node's static data (the watermark state), as n8n would persist it. */
	staticData(): IDataObject;
	credentials: MemoryCredentialsHelper;
}

/** A trigger node with the given parameters, on the bearer credential. */
export function triggerNode(parameters: IDataObject): INode {
	return {
		id: 'bc-trigger',
		name: 'Business Central Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'bearerToken', ...parameters } as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
	};
}

/** An "activated" trigger: keep the poller to keep its static data between polls. */
export async function activate(
	node: INode,
	credentialData: Record<string, ICredentialDataDecryptedObject>,
): Promise<Poller> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const credentials = new MemoryCredentialsHelper(credentialTypes, nodeTypes);
	for (const [type, data] of Object.entries(credentialData)) credentials.set(type, data);
	const workflow = new Workflow({
		id: 'dev-trigger-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: {},
	});
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	return {
		credentials,
		staticData: () => workflow.getStaticData('node', node),
		poll: async (mode: WorkflowExecuteMode = 'trigger') => {
			const context = new PollContext(workflow, node, additionalDataFor(credentials), mode, 'activate');
			const output: INodeExecutionData[][] | null = await nodeType.poll!.call(context as unknown as IPollFunctions);
			return (output?.[0] ?? []).map((item) => item.json);
		},
	};
}
