import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { EntityDescriptor } from '../entities/entity';
import { GUID_PATTERN } from './validation';

const NO_ETAG = 'has no @odata.etag';
const NO_ID = 'has no valid id';

/** `#…/customers` or `#…/customers/$entity`, but not `#…/customersFinancialDetails`. */
function namesEntitySet(context: string, entitySet: string): boolean {
	const fragment = context.slice(context.indexOf('#') + 1);
	return fragment
		.split(/[/(]/)
		.some((segment) => segment.toLowerCase() === entitySet.toLowerCase());
}

/**
 * A record of `entity` as the API returns it; unknown properties pass through untouched.
 * Every part that can fail carries the node's own message (`{ message }`, which zod 3.25 and
 * zod 4 both honour): the error quotes them, and n8n may load either zod at run time.
 */
export function recordSchema(entity: EntityDescriptor) {
	return z
		.object(
			{
				// `*` names no version: as If-Match it would write over any other user's change
				'@odata.etag': z
					.string({ message: NO_ETAG })
					.min(1, NO_ETAG)
					.refine((tag) => tag.trim() !== '*', { message: 'is "*", which names no version' }),
				id: z.string({ message: NO_ID }).regex(GUID_PATTERN, NO_ID),
				// when the answer says what it is, it must be this entity (not a customer instead of a payment)
				'@odata.context': z
					.string({ message: 'is not text' })
					.refine(
						(context) => !context.includes('#') || namesEntitySet(context, entity.entitySet),
						{ message: `names another entity than a ${entity.label}` },
					)
					.optional(),
			},
			{ message: 'is not a JSON object' },
		)
		.passthrough();
}

/** A validated record as n8n data: JSON values, with the two properties the node relies on. */
export type BcRecord = IDataObject & { '@odata.etag': string; id: string };

/**
 * An OData collection page. `record(string(), …)`: zod 4 requires the key schema zod 3
 * made optional. Only success is used: the callers word the failure themselves.
 */
export const collectionSchema = z
	.object({
		value: z.array(z.record(z.string(), z.unknown())),
		'@odata.nextLink': z.string().optional(),
	})
	.passthrough();

export type CollectionPage = z.infer<typeof collectionSchema>;

/** Business Central's error body: { error: { code, message } }. */
export const bcErrorSchema = z.object({
	error: z
		.object({
			code: z.string(),
			message: z.string(),
		})
		.passthrough(),
});

export type BcErrorBody = z.infer<typeof bcErrorSchema>;
