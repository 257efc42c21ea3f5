import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { collectionIn, type EntityDescriptor } from '../entities/entity';
import type { ApiVersion } from '../helpers/apiBase';
import { failureFrom } from '../transport/errors';
import { bcRequest, DEFAULT_RETRY_POLICY, type BcResponse } from '../transport/request';
import { isUnclearWriteAnswer } from '../transport/unclear';
import { notARecord, unexpectedAnswer } from './records';

/** One item's checked Create: where, what, and how a person finds out whether it exists after an unclear answer. */
export interface NewRecord {
	companyId: string;
	/** Entities under a parent: the parent (journal) the record is added to. */
	parentId?: string;
	body: IDataObject;
	/** "In journal <id>" — for messages. */
	where: string;
	/** What to do before running the item again when the POST got no clear answer. */
	howToCheck: string;
}

/** The 201 answer: a record of the entity with id and eTag, under the parent asked for. */
function createdRecord(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	response: BcResponse,
	request: NewRecord,
	itemIndex: number,
): IDataObject {
	const record = response.body as IDataObject;
	const property = entity.parent?.property;
	const parentOf = property ? record?.[property] : undefined;
	const problem =
		notARecord(entity, response.body) ??
		(typeof parentOf === 'string' &&
		request.parentId &&
		parentOf.toLowerCase() !== request.parentId.toLowerCase()
			? `the new ${entity.shortLabel} is in ${entity.parent!.label} ${parentOf}, not ${request.parentId}`
			: undefined);
	if (problem) {
		throw unexpectedAnswer(context.getNode(), {
			message: `Business Central sent an unexpected answer when creating a ${entity.label}: ${problem}`,
			problem,
			statusCode: response.statusCode,
			itemIndex,
			description: `The ${entity.shortLabel} may have been created. ${request.howToCheck}`,
		});
	}
	return record;
}

/**
 * POST to the entity's collection (`collectionIn`: company level with the parent property,
 * or the parent's navigation path) → 201 and the new record. Never re-sent after an
 * ambiguous failure (no answer, 408, 500, 502, 504): the item fails saying the record may
 * or may not exist and how to check. The transport retries a POST only after 429/503,
 * which the server did not process.
 */
export async function createRecord(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	version: ApiVersion,
	request: NewRecord,
	itemIndex: number,
): Promise<IDataObject> {
	const target = collectionIn(entity, request.companyId, version, request.parentId);
	const response = await bcRequest.call(
		context,
		{
			method: 'POST',
			url: target.url,
			body: { ...target.body, ...request.body },
			headers: { 'Content-Type': 'application/json' },
		},
		DEFAULT_RETRY_POLICY,
	);
	const action = `Creating a ${entity.label} ${request.where}`;
	// a 2xx other than 200/201 (202, 204 without the record): accepted, but whether it was created is unclear
	const status = response.statusCode;
	const otherSuccess = status >= 200 && status < 300 && status !== 200 && status !== 201;
	if (isUnclearWriteAnswer(response) || otherSuccess) {
		throw failureFrom(context.getNode(), response, {
			action,
			itemIndex,
			note: `The ${entity.shortLabel} may or may not have been created; it was not sent again, so it cannot have been created twice.`,
			hint: request.howToCheck,
		});
	}
	if (status !== 201 && status !== 200)
		throw failureFrom(context.getNode(), response, { action, itemIndex });
	return createdRecord(context, entity, response, request, itemIndex);
}
