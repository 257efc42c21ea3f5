/**
 * The credential dialog's *Test* as n8n 2.8.4 runs it for a credential type with a
 * declarative `test` (packages/cli `CredentialsTester.testCredentials`, which prefers the
 * type's own `test` to any node's `testedBy`): the request is a one-property node whose
 * `routing.request` is `test.request`, run by n8n-core's RoutingNode with the credential,
 * and a failure becomes a message by the same steps as there: a `responseCode` rule for the
 * HTTP status, else the status text, else the error's `cause.code`, else its message; an
 * answered request is then checked against the `responseSuccessBody` rules, in order.
 * `dev/engine.cts`'s `testCredential` only sends the request; this shows what a user reads.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestRequest,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import {
	additionalDataFor,
	loadPackage,
	MemoryCredentialsHelper,
	type CredentialTestResult,
} from './engine.cjs';

interface FailedRequest {
	message: string;
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

function testNodeType(type: string, test: ICredentialTestRequest): INodeType {
	return {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	} as INodeType;
}

/** n8n's reading of a failed test request (CredentialsTester.testCredentials, catch block). */
function failureMessage(error: FailedRequest, test: ICredentialTestRequest): string {
	const response = error.cause?.response;
	if (response) {
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return rule.properties.message;
			}
		}
		if (response.status < 199 || response.status > 299) {
			return response.statusText || `Received HTTP status code: ${response.status}`;
		}
	} else if (error.cause?.code) {
		return error.cause.code;
	}
	return error.message.toString();
}

/**
 * Tests credential `data` of `type` as n8n's credential dialog does. `testRequest` replaces
 * the type's own `test` (to show what another test request would have told the user).
 */
export async function n8nCredentialTest(
	type: string,
	data: ICredentialDataDecryptedObject,
	testRequest?: ICredentialTestRequest,
): Promise<CredentialTestResult> {
	const { nodeTypes, credentialTypes } = await loadPackage();
	const test = testRequest ?? credentialTypes.get(type)?.test;
	if (!test) throw new Error(`Credential type ${type} has no declarative test`);
	const helper = new MemoryCredentialsHelper(credentialTypes, nodeTypes);
	helper.set(type, data);
	const credentials: ICredentialsDecrypted = {
		id: 'credential',
		name: 'Test',
		type,
		data: helper.decrypted(type),
	};

	const nodeType = testNodeType(type, test);
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'credential', name: 'Test' } },
	};
	const testNodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: testNodeTypes,
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalDataFor(helper),
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response: Awaited<ReturnType<RoutingNode['runNode']>>;
	try {
		response = await new RoutingNode(context, nodeType, credentials).runNode();
	} catch (error) {
		return { status: 'Error', message: failureMessage(error as FailedRequest, test) };
	}
	return successBodyRule(response, test) ?? { status: 'OK', message: 'Connection successful!' };
}

/** n8n's `responseSuccessBody` rules over the first item of an answered test request. */
function successBodyRule(
	response: INodeExecutionData[][] | undefined,
	test: ICredentialTestRequest,
): CredentialTestResult | undefined {
	const body = response?.[0]?.[0]?.json;
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			get(body, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return undefined;
}

/** lodash `get` for the dotted keys the rules use. */
function get(value: unknown, key: string): unknown {
	return key
		.split('.')
		.reduce<unknown>(
			(current, part) => (current as Record<string, unknown> | undefined)?.[part],
			value,
		);
}
