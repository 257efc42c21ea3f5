import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	PAYMENT,
	paymentRecord,
	SAAS_ORIGIN,
	SAAS_PATH,
	TOKEN,
	updateWorkflow,
} from './fixtures.cjs';

const paymentUrl = `${SAAS_PATH}/companies(${COMPANY})/customerPayments(${PAYMENT})`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Customer Payment: Update (nock)', () => {
	test('reads the eTag, then PATCHes with If-Match and returns the updated record', async () => {
		const api = nock(SAAS_ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(paymentUrl)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(paymentUrl, { amount: -1750, description: 'Paid by wire' })
			.matchHeader('if-match', ETAG_1)
			.matchHeader('content-type', /application\/json/)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750, description: 'Paid by wire' }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], { updateFields: { amount: -1750, description: 'Paid by wire' } }),
			{ credentials: bearerCredentials() },
		);

		expect(result.error()).toBeUndefined();
		const output = result.output('Business Central');
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
		expect(output[0].json).not.toHaveProperty('@odata.context');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(api.isDone()).toBe(true);
	});
});
