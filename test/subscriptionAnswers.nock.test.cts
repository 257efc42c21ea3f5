/**
 * Business Central Trigger, webhook mode: an answer to the subscription request that is
 * not a subscription becomes the node's own error (not zod's text, which differs between
 * the zod 3 and 4 n8n may provide), and no subscription is stored. n8n-core's HookContext runs
 * the node's webhookMethods (dev/webhook.cts); Business Central is strict nock. Part of
 * both jest runs (zod 3 and jest.zod4.config.cjs).
 */
import nock from 'nock';

import { triggerNode } from '../dev/poll.cjs';
import { webhookTrigger, type WebhookTrigger } from '../dev/webhook.cjs';
import { bearerCredentials, COMPANY, locator, SAAS_ORIGIN, SAAS_PATH, useNock } from './fixtures.cjs';

useNock(nock);

let trigger: WebhookTrigger | undefined;

beforeAll(() => nock.enableNetConnect('127.0.0.1'));

afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});

async function activationError(answer: unknown): Promise<Error> {
	nock(SAAS_ORIGIN)
		// activation first reads the newest customers (the watermark), then subscribes
		.get(`${SAAS_PATH}/companies(${COMPANY})/customers`)
		.query(true)
		.reply(200, { value: [] })
		.post(`${SAAS_PATH}/subscriptions`)
		.reply(201, answer as never);
	const node = {
		...triggerNode({ resource: 'customer', mode: 'webhook', events: ['created'], company: locator(COMPANY) }),
		webhookId: 'bc-hook',
	};
	trigger = await webhookTrigger(node, bearerCredentials());
	const error = await trigger.activate().then(
		() => undefined,
		(caught: Error) => caught,
	);
	expect(error).toBeInstanceOf(Error);
	expect(trigger.staticData().subscription).toBeUndefined();
	return error!;
}

test.each([
	['no subscriptionId', { expirationDateTime: '2026-12-03T10:00:00Z', '@odata.etag': 'W/"1"' }],
	['an expiry that is no date', { subscriptionId: 'abc', expirationDateTime: 'soon', '@odata.etag': 'W/"1"' }],
	['text', 'Created'],
])('a subscription answer with %s: the node says what it expected', async (_what, answer) => {
	const error = await activationError(answer);
	expect(error.message).toBe(
		'Creating the webhook subscription failed: Business Central sent an answer that is not a subscription (subscriptionId, expirationDateTime, @odata.etag)',
	);
});
