/**
 * The Timeout bounds the whole answer, and an answer that is not HTTP is "no clear
 * answer": against real servers on 127.0.0.1 (not nock, not the sandbox), configured
 * as a Custom API Base URL credential. A trickling server sends one byte every
 * 300 ms and would hold a run forever under an idle timeout; a broken server answers
 * bytes that are not HTTP (Node's HPE_* parser errors). Writes cut that way are
 * verified by re-reading, never re-sent blindly. The time bounds are generous
 * (correctness, not performance).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

import { runWorkflow } from '../dev/engine.cjs';
import { bearerCredentials, ETAG_1, ETAG_2, expectNoSecrets, PAYMENT, paymentRecord, updateWorkflow } from './fixtures.cjs';

const NODE = 'Business Central';
const TIMEOUT_MS = 500;
const BOUND_MS = 10_000;
const APPLIED = paymentRecord(PAYMENT, ETAG_2, { amount: -1750 });

interface Seen {
	methods: string[];
}

/** Starts a server, returns its API base and a closer. */
async function listen(server: net.Server): Promise<{ base: string; close: () => Promise<void> }> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		base: `http://127.0.0.1:${port}/bc/api/v2.0`,
		close: async () => {
			(server as http.Server).closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** GET answers the record as applied; PATCH (and GET when `trickleGet`) trickles its answer forever. */
function tricklingServer(seen: Seen, trickleGet: boolean): http.Server {
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((request, response) => {
		seen.methods.push(request.method ?? '?');
		request.resume();
		if (request.method === 'GET' && !trickleGet) {
			response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(APPLIED));
			return;
		}
		response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
		const timer = setInterval(() => response.write(' '), 300);
		timers.add(timer);
		response.on('close', () => clearInterval(timer));
	});
	server.on('close', () => timers.forEach((timer) => clearInterval(timer)));
	return server;
}

/** A server whose PATCH answer is not HTTP; its GET answers the record as applied. */
function brokenHttpServer(seen: Seen, garbage: string): net.Server {
	return net.createServer((socket) => {
		socket.once('data', (chunk) => {
			const method = chunk.toString('latin1').split(' ')[0];
			seen.methods.push(method);
			if (method === 'PATCH') {
				socket.end(garbage);
				return;
			}
			const body = JSON.stringify(APPLIED);
			socket.end(
				`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
			);
		});
		socket.on('error', () => undefined);
	});
}

async function update(base: string, options: Record<string, unknown>) {
	const started = Date.now();
	const result = await runWorkflow(
		updateWorkflow([{ n: 1 }], { updateFields: { amount: -1750 }, options: { timeout: TIMEOUT_MS, ...options } }),
		{ credentials: bearerCredentials({ deployment: 'custom', customBaseUrl: base }) },
	);
	return { result, elapsed: Date.now() - started };
}

describe('Timeout bounds the whole answer (a server trickling one byte every 300 ms)', () => {
	test('GET trickles: the run ends after the Timeout with "no answer", not when the server stops', async () => {
		const seen: Seen = { methods: [] };
		const server = await listen(tricklingServer(seen, true));
		try {
			const { result, elapsed } = await update(server.base, { maxRetries: 0 });

			expect(result.error(NODE)?.message).toContain('no complete answer within Timeout');
			expect(result.output(NODE)).toEqual([]);
			expect(elapsed).toBeLessThan(BOUND_MS);
			expect(seen.methods).toEqual(['GET']);
			expectNoSecrets([result.run]);
		} finally {
			await server.close();
		}
	});

	test('PATCH trickles: no answer within Timeout counts as ambiguous; the re-read shows it applied → success, one PATCH', async () => {
		const seen: Seen = { methods: [] };
		const server = await listen(tricklingServer(seen, false));
		try {
			const { result, elapsed } = await update(server.base, { eTag: ETAG_1 });

			expect(result.error()).toBeUndefined();
			expect(result.output(NODE)[0].json).toMatchObject({ id: PAYMENT, amount: -1750, '@odata.etag': ETAG_2 });
			expect(seen.methods).toEqual(['PATCH', 'GET']);
			expect(elapsed).toBeLessThan(BOUND_MS);
		} finally {
			await server.close();
		}
	});
});

describe('an answer that is not HTTP is "no clear answer" (statusCode 0), so the write is verified', () => {
	test.each([
		['garbage instead of a status line', 'HELLO, THIS IS NOT HTTP\r\n\r\n'],
		['a status line with a broken header', 'HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}'],
	])('PATCH answered with %s: re-read, applied → success, one PATCH', async (_name, garbage) => {
		const seen: Seen = { methods: [] };
		const server = await listen(brokenHttpServer(seen, garbage));
		try {
			const { result } = await update(server.base, { eTag: ETAG_1 });

			expect(result.error()).toBeUndefined();
			expect(result.output(NODE)[0].json).toMatchObject({ id: PAYMENT, amount: -1750 });
			expect(seen.methods).toEqual(['PATCH', 'GET']);
		} finally {
			await server.close();
		}
	});
});

