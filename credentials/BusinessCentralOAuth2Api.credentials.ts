import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { apiBaseProperties, oAuth2CompaniesTestRequest } from './BusinessCentralApiBase';

/**
 * Service-to-service access through Microsoft Entra ID's client credentials
 * grant. n8n requests the token and requests a new one when Business Central
 * answers 401 (tokens live 60–90 minutes), so long and scheduled runs keep going.
 */
export class BusinessCentralOAuth2Api implements ICredentialType {
	name = 'businessCentralOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Business Central OAuth2 API';

	icon: Icon = {
		light: 'file:../icons/businessCentral.svg',
		dark: 'file:../icons/businessCentral.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-business-central/n8n-nodes-business-central#business-central-oauth2-api-recommended';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'contoso.onmicrosoft.com',
			description:
				'Microsoft Entra tenant ID (GUID) or primary domain: used for the token endpoint and, for Business Central Online, in the API URL',
		},
		{
			displayName: 'Microsoft Entra Endpoint',
			name: 'entraEndpoint',
			type: 'options',
			options: [
				{ name: 'Global (login.microsoftonline.com)', value: 'global' },
				{ name: 'US Government (login.microsoftonline.us)', value: 'usGov' },
				{ name: 'China (login.chinacloudapi.cn)', value: 'china' },
				{ name: 'Custom Token URL', value: 'custom' },
			],
			default: 'global',
		},
		{
			displayName: 'Token URL',
			name: 'customTokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
			displayOptions: { show: { entraEndpoint: ['custom'] } },
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				"={{ $self['entraEndpoint'] === 'custom' ? $self['customTokenUrl'] : ($self['entraEndpoint'] === 'usGov' ? 'https://login.microsoftonline.us' : $self['entraEndpoint'] === 'china' ? 'https://login.chinacloudapi.cn' : 'https://login.microsoftonline.com') + '/' + $self['tenantId'] + '/oauth2/v2.0/token' }}",
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'https://api.businesscentral.dynamics.com/.default',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		// oAuth2Api's generic toggles for extra token-request fields: Entra's client
		// credentials grant needs none, and shown they sit between the Client Secret and
		// the Business Central fields (n8n keeps an inherited field at the parent's place).
		{
			displayName: 'Send Additional Body Properties',
			name: 'sendAdditionalBodyProperties',
			type: 'hidden',
			default: false,
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'hidden',
			default: '',
		},
		...apiBaseProperties,
	];

	test: ICredentialTestRequest = oAuth2CompaniesTestRequest();
}
