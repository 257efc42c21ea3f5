import type {
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveApiBase, type ApiBase } from '../helpers/apiBase';
import { secretsOf } from './redact';

export type BcFunctions =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export type CredentialType = 'businessCentralApi' | 'businessCentralOAuth2Api';

export interface Connection {
	credentialType: CredentialType;
	base: ApiBase;
	/**
	 * The credential's secrets (token, client secret, OAuth2 tokens), to redact from
	 * whatever Business Central or a proxy echoes back. n8n applies the credential inside
	 * its request helper, so the node reads the same values here.
	 */
	secrets: string[];
	/** Whether the secrets were re-read after a request (an OAuth2 token is fetched by the first one). */
	secretsRefreshed?: boolean;
}

const connections = new WeakMap<object, Promise<Connection>>();

function authenticationOf(context: BcFunctions): string {
	if ('getInputData' in context) {
		return context.getNodeParameter('authentication', 0, 'oAuth2') as string;
	}
	return context.getNodeParameter('authentication', 'oAuth2') as string;
}

async function connect(context: BcFunctions): Promise<Connection> {
	const credentialType: CredentialType =
		authenticationOf(context) === 'bearerToken' ? 'businessCentralApi' : 'businessCentralOAuth2Api';
	const credentials = await context.getCredentials(credentialType);
	try {
		return { credentialType, base: resolveApiBase(credentials), secrets: secretsOf(credentials) };
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			description: 'Fix the Business Central credential: its API base cannot be built.',
		});
	}
}

/** Credential type and API base for this node run, resolved once per execution context. */
export async function getConnection(context: BcFunctions): Promise<Connection> {
	let connection = connections.get(context);
	if (!connection) {
		connection = connect(context);
		connections.set(context, connection);
	}
	return await connection;
}

/**
 * Re-reads the credential's secrets: n8n fetches or renews an OAuth2 token inside its
 * request helper, so the token in use may be newer than the one read at connect time.
 */
export async function refreshSecrets(context: BcFunctions, connection: Connection): Promise<void> {
	const credentials = await context.getCredentials(connection.credentialType);
	connection.secretsRefreshed = true;
	connection.secrets = [...new Set([...secretsOf(credentials), ...connection.secrets])].sort(
		(a, b) => b.length - a.length,
	);
}
