import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { randomString } from 'n8n-workflow';
import { z } from 'zod';

import { unexpectedAnswer } from '../../BusinessCentral/operations/records';
import { failureFrom } from '../../BusinessCentral/transport/errors';
import { bcRequest, type RequestSpec } from '../../BusinessCentral/transport/request';
import { triggerInput, type TriggerInput } from './input';
import { pollChanges } from './poll';

/** Renew when the subscription expires within a day (Business Central's lifetime: 3 days). */
export const RENEW_WITHIN_MS = 24 * 60 * 60 * 1000;
const CLIENT_STATE_LENGTH = 64;

/** What the workflow's static data keeps of the subscription (key `subscription`). */
export interface StoredSubscription {
	id: string;
	etag: string;
	expirationDateTime: string;
	clientState: string;
	notificationUrl: string;
	resource: string;
}

type SubscriptionFunctions = IHookFunctions | IWebhookFunctions;

const subscriptionAnswer = z
	.object({
		subscriptionId: z.string().min(1),
		expirationDateTime: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
		'@odata.etag': z.string().min(1),
	})
	.passthrough();

const subscriptionList = z.object({
	value: z.array(z.object({ subscriptionId: z.string() }).passthrough()),
});

export function storedSubscription(context: SubscriptionFunctions): StoredSubscription | undefined {
	return context.getWorkflowStaticData('node').subscription as StoredSubscription | undefined;
}

function store(context: SubscriptionFunctions, subscription: StoredSubscription | undefined): void {
	const data = context.getWorkflowStaticData('node');
	if (subscription) data.subscription = subscription as unknown as IDataObject;
	else delete data.subscription;
}

/** The resource Business Central watches: `/api/v2.0/companies({id})/customers` (or salesInvoices). */
export function subscriptionResource(input: TriggerInput): string {
	const { entity, companyId, version } = input.source;
	return `/api/${version}/companies(${companyId})/${entity.entitySet}`;
}

/** One request on `{base}/subscriptions…`; any answer but 2xx becomes the node's API error. */
async function send(
	context: SubscriptionFunctions,
	spec: RequestSpec,
	action: string,
): Promise<unknown> {
	const response = await bcRequest.call(context, spec);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw failureFrom(context.getNode(), response, { action });
	}
	return response.body;
}

/**
 * An answer that is not what Business Central sends becomes the node's own error: zod's
 * `parse` would throw zod's text, which differs between the zod 3 and 4 n8n may provide.
 */
function notASubscription(context: SubscriptionFunctions, action: string, problem: string) {
	return unexpectedAnswer(context.getNode(), {
		message: `${action} failed: Business Central sent an answer that is not ${problem}`,
		problem: `an answer that is not ${problem}`,
	});
}

const CREATING = 'Creating the webhook subscription';
const RENEWING = 'Renewing the webhook subscription';

function fromAnswer(
	context: SubscriptionFunctions,
	action: string,
	body: unknown,
	sent: Omit<StoredSubscription, 'id' | 'etag' | 'expirationDateTime'>,
): StoredSubscription {
	const answer = subscriptionAnswer.safeParse(body);
	if (!answer.success) {
		throw notASubscription(
			context,
			action,
			'a subscription (subscriptionId, expirationDateTime, @odata.etag)',
		);
	}
	const parsed = answer.data;
	return {
		...sent,
		id: parsed.subscriptionId,
		etag: parsed['@odata.etag'],
		expirationDateTime: parsed.expirationDateTime,
	};
}

function subscriptionUrl(id: string): string {
	return `subscriptions('${encodeURIComponent(id)}')`;
}

/** PATCH with If-Match (Business Central repeats the handshake and sets a new 3-day expiry). */
export async function renewSubscription(
	context: SubscriptionFunctions,
	stored: StoredSubscription,
): Promise<void> {
	const { notificationUrl, resource, clientState } = stored;
	const body = await send(
		context,
		{
			method: 'PATCH',
			url: subscriptionUrl(stored.id),
			headers: { 'If-Match': stored.etag },
			body: { notificationUrl, resource, clientState },
		},
		RENEWING,
	);
	store(context, fromAnswer(context, RENEWING, body, { notificationUrl, resource, clientState }));
}

/** Renews the stored subscription when it expires within a day (host clock against its expiry). */
export async function renewIfDue(context: SubscriptionFunctions): Promise<void> {
	const stored = storedSubscription(context);
	if (!stored) return;
	if (Date.parse(stored.expirationDateTime) - Date.now() < RENEW_WITHIN_MS) {
		await renewSubscription(context, stored);
	}
}

async function isListed(context: IHookFunctions, id: string): Promise<boolean> {
	const body = await send(
		context,
		{ method: 'GET', url: 'subscriptions' },
		'Listing the webhook subscriptions',
	);
	const list = subscriptionList.safeParse(body);
	if (!list.success) {
		throw notASubscription(context, 'Listing the webhook subscriptions', 'a list of subscriptions');
	}
	return list.data.value.some((entry) => entry.subscriptionId === id);
}

/**
 * n8n's checkExists (on activation): polling mode needs none; else the stored subscription must
 * be for this URL and resource, still listed and not expired; one expiring within a day is renewed.
 */
export async function subscriptionExists(context: IHookFunctions): Promise<boolean> {
	const input = await triggerInput(context);
	if (input.mode !== 'webhook') return true;
	const stored = storedSubscription(context);
	if (!stored) return false;
	const current =
		stored.notificationUrl === context.getNodeWebhookUrl('default') &&
		stored.resource === subscriptionResource(input);
	if (
		!current ||
		Date.parse(stored.expirationDateTime) <= Date.now() ||
		!(await isListed(context, stored.id))
	) {
		await deleteSubscription(context);
		return false;
	}
	await renewIfDue(context);
	return true;
}

/**
 * n8n's create (on activation, when checkExists said no): if the trigger has no watermark yet,
 * note where Business Central stands first (as a first poll does; a change in between is read at
 * the first notification); then POST subscriptions with a new random clientState. A watermark
 * kept from before (n8n was down past the expiry) stays, so the first notification reads every
 * change since then.
 */
export async function createSubscription(context: IHookFunctions): Promise<boolean> {
	const input = await triggerInput(context);
	if (input.mode !== 'webhook') return true;
	const notificationUrl = context.getNodeWebhookUrl('default') ?? '';
	const resource = subscriptionResource(input);
	const clientState = randomString(CLIENT_STATE_LENGTH);
	const state = context.getWorkflowStaticData('node').state as IDataObject | undefined;
	if (state?.key !== input.stateKey) {
		delete context.getWorkflowStaticData('node').state;
		await pollChanges(context, { ...input, includeExisting: false });
	}
	const body = await send(
		context,
		{ method: 'POST', url: 'subscriptions', body: { notificationUrl, resource, clientState } },
		CREATING,
	);
	store(context, fromAnswer(context, CREATING, body, { notificationUrl, resource, clientState }));
	return true;
}

/** n8n's delete (on deactivation): DELETE with If-Match; gone already (404) counts as deleted. */
export async function deleteSubscription(context: IHookFunctions): Promise<boolean> {
	const stored = storedSubscription(context);
	if (!stored) return true;
	const response = await bcRequest.call(context, {
		method: 'DELETE',
		url: subscriptionUrl(stored.id),
		headers: { 'If-Match': stored.etag },
	});
	if (response.statusCode >= 300 && response.statusCode !== 404) return false;
	store(context, undefined);
	return true;
}
