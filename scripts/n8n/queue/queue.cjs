#!/usr/bin/env node
/**
 * Helper of scripts/n8n/queue.sh (npm run n8n -- queue).
 *
 *   workflow <sandbox.json> <out.json> <webhookPath> <maxConcurrency> <maxRetries> [stated|none]
 *       the workflow bcQueueUpdate: Webhook (POST, answers at once) → Split Out
 *       (body.payments) → Business Central: Update customer payment (batched), its
 *       Journal parameter set to the payments' journal (stated, the default) or empty
 *   bodies <payments.json> <runs> <items> <outDir>
 *       one webhook body per run with its own slice of the journal's payments
 *       (disjoint), new amount and description per payment; expected.json
 *   check <reportUrl> <outDir> <executions.tsv> <seconds> <worker log>...
 *       reads what the sandbox applied and which worker ran which execution,
 *       prints the figures; exit 1 when a payment is lost, doubled or wrong, or
 *       an execution did not succeed
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const WORKFLOW_ID = 'bcQueueUpdate';

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
	fs.writeFileSync(file, `${JSON.stringify(value, null, '\t')}\n`, { mode: 0o600 });
}

function node(name, type, typeVersion, x, parameters, extra = {}) {
	return {
		parameters,
		id: `9d3e0c1a-0000-4000-8000-00000000000${x / 220}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		...extra,
	};
}

/** Webhook → Split Out → Update: what a team would build to feed updates from another system. */
function workflow([sandboxFile, outFile, webhookPath, maxConcurrency, maxRetries, journal]) {
	const sandbox = readJson(sandboxFile);
	// Stating the journal lets the node read the eTags of a bulk Update with one listing of
	// the journal (operations/etagReads.ts): ~1 counted operation per update instead of 2.
	const journalValue = journal === 'none' ? '' : sandbox.journalId;
	const nodes = [
		node(
			'Webhook',
			'n8n-nodes-base.webhook',
			2,
			0,
			{
				httpMethod: 'POST',
				path: webhookPath,
				responseMode: 'onReceived',
				options: {},
			},
			{ webhookId: '5b0f3c2e-7a41-4b8e-9c6d-2f1e0a9b8c7d' },
		),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, 220, {
			fieldToSplitOut: 'body.payments',
			options: {},
		}),
		node(
			'Update Customer Payments',
			'n8n-nodes-business-central.businessCentral',
			2,
			440,
			{
				authentication: 'bearerToken',
				resource: 'customerPayment',
				operation: 'update',
				company: { __rl: true, mode: 'id', value: sandbox.companyId },
				journal: { __rl: true, mode: journalValue ? 'id' : 'list', value: journalValue },
				customerPayment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { amount: '={{ $json.amount }}', description: '={{ $json.description }}' },
				options: { maxConcurrency: Number(maxConcurrency), maxRetries: Number(maxRetries) },
			},
			{
				credentials: {
					businessCentralApi: { id: 'bcSandboxToken', name: 'Business Central sandbox (bearer)' },
				},
			},
		),
	];
	const link = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	writeJson(outFile, [
		{
			id: WORKFLOW_ID,
			name: 'Business Central: update customer payments sent to a webhook (queue mode check)',
			active: false,
			nodes,
			connections: { Webhook: link('Split Out'), 'Split Out': link('Update Customer Payments') },
			settings: { executionOrder: 'v1' },
		},
	]);
}

/**
 * Run k gets payments [k·items, (k+1)·items): every payment belongs to exactly one run.
 * Returns the webhook bodies and, per payment id, the run and the values it must end with.
 */
function makeBodies(payments, runs, items) {
	if (payments.length < runs * items) {
		throw new Error(
			`the sandbox journal holds ${payments.length} payments; ${runs} runs × ${items} need ${runs * items}`,
		);
	}
	const expected = {};
	const bodyList = [];
	for (let run = 0; run < runs; run++) {
		const slice = payments.slice(run * items, (run + 1) * items).map((payment, index) => {
			// a value no seed holds: cents from the run and position, so a payment written with
			// another run's or item's value shows up as wrong
			const amount = -(10000 + run * items + index) - 0.37;
			const description = `Queue run ${run + 1} item ${index + 1}`;
			expected[payment.id] = { run: run + 1, amount, description };
			return { paymentId: payment.id, amount, description };
		});
		bodyList.push({ run: run + 1, payments: slice });
	}
	return { bodies: bodyList, expected };
}

function bodies([paymentsFile, runs, items, outDir]) {
	const made = makeBodies(readJson(paymentsFile).payments, Number(runs), Number(items));
	for (const body of made.bodies) writeJson(path.join(outDir, `queue-body-${body.run}.json`), body);
	writeJson(path.join(outDir, 'queue-expected.json'), made.expected);
}

/** `Worker started execution 12 (job 3)` lines of each worker's log → execution id → worker. */
function workersByExecution(logFiles) {
	const byExecution = new Map();
	logFiles.forEach((file, index) => {
		const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
		for (const match of text.matchAll(/Worker started execution (\d+) \(job (\d+)\)/g)) {
			byExecution.set(match[1], { worker: `worker ${index + 1}`, job: match[2] });
		}
	});
	return byExecution;
}

function executionRows(tsvFile) {
	return fs
		.readFileSync(tsvFile, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [id, status, seconds] = line.split('\t');
			return { id, status, seconds: Number(seconds) };
		});
}

function auditPayments(expected, payments, patches) {
	const stored = new Map(payments.map((payment) => [payment.id, payment]));
	const result = { updated: 0, lost: [], doubled: [], wrong: [] };
	for (const [id, want] of Object.entries(expected)) {
		const count = patches[id] ?? 0;
		const got = stored.get(id);
		if (count === 0) result.lost.push(id);
		else if (count > 1) result.doubled.push(`${id} (${count} PATCHes)`);
		if (!got || got.amount !== want.amount || got.description !== want.description) {
			if (count > 0) result.wrong.push(`${id}: ${got?.amount} '${got?.description}'`);
		} else if (count === 1) result.updated++;
	}
	const extra = Object.keys(patches).filter((id) => !(id in expected));
	return { ...result, extra };
}

const say = (line) => process.stdout.write(`${line}\n`);

/** One line per execution; returns the number of executions per worker. */
function printExecutions(executions, workers) {
	const perWorker = {};
	say("Executions (n8n database; worker from the workers' logs):");
	for (const execution of executions) {
		const ran = workers.get(execution.id);
		const worker = ran ? ran.worker : 'no worker';
		perWorker[worker] = (perWorker[worker] ?? 0) + 1;
		const job = ran ? ` (Bull job ${ran.job})` : '';
		say(
			`  execution ${execution.id}: ${execution.status}, ${execution.seconds.toFixed(1)} s, ${worker}${job}`,
		);
	}
	return perWorker;
}

function problemsOf(audit, executions, workers, runs) {
	const problems = [
		...audit.lost.map((id) => `not updated (no PATCH applied): ${id}`),
		...audit.doubled.map((id) => `applied twice: ${id}`),
		...audit.wrong.map((id) => `stored value differs from the input: ${id}`),
		...audit.extra.map((id) => `PATCHed but not in any run: ${id}`),
	];
	for (const execution of executions) {
		if (execution.status !== 'success')
			problems.push(`execution ${execution.id} ended '${execution.status}'`);
		if (!workers.has(execution.id))
			problems.push(`execution ${execution.id} was not run by a worker`);
	}
	if (executions.length !== runs)
		problems.push(`${executions.length} executions for ${runs} webhook calls`);
	return problems;
}

/** The first error message of each failed execution (n8n's execution data, read by queue.sh). */
function firstErrors(errorsFile) {
	if (!fs.existsSync(errorsFile)) return [];
	const messages = [];
	for (const line of fs.readFileSync(errorsFile, 'utf8').split('\n').filter(Boolean)) {
		const tab = line.indexOf('\t');
		const id = line.slice(0, tab);
		const data = line.slice(tab + 1);
		const found =
			/"([^"]{0,300}(?:Too many requests|failed:|Service Unavailable)[^"]{0,400})"/.exec(data);
		messages.push(`execution ${id}: ${found ? found[1] : 'no error message found'}`);
	}
	return messages;
}

function printCounts(stats, audit) {
	const operations =
		stats.requests - stats.batchRequests + stats.batchOperations - stats.tokensIssued;
	say(
		`  requests         ${stats.requests} HTTP requests to the sandbox (${stats.batchRequests} $batch with ${stats.batchOperations} operations; by method ${JSON.stringify(stats.byMethod)})`,
	);
	say(
		`  operations       ${operations} sent (a $batch counts as its operations; the 429-answered ones included, which the 5-minute window did not count)`,
	);
	say(
		`  429s             ${stats.throttled} answered by the sandbox (most requests of the user processed at once: ${stats.maxConcurrentSeen})`,
	);
	say(
		`  payments         not updated ${audit.lost.length}, applied twice ${audit.doubled.length}, wrong value ${audit.wrong.length}, outside the runs ${audit.extra.length}`,
	);
}

async function check([reportUrl, outDir, tsvFile, secondsRaw, ...workerLogs]) {
	const expected = readJson(path.join(outDir, 'queue-expected.json'));
	const report = await (await fetch(`${reportUrl}/report`)).json();
	const { payments } = await (await fetch(`${reportUrl}/payments`)).json();
	const audit = auditPayments(expected, payments, report.patches);
	const executions = executionRows(tsvFile);
	const workers = workersByExecution(workerLogs);
	const perWorker = printExecutions(executions, workers);
	const items = Object.keys(expected).length;
	const runs = new Set(Object.values(expected).map((want) => want.run)).size;
	const { stats } = report;
	const byWorker = Object.entries(perWorker)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([worker, n]) => `${worker}: ${n}, ${(n * items) / runs} items`);
	say('Figures:');
	say(`  executions       ${executions.length} (${byWorker.join('; ')})`);
	say(`  items            ${items} (${audit.updated} updated exactly once with their value)`);
	say(`  wall time        ${secondsRaw} s (first webhook call to last execution finished)`);
	printCounts(stats, audit);
	for (const line of firstErrors(path.join(outDir, 'queue-errors.tsv'))) say(`  error of ${line}`);
	const problems = problemsOf(audit, executions, workers, runs);
	for (const line of problems.slice(0, 20)) say(`  PROBLEM: ${line}`);
	if (problems.length > 20) say(`  ... and ${problems.length - 20} more`);
	say(
		problems.length === 0
			? `PASSED: queue mode, ${runs} executions × ${items / runs} payments on ${Object.keys(perWorker).length} workers: every payment updated exactly once, ${stats.throttled} 429s absorbed, no failed item`
			: `FAILED: ${problems.length} problem(s)`,
	);
	return problems.length === 0 ? 0 : 1;
}

function main() {
	const [command, ...args] = process.argv.slice(2);
	const commands = { workflow, bodies, check };
	if (!commands[command]) {
		process.stderr.write('usage: node scripts/n8n/queue/queue.cjs workflow|bodies|check ...\n');
		process.exit(2);
	}
	Promise.resolve(commands[command](args)).then(
		(code) => process.exit(code ?? 0),
		(error) => {
			process.stderr.write(`queue.cjs ${command}: ${error.message}\n`);
			process.exit(1);
		},
	);
}

// test/queueCheck.sandbox.test.cts checks the bodies and the audit against the sandbox
module.exports = { makeBodies, auditPayments };

if (require.main === module) main();
