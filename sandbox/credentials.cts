/**
 * n8n credential data pointing at a running sandbox, as the tests, the demo,
 * the benchmark and the soak pass them to dev/engine.cts `runWorkflow`.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { ApiVersion, Sandbox } from './types.cjs';

/** Bearer credential (`businessCentralApi`) pointing at the sandbox's API root. */
export function sandboxBearerCredentials(
	sandbox: Sandbox,
	api: ApiVersion = 'v2.0',
	overrides: IDataObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	return {
		businessCentralApi: {
			accessToken: sandbox.token,
			deployment: 'custom',
			customBaseUrl: sandbox.baseUrl(api),
			...overrides,
		} as ICredentialDataDecryptedObject,
	};
}

/** OAuth2 client-credentials credential (`businessCentralOAuth2Api`) using the sandbox's token endpoint. */
export function sandboxOAuth2Credentials(
	sandbox: Sandbox,
	api: ApiVersion = 'v2.0',
	overrides: IDataObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	return {
		businessCentralOAuth2Api: {
			tenantId: sandbox.tenantId,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			entraEndpoint: 'custom',
			customTokenUrl: sandbox.tokenUrl,
			deployment: 'custom',
			customBaseUrl: sandbox.baseUrl(api),
			...overrides,
		} as ICredentialDataDecryptedObject,
	};
}
