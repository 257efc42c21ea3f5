import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	apiLocationProperties,
	companiesTestRequest,
	deploymentProperty,
} from './BusinessCentralApiBase';

/**
 * A bearer token the user obtained elsewhere (Postman, az cli, another workflow).
 * Entra ID tokens expire after 60–90 minutes, so this credential suits tests and
 * one-off runs; scheduled workflows should use Business Central OAuth2 API.
 */
export class BusinessCentralApi implements ICredentialType {
	name = 'businessCentralApi';

	displayName = 'Business Central Bearer Token API';

	icon: Icon = {
		light: 'file:../icons/businessCentral.svg',
		dark: 'file:../icons/businessCentral.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-business-central/n8n-nodes-business-central#business-central-bearer-token-api';

	// As a person fills them in: where (deployment, tenant, environment), then the token.
	properties: INodeProperties[] = [
		deploymentProperty,
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'contoso.onmicrosoft.com',
			description:
				'Microsoft Entra tenant ID (GUID) or primary domain of the Business Central tenant',
			displayOptions: { show: { deployment: ['saas'] } },
		},
		...apiLocationProperties,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A Microsoft Entra ID access token for Business Central, obtained outside n8n. Such tokens expire after about an hour: for scheduled workflows use the Business Central OAuth2 API credential, which renews its token.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = companiesTestRequest(
		'Business Central refused the token (Authentication_InvalidCredentials). Tokens expire after about an hour: get a new one, issued for https://api.businesscentral.dynamics.com and the tenant in Tenant ID, or use the Business Central OAuth2 API credential, which renews its token.',
	);
}
