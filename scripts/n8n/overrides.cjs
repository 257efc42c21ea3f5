#!/usr/bin/env node
// node scripts/n8n/overrides.cjs <n8n version or range> [<missing name@version> ...]
//
// Prints, as JSON, the npm `overrides` that let this n8n install from the
// registry this machine reaches: {"n8n": "<exact version>", "overrides": {...}}.
//
// Why: n8n pins its own packages exactly (n8n-core@2.41.2, @n8n/task-runner@2.41.2,
// @n8n/agents@0.26.2, ...). A registry mirror that lags the public one (as the
// one reachable here does) may hold n8n@2.41.3 but not some of those pins, and
// npm then stops with E404/ETARGET. For every pinned version that is missing we
// use the newest published version *below* it with the same major.minor (its
// previous patch release), found with `npm view <pkg> versions --json` — nothing
// hard-coded, so on a complete registry the result is {} and n8n installs as
// published.
//
// Walks n8n's own packages (names n8n-*, @n8n/*, @n8n_io/*) from n8n downwards,
// including the versions it substitutes. Other packages missing from the
// registry are passed as arguments (name@version, as npm's error names them;
// scripts/n8n.sh retries its install with them) and get the same treatment.
'use strict';
const { execFile } = require('node:child_process');

const INTERNAL = /^(n8n-|@n8n\/|@n8n_io\/)/;
const cache = new Map();
// At most this many `npm view` processes at once (a shared machine; each is a Node process).
const MAX_PARALLEL = 4;
let running = 0;
const waiting = [];

function run(args) {
	return new Promise((resolve) => {
		execFile('npm', ['view', ...args, '--json'], { maxBuffer: 64 << 20 }, (err, stdout) => {
			let value = null;
			try {
				value = JSON.parse(stdout || 'null');
			} catch {}
			resolve(err || (value && value.error) ? null : value);
		});
	});
}

async function limited(args) {
	if (running >= MAX_PARALLEL) await new Promise((go) => waiting.push(go));
	running++;
	try {
		return await run(args);
	} finally {
		running--;
		waiting.shift()?.();
	}
}

/** `npm view <args> --json`, parsed; null when npm answers an error (E404: no such version). */
function npmView(args) {
	const key = args.join(' ');
	if (!cache.has(key)) cache.set(key, limited(args));
	return cache.get(key);
}

const parse = (v) => v.split(/[.+-]/).slice(0, 3).map(Number);
const stable = (v) => /^\d+\.\d+\.\d+$/.test(v);
function compare(a, b) {
	const [x, y] = [parse(a), parse(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

/** Newest published stable version below `version` with its major.minor, else below it at all. */
async function previousRelease(name, version) {
	const versions = [].concat((await npmView([name, 'versions'])) || []).filter(stable);
	const below = versions.filter((v) => compare(v, version) < 0).sort(compare);
	const [maj, min] = parse(version);
	const sameMinor = below.filter((v) => parse(v)[0] === maj && parse(v)[1] === min);
	return (sameMinor.length ? sameMinor : below).pop() || null;
}

/** The version npm would pick for name@spec, or null when the registry has none. */
async function resolveSpec(name, spec) {
	const found = await npmView([`${name}@${spec}`, 'version']);
	const list = [].concat(found || []).filter(Boolean);
	return list.length ? list.sort(compare).pop() : null;
}

async function main() {
	const [wanted = '2.41', ...missingArgs] = process.argv.slice(2);
	const n8n = await resolveSpec('n8n', wanted);
	if (!n8n)
		throw new Error(
			`no n8n matching '${wanted}' on ${process.env.npm_config_registry || 'the registry'}`,
		);
	const overrides = {};
	async function substitute(name, version) {
		const previous = await previousRelease(name, version);
		if (!previous) throw new Error(`${name}@${version} is missing and no earlier release exists`);
		if (!overrides[name] || compare(previous, overrides[name]) > 0) overrides[name] = previous;
		return previous;
	}
	for (const arg of missingArgs) {
		const at = arg.lastIndexOf('@');
		await substitute(arg.slice(0, at), arg.slice(at + 1));
	}
	const seen = new Set();
	let level = [['n8n', n8n]];
	while (level.length) {
		const next = [];
		await Promise.all(
			level.map(async ([name, version]) => {
				const deps = (await npmView([`${name}@${version}`, 'dependencies'])) || {};
				for (const [dep, spec] of Object.entries(deps)) {
					if (!INTERNAL.test(dep) || !/^\d+\.\d+\.\d+$/.test(spec)) continue;
					const got = (await resolveSpec(dep, spec)) || (await substitute(dep, spec));
					const key = `${dep}@${overrides[dep] || got}`;
					if (!seen.has(key)) {
						seen.add(key);
						next.push([dep, overrides[dep] || got]);
					}
				}
			}),
		);
		level = next;
	}
	const sorted = Object.fromEntries(
		Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)),
	);
	console.log(JSON.stringify({ n8n, overrides: sorted }, null, '\t'));
}

main().catch((error) => {
	console.error(`overrides.cjs: ${error.message}`);
	process.exit(1);
});
