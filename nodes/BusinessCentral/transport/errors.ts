import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { bcErrorSchema } from '../helpers/schemas';
import type { BcResponse } from './request';

/** What Business Central said about a failed request, ready for an error or an error item. */
export interface BcErrorDetails {
	httpStatus: number;
	code: string;
	message: string;
	field?: string;
	correlationId?: string;
}

/**
 * The property a message names in quotes (`The "customerId" does not match…`,
 * `…field 'description'…`): Business Central's API property names are lowerCamelCase
 * words, so a quoted word of that shape is taken as the field, whatever the entity.
 */
function fieldInMessage(message: string): string | undefined {
	for (const match of message.matchAll(/["'“]([a-z][A-Za-z]*)["'”]/g)) return match[1];
	return undefined;
}

function statusText(status: number): string {
	if (status === 0) return 'no answer';
	return `HTTP ${status}`;
}

/** Reads Business Central's `{ error: { code, message } }` (or whatever came instead). */
export function errorDetails(response: BcResponse): BcErrorDetails {
	const parsed = bcErrorSchema.safeParse(response.body);
	if (parsed.success) {
		const { code, message } = parsed.data.error;
		const correlationId = /CorrelationId:\s*([0-9a-fA-F-]{36})/.exec(message)?.[1];
		const text = message.replace(/\s*CorrelationId:\s*[0-9a-fA-F-]{36}\.?\s*$/, '').trim();
		return {
			httpStatus: response.statusCode,
			code,
			message: text,
			field: fieldInMessage(text),
			correlationId,
		};
	}
	if (response.networkError) {
		return { httpStatus: 0, code: 'NetworkError', message: response.networkError };
	}
	const body = typeof response.body === 'string' ? response.body : '';
	const snippet = body
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 200);
	return {
		httpStatus: response.statusCode,
		code: 'Unknown',
		message: snippet
			? `Unexpected answer from Business Central (${statusText(response.statusCode)}): ${snippet}`
			: `Unexpected answer from Business Central (${statusText(response.statusCode)})`,
	};
}

/** What the user can do about it, per status / Business Central error code. */
export function hintFor(details: BcErrorDetails): string {
	const { httpStatus, code } = details;
	if (code === 'BadRequest_InvalidToken') {
		return 'The request carried no valid If-Match eTag. Leave the "eTag" option empty so the node reads the current eTag, or map the "@odata.etag" of a previous step.';
	}
	if (httpStatus === 409 || httpStatus === 412 || code === 'Request_EntityChanged') {
		return 'The record was changed by someone else after it was read, so the update was not applied. Read it again and retry, or set "On eTag Conflict" to "Fetch Latest and Retry Once".';
	}
	switch (httpStatus) {
		case 0:
			return 'Business Central did not answer (connection dropped or timed out). Check the API base URL and network; the node re-read the record where it could to avoid a double update.';
		case 400:
			return details.field
				? `Business Central refused the value of "${details.field}". Check that field.`
				: 'Business Central refused the request. Check the values sent.';
		case 401:
			return 'The access token was rejected: it may have expired (tokens last about an hour), or be for another tenant or resource. Check the credential; for unattended runs use the Business Central OAuth2 API credential, which renews tokens.';
		case 403:
			return 'The user or app has no permission. In Business Central open "Microsoft Entra applications", check the app is Enabled and has permission sets for the records this node reads and writes (e.g. D365 BUS FULL ACCESS).';
		case 404:
			return 'The company or record was not found: it may have been deleted or posted, or the environment name or company is wrong.';
		case 408:
		case 504:
			return 'Business Central timed out. Try again later or with fewer items.';
		case 413:
			return 'The request or page was too large for Business Central. Use fewer items per run.';
		case 429:
			return 'Business Central throttled the requests (at most 6,000 requests per 5 minutes and 5 at once per user). The node waited and retried; try again later or raise "Max Retries".';
		default:
			return httpStatus >= 500
				? 'Business Central is unavailable right now. Try again later.'
				: "See Business Central's message above.";
	}
}

/** A NodeApiError carrying Business Central's code and message, the status and a hint. */
export function toNodeApiError(
	node: INode,
	details: BcErrorDetails,
	context: { action: string; itemIndex?: number },
): NodeApiError {
	const parts = [hintFor(details), `Code: ${details.code}.`];
	if (details.field) parts.push(`Field: ${details.field}.`);
	if (details.correlationId) parts.push(`CorrelationId: ${details.correlationId}.`);
	const error = new NodeApiError(
		node,
		{ code: details.code, message: details.message } as JsonObject,
		{
			message: `${context.action} failed: ${details.message}`,
			description: parts.join(' '),
			httpCode: details.httpStatus ? String(details.httpStatus) : undefined,
			itemIndex: context.itemIndex,
		},
	);
	error.context.businessCentral = { ...details };
	return error;
}

/** What a failure was about, for `failureFrom`. */
export interface FailureContext {
	/** "Deleting customer payment <id>", "Creating a customer payment in journal <id>", … */
	action: string;
	itemIndex?: number;
	/** Appended to Business Central's message. */
	note?: string;
	/** Replaces the generic hint for the status (e.g. one that speaks of deleting, not updating). */
	hint?: string;
}

/** Business Central's failure as a NodeApiError (code, message, field, CorrelationId kept), with a note or its own hint. */
export function failureFrom(node: INode, response: BcResponse, context: FailureContext): NodeApiError {
	const details = errorDetails(response);
	const generic = hintFor(details);
	if (context.note) details.message = `${details.message} ${context.note}`;
	const error = toNodeApiError(node, details, { action: context.action, itemIndex: context.itemIndex });
	if (context.hint && typeof error.description === 'string') {
		error.description = error.description.replace(generic, context.hint);
	}
	return error;
}
