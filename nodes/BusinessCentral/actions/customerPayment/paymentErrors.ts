import type { INode, NodeApiError } from 'n8n-workflow';

import { errorDetails, hintFor, toNodeApiError } from '../../transport/errors';
import type { BcResponse } from '../../transport/request';

export interface FailureContext {
	/** "Deleting customer payment <id>", "Creating a customer payment in journal <id>", … */
	action: string;
	itemIndex: number;
	/** Appended to Business Central's message. */
	note?: string;
	/** Replaces the generic hint for the status (e.g. one that speaks of deleting, not updating). */
	hint?: string;
}

/** Business Central's failure as a NodeApiError (code, message, field, CorrelationId kept). */
export function paymentFailure(node: INode, response: BcResponse, context: FailureContext): NodeApiError {
	const details = errorDetails(response);
	const generic = hintFor(details);
	if (context.note) details.message = `${details.message} ${context.note}`;
	const error = toNodeApiError(node, details, { action: context.action, itemIndex: context.itemIndex });
	if (context.hint && typeof error.description === 'string') {
		error.description = error.description.replace(generic, context.hint);
	}
	return error;
}
