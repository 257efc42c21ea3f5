import type { IDataObject, IHookFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { customer } from '../../BusinessCentral/entities/customer';
import { customerPayment } from '../../BusinessCentral/entities/customerPayment';
import type { EntityDescriptor } from '../../BusinessCentral/entities/entity';
import { SALES_INVOICE_STATUSES, salesInvoice } from '../../BusinessCentral/entities/salesInvoice';
import { parseCompanyLocator } from '../../BusinessCentral/helpers/locators';
import { odataString } from '../../BusinessCentral/helpers/odata';
import {
	InputValidationError,
	isBlank,
	locatorValue,
	validateGuid,
} from '../../BusinessCentral/helpers/validation';
import { getConnection } from '../../BusinessCentral/transport/connection';
import type { ChangeSource } from './reads';
import type { TriggerEvent } from './state';

export const DEFAULT_OVERLAP_SECONDS = 60;

/** The contexts the trigger reads in: polls, webhook lifecycle hooks, webhook requests. */
export type TriggerFunctions = IPollFunctions | IHookFunctions | IWebhookFunctions;

/** Business Central offers webhooks for these; customer payments (journal lines) are polled. */
export const WEBHOOK_RESOURCES = ['customer', 'salesInvoice'];

const ENTITIES: Record<string, EntityDescriptor> = { customerPayment, salesInvoice, customer };

/** What the trigger's parameters ask for, checked before any request. */
export interface TriggerInput {
	source: ChangeSource;
	events: TriggerEvent[];
	includeExisting: boolean;
	/** How far before the watermark each poll reads again (late commits), in milliseconds. */
	overlapMs: number;
	/** The scope and filters the stored state belongs to (changing any of them starts afresh). */
	stateKey: string;
	/** What a first activation reads of the newest records: only what the state needs. */
	primingSelect: string;
	/** The status a record has for "paid" ('' for entities without one). */
	statusOf: (record: IDataObject) => string;
	/** Polling (default) or webhook (customers and sales invoices only). */
	mode: 'polling' | 'webhook';
}

function modeOf(resource: string, raw: unknown): 'polling' | 'webhook' {
	if (raw === undefined || raw === '' || raw === 'polling') return 'polling';
	if (raw === 'webhook' && WEBHOOK_RESOURCES.includes(resource)) return 'webhook';
	throw new InputValidationError(
		'Mode',
		raw,
		'must be Polling, or Webhook for customers and sales invoices (Business Central offers no webhooks for customer payments)',
	);
}

function optionalGuid(field: string, raw: unknown): string | undefined {
	const value = locatorValue(raw);
	return isBlank(value) ? undefined : validateGuid(field, String(value).trim());
}

/** The filters as OData conditions: customer for payments and invoices, status for invoices. */
function filterConditions(resource: string, filters: IDataObject): string[] {
	const conditions: string[] = [];
	const customerId = optionalGuid('Customer', filters.customer);
	if (customerId) conditions.push(`customerId eq ${customerId}`);
	const status = filters.status;
	if (resource === 'salesInvoice' && !isBlank(status)) {
		if (!SALES_INVOICE_STATUSES.includes(status as (typeof SALES_INVOICE_STATUSES)[number])) {
			throw new InputValidationError(
				'Status',
				status,
				`is not one of ${SALES_INVOICE_STATUSES.join(', ')}`,
			);
		}
		conditions.push(`status eq ${odataString(String(status))}`);
	}
	return conditions;
}

function checkedEvents(resource: string, raw: unknown): TriggerEvent[] {
	const allowed: TriggerEvent[] =
		resource === 'salesInvoice' ? ['created', 'changed', 'paid'] : ['created', 'changed'];
	const events = Array.isArray(raw) ? (raw as TriggerEvent[]) : [];
	const wrong = events.find((event) => !allowed.includes(event));
	if (events.length === 0 || wrong !== undefined) {
		throw new InputValidationError('Events', raw, `must be one or more of ${allowed.join(', ')}`);
	}
	return events;
}

/** Overlap Window in seconds (default 60) → milliseconds; a whole number from 0 to 86400. */
function overlapOf(raw: unknown): number {
	const seconds = raw === undefined || raw === '' ? DEFAULT_OVERLAP_SECONDS : Number(raw);
	if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
		throw new InputValidationError(
			'Overlap Window (Seconds)',
			raw,
			'must be a whole number of seconds from 0 to 86400',
		);
	}
	return seconds * 1000;
}

/** Bad input names the field and says nothing was sent; anything else is kept as n8n's error. */
function inputError(context: TriggerFunctions, error: Error): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const description =
		error instanceof InputValidationError
			? `Fix "${error.field}". Nothing was sent to Business Central.`
			: undefined;
	return new NodeOperationError(context.getNode(), error.message, { description });
}

/** Reads and checks the parameters; an input error becomes a NodeOperationError naming the field. */
export async function triggerInput(context: TriggerFunctions): Promise<TriggerInput> {
	const resource = context.getNodeParameter('resource') as string;
	const entity = ENTITIES[resource];
	if (!entity) throw new NodeOperationError(context.getNode(), `Unknown resource "${resource}"`);
	const { base } = await getConnection(context);
	try {
		const companyId = parseCompanyLocator(context.getNodeParameter('company'), base);
		const parentId = entity.parent
			? optionalGuid('Journal', context.getNodeParameter('journal', ''))
			: undefined;
		const filters = context.getNodeParameter('filters', {}) as IDataObject;
		const options = context.getNodeParameter('options', {}) as IDataObject;
		const source = {
			entity,
			companyId,
			version: base.version,
			parentId,
			conditions: filterConditions(resource, filters),
		};
		return {
			source,
			events: checkedEvents(resource, context.getNodeParameter('events', [])),
			includeExisting: options.includeExisting === true,
			overlapMs: overlapOf(options.overlapSeconds),
			stateKey: JSON.stringify([base.url, resource, companyId, parentId ?? '', source.conditions]),
			primingSelect:
				resource === 'salesInvoice' ? 'id,lastModifiedDateTime,status' : 'id,lastModifiedDateTime',
			mode: modeOf(resource, context.getNodeParameter('mode', 'polling')),
			statusOf: (record) => (resource === 'salesInvoice' ? String(record.status ?? '') : ''),
		};
	} catch (error) {
		throw inputError(context, error as Error);
	}
}
