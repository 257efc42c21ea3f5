import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { businessCentralCredentials } from '../BusinessCentral/actions/common.descriptions';
import { listSearch } from '../BusinessCentral/methods';
import { triggerProperties } from './trigger/descriptions';
import { triggerInput } from './trigger/input';
import { pollChanges, testEvent } from './trigger/poll';

/**
 * Starts workflows when customer payments, sales invoices or customers are created or changed
 * in Business Central, and when an invoice becomes Paid. Polling mode: Business Central offers
 * no webhooks for customer payments (journal lines), so every resource is polled by
 * `lastModifiedDateTime`; the watermark rules are in trigger/state.ts and the README.
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
		subtitle: '={{ $parameter["resource"] + ": " + $parameter["events"].join(", ") }}',
		description:
			'Starts the workflow when customer payments, sales invoices or customers are created or changed, or an invoice is paid, in Microsoft Dynamics 365 Business Central',
		defaults: { name: 'Business Central Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: businessCentralCredentials,
		properties: triggerProperties,
	};

	methods = { listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const input = await triggerInput(this);
		if (this.getMode() === 'manual') return await testEvent(this, input);
		return await pollChanges(this, input);
	}
}
