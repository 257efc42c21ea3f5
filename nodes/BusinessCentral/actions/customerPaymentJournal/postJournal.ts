import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import {
	errorDetails,
	failureFrom,
	toNodeApiError,
	type BcErrorDetails,
} from '../../transport/errors';
import { bcRequest, type BcResponse } from '../../transport/request';
import { isUnclearWriteAnswer } from '../../transport/unclear';
import {
	describeLine,
	lineOutput,
	readJournalCode,
	readJournalLines,
	totalCents,
	type JournalLine,
	type JournalTarget,
} from './journalLines';
import { guardProblem, type PostGuard } from './postGuard';

/**
 * Post of a customer payment journal: read the journal and every line, check the guard
 * (postGuard.ts), POST `journals(id)/Microsoft.NAV.post` once, and settle an unclear answer
 * by re-reading the lines — never by posting again (docs/reliability.md, "Post").
 */

const ALL_OR_NOTHING =
	'Nothing was posted: Business Central posts a journal in one transaction, all lines or none.';

/** What one journal's Post reports to each of its items. */
export interface PostedJournal extends IDataObject {
	journalId: string;
	journalCode: string;
	posted: true;
	lineCount: number;
	totalAmount: number;
	lines: IDataObject[];
}

function postedJournal(target: JournalTarget, code: string, lines: JournalLine[]): PostedJournal {
	return {
		journalId: target.journalId,
		journalCode: code,
		posted: true,
		lineCount: lines.length,
		totalAmount: totalCents(lines) / 100,
		lines: lines.map(lineOutput),
	};
}

/** An error of Post's own (refused, not posted, outcome unknown), with evidence for a person to check. */
function postError(
	context: IExecuteFunctions,
	details: BcErrorDetails,
	about: { action: string; itemIndex: number; hint: string; evidence?: IDataObject },
): NodeApiError {
	const error = toNodeApiError(context.getNode(), details, about);
	error.description = `${about.hint} Code: ${details.code}.`;
	const businessCentral = error.context.businessCentral as IDataObject;
	if (about.evidence) businessCentral.evidence = about.evidence;
	return error;
}

/** What a person needs to tell which lines these are: the summary of each and its eTag. */
function linesEvidence(lines: JournalLine[]): IDataObject[] {
	return lines.map((line) => ({ ...lineOutput(line), eTag: line.eTag }));
}

/** Business Central's refusal to post, with a hint for the usual causes; posting is atomic, so nothing was posted. */
function postingHint(details: BcErrorDetails): string | undefined {
	const message = details.message;
	if (/nothing to post/i.test(message)) {
		return `The journal holds no lines to post (another run or user may have posted it already). ${ALL_OR_NOTHING}`;
	}
	if (/out of balance/i.test(message)) {
		return `The lines of each document number and posting date must add up to 0 when the journal has no balancing account: give the journal a balancing account, or add the balancing lines. ${ALL_OR_NOTHING}`;
	}
	if (/allowed posting dates/i.test(message)) {
		return `A line's posting date is outside the allowed posting dates ("Allow Posting From/To" in General Ledger Setup or User Setup). Change the line's Posting Date (Customer Payment → Update) or the allowed range, then post again. ${ALL_OR_NOTHING}`;
	}
	if (/must have a value|cannot be zero or empty/i.test(message)) {
		return `A line lacks a value Business Central needs to post it (the field and Line No. are in the message): set it with Customer Payment → Update, then post again. ${ALL_OR_NOTHING}`;
	}
	if (/Cust\. Ledger Entry/i.test(message)) {
		return `A line's applies-to invoice is not an open invoice of that customer (already paid, or another customer's): correct or clear Applies-to Invoice on that line, then post again. ${ALL_OR_NOTHING}`;
	}
	if (details.httpStatus === 404 || /cannot be found/i.test(message)) {
		return 'The journal was not found: it may have been deleted, or the ID is not a journal of this company. Nothing was posted.';
	}
	if (
		details.httpStatus >= 400 &&
		details.httpStatus < 500 &&
		details.code.startsWith('Application_')
	) {
		return `Business Central refused to post the journal: fix what the message names, then post again. ${ALL_OR_NOTHING}`;
	}
	return undefined;
}

/** Reads the journal and its lines, and refuses (nothing posted) when the guard does not hold. */
async function linesToPost(
	context: IExecuteFunctions,
	target: JournalTarget,
	guard: PostGuard,
	itemIndex: number,
): Promise<{ code: string; lines: JournalLine[] }> {
	const code = await readJournalCode(context, target, itemIndex);
	const lines = await readJournalLines(context, target, itemIndex);
	const action = `Posting journal ${code} (${target.journalId})`;
	if (lines.length === 0) {
		throw postError(
			context,
			{
				httpStatus: 0,
				code: 'NothingToPost',
				message: 'the journal holds no lines: there is nothing to post',
			},
			{
				action,
				itemIndex,
				hint: 'Nothing was sent. Add the payment lines first (Customer Payment → Create), or check whether another run already posted them.',
			},
		);
	}
	const problem = guardProblem(guard, lines);
	if (problem) {
		throw postError(
			context,
			{ httpStatus: 0, code: 'PostRefused', message: problem.message },
			{ action, itemIndex, hint: problem.hint, evidence: problem.evidence },
		);
	}
	return { code, lines };
}

/**
 * Posts one journal for the items in `itemIndex`'s group: guard, one POST, and on an
 * unclear answer a re-read that decides posted / not posted / outcome unknown.
 */
export async function postJournal(
	context: IExecuteFunctions,
	target: JournalTarget,
	guard: PostGuard,
	itemIndex: number,
): Promise<PostedJournal> {
	const { code, lines } = await linesToPost(context, target, guard, itemIndex);
	const action = `Posting journal ${code} (${target.journalId})`;
	const response = await bcRequest.call(
		context,
		{
			method: 'POST',
			url: `companies(${target.companyId})/journals(${target.journalId})/Microsoft.NAV.post`,
		},
		target.policy,
	);
	const status = response.statusCode;
	if (status === 204) return postedJournal(target, code, lines);
	if (isUnclearWriteAnswer(response) || (status >= 200 && status < 300)) {
		return await settleUnclearPost(context, { target, code, lines, response, action }, itemIndex);
	}
	const hint = postingHint(errorDetails(response));
	throw failureFrom(context.getNode(), response, { action, itemIndex, hint });
}

interface UnclearPost {
	target: JournalTarget;
	code: string;
	/** The lines read just before the POST: what it posted if it ran. */
	lines: JournalLine[];
	response: BcResponse;
	action: string;
}

function unchanged(before: JournalLine[], now: JournalLine[]): boolean {
	const eTags = new Map(now.map((line) => [line.id, line.eTag]));
	return now.length === before.length && before.every((line) => eTags.get(line.id) === line.eTag);
}

/**
 * After an answer that does not say whether the journal was posted: re-read its lines.
 * Every line we posted gone → posted (Business Central deletes the lines it posts, in the
 * same transaction). The same lines with the same eTags → not posted, reported, not sent
 * again (a Post whose answer was lost may still be running: a second one could post lines
 * that arrive meanwhile). Anything else → outcome unknown, with both readings.
 */
async function settleUnclearPost(
	context: IExecuteFunctions,
	post: UnclearPost,
	itemIndex: number,
): Promise<PostedJournal> {
	const answer = errorDetails(post.response);
	const said = post.response.statusCode ? `HTTP ${post.response.statusCode}` : answer.message;
	const before = linesEvidence(post.lines);
	let now: JournalLine[];
	try {
		now = await readJournalLines(context, post.target, itemIndex);
	} catch (error) {
		throw postError(
			context,
			{
				httpStatus: answer.httpStatus,
				code: 'PostOutcomeUnknown',
				message: `no clear answer (${said}), and re-reading the journal failed too (${(error as Error).message}): it may or may not have been posted`,
			},
			{
				action: post.action,
				itemIndex,
				hint: 'It was not sent again. Check the journal (Customer Payment → Get Many) and the customer ledger before running this item again.',
				evidence: { linesBefore: before },
			},
		);
	}
	const ids = new Set(now.map((line) => line.id));
	if (post.lines.every((line) => !ids.has(line.id))) {
		return postedJournal(post.target, post.code, post.lines);
	}
	if (unchanged(post.lines, now) && post.response.statusCode === 202) {
		// 202 Accepted: Business Central took the Post to run later; unchanged lines say nothing yet.
		throw postError(
			context,
			{
				httpStatus: answer.httpStatus,
				code: 'PostOutcomeUnknown',
				message: `Business Central accepted the Post for later (HTTP 202); re-reading shows all ${post.lines.length} line(s) still in the journal: it may still be posted`,
			},
			{
				action: post.action,
				itemIndex,
				hint: 'It was not sent again. Wait, then check the journal (Customer Payment → Get Many) and the customer ledger before running this item again: running it now could post the lines twice.',
				evidence: { linesBefore: before, linesNow: linesEvidence(now) },
			},
		);
	}
	if (unchanged(post.lines, now)) {
		throw postError(
			context,
			{
				httpStatus: answer.httpStatus,
				code: 'PostNotApplied',
				message: `no clear answer (${said}); re-reading shows all ${post.lines.length} line(s) still in the journal, unchanged: it was not posted`,
			},
			{
				action: post.action,
				itemIndex,
				hint: 'The Post was not sent again (an answer that never came may belong to a Post still running). Check the journal, then run this item again to post it.',
				evidence: { linesBefore: before, linesNow: linesEvidence(now) },
			},
		);
	}
	const gone = post.lines.filter((line) => !ids.has(line.id)).map(describeLine);
	throw postError(
		context,
		{
			httpStatus: answer.httpStatus,
			code: 'PostOutcomeUnknown',
			message: `no clear answer (${said}), and the journal's lines changed in a way a Post does not explain (${gone.length} of ${post.lines.length} line(s) gone, others still there or changed): it may or may not have been posted`,
		},
		{
			action: post.action,
			itemIndex,
			hint: 'It was not sent again. Compare "linesBefore" and "linesNow" with the customer ledger before running this item again.',
			evidence: { linesBefore: before, linesNow: linesEvidence(now) },
		},
	);
}
