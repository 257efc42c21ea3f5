/**
 * What the cash-receipt example (examples/cash-receipts.json) needs around it, shared by its
 * test and `npm run demo`: the bank lines its Code node returns, the company and journal it
 * names (STATEMENT, which the sandbox seeds empty: Post takes every line of a batch, and the
 * example posts only when the journal holds exactly the lines it created), the chain cut before Post while this
 * build has no Customer Payment Journal → Post, and what each bank line should end as.
 */
import path from 'node:path';

import type { IDataObject, INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/index.cjs';
import { CODE_NODE_TYPE, NODE_TYPE, PACKAGE_DIR, type WorkflowJson } from './engine.cjs';

export const BANK_LINES_NODE = 'Bank Statement Lines';

export interface BankLine {
	bookingDate: string;
	customerNumber?: string;
	customerName?: string;
	amount: number;
	reference: string;
}

/** The lines the example's Code node returns (its jsCode run here the same way: an async function body). */
export async function bankLinesOf(workflow: WorkflowJson): Promise<BankLine[]> {
	const node = workflow.nodes.find((candidate) => candidate.name === BANK_LINES_NODE && candidate.type === CODE_NODE_TYPE);
	if (!node) throw new Error(`The example has no Code node "${BANK_LINES_NODE}"`);
	const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (body: string) => () => Promise<unknown>;
	const returned = (await new AsyncFunction(String(node.parameters.jsCode))()) as Array<BankLine | { json: BankLine }>;
	return returned.map((entry) => ('json' in entry ? entry.json : entry));
}

/** The company and journal the example's Business Central nodes name. */
export function exampleTarget(workflow: WorkflowJson): { company: string; journal: string } {
	const create = workflow.nodes.find((node) => node.type === NODE_TYPE && node.parameters.operation === 'create');
	if (!create) throw new Error('The example has no Create step');
	const value = (parameter: string) => String((create.parameters[parameter] as IDataObject).value);
	return { company: value('company'), journal: value('journal') };
}

/** The workflow up to and including `lastNode` (the nodes form one chain from the trigger). */
export function workflowUpTo(workflow: WorkflowJson, lastNode: string): WorkflowJson {
	const keep = new Set<string>();
	let current: string | undefined = workflow.nodes[0].name;
	while (current) {
		keep.add(current);
		if (current === lastNode) break;
		current = workflow.connections[current]?.main?.[0]?.[0]?.node;
	}
	const connections = Object.fromEntries(
		Object.entries(workflow.connections).filter(([from, { main }]) => from !== lastNode && keep.has(from) && keep.has(main?.[0]?.[0]?.node ?? '')),
	);
	return { ...workflow, nodes: workflow.nodes.filter((node) => keep.has(node.name)), connections };
}

/**
 * Whether the built node (dist/) has Customer Payment Journal → Post (built in another
 * branch). Synchronous, so a test can choose `test` or `test.skip` when it is defined.
 */
export function hasJournalPost(): boolean {
	const built = path.resolve(PACKAGE_DIR, 'dist/nodes/BusinessCentral/BusinessCentral.node.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { BusinessCentral } = require(built) as { BusinessCentral: new () => INodeType };
	return new BusinessCentral().description.properties.some(
		(property: INodeProperties) =>
			property.name === 'operation' &&
			(property.displayOptions?.show?.resource as string[] | undefined)?.includes('customerPaymentJournal') &&
			((property.options ?? []) as INodePropertyOptions[]).some((option) => option.value === 'post'),
	);
}

/** The open invoice a bank line should pay in the sandbox: its customer's, with exactly that amount open. */
export function expectedInvoice(sandbox: Sandbox, company: string, line: BankLine) {
	const customer = sandbox
		.customers(company)
		.find((candidate) => candidate.number === line.customerNumber || (line.customerName !== undefined && candidate.displayName.includes(line.customerName)));
	return sandbox
		.invoices(company)
		.find((invoice) => invoice.customerId === customer?.id && invoice.status === 'Open' && invoice.remainingAmount === line.amount);
}
