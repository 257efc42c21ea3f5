import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { apiBaseProperties, apiBaseUrlExpression } from './BusinessCentralApiBase';

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
		'https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/developer/devenv-develop-connect-apps';

	properties: INodeProperties[] = [
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
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'contoso.onmicrosoft.com',
			description: 'Microsoft Entra tenant ID (GUID) or primary domain of the Business Central tenant',
			displayOptions: { show: { deployment: ['saas'] } },
		},
		...apiBaseProperties,
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: apiBaseUrlExpression,
			url: '/companies',
			qs: { $top: 1, $select: 'id,name' },
			// A redirect would carry the Authorization header to wherever it points.
			disableFollowRedirect: true,
		},
	};
}
