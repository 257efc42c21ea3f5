/**
 * Transport faults a client of BC meets in practice: 503 Service Unavailable
 * (with `Retry-After`), 504 Gateway Timeout (long requests are cut at the
 * gateway), connections dropped before or after the server applied a write,
 * and requests that never get an answer (before or after a write was applied:
 * the client's timeout then hides whether it happened). One seeded draw per API request
 * decides which (if any) happens, so a run is reproducible for a given seed
 * and request order.
 */
import type { Rng } from './random.cjs';
import type { FaultOptions } from './types.cjs';

export type Fault =
	| 'drop'
	| 'hang'
	| '503'
	| '504'
	| 'applyThenDrop'
	| 'applyThenHang'
	| 'slowWrite'
	| undefined;

/**
 * Draws the fault for one request. Exactly one number is drawn per request
 * whatever the options, so changing rates does not shift later draws.
 * `applyThenDrop`, `applyThenHang` and `slowWrite` only apply to requests that write.
 */
export function drawFault(rng: Rng, faults: FaultOptions | undefined, writes: boolean): Fault {
	const u = rng.next();
	if (!faults) return undefined;
	const bands: Array<[Fault, number | undefined]> = [
		['drop', faults.dropRate],
		['hang', faults.hangRate],
		['503', faults.rate503],
		['504', faults.rate504],
		['applyThenDrop', writes ? faults.applyThenDropRate : 0],
		// last, so adding it did not shift the bands (and seeded runs) of the others
		['applyThenHang', writes ? faults.applyThenHangRate : 0],
		['slowWrite', writes ? faults.slowWriteRate : 0],
	];
	let edge = 0;
	for (const [fault, rate] of bands) {
		edge += Math.max(0, rate ?? 0);
		if (u < edge) return fault;
	}
	return undefined;
}
