/**
 * The API base of every deployment type (SaaS v2.0/v1.0, on-premises, legacy
 * Financials beta, custom), and the properties that only some versions have.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { runWorkflow } from '../dev/engine.cjs';
import {
	bearerCredentials,
	COMPANY,
	ETAG_1,
	ETAG_2,
	locator,
	PAYMENT,
	paymentPath,
	paymentRecord,
	TENANT,
	TOKEN,
	updateWorkflow,
	useNock,
} from './fixtures.cjs';

const requests = useNock(nock);

interface Deployment {
	name: string;
	credentials: IDataObject;
	origin: string;
	basePath: string;
	contactId: boolean;
}

const DEPLOYMENTS: Deployment[] = [
	{
		name: 'SaaS, API v2.0',
		credentials: { deployment: 'saas', environment: 'production', apiVersion: 'v2.0' },
		origin: 'https://api.businesscentral.dynamics.com',
		basePath: `/v2.0/${TENANT}/production/api/v2.0`,
		contactId: false,
	},
	{
		name: 'SaaS, API v1.0, sandbox environment',
		credentials: { deployment: 'saas', environment: 'Sandbox_2', apiVersion: 'v1.0' },
		origin: 'https://api.businesscentral.dynamics.com',
		basePath: `/v2.0/${TENANT}/Sandbox_2/api/v1.0`,
		contactId: true,
	},
	{
		name: 'SaaS with a tenant GUID',
		credentials: { deployment: 'saas', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', environment: 'production' },
		origin: 'https://api.businesscentral.dynamics.com',
		basePath: '/v2.0/72f988bf-86f1-41af-91ab-2d7cd011db47/production/api/v2.0',
		contactId: false,
	},
	{
		name: 'on-premises, API v2.0',
		credentials: { deployment: 'onPremises', serverUrl: 'https://bc.contoso.local:7048/BC240', apiVersion: 'v2.0' },
		origin: 'https://bc.contoso.local:7048',
		basePath: '/BC240/api/v2.0',
		contactId: false,
	},
	{
		name: 'on-premises, API v1.0, server URL with trailing slash',
		credentials: { deployment: 'onPremises', serverUrl: 'https://bc.contoso.local:7048/BC240/', apiVersion: 'v1.0' },
		origin: 'https://bc.contoso.local:7048',
		basePath: '/BC240/api/v1.0',
		contactId: true,
	},
	{
		name: 'legacy Dynamics 365 for Financials beta',
		credentials: { deployment: 'financialsBeta' },
		origin: 'https://api.financials.dynamics.com',
		basePath: '/v1.0/api/beta',
		contactId: true,
	},
	{
		name: 'custom API base (v2.0, trailing slash)',
		credentials: { deployment: 'custom', customBaseUrl: 'https://bc-proxy.example.net/bc/api/v2.0/' },
		origin: 'https://bc-proxy.example.net',
		basePath: '/bc/api/v2.0',
		contactId: false,
	},
	{
		name: 'custom API base (beta)',
		credentials: { deployment: 'custom', customBaseUrl: 'https://bc-proxy.example.net/bc/api/beta' },
		origin: 'https://bc-proxy.example.net',
		basePath: '/bc/api/beta',
		contactId: true,
	},
];

describe.each(DEPLOYMENTS)('$name', ({ credentials, origin, basePath, contactId }) => {
	const path = paymentPath(PAYMENT, basePath);

	test(`GET and PATCH go to ${origin}${basePath}/companies(…)/customerPayments(…)`, async () => {
		const scope = nock(origin, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.get(path)
			.reply(200, paymentRecord(PAYMENT, ETAG_1))
			.patch(path, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials(credentials) });

		expect(result.error()).toBeUndefined();
		expect(result.output('Business Central')[0].json).toMatchObject({ id: PAYMENT, amount: -1750 });
		expect(scope.isDone()).toBe(true);
	});

	test('a payment URL on this API is accepted', async () => {
		const scope = nock(origin)
			.patch(path, { amount: -1750 })
			.matchHeader('if-match', ETAG_1)
			.reply(200, paymentRecord(PAYMENT, ETAG_2, { amount: -1750 }));

		const result = await runWorkflow(
			updateWorkflow([{ n: 1 }], {
				payment: locator(`${origin}${basePath}/companies(${COMPANY})/customerPayments(${PAYMENT})`, 'url'),
				options: { eTag: ETAG_1 },
			}),
			{ credentials: bearerCredentials(credentials) },
		);

		expect(result.error()).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	if (contactId) {
		test('Contact ID is sent (the property exists in this API version)', async () => {
			const scope = nock(origin)
				.patch(path, { contactId: 'CT000123' })
				.matchHeader('if-match', ETAG_1)
				.reply(200, paymentRecord(PAYMENT, ETAG_2, { contactId: 'CT000123' }));

			const result = await runWorkflow(
				updateWorkflow([{ n: 1 }], { updateFields: { contactId: 'CT000123' }, options: { eTag: ETAG_1 } }),
				{ credentials: bearerCredentials(credentials) },
			);

			expect(result.error()).toBeUndefined();
			expect(result.output('Business Central')[0].json.contactId).toBe('CT000123');
			expect(scope.isDone()).toBe(true);
		});
	} else {
		test('Contact ID is refused before any request (API v2.0 has no contactId)', async () => {
			const result = await runWorkflow(
				updateWorkflow([{ n: 1 }], { updateFields: { amount: -5, contactId: 'CT000123' } }),
				{ credentials: bearerCredentials(credentials) },
			);

			const error = result.error('Business Central');
			expect(error?.message).toBe(
				'Invalid Contact ID: "CT000123" cannot be set: API v2.0 has no "contactId" property (only v1.0 and beta) (item 0)',
			);
			expect(error?.context).toMatchObject({ field: 'Contact ID', itemIndex: 0 });
			expect(requests.unmatched).toEqual([]);
		});
	}
});

describe('unusable credential fields: error naming the field, no request', () => {
	test.each<[string, IDataObject, string]>([
		['a tenant with a slash', { tenantId: 'contoso.onmicrosoft.com/../other' }, 'Credential field "Tenant ID"'],
		['an empty tenant', { tenantId: '' }, 'Credential field "Tenant ID"'],
		['an environment with a slash', { environment: 'production/../x' }, 'Credential field "Environment Name"'],
		['a custom base that is not a URL', { deployment: 'custom', customBaseUrl: 'bc-proxy/api/v2.0' }, 'Credential field "API Base URL"'],
		['an on-premises server URL on ftp', { deployment: 'onPremises', serverUrl: 'ftp://bc.contoso.local/BC240' }, 'must be an http(s) URL'],
	])('%s', async (_name, overrides, expected) => {
		const result = await runWorkflow(updateWorkflow([{ n: 1 }]), { credentials: bearerCredentials(overrides) });

		const error = result.error('Business Central');
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(expected);
		expect(result.output('Business Central')).toEqual([]);
		expect(requests.unmatched).toEqual([]);
	});
});
