/** Workflow and credential builders shared by the tests (nock and sandbox). */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { ITEMS_NODE_TYPE, NODE_TYPE, type WorkflowJson } from '../dev/engine.cjs';

export const TENANT = 'contoso.onmicrosoft.com';
export const SAAS_BASE = `https://api.businesscentral.dynamics.com/v2.0/${TENANT}/production/api/v2.0`;
export const SAAS_ORIGIN = 'https://api.businesscentral.dynamics.com';
export const SAAS_PATH = `/v2.0/${TENANT}/production/api/v2.0`;
export const TOKEN = 'test-token-9f8e7d6c5b4a';

export const COMPANY = '5e0fe3d1-4b7c-ef11-8a6b-6045bde9c5a1';
export const JOURNAL = '2b7e4c1a-4b7c-ef11-8a6b-6045bde9c5a1';
export const PAYMENT = '9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1';
export const PAYMENT_2 = 'a01c0a52-4b7c-ef11-8a6b-6045bde9c5a2';
export const PAYMENT_3 = 'b02c0a52-4b7c-ef11-8a6b-6045bde9c5a3';
export const CUSTOMER = '11aa0a52-4b7c-ef11-8a6b-6045bde9c5a1';
export const ETAG_1 = 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDA7Jw=="';
export const ETAG_2 = 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDE7Jw=="';
export const ETAG_3 = 'W/"JzQ0O0pYb2JQVWVPZz09OzE0NTM3NzYwMTMwMDI7Jw=="';

export function bearerCredentials(overrides: IDataObject = {}): Record<string, ICredentialDataDecryptedObject> {
	return {
		businessCentralApi: {
			accessToken: TOKEN,
			tenantId: TENANT,
			deployment: 'saas',
			environment: 'production',
			apiVersion: 'v2.0',
			...overrides,
		} as ICredentialDataDecryptedObject,
	};
}

export function paymentRecord(id: string, eTag: string, values: IDataObject = {}): IDataObject {
	return {
		'@odata.context': `${SAAS_BASE}/$metadata#companies(${COMPANY})/customerPayments/$entity`,
		'@odata.etag': eTag,
		id,
		journalId: JOURNAL,
		journalDisplayName: 'CASH RCPT',
		lineNumber: 10000,
		customerId: CUSTOMER,
		customerNumber: '10000',
		postingDate: '2026-11-02',
		documentNumber: 'G02001',
		externalDocumentNumber: '',
		amount: -1500,
		appliesToInvoiceId: '00000000-0000-0000-0000-000000000000',
		appliesToInvoiceNumber: '',
		description: 'Payment from Adatum',
		comment: '',
		lastModifiedDateTime: '2026-11-02T10:00:00Z',
		...values,
	};
}

export function bcError(code: string, message: string): IDataObject {
	return {
		error: { code, message: `${message}  CorrelationId:  4f6e2a0c-8d2b-4e51-9f3a-2c1d0b9e8a7f.` },
	};
}

export interface UpdateNodeOptions {
	authentication?: 'bearerToken' | 'oAuth2';
	company?: IDataObject | string;
	journal?: IDataObject;
	payment?: IDataObject | string;
	updateFields?: IDataObject;
	options?: IDataObject;
	continueOnFail?: boolean;
}

export function locator(value: string, mode = 'id'): IDataObject {
	return { __rl: true, mode, value };
}

export function businessCentralNode(parameters: UpdateNodeOptions): INode {
	const authentication = parameters.authentication ?? 'bearerToken';
	const company = parameters.company ?? COMPANY;
	const payment = parameters.payment ?? PAYMENT;
	return {
		id: 'bc-node',
		name: 'Business Central',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: {
			authentication,
			resource: 'customerPayment',
			operation: 'update',
			company: typeof company === 'string' ? locator(company) : company,
			journal: parameters.journal ?? locator('', 'list'),
			customerPayment: typeof payment === 'string' ? locator(payment) : payment,
			updateFields: parameters.updateFields ?? { amount: -1750 },
			options: parameters.options ?? {},
		} as INode['parameters'],
		credentials:
			authentication === 'bearerToken'
				? { businessCentralApi: { id: '1', name: 'Business Central token' } }
				: { businessCentralOAuth2Api: { id: '2', name: 'Business Central OAuth2' } },
		...(parameters.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Items → Business Central. Node parameters may use expressions over the items. */
export function updateWorkflow(items: IDataObject[], parameters: UpdateNodeOptions = {}): WorkflowJson {
	return {
		name: 'update customer payments',
		nodes: [
			{
				id: 'items-node',
				name: 'Items',
				type: ITEMS_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(items) },
			},
			businessCentralNode(parameters),
		],
		connections: {
			Items: { main: [[{ node: 'Business Central', type: 'main' as never, index: 0 }]] },
		},
	};
}
