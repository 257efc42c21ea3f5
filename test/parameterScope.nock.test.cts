/**
 * Review of issue 13's parameter reader (helpers/parameterReader.ts): a fixed value is read
 * once per run of one node. The node type is one object that n8n shares between every node
 * and every execution, so a value remembered anywhere but in the run would leak: these runs
 * through n8n's engine (strict nock) give two nodes of one workflow, and the same workflow
 * run again with other fixed values, each their own.
 */
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import { bearerCredentials, ETAG_1, PAYMENT, PAYMENT_2, paymentPath, paymentRecord, saasApi, useNock } from './fixtures.cjs';
import { opsChain } from './opsFixtures.cjs';

useNock(nock);

const COMPANY_2 = '6f1fe3d1-4b7c-ef11-8a6b-6045bde9c5a2';

/** Items → Get (first payment, company) → Get (second payment, company 2): two nodes, fixed values. */
async function twoGets(first: string, second: string) {
	return await runWorkflow(
		opsChain(
			[{ n: 1 }, { n: 2 }],
			[
				{ operation: 'get', name: 'First', parameters: { customerPayment: first } },
				{ operation: 'get', name: 'Second', parameters: { customerPayment: second, company: COMPANY_2 } },
			],
		),
		{ credentials: bearerCredentials() },
	);
}

test('two nodes of one workflow, then the workflow again with other fixed values: each node reads its own, every run anew', async () => {
	const scope = saasApi(nock)
		.get(paymentPath(PAYMENT))
		.times(2)
		.reply(200, paymentRecord(PAYMENT, ETAG_1))
		.get(paymentPath(PAYMENT_2, undefined, COMPANY_2))
		.times(2)
		.reply(200, paymentRecord(PAYMENT_2, ETAG_1));
	const first = await twoGets(PAYMENT, PAYMENT_2);
	expect(first.error()).toBeUndefined();
	expect(scope.isDone()).toBe(true);

	const swapped = saasApi(nock)
		.get(paymentPath(PAYMENT_2))
		.times(2)
		.reply(200, paymentRecord(PAYMENT_2, ETAG_1))
		.get(paymentPath(PAYMENT, undefined, COMPANY_2))
		.times(2)
		.reply(200, paymentRecord(PAYMENT, ETAG_1));
	const second = await twoGets(PAYMENT_2, PAYMENT);
	expect(second.error()).toBeUndefined();
	expect(second.output('First').map((item) => item.json.id)).toEqual([PAYMENT_2, PAYMENT_2]);
	expect(second.output('Second').map((item) => item.json.id)).toEqual([PAYMENT, PAYMENT]);
	expect(swapped.isDone()).toBe(true);
});
