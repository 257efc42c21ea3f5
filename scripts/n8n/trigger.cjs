#!/usr/bin/env node
/**
 * Helper of scripts/n8n.sh (trigger mode): the Business Central Trigger in a
 * running n8n (`n8n start`), polling customer payments of the sandbox's journal.
 *
 * <kind>: polling (workflow bcTriggerPolling, "Business Central Trigger (polling,
 * every minute) → No Op", customer payments of the sandbox journal) or webhook
 * (bcTriggerWebhook, "Business Central Trigger (webhook, customers) → No Op").
 *
 *   workflow <sandbox.json> <out.json>
 *       writes the import file of both (active) workflows
 *   primed <database.sqlite> <n8n app dir> <kind>
 *       exit 0 once the trigger stored its watermark on activation (the
 *       workflow's static data is set), 1 before
 *   change <kind> <sandbox.json> <out.json>
 *       changes one record over the sandbox's HTTP API (GET, then PATCH with
 *       If-Match: a payment's description, a customer's displayName) and writes
 *       {entity, field, id, value, lastModifiedDateTime, at} to <out.json>
 *   check <database.sqlite> <n8n app dir> <kind> <change.json>
 *       exit 0 when a successful execution of the kind's workflow holds the
 *       changed record (same id and new value) with `event`; prints the
 *       executions found; exit 1 otherwise
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const TRIGGER_NODE = 'Business Central Trigger';
/** The two checks: workflow id, what the trigger watches, what is changed. */
const KINDS = {
	polling: { workflowId: 'bcTriggerPolling', entity: 'customerPayments' },
	webhook: { workflowId: 'bcTriggerWebhook', entity: 'customers' },
};
const kindOf = (name) => {
	const kind = KINDS[name];
	if (!kind) throw new Error(`unknown kind '${name}' (polling, webhook)`);
	return kind;
};

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function workflow(sandbox, name) {
	const polling = name === 'polling';
	const parameters = polling
		? {
				authentication: 'bearerToken',
				resource: 'customerPayment',
				events: ['created', 'changed'],
				company: { __rl: true, mode: 'id', value: sandbox.companyId },
				journal: { __rl: true, mode: 'id', value: sandbox.journalId },
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				filters: {},
				options: {},
			}
		: {
				authentication: 'bearerToken',
				resource: 'customer',
				mode: 'webhook',
				events: ['created', 'changed'],
				company: { __rl: true, mode: 'id', value: sandbox.companyId },
				options: {},
			};
	return {
		id: kindOf(name).workflowId,
		name: polling
			? 'Business Central Trigger (polling, every minute) → No Op'
			: 'Business Central Trigger (webhook, customers) → No Op',
		active: true,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			{
				parameters,
				id: '7c1e0a52-3d7b-4f0e-9a51-0b7e5a0c0001',
				// The production webhook path: /webhook/<webhookId>/webhook.
				...(polling ? {} : { webhookId: '5f0b6a3e-2c4d-4e8f-9a1b-7c6d5e4f3a21' }),
				name: TRIGGER_NODE,
				type: 'n8n-nodes-business-central.businessCentralTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: {
					businessCentralApi: { id: 'bcSandboxToken', name: 'Business Central sandbox (bearer)' },
				},
			},
			{
				parameters: {},
				id: '7c1e0a52-3d7b-4f0e-9a51-0b7e5a0c0002',
				name: 'No Op',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [260, 0],
			},
		],
		connections: {
			[TRIGGER_NODE]: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] },
		},
		pinData: {},
	};
}

/** Changes one record (a journal payment's description, a customer's displayName). */
async function change(sandbox, name) {
	const { entity } = kindOf(name);
	const field = entity === 'customers' ? 'displayName' : 'description';
	const headers = { Authorization: `Bearer ${sandbox.token}` };
	const company = `${sandbox.baseUrl}/companies(${sandbox.companyId})`;
	const listUrl =
		entity === 'customers'
			? `${company}/customers?$top=1`
			: `${company}/customerPaymentJournals(${sandbox.journalId})/customerPayments?$top=1`;
	const list = await fetch(listUrl, { headers });
	if (!list.ok) throw new Error(`GET ${entity} gave ${list.status}: ${await list.text()}`);
	const [record] = (await list.json()).value;
	if (!record) throw new Error(`the sandbox holds no ${entity}`);
	const value = `trigger check ${new Date().toISOString().slice(11, 19)}`;
	const patch = await fetch(`${company}/${entity}(${record.id})`, {
		method: 'PATCH',
		headers: { ...headers, 'Content-Type': 'application/json', 'If-Match': record['@odata.etag'] },
		body: JSON.stringify({ [field]: value }),
	});
	if (!patch.ok) throw new Error(`PATCH ${entity} gave ${patch.status}: ${await patch.text()}`);
	const updated = await patch.json();
	return {
		entity,
		field,
		id: updated.id,
		value: updated[field],
		lastModifiedDateTime: updated.lastModifiedDateTime,
		at: new Date().toISOString(),
	};
}

function openDb(dbFile, appDir) {
	const sqlite3 = require(path.join(appDir, 'node_modules/sqlite3'));
	const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY);
	const all = (sql, params = []) =>
		new Promise((resolve, reject) =>
			db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows))),
		);
	return { all, close: () => db.close() };
}

async function primed(dbFile, appDir, name) {
	const db = openDb(dbFile, appDir);
	try {
		const rows = await db.all('SELECT staticData FROM workflow_entity WHERE id = ?', [
			kindOf(name).workflowId,
		]);
		const data = rows[0]?.staticData;
		return Boolean(data && data !== '{}' && data !== 'null');
	} finally {
		db.close();
	}
}

/** Items the trigger node emitted in one execution (n8n stores run data as `flatted` JSON). */
function triggerItems(appDir, raw) {
	const { parse } = require(
		require.resolve('flatted', { paths: [path.join(appDir, 'node_modules/n8n')] }),
	);
	const data = parse(raw);
	const runs = data?.resultData?.runData?.[TRIGGER_NODE] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}

async function check(dbFile, appDir, name, changed) {
	const WORKFLOW_ID = kindOf(name).workflowId;
	const { field } = changed;
	const db = openDb(dbFile, appDir);
	try {
		const rows = await db.all(
			`SELECT e.id, e.status, e.mode, e.startedAt, d.data FROM execution_entity e
			 JOIN execution_data d ON d.executionId = e.id
			 WHERE e.workflowId = ? ORDER BY e.id`,
			[WORKFLOW_ID],
		);
		let found;
		for (const row of rows) {
			const items = triggerItems(appDir, row.data);
			const summary = items.map((i) => `${i.id?.slice(0, 8)}…:${i.event}:${i[field]}`);
			process.stdout.write(
				`  execution ${row.id} (${row.mode}, ${row.status}, ${row.startedAt}): ${items.length} item(s) ${summary.join(', ')}\n`,
			);
			const item = items.find((i) => i.id === changed.id && i[field] === changed.value);
			if (item && !found) found = { row, item };
		}
		if (!found) {
			process.stdout.write(
				`  no execution of ${WORKFLOW_ID} holds ${changed.entity} ${changed.id} with ${field} "${changed.value}"\n`,
			);
			return false;
		}
		const { row, item } = found;
		const ok = row.status === 'success' && ['created', 'changed'].includes(item.event);
		process.stdout.write(
			`  execution ${row.id}: ${changed.entity} ${item.id} event=${item.event} ${field}="${item[field]}" status=${row.status}\n`,
		);
		return ok;
	} finally {
		db.close();
	}
}

async function main() {
	const [command, ...args] = process.argv.slice(2);
	switch (command) {
		case 'workflow': {
			const [sandboxFile, out] = args;
			const sandbox = readJson(sandboxFile);
			const workflows = Object.keys(KINDS).map((name) => workflow(sandbox, name));
			fs.writeFileSync(out, `${JSON.stringify(workflows, null, '\t')}\n`);
			return 0;
		}
		case 'primed':
			return (await primed(args[0], args[1], args[2])) ? 0 : 1;
		case 'change': {
			const [name, sandboxFile, out] = args;
			const result = await change(readJson(sandboxFile), name);
			fs.writeFileSync(out, `${JSON.stringify(result, null, '\t')}\n`);
			process.stdout.write(
				`changed ${result.entity} ${result.id}: ${result.field} "${result.value}", lastModifiedDateTime ${result.lastModifiedDateTime}\n`,
			);
			return 0;
		}
		case 'check':
			return (await check(args[0], args[1], args[2], readJson(args[3]))) ? 0 : 1;
		default:
			process.stderr.write('usage: node scripts/n8n/trigger.cjs workflow|primed|change|check …\n');
			return 2;
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exit(1);
	},
);
