import type { INodeProperties } from 'n8n-workflow';

import { SALES_INVOICE_STATUSES } from '../../BusinessCentral/entities/salesInvoice';
import {
	authenticationProperty,
	companyLocator,
} from '../../BusinessCentral/actions/common.descriptions';
import {
	customerLocator,
	journalLocator,
} from '../../BusinessCentral/actions/customerPayment/payment.descriptions';

const CREATED = {
	name: 'Created',
	value: 'created',
	description:
		'A record this trigger has not seen before (see the README for the rule and its limit)',
};
const CHANGED = {
	name: 'Changed',
	value: 'changed',
	description: 'A record seen before was changed',
};
const PAID = {
	name: 'Paid',
	value: 'paid',
	description: 'The invoice status became Paid (it was not Paid when this trigger last saw it)',
};

/** The events of one resource: the same parameter name, so a webhook mode can read it alike. */
function eventsProperty(resource: string, options: Array<typeof CREATED>): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options,
		default: ['created', 'changed'],
		description: 'Which changes start the workflow',
		displayOptions: { show: { resource: [resource] } },
	};
}

export const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer', value: 'customer' },
			{ name: 'Customer Payment', value: 'customerPayment' },
			{ name: 'Sales Invoice', value: 'salesInvoice' },
		],
		default: 'customerPayment',
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Polling',
				value: 'polling',
				description: 'Read the changes on the schedule below',
			},
			{
				name: 'Webhook',
				value: 'webhook',
				description:
					'Business Central notifies n8n (about 30 s after a change); needs an n8n reachable from Business Central over HTTPS',
			},
		],
		default: 'polling',
		hint: "Webhook: on publish, the node registers n8n's production webhook URL (n8n's WEBHOOK_URL setting, HTTPS) with Business Central itself; there is no URL to copy.",
		displayOptions: { show: { resource: ['customer', 'salesInvoice'] } },
	},
	eventsProperty('customerPayment', [CREATED, CHANGED]),
	eventsProperty('salesInvoice', [CREATED, CHANGED, PAID]),
	eventsProperty('customer', [CREATED, CHANGED]),
	companyLocator,
	{
		...journalLocator,
		description:
			'Customer payment journal to watch. Empty: every customer payment journal of the company, each polled with its own watermark.',
		// n8n's list placeholder ("Choose...") reads as if a journal were required: empty is meaningful here.
		modes: (journalLocator.modes ?? []).map((mode) =>
			mode.name === 'list' ? { ...mode, placeholder: 'Every journal (leave empty) or choose one' } : mode,
		),
		displayOptions: { show: { resource: ['customerPayment'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'Only changes of records matching these start the workflow (Business Central applies them)',
		displayOptions: { show: { resource: ['customerPayment', 'salesInvoice'] } },
		options: [
			customerLocator('Only records of this customer', false),
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: SALES_INVOICE_STATUSES.map((status) => ({ name: status, value: status })),
				default: 'Open',
				description:
					'Only invoices with this status now (with Paid, only invoices that are paid; the Paid event needs no filter)',
				displayOptions: { show: { '/resource': ['salesInvoice'] } },
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Existing Records',
				name: 'includeExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether the first poll after activation delivers every record that already exists (as Created). Off: the first poll only notes where Business Central stands and delivers nothing.',
			},
			{
				displayName: 'Overlap Window (Seconds)',
				name: 'overlapSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 86400 },
				default: 60,
				description:
					'How far before the newest change already delivered each poll reads again, so a change whose transaction committed late (it carries the time it was written) is not missed; what comes again unchanged is dropped. 0: only the newest tick is read again.',
			},
		],
	},
];
