import type {
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Where the Business Central API lives. Shared by both credentials so that a
 * workflow can switch between a pasted token and client credentials without
 * re-entering the environment. The node resolves the same fields in
 * `nodes/BusinessCentral/helpers/apiBase.ts`; the expression below is the same
 * rule written for n8n's credential test request.
 */
export const deploymentProperty: INodeProperties = {
	displayName: 'Deployment',
	name: 'deployment',
	type: 'options',
	options: [
		{
			name: 'Business Central Online (SaaS)',
			value: 'saas',
			description:
				'https://api.businesscentral.dynamics.com/v2.0/{tenant}/{environment}/api/{version}',
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
};

/** Where in the deployment: environment, server, API version or a full base URL. */
export const apiLocationProperties: INodeProperties[] = [
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

/** Deployment first, then where in it: the order a person fills them in. */
export const apiBaseProperties: INodeProperties[] = [deploymentProperty, ...apiLocationProperties];

const NOT_FOUND_MESSAGE =
	'Business Central has no API at this address (BadRequest_NotFound): check Deployment, Tenant ID, Environment Name and API Version.';

const NO_COMPANIES_MESSAGE =
	'Business Central did not list the companies: often a token for another tenant or resource, an environment name that does not exist, a server that is not Business Central, or a redirect, which is not followed. Check Tenant ID, Environment Name and the API base fields; if they are right, Business Central may be busy or unavailable (429, 5xx): test again in a few minutes.';

// A list without a company is no proof either: another OData service answers `{"value":[]}`,
// and every Business Central operation of this node needs a company.
const NO_COMPANY_MESSAGE =
	'Business Central listed no company: the answer had an empty or foreign list, so the address may be another service, or the environment has no company yet. Check the API base fields, and that the environment has a company.';

/** A 200 is a success only with a company in its list (the rules read the body alone). */
const companyListRules: IAuthenticateRuleResponseSuccessBody[] = [
	{
		type: 'responseSuccessBody',
		properties: { key: 'value', value: undefined, message: NO_COMPANIES_MESSAGE },
	},
	{
		type: 'responseSuccessBody',
		// `$select=id,name`: a company Business Central lists always has its id.
		properties: { key: 'value.0.id', value: undefined, message: NO_COMPANY_MESSAGE },
	},
];

const companiesRequest: ICredentialTestRequest['request'] = {
	baseURL: apiBaseUrlExpression,
	url: '/companies',
	qs: { $top: 1, $select: 'id,name' },
	// A redirect would carry the Authorization header to wherever it points.
	disableFollowRedirect: true,
};

/**
 * The Bearer credential's test: list one company. n8n 2.8 reports a failed test request only
 * by its HTTP status ("Authorization failed - please check your credentials"), so the request
 * takes every answer (`ignoreHttpStatusErrors`) and n8n's `responseSuccessBody` rules read
 * Business Central's error code from the body, first match wins; an answer without at least
 * one listed company is never called a success; the rules see the body only (n8n hands them
 * no status), so the last messages cover 429/5xx too.
 */
export function companiesTestRequest(invalidCredentialsMessage: string): ICredentialTestRequest {
	return {
		request: { ...companiesRequest, ignoreHttpStatusErrors: true },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 'Authentication_InvalidCredentials',
					message: invalidCredentialsMessage,
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: 'BadRequest_NotFound', message: NOT_FOUND_MESSAGE },
			},
			...companyListRules,
		],
	};
}

/**
 * The OAuth2 credential's test: the same listing, but failures stay errors. The editor tests a
 * saved credential (on opening it, too) with the token n8n stored, and n8n-core renews an
 * expired one only when the request fails with 401 as an error (requestOAuth2): with
 * `ignoreHttpStatusErrors` a token an hour old would read as the app being refused. So a
 * failure reads in n8n's words ("Authorization failed - please check your credentials" after a
 * renewed token was refused too), and only a 200 is checked for a company.
 */
export function oAuth2CompaniesTestRequest(): ICredentialTestRequest {
	return { request: companiesRequest, rules: companyListRules };
}
