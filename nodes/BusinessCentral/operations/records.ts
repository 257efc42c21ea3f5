import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { recordPath, type EntityDescriptor } from '../entities/entity';
import { recordSchema, type BcRecord } from '../helpers/schemas';
import type { BcFunctions } from '../transport/connection';
import { errorDetails, toNodeApiError } from '../transport/errors';
import { bcRequest, type BcResponse, type RetryPolicy } from '../transport/request';

const NOT_USED =
	'The response was not used. Check that the API base URL points at Business Central (not a proxy or login page).';

/** What was expected and what came instead, for `unexpectedAnswer`. */
export interface UnexpectedAnswer {
	/** The error message, e.g. "Business Central sent an unexpected answer for customer payment <id>: …". */
	message: string;
	/** What was wrong, short ("the answer is not a customer payment (…)"). */
	problem: string;
	statusCode?: number;
	itemIndex?: number;
	/** Replaces the default "The response was not used…". */
	description?: string;
}

/**
 * The one builder of "Business Central sent something that is not what it should" errors
 * (not JSON, no eTag, another record, not a list): an error, never output. Under "Continue
 * On Fail" the item carries status and code `UnexpectedAnswer` like Business Central's own errors.
 */
export function unexpectedAnswer(node: INode, answer: UnexpectedAnswer): NodeApiError {
	const error = new NodeApiError(
		node,
		{ message: answer.problem },
		{
			message: answer.message,
			description: answer.description ?? NOT_USED,
			httpCode: answer.statusCode === undefined ? undefined : String(answer.statusCode),
			itemIndex: answer.itemIndex,
		},
	);
	error.context.businessCentral = {
		httpStatus: answer.statusCode ?? 0,
		code: 'UnexpectedAnswer',
		message: answer.problem,
	};
	return error;
}

/** Why a body is not a record of `entity` (zod's issues, one line), or undefined when it is one. */
export function notARecord(entity: EntityDescriptor, body: unknown): string | undefined {
	const parsed = recordSchema(entity).safeParse(body);
	if (parsed.success) return undefined;
	const issues = parsed.error.issues.map(
		(issue) => `${issue.path.join('.') || 'body'} ${issue.message}`,
	);
	return `the answer is not a ${entity.label} (${issues.join('; ')})`;
}

/**
 * Checks that a 2xx answer is the record asked for, with an eTag. A body that is not
 * JSON, lacks `@odata.etag` or is another record becomes a clear error.
 */
export function toRecord(
	node: INode,
	entity: EntityDescriptor,
	response: BcResponse,
	id: string,
	itemIndex: number,
): BcRecord {
	const record = response.body as BcRecord;
	const problem =
		notARecord(entity, response.body) ??
		(record.id.toLowerCase() !== id.toLowerCase()
			? `the answer is ${entity.shortLabel} ${record.id}, not ${id}`
			: undefined);
	if (problem) {
		throw unexpectedAnswer(node, {
			message: `Business Central sent an unexpected answer for ${entity.label} ${id}: ${problem}`,
			problem,
			statusCode: response.statusCode,
			itemIndex,
		});
	}
	return record;
}

/** One record to read or write: its company and id. */
export interface RecordTarget {
	companyId: string;
	id: string;
}

/** GET one record (also the source of the automatic eTag); any failure throws a NodeApiError. */
export async function readRecord(
	context: BcFunctions,
	entity: EntityDescriptor,
	target: RecordTarget,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<BcRecord> {
	const url = recordPath(entity, target.companyId, target.id);
	const response = await bcRequest.call(context, { method: 'GET', url }, policy);
	if (response.statusCode !== 200) {
		throw toNodeApiError(context.getNode(), errorDetails(response), {
			action: `Reading ${entity.label} ${target.id}`,
			itemIndex,
		});
	}
	return toRecord(context.getNode(), entity, response, target.id, itemIndex);
}

/** The record as output: everything the server returned except `@odata.context`. */
export function toOutput(record: IDataObject): IDataObject {
	const output: IDataObject = { ...record };
	delete output['@odata.context'];
	return output;
}

/** A record as output: simplified (the entity's simple fields, in order), or as Business Central sent it. */
export function recordOutput(
	entity: EntityDescriptor,
	record: IDataObject,
	simple: boolean,
): IDataObject {
	if (!simple) return toOutput(record);
	const output: IDataObject = {};
	for (const field of entity.simpleFields) {
		if (record[field] !== undefined) output[field] = record[field];
	}
	return output;
}
