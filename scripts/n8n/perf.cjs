#!/usr/bin/env node
/**
 * Helper of scripts/n8n.sh (perf mode): the per-item cost of the Business
 * Central node's Update in a real n8n.
 *
 *   workflow <sandbox.json> <out.json> <items> [<items> ...]
 *       ("<items>s": the description a fixed text, one expression per item, not two)
 *       writes one workflow per size, id bcPerfUpdate<items>: Manual Trigger →
 *       "Get Many Customer Payments" (the sandbox journal, Return All) → Limit
 *       (<items>) → "Update Customer Payment" (description = "perf <size> <run>
 *       <documentNumber>", payment id and eTag from the Get Many item)
 *   report <execute output> <sandbox.json> <items>
 *       checks the run (status success, <items> items out of the Update node,
 *       each with its new description; a sample of them read back from the
 *       sandbox) and prints one JSON line: {items, updateMs, msPerItem,
 *       getManyMs, workflowMs}. Exit 1 when the run is not right.
 *
 * The times are n8n's own: the Update node's executionTime in the run data (from
 * n8n calling the node until it returns: reading parameters, validation, every
 * request) and the execution's startedAt/stoppedAt.
 */
'use strict';

const fs = require('node:fs');
const { exitWith, extractRun, nodeItems, runProblems } = require('./executeOutput.cjs');

const UPDATE = 'Update Customer Payment';
const GET_MANY = 'Get Many Customer Payments';
const TRIGGER = 'When clicking ‘Execute workflow’';
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const credentials = {
	businessCentralApi: { id: 'bcSandboxToken', name: 'Business Central sandbox (bearer)' },
};
const type = 'n8n-nodes-business-central.businessCentral';

function workflow(sandbox, size, runTag) {
	// "<n>s": the same with a fixed description, so one expression per item instead of two.
	const items = Number.parseInt(size, 10);
	const fixed = String(size).endsWith('s');
	const scope = {
		authentication: 'bearerToken',
		resource: 'customerPayment',
		company: { __rl: true, mode: 'id', value: sandbox.companyId },
		journal: { __rl: true, mode: 'id', value: sandbox.journalId },
	};
	const node = (name, position, rest) => ({
		id: `perf-${size}-${position}`,
		name,
		position: [position * 220, 0],
		...rest,
	});
	const nodes = [
		node(TRIGGER, 0, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }),
		node(GET_MANY, 1, {
			type,
			typeVersion: 1,
			credentials,
			parameters: {
				...scope,
				operation: 'getAll',
				returnAll: true,
				filters: {},
				simple: true,
				options: {},
			},
		}),
		node('Limit', 2, {
			type: 'n8n-nodes-base.limit',
			typeVersion: 1,
			parameters: { maxItems: items },
		}),
		node(UPDATE, 3, {
			type,
			typeVersion: 1,
			credentials,
			parameters: {
				...scope,
				operation: 'update',
				customerPayment: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				updateFields: {
					description: fixed
						? `perf ${items} ${runTag} fixed`
						: `={{ 'perf ${items} ${runTag} ' + $json.documentNumber }}`,
				},
				options: {},
			},
		}),
	];
	const chain = [TRIGGER, GET_MANY, 'Limit', UPDATE];
	const connections = Object.fromEntries(
		chain
			.slice(0, -1)
			.map((from, i) => [from, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }]),
	);
	return {
		id: `bcPerfUpdate${size}`,
		name: `Business Central: update ${items} customer payments (per-item cost${fixed ? ', fixed description' : ''})`,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

async function report(outFile, sandboxFile, items) {
	const sandbox = readJson(sandboxFile);
	const run = extractRun(fs.readFileSync(outFile, 'utf8'));
	if (!run) throw new Error('n8n printed no execution result');
	const problems = runProblems(run);
	const updated = nodeItems(run, UPDATE);
	if (updated.length !== items)
		problems.push(`"${UPDATE}" returned ${updated.length} item(s), expected ${items}`);
	const tag = `perf ${items} `;
	const unchanged = updated.filter((item) => !String(item.json?.description).startsWith(tag));
	if (unchanged.length)
		problems.push(`${unchanged.length} output item(s) without the new description`);
	// A sample read back from the sandbox: first, middle, last.
	for (const item of [updated[0], updated[updated.length >> 1], updated[updated.length - 1]]) {
		if (!item) continue;
		const url = `${sandbox.baseUrl}/companies(${sandbox.companyId})/customerPayments(${item.json.id})`;
		const response = await fetch(url, { headers: { Authorization: `Bearer ${sandbox.token}` } });
		const stored = response.ok ? await response.json() : {};
		if (stored.description !== item.json.description)
			problems.push(`payment ${item.json.id}: the sandbox holds "${stored.description}"`);
	}
	if (problems.length) {
		for (const problem of problems) process.stdout.write(`perf FAILED: ${problem}\n`);
		return 1;
	}
	const taskOf = (name) => run.data.resultData.runData[name][0];
	const updateMs = taskOf(UPDATE).executionTime;
	const result = {
		items,
		updateMs,
		msPerItem: Number((updateMs / items).toFixed(2)),
		getManyMs: taskOf(GET_MANY).executionTime,
		getManyItems: nodeItems(run, GET_MANY).length,
		workflowMs: Date.parse(run.stoppedAt) - Date.parse(run.startedAt),
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
	return 0;
}

async function main() {
	const [command, ...args] = process.argv.slice(2);
	if (command === 'workflow') {
		const [sandboxFile, outFile, ...sizes] = args;
		const sandbox = readJson(sandboxFile);
		const runTag = new Date().toISOString().slice(11, 19);
		const workflows = sizes.map((size) => workflow(sandbox, size, runTag));
		fs.writeFileSync(outFile, `${JSON.stringify(workflows, null, '\t')}\n`);
		return 0;
	}
	if (command === 'report') return report(args[0], args[1], Number.parseInt(args[2], 10));
	process.stderr.write(
		'usage: perf.cjs workflow <sandbox.json> <out.json> <items>... | report <out> <sandbox.json> <items>\n',
	);
	return 2;
}

exitWith(main);
