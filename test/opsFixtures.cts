/**
 * Workflow builders for the Get / Get Many / Create / Delete tests
 * (test/ops.*.test.cts): Items → Business Central with any operation.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, type WorkflowJson } from '../dev/engine.cjs';
import { COMPANY, itemsNode, locator } from './fixtures.cjs';

export const NODE = 'Business Central';

export type Operation = 'get' | 'getAll' | 'create' | 'delete' | 'update';

export interface OpsNodeOptions {
	/** Node parameters besides authentication/resource/operation; company defaults to COMPANY by ID. */
	parameters?: IDataObject;
	continueOnFail?: boolean;
	name?: string;
}

export function opsNode(operation: Operation, options: OpsNodeOptions = {}): INode {
	const parameters: IDataObject = { ...(options.parameters ?? {}) };
	if (typeof parameters.company === 'string') parameters.company = locator(parameters.company);
	if (typeof parameters.journal === 'string') {
		parameters.journal = parameters.journal ? locator(parameters.journal) : locator('', 'list');
	}
	if (typeof parameters.customerPayment === 'string') parameters.customerPayment = locator(parameters.customerPayment);
	const name = options.name ?? NODE;
	return {
		id: `bc-${name.replace(/\W+/g, '-').toLowerCase()}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: {
			authentication: 'bearerToken',
			resource: 'customerPayment',
			operation,
			company: locator(COMPANY),
			...parameters,
		} as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Items → one Business Central node. */
export function opsWorkflow(items: IDataObject[], operation: Operation, options: OpsNodeOptions = {}): WorkflowJson {
	const node = opsNode(operation, options);
	return {
		name: `customer payment ${operation}`,
		nodes: [itemsNode(items), node],
		connections: { Items: { main: [[{ node: node.name, type: 'main' as never, index: 0 }]] } },
	};
}

/** Items → several Business Central nodes in a row (each gets the previous node's output). */
export function opsChain(items: IDataObject[], steps: Array<{ operation: Operation } & OpsNodeOptions>): WorkflowJson {
	const nodes = steps.map((step, index) => ({
		...opsNode(step.operation, step),
		position: [220 * (index + 1), 0] as [number, number],
	}));
	const connections: WorkflowJson['connections'] = {};
	let previous = 'Items';
	for (const node of nodes) {
		connections[previous] = { main: [[{ node: node.name, type: 'main' as never, index: 0 }]] };
		previous = node.name;
	}
	return { name: 'customer payment life cycle', nodes: [itemsNode(items), ...nodes], connections };
}

export type Credentials = Record<string, ICredentialDataDecryptedObject>;
