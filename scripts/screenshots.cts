/**
 * `npm run screenshots`: the real n8n editor (2.8.4, `bash scripts/n8n.sh start`: the sandbox,
 * the package, the sandbox credentials and the examples) driven by headless Chromium, writing
 * PNGs to docs/screenshots/. Installs its two dev-only tools on demand (scripts/screenshots/tools.cts),
 * starts everything on free loopback ports with its own user folder (.n8n-user/screenshots),
 * takes the shots (scripts/screenshots/shots.cts), stops everything. Exit 1 names the failed steps.
 *
 * Environment: SCREENSHOTS_BASE_URL=http://localhost:PORT uses an n8n already running
 * (`npm run n8n`; SCREENSHOTS_SANDBOX_JSON: its <user folder>/run/sandbox.json) instead of
 * starting one; SCREENSHOTS_ONLY=<text> runs only the steps whose name contains it (the import
 * step always runs).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { signIn } from './screenshots/editor.cjs';
import { startN8n, stopAll, type RunningN8n } from './screenshots/n8nProcess.cjs';
import { STEPS, type ShotContext } from './screenshots/shots.cjs';
import {
	ensureChromium,
	launchChromium,
	loadPlaywright,
	type Browser,
} from './screenshots/tools.cjs';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs/screenshots');
const USER_FOLDER = path.join(ROOT, '.n8n-user/screenshots');
/** Small PNGs for the README: a laptop-sized window at 1x. */
const VIEWPORT = { width: 1280, height: 800 };

/** Set on Ctrl+C / SIGTERM: no further steps (Chromium got the signal too). */
let interrupted = false;

function say(line: string): void {
	process.stdout.write(`[screenshots] ${line}\n`);
}

async function takeShots(
	browser: Browser,
	baseUrl: string,
	sandboxFile: string,
): Promise<{ written: string[]; failed: string[] }> {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(20_000);
	await signIn(context, baseUrl).catch((error: Error) => {
		throw new Error(
			`sign-in (owner account, then login) at ${baseUrl}: ${error.message.split('\n')[0]}`,
		);
	});
	const written: string[] = [];
	const failed: string[] = [];
	const shot: ShotContext = {
		page,
		context,
		baseUrl,
		ids: {},
		sandboxFile,
		async save(file) {
			const target = path.join(OUT, file);
			await page.screenshot({ path: target });
			written.push(path.relative(ROOT, target));
		},
	};
	const only = process.env.SCREENSHOTS_ONLY;
	for (const [index, step] of STEPS.entries()) {
		if (interrupted) break;
		if (only && index > 0 && !step.name.includes(only)) continue;
		const started = Date.now();
		try {
			await step.run(shot);
			say(`ok     ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
		} catch (error) {
			failed.push(step.name);
			const debug = path.join(USER_FOLDER, `failed-step-${index + 1}.png`);
			await page.screenshot({ path: debug }).catch(() => undefined);
			say(
				`FAILED ${step.name}: ${(error as Error).message.split('\n')[0]} (page as it was: ${path.relative(ROOT, debug)})`,
			);
		}
	}
	return { written, failed };
}

async function main(): Promise<number> {
	const started = Date.now();
	ensureChromium(say);
	const playwright = loadPlaywright(say);
	mkdirSync(OUT, { recursive: true });
	mkdirSync(USER_FOLDER, { recursive: true });
	let n8n: RunningN8n | undefined;
	let browser: Browser | undefined;
	try {
		const external = process.env.SCREENSHOTS_BASE_URL;
		if (!external) n8n = await startN8n(USER_FOLDER, say);
		const baseUrl = external ?? n8n!.baseUrl;
		browser = await launchChromium(playwright);
		const sandboxFile = external
			? (process.env.SCREENSHOTS_SANDBOX_JSON ?? path.join(ROOT, '.n8n-user/run/sandbox.json'))
			: path.join(USER_FOLDER, 'run/sandbox.json');
		const { written, failed } = await takeShots(browser, baseUrl, sandboxFile);
		say(`${written.length} screenshots in ${Math.round((Date.now() - started) / 1000)} s:`);
		for (const file of written) process.stdout.write(`  ${file}\n`);
		if (failed.length) {
			say(`${failed.length} step(s) failed: ${failed.join('; ')}`);
			return 1;
		}
		return 0;
	} finally {
		await browser?.close().catch(() => undefined);
		if (n8n) {
			await n8n.stop();
			say('n8n and the sandbox stopped.');
		}
	}
}

// Ctrl+C / kill: stop n8n and the sandbox (their own process group) before leaving.
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
] as const) {
	// `on`, not `once`: npm and tsx relay the signal again, and a second one must not kill this
	// process (the default action) while it stops n8n.
	let stopping = false;
	process.on(signal, () => {
		if (stopping) return;
		stopping = true;
		interrupted = true;
		say(`${signal}: stopping n8n and the sandbox...`);
		void stopAll().finally(() => process.exit(code));
	});
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		say(`FAILED: ${error.message.split('\n')[0]}`);
		process.exit(1);
	},
);
