import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { PaymentPatch } from '../../helpers/paymentFields';
import { paymentRecordSchema, type PaymentRecord } from '../../helpers/schemas';
import { errorDetails, toNodeApiError } from '../../transport/errors';
import { bcRequest, type BcResponse, type RetryPolicy } from '../../transport/request';

/** Company-level OData path of one payment (works for GET, PATCH and DELETE). */
export function paymentPath(companyId: string, paymentId: string): string {
	return `companies(${companyId})/customerPayments(${paymentId})`;
}

/**
 * Checks that a 2xx answer is the payment asked for, with an eTag. A body that
 * is not JSON, lacks `@odata.etag` or is another record becomes a clear error.
 */
export function toPaymentRecord(
	this: IExecuteFunctions,
	response: BcResponse,
	paymentId: string,
	itemIndex: number,
): PaymentRecord {
	const parsed = paymentRecordSchema.safeParse(response.body);
	const problem = !parsed.success
		? `the answer is not a customer payment (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join('; ')})`
		: parsed.data.id.toLowerCase() !== paymentId.toLowerCase()
			? `the answer is payment ${parsed.data.id}, not ${paymentId}`
			: undefined;
	if (problem || !parsed.success) {
		const error = new NodeApiError(
			this.getNode(),
			{ message: problem ?? 'invalid answer' },
			{
				message: `Business Central sent an unexpected answer for customer payment ${paymentId}: ${problem}`,
				description:
					'The response was not used. Check that the API base URL points at Business Central (not a proxy or login page).',
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
		// "Continue On Fail" items then carry status and a code like Business Central's own errors
		error.context.businessCentral = {
			httpStatus: response.statusCode,
			code: 'UnexpectedAnswer',
			message: problem ?? 'invalid answer',
		};
		throw error;
	}
	return parsed.data as PaymentRecord;
}

/** GET one payment (the source of the automatic eTag); any failure throws a NodeApiError. */
export async function readPayment(
	this: IExecuteFunctions,
	companyId: string,
	paymentId: string,
	itemIndex: number,
	policy: RetryPolicy,
): Promise<PaymentRecord> {
	const response = await bcRequest.call(
		this,
		{ method: 'GET', url: paymentPath(companyId, paymentId) },
		policy,
	);
	if (response.statusCode !== 200) {
		throw toNodeApiError(this.getNode(), errorDetails(response), {
			action: `Reading customer payment ${paymentId}`,
			itemIndex,
		});
	}
	return toPaymentRecord.call(this, response, paymentId, itemIndex);
}

/** GUIDs compare in any case. */
const GUID_FIELDS = new Set(['customerId', 'appliesToInvoiceId']);

/** Code fields (table 81: Code[20] / Code[35]): Business Central stores them trimmed and upper-cased. */
const CODE_FIELDS = new Set([
	'customerNumber',
	'documentNumber',
	'externalDocumentNumber',
	'appliesToInvoiceNumber',
]);

/**
 * Whether a stored amount is the one sent: as sent, or rounded to 0.01, the
 * default Amount Rounding Precision Business Central rounds to (half of a cent
 * either way: the sender's binary double cannot tell -100.005 from
 * -100.00499…). A currency with another precision that changed the value
 * makes the comparison fail, which ends as "outcome unknown", never as a false
 * "not applied".
 */
function sameAmount(sent: number, stored: number): boolean {
	if (stored === sent) return true;
	const cents = stored * 100;
	// binary doubles carry a relative error: above 100 million a fixed 1e-6 would judge
	// correctly rounded amounts different
	const ulps = (value: number, count: number) => Math.abs(value) * count * Number.EPSILON;
	return (
		Math.abs(cents - Math.round(cents)) <= Math.max(1e-6, ulps(cents, 4)) &&
		Math.abs(stored - sent) <= 0.005 + Math.max(1e-9, ulps(sent, 2))
	);
}

/** Whether a value Business Central stored is the one sent, compared as Business Central stores it. */
export function storedAs(field: string, sent: unknown, stored: unknown): boolean {
	if (typeof sent === 'number') return typeof stored === 'number' && sameAmount(sent, stored);
	if (typeof sent === 'string' && typeof stored === 'string') {
		if (GUID_FIELDS.has(field)) return sent.toLowerCase() === stored.toLowerCase();
		if (CODE_FIELDS.has(field)) return sent.trim().toUpperCase() === stored.trim().toUpperCase();
	}
	return sent === stored;
}

/** Whether a record already carries every value of the patch (used after an unclear write). */
export function carriesPatch(record: IDataObject, patch: PaymentPatch): boolean {
	return Object.entries(patch).every(([field, value]) => storedAs(field, value, record[field]));
}

/** The patch fields whose value the record does not carry: `{ field: { sent, stored } }`. */
export function differences(record: IDataObject, patch: PaymentPatch): IDataObject {
	const different: IDataObject = {};
	for (const [field, value] of Object.entries(patch)) {
		if (!storedAs(field, value, record[field])) {
			different[field] = { sent: value, stored: record[field] as IDataObject[string] };
		}
	}
	return different;
}

const NOT_COMPARED = new Set(['@odata.etag', '@odata.context', 'lastModifiedDateTime']);

/** Before-image of every property the update changed (including ones the server derived). */
export function previousValues(before: IDataObject, after: IDataObject): IDataObject {
	const changed: IDataObject = {};
	for (const [field, value] of Object.entries(after)) {
		if (NOT_COMPARED.has(field)) continue;
		if (JSON.stringify(before[field]) !== JSON.stringify(value)) changed[field] = before[field];
	}
	return changed;
}

/** The record as output: everything the server returned except `@odata.context`. */
export function toOutput(record: IDataObject): IDataObject {
	const output: IDataObject = { ...record };
	delete output['@odata.context'];
	return output;
}
