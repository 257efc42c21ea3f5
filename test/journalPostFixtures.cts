/** A workflow of input items → Business Central: Customer Payment Journal → Post, for the Post tests. */
import type { IDataObject, INode } from 'n8n-workflow';

import { NODE_TYPE, runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import { bearerCredentials, COMPANY, itemsNode, JOURNAL, locator } from './fixtures.cjs';

const NODE = 'Business Central';

function postNode(parameters: IDataObject, continueOnFail: boolean): INode {
	return {
		id: 'bc-post',
		name: NODE,
		type: NODE_TYPE,
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			authentication: 'bearerToken',
			resource: 'customerPaymentJournal',
			operation: 'post',
			company: locator(COMPANY),
			journal: locator(JOURNAL),
			...parameters,
		} as INode['parameters'],
		credentials: { businessCentralApi: { id: '1', name: 'Business Central token' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Runs Post (company COMPANY, journal JOURNAL unless `parameters` say otherwise) on `items`. */
export async function runPost(items: IDataObject[], parameters: IDataObject = {}, continueOnFail = false) {
	const workflow: WorkflowJson = {
		name: 'post journal',
		nodes: [itemsNode(items), postNode(parameters, continueOnFail)],
		connections: { Items: { main: [[{ node: NODE, type: 'main' as never, index: 0 }]] } },
	};
	return await runWorkflow(workflow, { credentials: bearerCredentials() });
}
