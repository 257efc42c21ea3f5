import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InputValidationError } from './validation';

/** Errors from an item get the item index; bad input becomes a NodeOperationError naming field and value. */
export function itemError(node: INode, error: Error, itemIndex: number): Error {
	if (error instanceof InputValidationError) {
		const wrapped = new NodeOperationError(node, `${error.message} (item ${itemIndex})`, {
			itemIndex,
			description: `Fix "${error.field}" for item ${itemIndex}. Nothing was sent to Business Central.`,
		});
		wrapped.context.field = error.field;
		return wrapped;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error, { itemIndex });
}

/** The json of an error item under "Continue On Fail": message plus Business Central's details. */
export function failureJson(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error instanceof InputValidationError) {
		json.field = error.field;
		return json;
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		const details = error.context.businessCentral as IDataObject | undefined;
		if (details) {
			json.httpStatus = details.httpStatus;
			json.code = details.code;
			if (details.field) json.field = details.field;
			if (details.correlationId) json.correlationId = details.correlationId;
			// what a re-read showed when the outcome of a write is unknown
			if (details.evidence) json.evidence = details.evidence;
		} else if (error.context.field) {
			json.field = error.context.field as string;
		}
	}
	return json;
}
