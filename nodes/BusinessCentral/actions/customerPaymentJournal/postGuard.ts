import type { IDataObject } from 'n8n-workflow';

import { describeLine, lineOutput, toCents, totalCents, type JournalLine } from './journalLines';

/**
 * When Post may post: Business Central posts every line of the batch, whoever entered it,
 * so by default the journal must hold exactly what the workflow expects.
 * - `expectedPayments`: exactly the payment ids of the input items (no other line, none missing);
 * - `countAndTotal`: exactly this many lines with this total (in cents, as stored);
 * - `always`: whatever the journal holds.
 */
export type PostGuard =
	| { postWhen: 'expectedPayments'; paymentIds: string[] }
	| { postWhen: 'countAndTotal'; lineCount: number; totalAmount: number }
	| { postWhen: 'always' };

export type PostWhen = PostGuard['postWhen'];

/** Why the journal may not be posted: the message, what to do, and the lines at issue. */
export interface GuardProblem {
	message: string;
	hint: string;
	evidence: IDataObject;
}

const NOTHING_SENT = 'Nothing was posted.';

/** How many lines the short message names before "and N more" (the full list is in the description). */
const NAMED_IN_MESSAGE = 3;

/** "A, B, C and 7 more": the first few names, short enough for n8n's error toast. */
export function firstFew(names: string[]): string {
	const shown = names.slice(0, NAMED_IN_MESSAGE);
	const more = names.length - shown.length;
	if (more > 0) return `${shown.join(', ')} and ${more} more`;
	if (shown.length < 2) return shown.join('');
	return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function expectedPaymentsProblem(
	paymentIds: string[],
	lines: JournalLine[],
): GuardProblem | undefined {
	const expected = new Set(paymentIds.map((id) => id.toLowerCase()));
	const present = new Set(lines.map((line) => line.id));
	const foreign = lines.filter((line) => !expected.has(line.id));
	const missing = [...expected].filter((id) => !present.has(id));
	if (foreign.length === 0 && missing.length === 0) return undefined;
	// The message stays short (count and the first document numbers); every line is in the hint.
	const summary = [
		foreign.length
			? `${foreign.length} line(s) the input items do not name (${firstFew(foreign.map((line) => line.documentNumber || line.id))})`
			: undefined,
		missing.length
			? `${missing.length} expected payment(s) not in the journal (${firstFew(missing)})`
			: undefined,
	].filter(Boolean);
	const full = [
		foreign.length ? `Lines the input items do not name: ${foreign.map(describeLine).join('; ')}.` : '',
		missing.length ? `Expected payments not in the journal: ${missing.join(', ')}.` : '',
	].filter(Boolean);
	return {
		message: `the journal does not hold exactly the expected payments: ${summary.join('; ')}`,
		hint: `${NOTHING_SENT} Business Central would post every line of the journal, including lines other users entered. Post or remove the other lines in Business Central, or give this workflow a journal of its own; make sure every expected payment is in this journal (a missing one may have been posted or deleted already); or choose another "Post When". ${full.join(' ')}`,
		evidence: { foreignLines: foreign.map(lineOutput), missingPaymentIds: missing },
	};
}

function countAndTotalProblem(
	guard: { lineCount: number; totalAmount: number },
	lines: JournalLine[],
): GuardProblem | undefined {
	const total = totalCents(lines);
	if (lines.length === guard.lineCount && total === toCents(guard.totalAmount)) return undefined;
	return {
		message: `the journal holds ${lines.length} line(s) totalling ${total / 100}, not the ${guard.lineCount} line(s) totalling ${toCents(guard.totalAmount) / 100} stated`,
		hint: `${NOTHING_SENT} Business Central would post every line of the journal. Check its lines (in "evidence") against what you expected, then correct the journal or the stated Line Count and Total Amount.`,
		evidence: { lines: lines.map(lineOutput), lineCount: lines.length, totalAmount: total / 100 },
	};
}

/** Why the guard refuses these lines, or undefined when the journal may be posted. */
export function guardProblem(guard: PostGuard, lines: JournalLine[]): GuardProblem | undefined {
	switch (guard.postWhen) {
		case 'expectedPayments':
			return expectedPaymentsProblem(guard.paymentIds, lines);
		case 'countAndTotal':
			return countAndTotalProblem(guard, lines);
		default:
			return undefined;
	}
}
