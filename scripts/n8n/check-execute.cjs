#!/usr/bin/env node
/**
 * Helper of scripts/n8n.sh (execute mode). Checks what
 * `n8n execute --id=bcUpdatePayments --rawOutput` printed:
 *
 *  - the execution finished with status "success";
 *  - the Business Central node returned one item per payment of the pinned data
 *    of examples/update-customer-payments.json (the Code node of
 *    examples/update-customer-payments.n8n.json makes the same items), each with
 *    the new amount and description;
 *  - the sandbox now stores those values, under the eTag the node returned
 *    (read back over HTTP with the sandbox token).
 *
 * Prints one line per payment and a verdict; exits 1 when anything is off.
 * Usage: node scripts/n8n/check-execute.cjs <execute output> <sandbox.json>
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { exitWith, extractRun, nodeItems, runProblems } = require('./executeOutput.cjs');

const ROOT = path.resolve(__dirname, '../..');
const NODE_NAME = 'Update Customer Payment';

async function main() {
	const [outFile, sandboxFile] = process.argv.slice(2);
	if (!outFile || !sandboxFile) {
		process.stderr.write('usage: node scripts/n8n/check-execute.cjs <execute output> <sandbox.json>\n');
		return 2;
	}
	const sandbox = JSON.parse(fs.readFileSync(sandboxFile, 'utf8'));
	const example = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'examples/update-customer-payments.json'), 'utf8'),
	);
	const expected = Object.values(example.pinData ?? {})[0] ?? [];
	const companyId = example.nodes.find((node) => node.name === NODE_NAME)?.parameters?.company?.value;
	const problems = [];
	const say = (line) => process.stdout.write(`${line}\n`);

	const run = extractRun(fs.readFileSync(outFile, 'utf8'));
	if (!run) {
		say('check: n8n printed no execution result (no JSON document in its output)');
		return 1;
	}
	problems.push(...runProblems(run));
	const items = nodeItems(run, NODE_NAME);
	if (items.length !== expected.length) {
		problems.push(`"${NODE_NAME}" returned ${items.length} item(s), expected ${expected.length}`);
	}

	say(`check: "${NODE_NAME}" returned ${items.length} item(s); the sandbox holds:`);
	for (const [index, want] of expected.entries()) {
		const got = items.find((item) => item.json?.id === want.json.paymentId)?.json;
		if (!got) {
			problems.push(`no output item for payment ${want.json.paymentId}`);
			continue;
		}
		const url = `${sandbox.baseUrl}/companies(${companyId})/customerPayments(${want.json.paymentId})`;
		const response = await fetch(url, { headers: { Authorization: `Bearer ${sandbox.token}` } });
		const stored = response.ok ? await response.json() : undefined;
		const outputOk = got.amount === want.json.amount && got.description === want.json.description;
		const storedOk =
			stored !== undefined &&
			stored.amount === want.json.amount &&
			stored.description === want.json.description &&
			stored['@odata.etag'] === got['@odata.etag'];
		if (!outputOk) problems.push(`item ${index}: the node's output does not carry the new values`);
		if (!storedOk) problems.push(`item ${index}: the sandbox does not hold the new values (GET ${response.status})`);
		const before = got.previousValues ?? {};
		say(
			`  item ${index} → payment ${got.documentNumber} (customer ${got.customerNumber}): ` +
				`amount ${before.amount} → ${stored?.amount}, description "${before.description}" → "${stored?.description}", ` +
				`eTag ${stored?.['@odata.etag']} [${outputOk && storedOk ? 'OK' : 'MISMATCH'}]`,
		);
	}

	if (problems.length > 0) {
		for (const problem of problems) say(`check FAILED: ${problem}`);
		return 1;
	}
	const seconds = (Date.parse(run.stoppedAt) - Date.parse(run.startedAt)) / 1000;
	say(
		`check PASSED: ${items.length} customer payments updated by n8n (mode ${run.mode}, ` +
			`status ${run.status}, workflow run ${seconds.toFixed(2)} s) and stored in the sandbox`,
	);
	return 0;
}

exitWith(main);
