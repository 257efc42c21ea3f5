#!/usr/bin/env node
/**
 * Helper of scripts/n8n.sh. Reads what the sandbox CLI printed (its log file)
 * and writes the files that `n8n import:credentials` and `n8n import:workflow`
 * take:
 *
 *   <outDir>/credentials.json  the bearer credential the examples use
 *                              (id bcSandboxToken) and an OAuth2 client
 *                              credentials one (id bcSandboxOAuth2), both
 *                              pointing at the sandbox; plain JSON, n8n
 *                              encrypts `data` on import
 *   <outDir>/workflows.json    every example with a fixed workflow id
 *   <outDir>/sandbox.json      the parsed sandbox facts (for check-execute.cjs)
 *
 * Usage: node scripts/n8n/prepare.cjs <sandbox.log> <outDir>
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** Workflow ids in n8n (at most 21 characters, see n8n's isWorkflowIdValid). */
const WORKFLOWS = [
	// Runs headless with `n8n execute` (its input comes from a Code node).
	{ id: 'bcUpdatePayments', file: 'examples/update-customer-payments.n8n.json' },
	// The in-process demo's workflow; its pinned data is used by manual runs in the editor only.
	{ id: 'bcUpdatePaymentsPinned', file: 'examples/update-customer-payments.json' },
	// The README's main job: bank lines → payments applied to invoices → Post (journal STATEMENT,
	// seeded empty, so Post finds only this run's lines).
	{ id: 'bcCashReceipts', file: 'examples/cash-receipts.json' },
	// One example per other operation (run them from the editor).
	{ id: 'bcGetPayment', file: 'examples/get-customer-payment.json' },
	{ id: 'bcGetManyPayments', file: 'examples/get-many-customer-payments.json' },
	{ id: 'bcCreatePayment', file: 'examples/create-customer-payment.json' },
	{ id: 'bcDeletePayment', file: 'examples/delete-customer-payment.json' },
];

function parseSandboxLog(text) {
	const field = (label) => {
		const match = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(text);
		if (!match) throw new Error(`the sandbox did not print "${label}"`);
		return match[1];
	};
	return {
		baseUrl: field('API v2\\.0'),
		tokenUrl: field('token URL'),
		tenantId: field('tenant'),
		environment: field('environment'),
		token: field('static token'),
		clientId: field('client id'),
		clientSecret: field('client secret'),
		companyId: field('company'),
		journalId: field('journal'),
	};
}

function main() {
	const [logFile, outDir] = process.argv.slice(2);
	if (!logFile || !outDir) {
		process.stderr.write('usage: node scripts/n8n/prepare.cjs <sandbox.log> <outDir>\n');
		process.exit(2);
	}
	const sandbox = parseSandboxLog(fs.readFileSync(logFile, 'utf8'));
	fs.mkdirSync(outDir, { recursive: true });

	const credentials = [
		{
			id: 'bcSandboxToken',
			name: 'Business Central sandbox (bearer)',
			type: 'businessCentralApi',
			data: {
				accessToken: sandbox.token,
				deployment: 'custom',
				customBaseUrl: sandbox.baseUrl,
			},
		},
		{
			id: 'bcSandboxOAuth2',
			name: 'Business Central sandbox (OAuth2 client credentials)',
			type: 'businessCentralOAuth2Api',
			data: {
				// What the editor stores: the visible fields only; the hidden
				// ones (grant type, access token URL, scope) keep their defaults.
				tenantId: sandbox.tenantId,
				entraEndpoint: 'custom',
				customTokenUrl: sandbox.tokenUrl,
				clientId: sandbox.clientId,
				clientSecret: sandbox.clientSecret,
				deployment: 'custom',
				customBaseUrl: sandbox.baseUrl,
			},
		},
	];

	const workflows = WORKFLOWS.map(({ id, file }) => {
		const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
		return { ...workflow, id, active: false };
	});
	// Get Many once more with the OAuth2 credential: the real n8n fetches the
	// token from the sandbox's token endpoint (client credentials grant) itself.
	const getMany = workflows.find((workflow) => workflow.id === 'bcGetManyPayments');
	workflows.push({
		...getMany,
		id: 'bcGetManyOAuth2',
		name: `${getMany.name} (OAuth2 client credentials)`,
		nodes: getMany.nodes.map((node) =>
			node.type.endsWith('.businessCentral')
				? {
						...node,
						parameters: { ...node.parameters, authentication: 'oAuth2' },
						credentials: {
							businessCentralOAuth2Api: { id: 'bcSandboxOAuth2', name: credentials[1].name },
						},
					}
				: node,
		),
	});

	const write = (name, value) =>
		fs.writeFileSync(path.join(outDir, name), `${JSON.stringify(value, null, '\t')}\n`, {
			mode: 0o600,
		});
	write('credentials.json', credentials);
	write('workflows.json', workflows);
	write('sandbox.json', sandbox);
	process.stdout.write(
		`Prepared ${credentials.length} credentials (${credentials.map((c) => c.id).join(', ')}) ` +
			`and ${workflows.length} workflows (${workflows.map((w) => w.id).join(', ')}) in ${path.relative(process.cwd(), outDir) || '.'}\n`,
	);
}

main();
