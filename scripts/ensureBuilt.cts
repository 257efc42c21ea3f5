/** Builds the package with n8n's own build tool when dist/ is missing or older than the sources. */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

function newest(dir: string): number {
	let latest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
	}
	return latest;
}

export function ensureBuilt(): void {
	const built = path.join(ROOT, 'dist/nodes/BusinessCentral/BusinessCentral.node.js');
	const sources = Math.max(newest(path.join(ROOT, 'nodes')), newest(path.join(ROOT, 'credentials')));
	if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
	process.stdout.write('Building the package (n8n-node build)…\n');
	execSync('npx n8n-node build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
