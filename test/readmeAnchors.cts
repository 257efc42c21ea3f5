import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The anchors GitHub gives README.md's headings: lower case, punctuation but '-' dropped, spaces to '-'. */
export function readmeAnchors(): string[] {
	const readme = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
	return [...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
		heading
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N} _-]/gu, '')
			.replace(/ /g, '-'),
	);
}
