import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveApiBase, type ApiBase } from '../helpers/apiBase';

export type BcFunctions = IExecuteFunctions | ILoadOptionsFunctions;

export type CredentialType = 'businessCentralApi' | 'businessCentralOAuth2Api';

export interface Connection {
	credentialType: CredentialType;
	base: ApiBase;
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
		return { credentialType, base: resolveApiBase(credentials) };
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
