#!/usr/bin/env node
/**
 * Helper of scripts/n8n.sh (execute mode). Checks what
 * `n8n execute --id=bcGetManyPayments --rawOutput` printed for
 * examples/get-many-customer-payments.json (Get Many, one journal, Return All,
 * posting dates in February 2024):
 *
 *  - the execution finished with status "success";
 *  - the node returned exactly the journal's payments the sandbox holds for
 *    those dates (read over HTTP with the sandbox token, following nextLink),
 *    each with its current @odata.etag.
 *
 * Usage: node scripts/n8n/check-get-many.cjs <execute output> <sandbox.json>
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { exitWith, extractRun, nodeItems, runProblems } = require('./executeOutput.cjs');

const ROOT = path.resolve(__dirname, '../..');
const NODE_NAME = 'Get Many Customer Payments';

async function sandboxPayments(sandbox, companyId, journalId, from, to) {
	const filter = `journalId eq ${journalId} and postingDate ge ${from} and postingDate le ${to}`;
	let url = `${sandbox.baseUrl}/companies(${companyId})/customerPayments?$filter=${encodeURIComponent(filter)}`;
	const records = [];
	while (url) {
		const response = await fetch(url, { headers: { Authorization: `Bearer ${sandbox.token}` } });
		if (!response.ok) throw new Error(`the sandbox answered ${response.status} to ${url}`);
		const page = await response.json();
		records.push(...page.value);
		url = page['@odata.nextLink'];
	}
	return records;
}

async function main() {
	const [outFile, sandboxFile] = process.argv.slice(2);
	if (!outFile || !sandboxFile) {
		process.stderr.write('usage: node scripts/n8n/check-get-many.cjs <execute output> <sandbox.json>\n');
		return 2;
	}
	const say = (line) => process.stdout.write(`${line}\n`);
	const sandbox = JSON.parse(fs.readFileSync(sandboxFile, 'utf8'));
	const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/get-many-customer-payments.json'), 'utf8'));
	const parameters = example.nodes.find((node) => node.name === NODE_NAME).parameters;
	const run = extractRun(fs.readFileSync(outFile, 'utf8'));
	if (!run) {
		say('check: n8n printed no execution result (no JSON document in its output)');
		return 1;
	}
	const problems = runProblems(run);
	const items = nodeItems(run, NODE_NAME);
	const expected = await sandboxPayments(
		sandbox,
		parameters.company.value,
		parameters.journal.value,
		parameters.filters.postingDateFrom,
		parameters.filters.postingDateTo,
	);
	const got = new Map(items.map((item) => [item.json?.id, item.json]));
	if (items.length !== expected.length) {
		problems.push(`"${NODE_NAME}" returned ${items.length} item(s); the sandbox holds ${expected.length}`);
	}
	for (const record of expected) {
		const item = got.get(record.id);
		if (!item) problems.push(`payment ${record.documentNumber} (${record.id}) is missing from the output`);
		else if (item['@odata.etag'] !== record['@odata.etag']) problems.push(`payment ${record.documentNumber}: eTag differs`);
	}
	say(`check: "${NODE_NAME}" returned ${items.length} payment(s) posted ${parameters.filters.postingDateFrom} … ${parameters.filters.postingDateTo}: ${items.map((item) => item.json.documentNumber).join(', ')}`);
	if (problems.length > 0) {
		for (const problem of problems) say(`check FAILED: ${problem}`);
		return 1;
	}
	say(`check PASSED: the same ${expected.length} payments, with their current eTags, as the sandbox holds (mode ${run.mode}, status ${run.status})`);
	return 0;
}

exitWith(main);
