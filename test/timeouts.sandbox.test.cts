/**
 * Real timeouts against the sandbox (no nock): the node's Timeout cuts a PATCH
 * whose answer is late or never comes. After a timeout the node re-reads the
 * payment and compares before anything else:
 * - applied (the server applied it, the answer was lost) → success, reported
 *   once, no second PATCH, no false conflict;
 * - not applied (hung before applying) → sent once more with the same eTag;
 * - applied late, after the node gave up and re-sent → only one of the two
 *   lands (the late one meets a changed eTag: 409 on the server, nothing written).
 */
import { runWorkflow } from '../dev/engine.cjs';
import { startSandbox, type Sandbox } from '../sandbox/index.cjs';
import { beforeNextRequest, expectNoSecrets, sandboxActivity, sandboxBearerCredentials, updateWorkflow } from './fixtures.cjs';

const NODE = 'Business Central';
const TIMEOUT_MS = 300;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a PATCH cut by the Timeout (sandbox)', () => {
	let sandbox: Sandbox;
	let company: string;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 31 });
		company = sandbox.companies()[0].id;
	});
	afterAll(async () => await sandbox.close());
	afterEach(() => {
		sandbox.options.faults = undefined;
	});

	function newPayment() {
		const journal = sandbox.journals(company)[0].id;
		return sandbox.seedPayments(company, journal, 1)[0];
	}

	async function update(paymentId: string, amount: number, options = {}) {
		return await runWorkflow(
			updateWorkflow([{ paymentId }], {
				company,
				payment: { __rl: true, mode: 'id', value: '={{ $json.paymentId }}' },
				updateFields: { amount, description: `timeout test ${amount}` },
				options: { timeout: TIMEOUT_MS, ...options },
			}),
			{ credentials: sandboxBearerCredentials(sandbox) },
		);
	}

	test('applied, answer never came: re-read shows our values → success once, one PATCH, no conflict', async () => {
		const payment = newPayment();
		sandbox.options.faults = { applyThenHangRate: 1 }; // every write: applied, then no answer
		const activity = sandboxActivity(sandbox);
		const conflicts = sandbox.stats.conflicts;

		const result = await update(payment.id, -4321.5);

		expect(result.error()).toBeUndefined();
		const output = result.output(NODE);
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual(sandbox.getPayment(company, payment.id));
		expect(output[0].json).toMatchObject({ amount: -4321.5, description: 'timeout test -4321.5' });
		expect(sandbox.stats.faults.applyThenHang).toBeGreaterThan(0);
		expect(activity.byMethod()).toEqual({ GET: 2, PATCH: 1 });
		expect(activity.writes().filter((write) => write.method === 'PATCH')).toHaveLength(1);
		expect(sandbox.stats.conflicts).toBe(conflicts);
		expectNoSecrets([result.run], [sandbox.token]);
	});

	test('not applied (hung before applying): re-read shows the same eTag → sent once more, applied once', async () => {
		const payment = newPayment();
		const eTag = sandbox.getPayment(company, payment.id)!['@odata.etag'];
		beforeNextRequest(sandbox, 'PATCH', () => {
			sandbox.options.faults = { hangRate: 1 };
			beforeNextRequest(sandbox, 'GET', () => {
				sandbox.options.faults = undefined;
			});
		});
		const activity = sandboxActivity(sandbox);

		const result = await update(payment.id, -1234.25);

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ amount: -1234.25 });
		expect(sandbox.stats.faults.hang).toBeGreaterThan(0);
		expect(activity.byMethod()).toEqual({ GET: 2, PATCH: 2 });
		const patches = activity.writes().filter((write) => write.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(patches[0].ifMatch).toBe(eTag);
	});

	test('applied late, after the node re-sent it: only one of the two lands', async () => {
		const payment = newPayment();
		beforeNextRequest(sandbox, 'PATCH', () => {
			// this PATCH is applied 3 timeouts later; nothing after it is slowed down
			sandbox.options.faults = { slowWriteRate: 1, slowWriteMs: TIMEOUT_MS * 3 };
			beforeNextRequest(sandbox, 'GET', () => {
				sandbox.options.faults = undefined;
			});
		});
		const activity = sandboxActivity(sandbox);

		const result = await update(payment.id, -777.77);
		await wait(TIMEOUT_MS * 4); // let the late PATCH arrive at the record

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(1);
		expect(sandbox.stats.faults.slowWrite).toBeGreaterThan(0);
		const patches = activity.writes().filter((write) => write.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(sandbox.getPayment(company, payment.id)).toMatchObject({ amount: -777.77 });
	});

	test('"Overwrite Regardless" too: an unanswered write is never applied twice', async () => {
		const payment = newPayment();
		sandbox.options.faults = { applyThenHangRate: 1 };
		const activity = sandboxActivity(sandbox);

		const result = await update(payment.id, -99.5, { onConflict: 'overwrite' });

		expect(result.error()).toBeUndefined();
		expect(result.output(NODE)[0].json).toMatchObject({ amount: -99.5 });
		const patches = activity.writes().filter((write) => write.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(patches[0].ifMatch).not.toBe('*');
	});
});
