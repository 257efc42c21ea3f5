/**
 * The sandbox for `npm run n8n -- queue`: sandbox/cli.cts's flags and ready lines (so
 * scripts/n8n/prepare.cjs reads its log as usual), plus a second loopback-only server,
 * the "report" port, that the queue check reads: what the sandbox saw (requests, 429s,
 * $batch operations) and the PATCHes applied per customer payment. Those counters live
 * in the sandbox's process (sandbox.stats, sandbox.writes); the API must not serve them
 * (a real Business Central has no such route), hence a port of their own.
 *
 * Usage: node --import tsx scripts/n8n/queue/sandbox.cts <sandbox/cli.cts flags>
 *   GET /report     {stats, patches: {paymentId: count}, writes}
 *   GET /payments   the first journal's payments of the first company (id, amount, description)
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { bannerLines, parseArgs } from '../../../sandbox/cli.cjs';
import { startSandbox, type Sandbox } from '../../../sandbox/index.cjs';
import { firstJournalPayments, report } from './report.cjs';

async function startReportServer(sandbox: Sandbox): Promise<http.Server> {
	const server = http.createServer((req, res) => {
		const body =
			req.url === '/report'
				? report(sandbox)
				: req.url === '/payments'
					? firstJournalPayments(sandbox)
					: undefined;
		res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body ?? { error: 'GET /report or /payments' }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return server;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	if (options === 'help') throw new Error('see node --import tsx sandbox/cli.cts --help');
	const sandbox = await startSandbox(options);
	const reportServer = await startReportServer(sandbox);
	const lines = bannerLines(sandbox, 'Business Central API sandbox running (queue mode check)', [
		`  report        http://127.0.0.1:${(reportServer.address() as AddressInfo).port}`,
	]);
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => {
		reportServer.close();
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
	process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
	process.exit(1);
});
