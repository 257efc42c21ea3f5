/**
 * Customer Payment → Delete through n8n's engine (node loaded from dist/),
 * HTTP intercepted by nock: automatic eTag (GET, then DELETE with If-Match),
 * a given eTag (no GET), 409/412 under each conflict policy, 404, a DELETE
 * that got no answer, and Continue On Fail.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bcError,
	bearerCredentials,
	ETAG_1,
	ETAG_2,
	ETAG_3,
	locator,
	PAYMENT,
	PAYMENT_2,
	PAYMENT_3,
	paymentPath,
	paymentRecord,
	saasApi,
	useNock,
} from './fixtures.cjs';
import { NODE, opsWorkflow } from './opsFixtures.cjs';

useNock(nock);

const CHANGED = bcError('Request_EntityChanged', 'Another user has already changed the record.');

const api = () => saasApi(nock);

async function del(items: IDataObject[], parameters: IDataObject, continueOnFail = false) {
	return await runWorkflow(opsWorkflow(items, 'delete', { parameters: { customerPayment: PAYMENT, ...parameters }, continueOnFail }), {
		credentials: bearerCredentials(),
	});
}

describe('Customer Payment: Delete (nock)', () => {
	test('automatic eTag: GET the payment, then DELETE with If-Match; 204 → { deleted: true, id }', async () => {
		const scope = api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(204);

		const result = await del([{ n: 1 }], {});

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)).toEqual([{ json: { deleted: true, id: PAYMENT }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	test('a given eTag (e.g. @odata.etag of a previous step) skips the GET and is sent as If-Match', async () => {
		const scope = api().delete(paymentPath(PAYMENT)).matchHeader('if-match', ETAG_2).reply(204);

		const result = await del([{ id: PAYMENT, '@odata.etag': ETAG_2 }], {
			customerPayment: locator('={{ $json.id }}'),
			options: { eTag: '={{ $json["@odata.etag"] }}' },
		});

		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});

	test.each([409, 412])('%i with policy Fail (default): nothing deleted, the item fails naming the eTag sent', async (status) => {
		api().delete(paymentPath(PAYMENT)).matchHeader('if-match', ETAG_1).reply(status, CHANGED);

		const result = await del([{}], { options: { eTag: ETAG_1 } });

		const error = result.error(NODE);
		expect(error?.message).toBe(
			`Deleting customer payment ${PAYMENT} failed: Another user has already changed the record. The payment changed after eTag ${ETAG_1} was read; nothing was deleted.`,
		);
		expect(error?.description).toContain('so it was not deleted');
		expect(error?.description).toContain('Code: Request_EntityChanged.');
		expect(error?.httpCode).toBe(String(status));
	});

	test.each([409, 412])('%i with Fetch Latest and Retry Once: re-read, DELETE with the new eTag', async (status) => {
		const scope = api()
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(status, CHANGED)
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_2))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_2)
			.reply(204);

		const result = await del([{}], { options: { eTag: ETAG_1, onConflict: 'retryOnce' } });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});

	test('Fetch Latest and Retry Once: a second conflict fails', async () => {
		api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(409, CHANGED)
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_2))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_2)
			.reply(409, CHANGED);

		const result = await del([{}], { options: { onConflict: 'retryOnce' } });

		expect(result.error(NODE)?.message).toContain(`The payment changed after eTag ${ETAG_2} was read; nothing was deleted.`);
	});

	test('Delete Regardless: If-Match: * without reading the eTag', async () => {
		const scope = api().delete(paymentPath(PAYMENT)).matchHeader('if-match', '*').reply(204);

		const result = await del([{}], { options: { onConflict: 'overwrite' } });

		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});

	test('404 when reading the eTag: the item fails with a hint, no DELETE is sent', async () => {
		api()
			.get(paymentPath(PAYMENT))
			.reply(404, bcError('BadRequest_NotFound', 'The customerPayment does not exist.'));

		const result = await del([{}], {});

		const error = result.error(NODE);
		expect(error?.message).toBe(
			`Deleting customer payment ${PAYMENT} (reading its eTag) failed: The customerPayment does not exist.`,
		);
		expect(error?.description).toContain('Code: BadRequest_NotFound.');
		expect(error?.description).toContain('deleted or posted');
		expect(error?.httpCode).toBe('404');
	});

	test('404 on the DELETE (gone meanwhile) fails the item with Business Central\'s message', async () => {
		api()
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(404, bcError('BadRequest_NotFound', 'The customerPayment does not exist.'));

		const result = await del([{}], { options: { eTag: ETAG_1 } });

		expect(result.error(NODE)?.message).toBe(`Deleting customer payment ${PAYMENT} failed: The customerPayment does not exist.`);
		expect(result.error(NODE)?.httpCode).toBe('404');
	});

	test('no answer (504) to the DELETE: re-read; 404 means it was deleted — success, not sent twice', async () => {
		const scope = api()
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(paymentPath(PAYMENT))
			.reply(404, bcError('BadRequest_NotFound', 'The customerPayment does not exist.'));

		const result = await del([{}], { options: { eTag: ETAG_1 } });

		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});

	test('no answer (504) and the payment unchanged: the DELETE is sent once more with the same eTag', async () => {
		const scope = api()
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(504, 'Gateway Timeout')
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(204);

		const result = await del([{}], { options: { eTag: ETAG_1 } });

		expect(result.output(NODE)[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(scope.isDone()).toBe(true);
	});

	test('an invalid payment ID in any item: nothing is sent, the error names field, value and item', async () => {
		const result = await del([{ id: PAYMENT }, { id: '../customers' }], { customerPayment: locator('={{ $json.id }}') });

		const error = result.error(NODE);
		expect(error?.message).toBe('Invalid Customer Payment: "../customers" is not a GUID (expected 8-4-4-4-12 hex digits) (item 1)');
		expect(error?.description).toContain('Nothing was sent to Business Central.');
	});

	test('Continue On Fail over 3 items, the middle one failing (409): items 0 and 2 are deleted, item 1 is an error item', async () => {
		const scope = api()
			.get(paymentPath(PAYMENT))
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(204)
			.get(paymentPath(PAYMENT_2))
			.reply(200, paymentRecord(PAYMENT_2, ETAG_2))
			.delete(paymentPath(PAYMENT_2))
			.matchHeader('if-match', ETAG_2)
			.reply(409, CHANGED)
			.get(paymentPath(PAYMENT_3))
			.reply(200, paymentRecord(PAYMENT_3, ETAG_3))
			.delete(paymentPath(PAYMENT_3))
			.matchHeader('if-match', ETAG_3)
			.reply(204);

		const result = await del([{ id: PAYMENT }, { id: PAYMENT_2 }, { id: PAYMENT_3 }], { customerPayment: locator('={{ $json.id }}') }, true);

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toEqual({ deleted: true, id: PAYMENT });
		expect(output[1].json).toMatchObject({ httpStatus: 409, code: 'Request_EntityChanged' });
		expect(output[1].json.error).toContain(`Deleting customer payment ${PAYMENT_2} failed`);
		expect(output[2].json).toEqual({ deleted: true, id: PAYMENT_3 });
		expect(scope.isDone()).toBe(true);
	});

	test('without Continue On Fail the node stops at the failing item and says how many were already deleted', async () => {
		api()
			.delete(paymentPath(PAYMENT))
			.matchHeader('if-match', ETAG_1)
			.reply(204)
			.delete(paymentPath(PAYMENT_2))
			.matchHeader('if-match', ETAG_1)
			.reply(409, CHANGED);
		// item 2 is never sent

		const result = await del(
			[{ id: PAYMENT }, { id: PAYMENT_2 }, { id: PAYMENT_3 }],
			{ customerPayment: locator('={{ $json.id }}'), options: { eTag: ETAG_1 } },
		);

		const error = result.error(NODE);
		expect(error?.message).toContain(`Deleting customer payment ${PAYMENT_2} failed`);
		expect(error?.description).toContain('1 earlier item(s) of this run were deleted before the node stopped and stay deleted');
	});
});
