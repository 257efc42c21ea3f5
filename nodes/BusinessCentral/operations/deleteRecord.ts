import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { recordPath, type EntityDescriptor } from '../entities/entity';
import { failureFrom } from '../transport/errors';
import { bcRequest, type BcResponse, type RetryPolicy } from '../transport/request';
import { isUnclearWriteAnswer } from '../transport/unclear';
import { changedMeanwhile, isConflict, type ConflictPolicy } from './concurrency';
import { toRecord } from './records';

export interface ItemDelete {
	companyId: string;
	id: string;
	/** eTag the user gave; empty → read it first. */
	eTag: string;
	onConflict: ConflictPolicy;
}

function conflictHint(entity: EntityDescriptor): string {
	return `The ${entity.label} was changed by someone else after its eTag was read, so it was not deleted. Check the change, then delete again, or set "On eTag Conflict" to "Fetch Latest and Retry Once" or "Delete Regardless".`;
}

/** One DELETE under way: the request and the state the answers move it through. */
class RecordDeletion {
	private readonly node: INode;
	private readonly action: string;
	private readonly url: string;
	ifMatch = '';
	conflictRetried = false;
	resent = false;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly entity: EntityDescriptor,
		private readonly request: ItemDelete,
		private readonly itemIndex: number,
		private readonly policy: RetryPolicy,
	) {
		this.node = context.getNode();
		this.action = `Deleting ${entity.label} ${request.id}`;
		this.url = recordPath(entity, request.companyId, request.id);
	}

	get deleted(): IDataObject {
		return { deleted: true, id: this.request.id };
	}

	async send(method: 'GET' | 'DELETE'): Promise<BcResponse> {
		const headers = method === 'DELETE' ? { 'If-Match': this.ifMatch } : undefined;
		return await bcRequest.call(
			this.context,
			{ method, url: this.url, ...(headers ? { headers } : {}) },
			this.policy,
		);
	}

	async currentETag(): Promise<string> {
		const response = await this.send('GET');
		if (response.statusCode !== 200) {
			throw failureFrom(this.node, response, {
				action: `${this.action} (reading its eTag)`,
				itemIndex: this.itemIndex,
			});
		}
		return toRecord(this.node, this.entity, response, this.request.id, this.itemIndex)[
			'@odata.etag'
		];
	}

	failed(response: BcResponse, note?: string): Error {
		return failureFrom(this.node, response, {
			action: this.action,
			itemIndex: this.itemIndex,
			note,
		});
	}

	/** A conflict: fails unless "Fetch Latest and Retry Once" still has its one retry, then deletes with `eTag`. */
	async onConflict(response: BcResponse, eTag?: string): Promise<void> {
		if (this.request.onConflict !== 'retryOnce' || this.conflictRetried) {
			throw failureFrom(this.node, response, {
				action: this.action,
				itemIndex: this.itemIndex,
				note: `The ${this.entity.shortLabel} changed after eTag ${this.ifMatch} was read; nothing was deleted.`,
				hint: conflictHint(this.entity),
			});
		}
		this.conflictRetried = true;
		this.ifMatch = eTag ?? (await this.currentETag());
	}

	/** The record's eTag after a DELETE without answer; undefined when it is gone. */
	async eTagAfterUnclear(): Promise<string | undefined> {
		const check = await this.send('GET');
		if (check.statusCode === 404) return undefined;
		const unknown = (answer: BcResponse) =>
			failureFrom(this.node, answer, {
				action: `Reading ${this.entity.label} ${this.request.id} after a delete that got no answer`,
				itemIndex: this.itemIndex,
				note: `Whether the ${this.entity.shortLabel} was deleted is unknown.`,
			});
		if (check.statusCode !== 200) throw unknown(check);
		try {
			return toRecord(this.node, this.entity, check, this.request.id, this.itemIndex)[
				'@odata.etag'
			];
		} catch (error) {
			// a 200 that is not the record says nothing about the DELETE
			throw unknown({ ...check, statusCode: 0, networkError: (error as Error).message });
		}
	}
}

/**
 * Deletes one record with optimistic concurrency, the way Update writes:
 * - If-Match is the given eTag, else the one just read (`*` only for "Delete Regardless").
 * - 409/412 → per policy: fail, or re-read and delete once more with the new eTag.
 * - An unclear answer (no answer, 408, 500, 502, 504) → re-read: 404 → it is gone (success); same eTag (or `*`) →
 *   the DELETE did not happen, send it once more (a 404 to that one: the first landed meanwhile,
 *   deleted); another eTag → a conflict.
 */
export async function deleteRecord(
	context: IExecuteFunctions,
	entity: EntityDescriptor,
	request: ItemDelete,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<IDataObject> {
	const deletion = new RecordDeletion(context, entity, request, itemIndex, policy);
	deletion.ifMatch =
		request.onConflict === 'overwrite' ? '*' : request.eTag || (await deletion.currentETag());
	for (;;) {
		const response = await deletion.send('DELETE');
		if (response.statusCode === 204 || response.statusCode === 200) return deletion.deleted;
		// Re-sent after an unclear DELETE the re-read showed not applied yet: 404 means the first one
		// landed meanwhile (as a re-read showing 404 would) — deleted, not a failure.
		if (deletion.resent && response.statusCode === 404) return deletion.deleted;
		if (isConflict(response)) {
			await deletion.onConflict(response);
			continue;
		}
		if (!isUnclearWriteAnswer(response)) throw deletion.failed(response);
		// No answer: find out whether the DELETE happened before doing anything else.
		const current = await deletion.eTagAfterUnclear();
		if (current === undefined) return deletion.deleted;
		if (deletion.ifMatch === '*' || current === deletion.ifMatch) {
			if (deletion.resent) {
				throw deletion.failed(
					response,
					`The ${entity.shortLabel} still exists: the delete was sent twice without an answer.`,
				);
			}
			deletion.resent = true;
			continue;
		}
		await deletion.onConflict(changedMeanwhile('a delete'), current);
	}
}
