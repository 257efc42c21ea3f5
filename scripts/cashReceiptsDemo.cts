/**
 * The second half of `npm run demo`: examples/cash-receipts.json on a fresh sandbox (seed 42)
 * as shipped (its journal STATEMENT starts empty; CASH RCPT holds seeded lines). Prints a summary line per
 * bank line (customer found, invoice matched, payment line, invoice status afterwards) and
 * checks each invoice ended Paid. While this build has no Customer Payment Journal → Post
 * (another branch), it runs the chain up to Create and says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import {
	bankLinesOf,
	exampleTarget,
	expectedInvoice,
	hasJournalPost,
	workflowUpTo,
	type BankLine,
} from '../dev/cashReceipts.cjs';
import { runWorkflow, type WorkflowJson } from '../dev/engine.cjs';
import { sandboxBearerCredentials, startSandbox, type Sandbox } from '../sandbox/index.cjs';

const EXAMPLE = path.resolve(__dirname, '../examples/cash-receipts.json');

function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

/** `invoiceId`: the open invoice the line should pay, found before the run (afterwards it is no longer open). */
function summary(
	sandbox: Sandbox,
	company: string,
	line: BankLine,
	payment: IDataObject | undefined,
	posted: boolean,
	invoiceId: string | undefined,
	checked: IDataObject | undefined,
): boolean {
	const who = line.customerNumber
		? `customer no. ${line.customerNumber}`
		: `"${line.customerName}"`;
	const stored = invoiceId ? sandbox.invoice(company, invoiceId) : undefined;
	const paid = checked?.status === 'Paid' && stored?.status === 'Paid';
	const ok = !!payment && payment.appliesToInvoiceId === invoiceId && (!posted || paid);
	print(
		`  ${line.reference}  ${line.amount.toFixed(2)} from ${who} → ` +
			(payment
				? `customer ${String(payment.customerNumber)}, invoice ${String(payment.appliesToInvoiceNumber)} → payment line ${String(payment.documentNumber)} (${String(payment.amount)})` +
					(posted
						? ` → posted; Check Invoice: ${String(checked?.status)}, ${String(checked?.remainingAmount)} open`
						: ' (not posted: no Post in this build)')
				: 'no customer or open invoice with that amount found') +
			` [${ok ? 'ok' : 'NOT as expected'}]`,
	);
	return ok;
}

export async function cashReceiptsDemo(): Promise<number> {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as WorkflowJson & { name: string };
	const { company, journal } = exampleTarget(workflow);
	const sandbox = await startSandbox({ seed: 42 });
	try {
		const withPost = hasJournalPost();
		print(`\nWorkflow: ${workflow.name} (${path.relative(process.cwd(), EXAMPLE)})`);
		const code = sandbox.journals(company).find((j) => j.id === journal)?.code ?? journal;
		print(
			`Journal ${code} holds ${sandbox.payments(company, journal).length} line(s) before the run: Post takes every line of a journal, so the example uses a journal of its own.`,
		);
		const lines = await bankLinesOf(workflow);
		const toPay = lines.map((line) => expectedInvoice(sandbox, company, line)?.id);
		const run = withPost ? workflow : workflowUpTo(workflow, 'Create Payment Line');
		const result = await runWorkflow(run, { credentials: sandboxBearerCredentials(sandbox) });
		const failed = run.nodes.map((node) => result.error(node.name)).find(Boolean) ?? result.error();
		if (failed)
			throw new Error(`The workflow failed: ${failed.message} ${String(failed.description ?? '')}`);
		// a payment line carries its bank line's reference as document number (upper-cased: a Code field)
		const payments = result.output('Create Payment Line').map((item) => item.json);
		const paymentOf = (line: BankLine) =>
			payments.find((payment) => payment.documentNumber === line.reference.toUpperCase());
		print(`\nSummary per bank line (${lines.length})`);
		const checked = result.output('Check Invoice').map((item) => item.json);
		const ok = lines.map((line, index) => {
			const invoice = checked.find((record) => record.id === toPay[index]);
			return summary(sandbox, company, line, paymentOf(line), withPost, toPay[index], invoice);
		});
		const postings = sandbox.postings.length;
		print(
			withPost
				? `\n${postings} posting run, journal now holds ${sandbox.payments(company, journal).length} line(s); ${sandbox.stats.requests} request(s) to Business Central.`
				: '\nCustomer Payment Journal → Post is not in this build: the journal keeps the new lines.',
		);
		return ok.every(Boolean) && (!withPost || postings === 1) ? 0 : 1;
	} finally {
		await sandbox.close();
	}
}
