import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { EntityDescriptor } from '../entities/entity';
import { GUID_PATTERN } from './validation';

/** `#…/customers` or `#…/customers/$entity`, but not `#…/customersFinancialDetails`. */
function namesEntitySet(context: string, entitySet: string): boolean {
	const fragment = context.slice(context.indexOf('#') + 1);
	return fragment.split(/[/(]/).some((segment) => segment.toLowerCase() === entitySet.toLowerCase());
}

/** A record of `entity` as the API returns it; unknown properties pass through untouched. */
export function recordSchema(entity: EntityDescriptor) {
	return z
		.object({
			'@odata.etag': z.string().min(1, 'has no @odata.etag'),
			id: z.string().regex(GUID_PATTERN, 'has no valid id'),
			// when the answer says what it is, it must be this entity (not a customer instead of a payment)
			'@odata.context': z
				.string()
				.refine(
					(context) => !context.includes('#') || namesEntitySet(context, entity.entitySet),
					`names another entity than a ${entity.label}`,
				)
				.optional(),
		})
		.passthrough();
}

/** A validated record as n8n data: JSON values, with the two properties the node relies on. */
export type BcRecord = IDataObject & { '@odata.etag': string; id: string };

/** An OData collection page. */
export const collectionSchema = z
	.object({
		value: z.array(z.record(z.unknown())),
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
