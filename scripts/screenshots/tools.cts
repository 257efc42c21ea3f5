/**
 * The two dev-only tools of `npm run screenshots`, installed on demand and kept out of the
 * project's dependencies (and out of `npm test`): Debian's `chromium` (apt-get) and
 * `playwright-core` from npm, installed into a cache folder outside the repository and
 * required from there. Also the small part of Playwright's API the script uses, typed here
 * because playwright-core is not in node_modules for tsc to find.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CACHE =
	process.env.PLAYWRIGHT_CORE_DIR ??
	path.join(
		process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
		'n8n-nodes-business-central/playwright',
	);

export interface Locator {
	click(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
	dblclick(options?: { timeout?: number }): Promise<void>;
	hover(options?: { timeout?: number }): Promise<void>;
	fill(value: string, options?: { timeout?: number }): Promise<void>;
	waitFor(options?: {
		state?: 'attached' | 'detached' | 'visible' | 'hidden';
		timeout?: number;
	}): Promise<void>;
	screenshot(options: { path: string; timeout?: number }): Promise<Buffer>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
	filter(options: { hasText?: string | RegExp; visible?: boolean }): Locator;
	or(other: Locator): Locator;
	first(): Locator;
	nth(index: number): Locator;
	last(): Locator;
	count(): Promise<number>;
	innerText(options?: { timeout?: number }): Promise<string>;
	allInnerTexts(): Promise<string[]>;
	isVisible(): Promise<boolean>;
	setInputFiles(files: string): Promise<void>;
	scrollIntoViewIfNeeded(options?: { timeout?: number }): Promise<void>;
}

export interface ApiResponse {
	ok(): boolean;
	status(): number;
	text(): Promise<string>;
	json(): Promise<unknown>;
}

export interface Page {
	goto(
		url: string,
		options?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' },
	): Promise<unknown>;
	locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	screenshot(options: {
		path: string;
		clip?: { x: number; y: number; width: number; height: number };
	}): Promise<Buffer>;
	waitForTimeout(ms: number): Promise<void>;
	keyboard: { press(key: string): Promise<void> };
	mouse: { move(x: number, y: number): Promise<void> };
	setDefaultTimeout(ms: number): void;
}

export interface BrowserContext {
	newPage(): Promise<Page>;
	request: {
		post(url: string, options: { data: unknown }): Promise<ApiResponse>;
		patch(url: string, options: { data: unknown }): Promise<ApiResponse>;
		get(url: string): Promise<ApiResponse>;
	};
}

export interface Browser {
	newContext(options: {
		viewport: { width: number; height: number };
		deviceScaleFactor?: number;
	}): Promise<BrowserContext>;
	close(): Promise<void>;
}

interface PlaywrightCore {
	chromium: {
		launch(options: {
			executablePath: string;
			headless: boolean;
			args: string[];
		}): Promise<Browser>;
	};
}

function run(command: string, args: string[], cwd?: string): void {
	execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Debian's chromium, via apt-get when missing (needs root, as apt-get does). */
export function ensureChromium(say: (line: string) => void): void {
	if (existsSync(CHROMIUM)) return;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${CHROMIUM} is missing: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH)`,
		);
	}
	say("Installing Debian's chromium (apt-get update; apt-get install -y chromium)...");
	run('apt-get', ['update', '-qq']);
	run('apt-get', ['install', '-y', '-qq', 'chromium']);
	if (!existsSync(CHROMIUM))
		throw new Error(`apt-get installed chromium but ${CHROMIUM} is not there`);
}

/** playwright-core from npm into the cache folder (not the project's node_modules). */
export function loadPlaywright(say: (line: string) => void): PlaywrightCore {
	const entry = path.join(CACHE, 'node_modules/playwright-core');
	if (!existsSync(path.join(entry, 'package.json'))) {
		say(
			`Installing playwright-core into ${CACHE} (npm install --prefix; not a project dependency)...`,
		);
		mkdirSync(CACHE, { recursive: true });
		run('npm', [
			'install',
			'--prefix',
			CACHE,
			'--no-audit',
			'--no-fund',
			'--loglevel=warn',
			'playwright-core',
		]);
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(entry) as PlaywrightCore;
}

export async function launchChromium(playwright: PlaywrightCore): Promise<Browser> {
	return playwright.chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-background-networking',
			'--disable-gpu',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	});
}
