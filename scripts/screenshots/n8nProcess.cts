/**
 * Starts `bash scripts/n8n.sh start` (the sandbox, the package linked into n8n 2.8.4, the
 * sandbox credentials and the example workflows imported) on free loopback ports with its own
 * user folder and a fresh database, waits until the editor is served, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface RunningN8n {
	baseUrl: string;
	userFolder: string;
	logFile: string;
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		return response.status === 200;
	} catch {
		return false;
	}
}

/** n8n.sh processes started and not yet stopped (for stopAll on Ctrl+C). */
const running = new Set<ChildProcess>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

/**
 * SIGTERM to n8n.sh (its trap stops n8n and the sandbox); the whole group is killed if that hangs.
 * Once per child: a second SIGTERM would cut n8n.sh's own cleanup short.
 */
const stopping = new Map<ChildProcess, Promise<void>>();
function stopGroup(child: ChildProcess): Promise<void> {
	running.delete(child);
	if (!stopping.has(child)) stopping.set(child, terminate(child));
	return stopping.get(child)!;
}

async function terminate(child: ChildProcess): Promise<void> {
	if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
	child.kill('SIGTERM');
	if (await exited(child, 40_000)) return;
	try {
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		// already gone
	}
	await exited(child, 5_000);
}

export async function startN8n(
	userFolder: string,
	say: (line: string) => void,
): Promise<RunningN8n> {
	const [n8nPort, brokerPort, sandboxPort] = [await freePort(), await freePort(), await freePort()];
	// A fresh database each run: the owner account is created anew and the imports are the only workflows.
	rmSync(path.join(userFolder, '.n8n'), { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n-start.log');
	// The log file itself, not a pipe through this process: n8n's shutdown must not hang on a
	// closed pipe if this process dies first.
	const log = openSync(logFile, 'w');
	const env = {
		...process.env,
		N8N_PORT: String(n8nPort),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		SANDBOX_PORT: String(sandboxPort),
		N8N_USER_FOLDER: userFolder,
		// A fixed encryption key per folder is kept by n8n.sh; the database is new each run.
	};
	say(
		`Starting bash scripts/n8n.sh start (n8n on 127.0.0.1:${n8nPort}, sandbox on ${sandboxPort}); log: ${path.relative(ROOT, logFile)}`,
	);
	const child = spawn('bash', ['scripts/n8n.sh', 'start'], {
		cwd: ROOT,
		env,
		detached: true,
		stdio: ['ignore', log, log],
	});
	closeSync(log);
	running.add(child);
	const baseUrl = `http://localhost:${n8nPort}`;
	const started = Date.now();
	// The first run may build the package; n8n itself needs 20-60 s on a busy machine.
	while (!((await answers(`${baseUrl}/healthz`)) && (await answers(`${baseUrl}/`)))) {
		if (child.exitCode !== null)
			throw new Error(`n8n.sh exited with ${child.exitCode} during start (see ${logFile})`);
		if (Date.now() - started > 300_000) {
			await stopGroup(child);
			throw new Error(`n8n did not answer on ${baseUrl} within 300 s (see ${logFile})`);
		}
		await sleep(1000);
	}
	say(`n8n answers after ${Math.round((Date.now() - started) / 1000)} s: ${baseUrl}`);
	return { baseUrl, userFolder, logFile, stop: () => stopGroup(child) };
}

/** Stops every n8n.sh this process started (n8n.sh runs in its own process group: Ctrl+C does not reach it). */
export async function stopAll(): Promise<void> {
	await Promise.all([...running].map((child) => stopGroup(child)));
}
