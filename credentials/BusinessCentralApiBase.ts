import type { INodeProperties } from 'n8n-workflow';

/**
 * Where the Business Central API lives. Shared by both credentials so that a
 * workflow can switch between a pasted token and client credentials without
 * re-entering the environment. The node resolves the same fields in
 * `nodes/BusinessCentral/helpers/apiBase.ts`; the expression below is the same
 * rule written for n8n's credential test request.
 */
export const apiBaseProperties: INodeProperties[] = [
	{
		displayName: 'Deployment',
		name: 'deployment',
		type: 'options',
		options: [
			{
				name: 'Business Central Online (SaaS)',
				value: 'saas',
				description: 'https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/api/{version}',
			},
			{
				name: 'Business Central On-Premises',
				value: 'onPremises',
				description: 'Your server URL, e.g. https://bc.contoso.local:7048/BC240',
			},
			{
				name: 'Dynamics 365 for Financials (Legacy Beta)',
				value: 'financialsBeta',
				description: 'https://api.financials.dynamics.com/v1.0/api/beta',
			},
			{
				name: 'Custom API Base URL',
				value: 'custom',
				description: 'Any full API base, e.g. a proxy or the local sandbox',
			},
		],
		default: 'saas',
	},
	{
		displayName: 'Environment Name',
		name: 'environment',
		type: 'string',
		default: 'production',
		required: true,
		description:
			'Name of the Business Central environment, as shown in the Business Central admin center (e.g. "production" or "sandbox")',
		displayOptions: { show: { deployment: ['saas'] } },
	},
	{
		displayName: 'Server URL',
		name: 'serverUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://bc.contoso.local:7048/BC240',
		description: 'Base URL of the Business Central server instance, without /api',
		displayOptions: { show: { deployment: ['onPremises'] } },
	},
	{
		displayName: 'API Version',
		name: 'apiVersion',
		type: 'options',
		options: [
			{ name: 'v2.0 (Recommended)', value: 'v2.0' },
			{ name: 'v1.0', value: 'v1.0' },
		],
		default: 'v2.0',
		displayOptions: { show: { deployment: ['saas', 'onPremises'] } },
	},
	{
		displayName: 'API Base URL',
		name: 'customBaseUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://api.businesscentral.dynamics.com/v2.0/{tenant}/production/api/v2.0',
		description:
			'Full base URL of the API, up to and including the version segment (…/api/v2.0, …/api/v1.0 or …/api/beta)',
		displayOptions: { show: { deployment: ['custom'] } },
	},
];

/** The API base as an n8n expression over the credential's own fields (for `test` requests). */
export const apiBaseUrlExpression =
	"={{ $credentials.deployment === 'saas' ? 'https://api.businesscentral.dynamics.com/v2.0/' + $credentials.tenantId + '/' + $credentials.environment + '/api/' + $credentials.apiVersion : $credentials.deployment === 'onPremises' ? $credentials.serverUrl.replace(/\\/+$/, '') + '/api/' + $credentials.apiVersion : $credentials.deployment === 'financialsBeta' ? 'https://api.financials.dynamics.com/v1.0/api/beta' : $credentials.customBaseUrl.replace(/\\/+$/, '') }}";
