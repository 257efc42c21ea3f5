import type {
	INodeCredentialDescription,
	INodeProperties,
	INodePropertyMode,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { EntityDescriptor } from '../entities/entity';
import { GUID_SOURCE } from '../helpers/validation';

/** The "By ID" mode of every locator: a GUID, checked in the UI too. */
export function byIdMode(
	placeholder: string,
	errorMessage = 'Not a valid GUID (8-4-4-4-12 hex digits)',
): INodePropertyMode {
	return {
		displayName: 'By ID',
		name: 'id',
		type: 'string' as const,
		placeholder,
		validation: [{ type: 'regex', properties: { regex: `^${GUID_SOURCE}$`, errorMessage } }],
	};
}

/** The "From List" mode: a searchable list from one of methods/listSearch.ts. */
export function fromListMode(searchListMethod: string): INodePropertyMode {
	return {
		displayName: 'From List',
		name: 'list',
		type: 'list' as const,
		typeOptions: { searchListMethod, searchable: true },
	};
}

/** The "By URL" mode: a Business Central API URL naming the record (checked again, fully, before any request). */
function byUrlMode(
	placeholder: string,
	urlSegment: string,
	errorMessage: string,
): INodePropertyMode {
	return {
		displayName: 'By URL',
		name: 'url',
		type: 'string' as const,
		placeholder,
		validation: [
			{
				type: 'regex',
				properties: { regex: `.*${urlSegment}(\\(|/)${GUID_SOURCE}.*`, errorMessage },
			},
		],
	};
}

export const companyLocator: INodeProperties = {
	displayName: 'Company',
	name: 'company',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Business Central company that holds the records (customers, customer payments)',
	modes: [
		fromListMode('searchCompanies'),
		byIdMode('e.g. 5e0fe3d1-4b7c-ef11-8a6b-6045bde9c5a1'),
		byUrlMode(
			'https://api.businesscentral.dynamics.com/v2.0/…/api/v2.0/companies(…)',
			'companies',
			'Not a Business Central company URL (…/companies({id}))',
		),
	],
};

/** What a record locator says beyond its entity: its description, examples and the URL forms it names. */
export interface RecordLocatorSpec {
	description: string;
	searchListMethod: string;
	idExample: string;
	/** The URL forms accepted, for the UI's error message. */
	urlForms: string;
}

/** The locator of one record of an entity: From List, By ID, By URL (parsed by helpers/locators.ts). */
export function recordLocator(entity: EntityDescriptor, spec: RecordLocatorSpec): INodeProperties {
	return {
		displayName: entity.displayName,
		name: entity.locatorParameter,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: spec.description,
		modes: [
			fromListMode(spec.searchListMethod),
			byIdMode(`e.g. ${spec.idExample}`),
			byUrlMode(
				`https://api.businesscentral.dynamics.com/v2.0/…/companies(…)/${entity.entitySet}(…)`,
				entity.entitySet,
				`Not a ${entity.label} URL (${spec.urlForms})`,
			),
		],
	};
}

/** Batch Size, Max Concurrent Requests and Use Batch Requests: the same for every Update. */
const batchingOptions: INodeProperties[] = [
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 100,
		description:
			'Operations per $batch request when "Use Batch Requests" is on (Business Central accepts at most 100)',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 5 },
		default: 5,
		description:
			'How many $batch requests may be in flight at once. Business Central processes at most 5 requests per user at a time and queues or throttles the rest.',
	},
	{
		displayName: 'Use Batch Requests',
		name: 'batching',
		type: 'boolean',
		default: true,
		description:
			'Whether to send many items as $batch requests (reads of eTags, then PATCHes, up to 100 per request) instead of a GET and a PATCH per item. Used when more than one item arrives. Each item still succeeds or fails on its own.',
	},
];

const conflictPolicies: INodePropertyOptions[] = [
	{
		name: 'Fail',
		value: 'fail',
		description: 'Report that the record changed since it was read; nothing is written',
	},
	{
		name: 'Fetch Latest and Retry Once',
		value: 'retryOnce',
		description:
			'Read the current version and apply the change to it once more; fail if it changes again',
	},
	{
		name: 'Overwrite Regardless',
		value: 'overwrite',
		description:
			'Apply the change whatever changed in between (last writer wins): on a conflict, read the current version and write on top of it, up to Max Retries times',
	},
];

/** The options of an Update that speak of its record: eTag, conflicts, previous values, retries, Timeout. */
function concurrencyOptions(record: string): INodeProperties[] {
	return [
		{
			displayName: 'eTag',
			name: 'eTag',
			type: 'string',
			default: '',
			placeholder: 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDA7Jw=="',
			description: `Version of the record your change is based on: map the @odata.etag output of a previous step. Empty: the node reads the ${record} and uses its current eTag.`,
		},
		{
			displayName: 'Include Previous Values',
			name: 'includePreviousValues',
			type: 'boolean',
			default: false,
			description:
				'Whether to add "previousValues" to the output: the values the changed fields had before the update',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description: `How often to retry a request that Business Central throttled (429) or could not serve (503; for reads also 408, 502, 504), waiting as it asks (Retry-After) or with exponential back-off (from the 6th retry of a 429, 60 s each: at 10 the waits outlast Business Central's 5-minute rate window). A PATCH that got no answer is sent again only after re-reading the ${record} shows it was not applied.`,
		},
		{
			displayName: 'On eTag Conflict',
			name: 'onConflict',
			type: 'options',
			options: conflictPolicies,
			default: 'fail',
			description: `What to do when Business Central answers that the ${record} was changed by someone else (409 Request_EntityChanged or 412)`,
		},
		{
			// the unit in the label: n8n shows no unit next to a number input
			displayName: 'Timeout (Milliseconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 120000,
			description: `Milliseconds each request may take in all, from connecting to the last byte of the answer, before the node gives up on it (an answer that keeps trickling in is cut too). A read is then repeated (up to Max Retries); a PATCH is never blindly sent again: the node re-reads the ${record} to see whether it was applied.`,
		},
	];
}

/** Options of every Update: eTag, conflict policy, previous values, batching, retries, Timeout. */
export function updateOptions(entity: EntityDescriptor): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: `How the update is guarded and sent: the eTag it is based on, what to do when the ${entity.shortLabel} changed meanwhile, $batch, retries and Timeout. Leave empty to read the current eTag and fail on a conflict.`,
		options: [...batchingOptions, ...concurrencyOptions(entity.shortLabel)].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** Top-level "Simplify" of the read operations (n8n's convention: on by default); `more` names what Off adds. */
export function simplifyProperty(entity: EntityDescriptor, more: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simple',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint: `Simplified: ${entity.simpleFields.join(', ')}. Off: every property Business Central returns (${more}, …).`,
	};
}

/**
 * The UI input of a writable property, from its declaration in the entity: text for text,
 * Code fields, numbers and dates (they start empty, so adding a field writes nothing by
 * itself, and a number typed or mapped is checked before any request), a switch for a
 * boolean, a list for an option. `description` says what the property is.
 */
export function fieldProperty(
	entity: EntityDescriptor,
	name: string,
	description: string,
): INodeProperties {
	const field = entity.fields[name];
	const base = { displayName: field.displayName, name };
	if (field.kind === 'boolean') return { ...base, type: 'boolean', default: false, description };
	if (field.kind === 'option') {
		const options = (field.values ?? []).map((value) => ({
			name: value.trim() || '(Not Blocked)',
			value,
		}));
		return { ...base, type: 'options', options, default: field.values?.[0] ?? '', description };
	}
	const limits = [
		field.maxLength ? `max ${field.maxLength} characters` : undefined,
		field.kind === 'code'
			? 'sent trimmed and upper-cased, as Business Central stores Code fields'
			: undefined,
	].filter(Boolean);
	const note = limits.length ? ` (${limits.join('; ')})` : '';
	return { ...base, type: 'string', default: '', description: `${description}${note}` };
}

/** Version 2's "Clear Fields" for an entity: the text properties that may be emptied. */
export function clearFieldsProperty(entity: EntityDescriptor): INodeProperties {
	const clearable = Object.entries(entity.fields).filter(([, field]) => field.clearable);
	return {
		displayName: 'Clear Fields',
		name: 'clearFields',
		type: 'multiOptions',
		default: [],
		description:
			'Text properties to empty (set to ""). Use this instead of an empty value, which is refused so that a field added but not filled in is never written.',
		options: clearable.map(([value, field]) => ({ name: field.displayName, value })),
	};
}

/** Get Many's Return All and Limit (n8n's convention). */
export const returnAllProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Get Many's Options → Fields (`$select`). */
export function getAllOptions(entity: EntityDescriptor, example: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: `Which properties of each ${entity.shortLabel} to return. Leave empty to return all of them.`,
		options: [
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'string',
				default: '',
				placeholder: `e.g. ${example}`,
				description:
					'Comma-separated properties to return ($select); empty returns all. @odata.etag always comes along. When set, exactly these properties are returned, whatever Simplify says.',
			},
		],
	};
}

/** The "Filters" collection of a Get Many: each filter added becomes an OData condition, all ANDed. */
export function filtersCollection(what: string, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: `Only ${what} matching every filter added here are returned`,
		options,
	};
}

/** The two credentials, each shown for its Authentication choice (both nodes of the package). */
export const businessCentralCredentials: INodeCredentialDescription[] = [
	{
		name: 'businessCentralOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		name: 'businessCentralApi',
		required: true,
		displayOptions: { show: { authentication: ['bearerToken'] } },
	},
];

/** Authentication: which of the two credentials the node uses. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2 (Client Credentials)', value: 'oAuth2' },
		{ name: 'Bearer Token', value: 'bearerToken' },
	],
	default: 'oAuth2',
};
