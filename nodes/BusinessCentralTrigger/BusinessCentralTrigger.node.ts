import type {
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { businessCentralCredentials } from '../BusinessCentral/actions/common.descriptions';
import { eventsSubtitle } from '../BusinessCentral/helpers/subtitle';
import { listSearch } from '../BusinessCentral/methods';
import { triggerProperties } from './trigger/descriptions';
import { triggerInput } from './trigger/input';
import { pollChanges, testEvent } from './trigger/poll';
import { createSubscription, deleteSubscription, subscriptionExists } from './trigger/subscription';
import { receiveNotification } from './trigger/webhook';

/**
 * Starts workflows when customer payments, sales invoices or customers are created or changed
 * in Business Central, and when an invoice becomes Paid. Polling mode: Business Central offers
 * no webhooks for customer payments (journal lines), so every resource is polled by
 * `lastModifiedDateTime`; the watermark rules are in trigger/state.ts and the README.
 * Webhook mode (customers, sales invoices): a Business Central subscription made and removed by
 * webhookMethods, notifications checked against its clientState, the changes then read from the
 * same watermark as polling (trigger/subscription.ts, trigger/webhook.ts).
 */
export class BusinessCentralTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Business Central Trigger',
		name: 'businessCentralTrigger',
		icon: {
			light: 'file:../../icons/businessCentral.svg',
			dark: 'file:../../icons/businessCentral.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		// "Customer Payment: Created, Changed" (helpers/subtitle.ts)
		subtitle: eventsSubtitle(triggerProperties),
		// n8n's nodes panel shows node and trigger as one entry with this description (n8n 2.8.4,
		// editor-ui generateMergedNodesAndActions: `app.description = trigger.description`), above
		// the actions of both: worded for the pair.
		description:
			'Read and write customer payments, customers, sales invoices and payment journals in Microsoft Dynamics 365 Business Central, or start workflows when they are created or changed, or an invoice is paid',
		defaults: { name: 'Business Central Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: businessCentralCredentials,
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
				// Nothing to copy: in webhook mode the node registers the production URL with
				// Business Central itself (a subscription, on publish), and customer payments are
				// polled only. Shown, n8n's "Webhook URLs" section invited pasting a URL never called.
				ndvHideUrl: true,
			},
		],
		properties: triggerProperties,
	};

	methods = { listSearch };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveNotification(this);
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const input = await triggerInput(this);
		if (this.getMode() === 'manual') return await testEvent(this, input);
		// Webhook mode: notifications read the changes; a poll too could deliver them twice.
		if (input.mode === 'webhook') return null;
		return await pollChanges(this, input);
	}
}
