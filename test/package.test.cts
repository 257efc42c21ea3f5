/**
 * What `npm publish` would put in the tarball, read from `npm pack --dry-run --json`
 * over the built package (npm test builds first): everything n8n loads (the files
 * package.json's `n8n` section names, their codex files, the icons) and the documents
 * a user or n8n's verification reads (README, LICENSE, CHANGELOG), and nothing of the
 * development tree (tests, sandbox, dev harness, scripts, TypeScript's build info).
 * Source maps and .d.ts files stay, as n8n-nodes-starter publishes them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

interface PackResult {
	files: Array<{ path: string }>;
}

interface PackageJson {
	license: string;
	homepage: string;
	repository: { url: string };
	bugs: { url: string };
	n8n: { nodes: string[]; credentials: string[] };
}

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

function packedFiles(): string[] {
	if (!existsSync(path.join(ROOT, manifest.n8n.nodes[0]))) {
		throw new Error('dist/ is not built: run `npx n8n-node build` (npm test does) first');
	}
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [result] = JSON.parse(output) as PackResult[];
	return result.files.map((file) => file.path).sort();
}

const files = packedFiles();

describe('npm pack --dry-run', () => {
	test('holds every node and credential n8n loads, with codex files and icons', () => {
		const loaded = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(loaded.length).toBe(4);
		for (const file of loaded) expect(files).toContain(file);
		for (const node of manifest.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
		expect(files).toEqual(
			expect.arrayContaining([
				'dist/icons/businessCentral.svg',
				'dist/icons/businessCentral.dark.svg',
			]),
		);
	});

	test('holds the documents: package.json, README, LICENSE (MIT) and CHANGELOG', () => {
		expect(files).toEqual(
			expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']),
		);
		expect(manifest.license).toBe('MIT');
		expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(
			/^MIT License\n\nCopyright \(c\) 2026 /,
		);
	});

	test('holds nothing but dist/ and those documents', () => {
		const outside = files.filter(
			(file) =>
				!file.startsWith('dist/') &&
				!['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file),
		);
		expect(outside).toEqual([]);
	});

	test('holds no build info, tests, sandbox, dev harness, scripts or TypeScript sources', () => {
		const unwanted = files.filter(
			(file) =>
				/tsbuildinfo$/.test(file) ||
				/(^|\/)(test|sandbox|dev|scripts|examples|docs|\.github|\.ci)\//.test(file) ||
				/\.c?ts$/.test(file.replace(/\.d\.ts$/, '')),
		);
		expect(unwanted).toEqual([]);
	});
});

describe('package.json', () => {
	test('repository, homepage and bugs name the same GitHub repository (npm provenance checks repository)', () => {
		const repo = 'github.com/n8n-nodes-business-central/n8n-nodes-business-central';
		expect(manifest.repository.url).toBe(`https://${repo}.git`);
		expect(manifest.homepage).toBe(`https://${repo}#readme`);
		expect(manifest.bugs.url).toBe(`https://${repo}/issues`);
	});
});
