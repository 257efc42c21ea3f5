import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { z } from 'zod';

import { triggerInput } from './input';
import { pollChanges } from './poll';
import { renewIfDue, storedSubscription } from './subscription';

const MAX_TOKEN_LENGTH = 1024;

/** Business Central's notification body: every entry names the subscription's clientState. */
const notificationBody = z.object({
	value: z
		.array(
			z
				.object({ clientState: z.string().optional(), changeType: z.string().optional() })
				.passthrough(),
		)
		.min(1),
});

function answer(context: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	context.getResponseObject().status(status).type('text/plain').send(text);
	return { noWebhookResponse: true };
}

/** True when every entry carries this trigger's clientState (compared in full, no early exit). */
function fromOurSubscription(body: unknown, clientState: string): boolean {
	const parsed = notificationBody.safeParse(body);
	if (!parsed.success) return false;
	return parsed.data.value.every((entry) => sameText(entry.clientState ?? '', clientState));
}

function sameText(a: string, b: string): boolean {
	let difference = a.length ^ b.length;
	for (let index = 0; index < b.length; index++) {
		difference |= (a.charCodeAt(index) || 0) ^ b.charCodeAt(index);
	}
	return difference === 0;
}

/**
 * Renewal must not hold back the changes: a failed renewal (stale eTag, throttled) is logged
 * (the error carries no token) and tried again at the next notification or activation.
 */
async function renewWithoutBlocking(context: IWebhookFunctions): Promise<void> {
	try {
		await renewIfDue(context);
	} catch (error) {
		context.logger.warn(
			`Business Central Trigger: renewing the webhook subscription failed: ${(error as Error).message}`,
		);
	}
}

/**
 * A request to the trigger's webhook URL. `?validationToken=` (the handshake on create and
 * renewal): 200 text/plain with the token. A notification: refused with 401 unless every entry
 * carries the stored clientState; else the subscription is renewed when it expires within a
 * day (a failed renewal does not stop delivery), and the changes since the watermark are read as a poll would (a `collection`
 * notification needs nothing else), so every change is emitted once.
 */
export async function receiveNotification(
	context: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const token = (context.getQueryData() as IDataObject).validationToken;
	if (token !== undefined) {
		if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
			return answer(context, 400, 'Bad validation token');
		}
		return answer(context, 200, token);
	}
	const stored = storedSubscription(context);
	if (!stored || !fromOurSubscription(context.getBodyData(), stored.clientState)) {
		return answer(context, 401, 'Unknown subscription');
	}
	const input = await triggerInput(context);
	await renewWithoutBlocking(context);
	const items = await pollChanges(context, input);
	if (!items) return answer(context, 200, '');
	return { workflowData: items };
}
