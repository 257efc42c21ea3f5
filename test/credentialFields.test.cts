/**
 * The credential dialogs list their fields in the order a person fills them in, computed
 * the way n8n's editor does (CredentialEdit: the parents' properties merged with
 * NodeHelpers.mergeNodeProperties, then the child's, which keeps an inherited field at the
 * parent's place; a field shows when it is not `hidden` and its displayOptions match).
 * The OAuth2 parent is n8n-nodes-base 2.8.1's oAuth2Api (the n8n 2.8.4 install), copied
 * below as data because n8n-nodes-base is not a dependency of this package.
 */
import {
	NodeHelpers,
	type ICredentialType,
	type INodeProperties,
	type INodeParameters,
} from 'n8n-workflow';

import { loadPackage } from '../dev/engine.cjs';
import { readmeAnchors } from './readmeAnchors.cjs';

/** n8n-nodes-base 2.8.1 dist/credentials/OAuth2Api.credentials.js: name, type, default, displayOptions. */
const OAUTH2_API_PROPERTIES = [
	{
		displayName: 'Use Dynamic Client Registration',
		name: 'useDynamicClientRegistration',
		type: 'hidden',
		default: false,
	},
	{
		displayName: 'Grant Type',
		name: 'grantType',
		type: 'options',
		default: 'authorizationCode',
		displayOptions: { show: { useDynamicClientRegistration: [false] } },
	},
	{
		displayName: 'Server URL',
		name: 'serverUrl',
		type: 'string',
		default: '',
		displayOptions: { show: { useDynamicClientRegistration: [true] } },
	},
	{
		displayName: 'Authorization URL',
		name: 'authUrl',
		type: 'string',
		default: '',
		displayOptions: {
			show: { grantType: ['authorizationCode', 'pkce'], useDynamicClientRegistration: [false] },
		},
	},
	{
		displayName: 'Access Token URL',
		name: 'accessTokenUrl',
		type: 'string',
		default: '',
		displayOptions: { show: { useDynamicClientRegistration: [false] } },
	},
	{
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		default: '',
		displayOptions: { show: { useDynamicClientRegistration: [false] } },
	},
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		default: '',
		displayOptions: { show: { useDynamicClientRegistration: [false] } },
	},
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'string',
		default: '',
		displayOptions: { show: { useDynamicClientRegistration: [false] } },
	},
	{
		displayName: 'Auth URI Query Parameters',
		name: 'authQueryParameters',
		type: 'string',
		default: '',
		displayOptions: {
			show: { grantType: ['authorizationCode', 'pkce'], useDynamicClientRegistration: [false] },
		},
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		default: 'header',
		displayOptions: { show: { useDynamicClientRegistration: [false] } },
	},
	{
		displayName: 'Send Additional Body Properties',
		name: 'sendAdditionalBodyProperties',
		type: 'boolean',
		default: false,
		displayOptions: {
			show: {
				grantType: ['clientCredentials'],
				authentication: ['body'],
				useDynamicClientRegistration: [false],
			},
		},
	},
	{
		displayName: 'Additional Body Properties',
		name: 'additionalBodyProperties',
		type: 'json',
		default: '',
		displayOptions: {
			show: {
				grantType: ['clientCredentials'],
				authentication: ['body'],
				sendAdditionalBodyProperties: [true],
				useDynamicClientRegistration: [false],
			},
		},
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'ignoreSSLIssues',
		type: 'boolean',
		default: false,
		doNotInherit: true,
	},
] as INodeProperties[];

async function credentialType(name: string): Promise<ICredentialType> {
	const { credentialTypes } = await loadPackage();
	const type = credentialTypes.get(name);
	if (!type) throw new Error(`Unknown credential type ${name}`);
	return type;
}

/** The editor's getCredentialProperties for a type that extends oAuth2Api or nothing. */
function dialogProperties(type: ICredentialType): INodeProperties[] {
	const combined: INodeProperties[] = [];
	if (type.extends?.includes('oAuth2Api'))
		NodeHelpers.mergeNodeProperties(combined, OAUTH2_API_PROPERTIES);
	NodeHelpers.mergeNodeProperties(combined, type.properties);
	return combined;
}

/** The fields the dialog shows for `values` (defaults filled in), in order. */
async function shownFields(typeName: string, values: INodeParameters): Promise<string[]> {
	const properties = dialogProperties(await credentialType(typeName));
	const data = NodeHelpers.getNodeParameters(properties, values, true, false, null, null) ?? {};
	return properties
		.filter((property) => property.type !== 'hidden')
		.filter(
			(property) =>
				!property.displayOptions || NodeHelpers.displayParameter(data, property, null, null),
		)
		.map((property) => property.name);
}

describe('Business Central Bearer Token API dialog', () => {
	test.each([
		['saas', ['deployment', 'tenantId', 'environment', 'apiVersion', 'accessToken']],
		['onPremises', ['deployment', 'serverUrl', 'apiVersion', 'accessToken']],
		['financialsBeta', ['deployment', 'accessToken']],
		['custom', ['deployment', 'customBaseUrl', 'accessToken']],
	])(
		'%s: where first (Deployment before Tenant ID), the token last',
		async (deployment, fields) => {
			expect(await shownFields('businessCentralApi', { deployment })).toEqual(fields);
		},
	);
});

describe('Business Central OAuth2 API dialog', () => {
	test('Business Central Online: the app, its tenant and endpoint, then where; no generic OAuth2 toggles', async () => {
		expect(await shownFields('businessCentralOAuth2Api', { deployment: 'saas' })).toEqual([
			'clientId',
			'clientSecret',
			'tenantId',
			'entraEndpoint',
			'deployment',
			'environment',
			'apiVersion',
		]);
	});

	test('custom token URL and API base', async () => {
		expect(
			await shownFields('businessCentralOAuth2Api', {
				deployment: 'custom',
				entraEndpoint: 'custom',
			}),
		).toEqual([
			'clientId',
			'clientSecret',
			'tenantId',
			'entraEndpoint',
			'customTokenUrl',
			'deployment',
			'customBaseUrl',
		]);
	});

	test('on-premises: Server URL keeps oAuth2Api’s place for a field of that name (above Client ID)', async () => {
		// Renaming the field would break saved credentials; n8n merges by name, in the parent's order.
		expect(await shownFields('businessCentralOAuth2Api', { deployment: 'onPremises' })).toEqual([
			'serverUrl',
			'clientId',
			'clientSecret',
			'tenantId',
			'entraEndpoint',
			'deployment',
			'apiVersion',
		]);
	});

	test('the client credentials grant, Entra token URL and Business Central scope stay fixed', async () => {
		const properties = dialogProperties(await credentialType('businessCentralOAuth2Api'));
		const fixed = Object.fromEntries(
			properties
				.filter((property) => property.type === 'hidden')
				.map((property) => [property.name, property.default]),
		);
		expect(fixed).toMatchObject({
			grantType: 'clientCredentials',
			scope: 'https://api.businesscentral.dynamics.com/.default',
			authentication: 'body',
			sendAdditionalBodyProperties: false,
			additionalBodyProperties: '',
		});
	});
});

test.each([
	['businessCentralApi', 'business-central-bearer-token-api'],
	['businessCentralOAuth2Api', 'business-central-oauth2-api-recommended'],
])('%s links its README section', async (name, anchor) => {
	const { documentationUrl } = await credentialType(name);
	expect(documentationUrl).toBe(
		`https://github.com/n8n-nodes-business-central/n8n-nodes-business-central#${anchor}`,
	);
	expect(readmeAnchors()).toContain(anchor);
});
