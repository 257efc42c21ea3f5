import { isAmbiguous, type BcResponse } from './request';

/**
 * Answers to a write after which nobody can tell whether Business Central
 * applied it: no answer (dropped, Timeout, an answer that is not HTTP), 408,
 * 502, 504 (see `isAmbiguous`) and 500 — a server error can come after the
 * change was committed (the answer failed to serialise, a proxy in front of
 * Business Central broke). Such a write is verified by re-reading the record
 * (Update, Delete) or reported as "may or may not have been created"
 * (Create), never re-sent blindly. A 2xx whose body is not the record is
 * unclear too; the caller sees that when it checks the body.
 */
export function isUnclearWriteAnswer(response: BcResponse): boolean {
	return isAmbiguous(response) || response.statusCode === 500;
}
