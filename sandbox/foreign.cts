/**
 * A second loopback HTTP server, on another port (so another origin): where the
 * sandbox's `redirect` fault points its `Location`. It stands for a host the
 * client was never configured for (a hijacked DNS name, a captive portal, a
 * misconfigured proxy's target). It answers 404 with a Business Central-shaped
 * error to everything, and counts every request it receives and keeps every
 * `Authorization` header (a token that left the configured host).
 */
import * as http from 'node:http';
import type { Socket } from 'node:net';

import type { ForeignHost } from './types.cjs';

export async function startForeignHost(): Promise<ForeignHost> {
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		host.requests++;
		// the lists are bounded (the count is not)
		if (host.received.length < 10_000) host.received.push(`${req.method ?? 'GET'} ${req.url ?? '/'}`);
		const authorization = req.headers.authorization;
		if (authorization && host.authorizations.length < 10_000) host.authorizations.push(authorization);
		req.resume();
		req.on('end', () => {
			const body = JSON.stringify({
				error: {
					code: 'BadRequest_NotFound',
					message: 'Foreign host: this is not the configured Business Central API.',
				},
			});
			res.writeHead(404, {
				'content-type': 'application/json; charset=utf-8',
				'content-length': String(Buffer.byteLength(body)),
			});
			res.end(body);
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const port = (server.address() as { port: number }).port;
	let closed = false;
	const host: ForeignHost = {
		url: `http://127.0.0.1:${port}`,
		requests: 0,
		received: [],
		authorizations: [],
		reset: () => {
			host.requests = 0;
			host.received.length = 0;
			host.authorizations.length = 0;
		},
		close: async () => {
			if (closed) return;
			closed = true;
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
				server.closeAllConnections();
			});
		},
	};
	return host;
}
