#!/usr/bin/env node
/**
 * Helper of scripts/n8n.sh (trigger mode): the Business Central Trigger in a
 * running n8n (`n8n start`), polling customer payments of the sandbox's journal.
 *
 *   workflow <sandbox.json> <out.json>
 *       writes the import file of the active workflow bcTriggerPolling:
 *       "Business Central Trigger (polling, every minute) → No Op"
 *   primed <database.sqlite> <n8n app dir>
 *       exit 0 once the trigger's first poll stored its watermark (the
 *       workflow's static data is set), 1 before
 *   change <sandbox.json> <out.json>
 *       changes one payment of the journal over the sandbox's HTTP API (GET,
 *       then PATCH description with If-Match) and writes {id, description,
 *       lastModifiedDateTime, at} to <out.json>
 *   check <database.sqlite> <n8n app dir> <change.json>
 *       exit 0 when an execution of bcTriggerPolling, started after the change,
 *       holds the changed payment (same id and description) with `event`;
 *       prints what it found; exit 1 otherwise
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const WORKFLOW_ID = 'bcTriggerPolling';
const TRIGGER_NODE = 'Business Central Trigger';

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function workflow(sandbox) {
	return {
		id: WORKFLOW_ID,
		name: 'Business Central Trigger (polling, every minute) → No Op',
		active: true,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
		nodes: [
			{
				parameters: {
					authentication: 'bearerToken',
					resource: 'customerPayment',
					events: ['created', 'changed'],
					company: { __rl: true, mode: 'id', value: sandbox.companyId },
					journal: { __rl: true, mode: 'id', value: sandbox.journalId },
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					filters: {},
					options: {},
				},
				id: '7c1e0a52-3d7b-4f0e-9a51-0b7e5a0c0001',
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

async function change(sandbox) {
	const headers = { Authorization: `Bearer ${sandbox.token}` };
	const company = `${sandbox.baseUrl}/companies(${sandbox.companyId})`;
	const list = await fetch(
		`${company}/customerPaymentJournals(${sandbox.journalId})/customerPayments?$top=1`,
		{ headers },
	);
	if (!list.ok) throw new Error(`GET customerPayments gave ${list.status}: ${await list.text()}`);
	const [payment] = (await list.json()).value;
	if (!payment) throw new Error('the sandbox journal holds no payment');
	const description = `trigger check ${new Date().toISOString().slice(11, 19)}`;
	const patch = await fetch(`${company}/customerPayments(${payment.id})`, {
		method: 'PATCH',
		headers: { ...headers, 'Content-Type': 'application/json', 'If-Match': payment['@odata.etag'] },
		body: JSON.stringify({ description }),
	});
	if (!patch.ok)
		throw new Error(`PATCH customerPayments gave ${patch.status}: ${await patch.text()}`);
	const updated = await patch.json();
	return {
		id: updated.id,
		description: updated.description,
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

async function primed(dbFile, appDir) {
	const db = openDb(dbFile, appDir);
	try {
		const rows = await db.all('SELECT staticData FROM workflow_entity WHERE id = ?', [WORKFLOW_ID]);
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

async function check(dbFile, appDir, changed) {
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
			const summary = items.map((i) => `${i.id?.slice(0, 8)}…:${i.event}:${i.description}`);
			process.stdout.write(
				`  execution ${row.id} (${row.mode}, ${row.status}, ${row.startedAt}): ${items.length} item(s) ${summary.join(', ')}\n`,
			);
			const item = items.find((i) => i.id === changed.id && i.description === changed.description);
			if (item && !found) found = { row, item };
		}
		if (!found) {
			process.stdout.write(
				`  no execution of ${WORKFLOW_ID} holds payment ${changed.id} with description "${changed.description}"\n`,
			);
			return false;
		}
		const { row, item } = found;
		const ok = row.status === 'success' && ['created', 'changed'].includes(item.event);
		process.stdout.write(
			`  execution ${row.id}: payment ${item.id} event=${item.event} description="${item.description}" status=${row.status}\n`,
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
			fs.writeFileSync(out, `${JSON.stringify([workflow(readJson(sandboxFile))], null, '\t')}\n`);
			return 0;
		}
		case 'primed':
			return (await primed(args[0], args[1])) ? 0 : 1;
		case 'change': {
			const [sandboxFile, out] = args;
			const result = await change(readJson(sandboxFile));
			fs.writeFileSync(out, `${JSON.stringify(result, null, '\t')}\n`);
			process.stdout.write(
				`changed payment ${result.id}: description "${result.description}", lastModifiedDateTime ${result.lastModifiedDateTime}\n`,
			);
			return 0;
		}
		case 'check':
			return (await check(args[0], args[1], readJson(args[2]))) ? 0 : 1;
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
