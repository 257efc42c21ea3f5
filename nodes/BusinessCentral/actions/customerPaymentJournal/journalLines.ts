import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { customerPaymentJournal } from '../../entities/customerPaymentJournal';
import { asText } from '../../entities/entity';
import type { ApiVersion } from '../../helpers/apiBase';
import { listRecords } from '../../operations/listRecords';
import { readRecord, unexpectedAnswer } from '../../operations/records';
import type { RetryPolicy } from '../../transport/request';

/**
 * What Post reads of a journal: the journal itself (its code) and its lines, every page,
 * and how amounts are compared (in cents, as Business Central stores them).
 */

/** The journal a Post works on, and how persistent its requests are (Options → Timeout, Max Retries). */
export interface JournalTarget {
	companyId: string;
	journalId: string;
	version: ApiVersion;
	policy: RetryPolicy;
}

/** One line of the journal as Post reports it; `eTag` tells a line changed since it was read. */
export interface JournalLine {
	id: string;
	documentNumber: string;
	customerNumber: string;
	amount: number;
	appliesToInvoiceNumber: string;
	eTag: string;
}

/**
 * An amount in whole cents, rounded half away from zero: Business Central stores amounts at
 * the currency's precision (0.01 by default), so -1500.004 and -1500.00 are the same amount
 * there. The small epsilon absorbs binary doubles such as 0.285 * 100 = 28.499999….
 */
export function toCents(amount: number): number {
	return Math.sign(amount) * Math.round(Math.abs(amount) * 100 + 1e-7);
}

/** The sum of the lines' amounts, in cents. */
export function totalCents(lines: JournalLine[]): number {
	return lines.reduce((sum, line) => sum + toCents(line.amount), 0);
}

function toLine(record: IDataObject): JournalLine {
	return {
		id: asText(record.id).toLowerCase(),
		documentNumber: asText(record.documentNumber),
		customerNumber: asText(record.customerNumber),
		amount: typeof record.amount === 'number' ? record.amount : Number(record.amount ?? 0),
		appliesToInvoiceNumber: asText(record.appliesToInvoiceNumber),
		eTag: asText(record['@odata.etag']),
	};
}

/** Every line of the journal (all pages: a guard that saw only the first page would be no guard). */
export async function readJournalLines(
	context: IExecuteFunctions,
	target: JournalTarget,
	itemIndex: number,
): Promise<JournalLine[]> {
	const records = await listRecords(
		context,
		customerPayment,
		target.version,
		{ companyId: target.companyId, parentId: target.journalId, conditions: [] },
		{ itemIndex, policy: target.policy },
	);
	const lines = records.map(toLine);
	// A line listed twice (a next link that repeats rows under a new $skiptoken) would pass
	// "exactly the expected payments" and miscount Count and Total: such a reading is no guard.
	const other = records.find(
		(record) =>
			record.journalId !== undefined &&
			asText(record.journalId).toLowerCase() !== target.journalId.toLowerCase(),
	);
	if (other) {
		// an answer that ignored the journal filter: counting its lines would guard another journal
		throw unexpectedAnswer(context.getNode(), {
			message: `Reading the lines of journal ${target.journalId} failed: Business Central answered with line ${asText(other.id)} of journal ${asText(other.journalId)}`,
			problem: 'a line of another journal',
			itemIndex,
			description:
				"The answer does not hold only this journal's lines, so it cannot tell what the journal holds. Nothing was posted on the strength of it.",
		});
	}
	const seen = new Set<string>();
	for (const line of lines) {
		if (seen.has(line.id)) {
			throw unexpectedAnswer(context.getNode(), {
				message: `Reading the lines of journal ${target.journalId} failed: Business Central listed line ${line.id} more than once`,
				problem: 'a journal line listed twice',
				itemIndex,
				description:
					'The pages of the journal repeat a line, so this reading cannot tell what the journal holds. Nothing was posted on the strength of it; try again later.',
			});
		}
		seen.add(line.id);
	}
	return lines;
}

/** The journal's code; a journal that is not a customer payment journal (or none) fails here, before any write. */
export async function readJournalCode(
	context: IExecuteFunctions,
	target: JournalTarget,
	itemIndex: number,
): Promise<string> {
	const journal = await readRecord(
		context,
		customerPaymentJournal,
		{ companyId: target.companyId, id: target.journalId },
		itemIndex,
		target.policy,
	);
	return asText(journal.code);
}

/** A line as output and in messages: what a person recognises it by (no eTag). */
export function lineOutput(line: JournalLine): IDataObject {
	return {
		id: line.id,
		documentNumber: line.documentNumber,
		customerNumber: line.customerNumber,
		amount: line.amount,
		appliesToInvoiceNumber: line.appliesToInvoiceNumber,
	};
}

/** "document no. · customer · amount · id" of a line, for messages. */
export function describeLine(line: JournalLine): string {
	return [
		line.documentNumber || '(no document no.)',
		line.customerNumber || '(no customer)',
		String(line.amount),
		line.id,
	].join(' · ');
}
