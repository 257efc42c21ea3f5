/**
 * The credential dialog's *Test* (run as n8n 2.8.4 runs it, dev/credentialTester.cts)
 * against the Business Central sandbox over loopback HTTP: its 401 answers carry Business
 * Central's error body (sandbox/errors.cts) and its token endpoint Entra's (sandbox/auth.cts).
 * No nock in this file.
 */
import { n8nCredentialTest } from '../dev/credentialTester.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { sandboxBearerCredentials, sandboxOAuth2Credentials } from './fixtures.cjs';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ seed: 1313 });
});

afterAll(async () => {
	await sandbox.close();
});

test('Bearer: the sandbox token lists a company', async () => {
	const { businessCentralApi } = sandboxBearerCredentials(sandbox);
	expect(await n8nCredentialTest('businessCentralApi', businessCentralApi)).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
});

test('Bearer: a token the sandbox never issued reads Business Central’s reason', async () => {
	const { businessCentralApi } = sandboxBearerCredentials(sandbox, 'v2.0', {
		accessToken: 'expired-or-foreign',
	});
	const result = await n8nCredentialTest('businessCentralApi', businessCentralApi);
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(
		/^Business Central refused the token \(Authentication_InvalidCredentials\)/,
	);
});

test('OAuth2: client credentials from the sandbox’s token endpoint list a company', async () => {
	const { businessCentralOAuth2Api } = sandboxOAuth2Credentials(sandbox);
	expect(await n8nCredentialTest('businessCentralOAuth2Api', businessCentralOAuth2Api)).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
});

test('OAuth2: a wrong client secret is refused by the token endpoint, named by n8n’s OAuth2 client', async () => {
	const { businessCentralOAuth2Api } = sandboxOAuth2Credentials(sandbox, 'v2.0', {
		clientSecret: 'wrong-secret',
	});
	const result = await n8nCredentialTest('businessCentralOAuth2Api', businessCentralOAuth2Api);
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/^Client authentication failed/);
	expect(result.message).not.toContain('wrong-secret');
});
