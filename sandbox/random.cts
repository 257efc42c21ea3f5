/**
 * Seeded randomness. Everything random in the sandbox (seed data, GUIDs of new
 * records, correlation ids, tokens, fault draws, batch response order) comes
 * from mulberry32 streams derived from `options.seed`, so two sandboxes with the
 * same seed hold the same data and, given the same request sequence, answer
 * the same way.
 */

export interface Rng {
	/** Uniform float in [0, 1). */
	next(): number;
	/** Integer in [min, max] (inclusive). */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
	/** Lower-case v4-style GUID, the way Business Central prints SystemIds. */
	guid(): string;
	hex(length: number): string;
}

/** mulberry32: small, fast 32-bit PRNG. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

/** A PRNG stream for one purpose, derived from the seed and a stream name. */
export function createRng(seed: number, stream: string): Rng {
	const next = mulberry32((fnv1a(stream) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0);
	const hex = (length: number): string => {
		let out = '';
		while (out.length < length) out += Math.floor(next() * 16).toString(16);
		return out;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (items) => items[Math.floor(next() * items.length)],
		hex,
		guid: () => {
			const variant = '89ab'[Math.floor(next() * 4)];
			return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
		},
	};
}

/** In-place Fisher-Yates shuffle. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(rng.next() * (i + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
	return items;
}
