import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { GUID_PATTERN } from './validation';

/** A customerPayment as the API returns it; unknown properties pass through untouched. */
export const paymentRecordSchema = z
	.object({
		'@odata.etag': z.string().min(1, 'has no @odata.etag'),
		id: z.string().regex(GUID_PATTERN, 'has no valid id'),
		// when the answer says what it is, it must be a customer payment (not a customer, say)
		'@odata.context': z
			.string()
			.refine(
				(context) => !context.includes('#') || /#.*customerPayments/i.test(context),
				'names another entity than a customer payment',
			)
			.optional(),
	})
	.passthrough();

/** A validated payment as n8n data: JSON values, with the two properties the node relies on. */
export type PaymentRecord = IDataObject & { '@odata.etag': string; id: string };

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
