/**
 * Transport faults a client of BC meets in practice: 503 Service Unavailable
 * (with `Retry-After`), 504 Gateway Timeout (long requests are cut at the
 * gateway), connections dropped before or after the server applied a write,
 * and requests that never get an answer (before or after a write was applied:
 * the client's timeout then hides whether it happened). One seeded draw per API request
 * decides which (if any) happens, so a run is reproducible for a given seed
 * and request order.
 *
 * Issue 10 added answers that hide a write's outcome although an HTTP answer comes, and
 * answers that lead a client astray (server.cts carries them out):
 * - `applyThen500`: applied, then 500. Microsoft Learn, "Troubleshooting web service errors"
 *   (learn.microsoft.com/dynamics365/business-central/dev-itpro/webservices/web-service-troubleshooting)
 *   and "Troubleshooting REST API/OData calls" (…/webservices/dynamics-error-codes): 5xx are
 *   server-side failures (`Internal_*` error codes) the client cannot fix; such a failure after
 *   the commit (telemetry, an event subscriber, the answer's serialization, the gateway in front
 *   of SaaS) leaves the write stored behind a 500.
 * - `applyThenMalformed`: applied, then not-HTTP bytes, a JSON body cut short in a complete
 *   answer, or a body cut by the connection closing: proxies and load balancers recycled
 *   mid-answer (connection draining on Azure Front Door / Application Gateway) do this.
 * - `applyThenEmpty200`: applied, then 200 with an empty body or `{}`: body-stripping proxies
 *   and gateways; Business Central itself answers without the record for `Prefer: return=minimal`.
 * - `applyThenOtherUser`: applied, another user changes the record, the answer is lost:
 *   BC's optimistic concurrency ("Another user has already changed the record",
 *   `Request_EntityChanged`) makes the re-read ambiguous when the values differ — the write may
 *   have landed and been overwritten, or never landed.
 * - `redirect`: 302/307 to another origin: misconfigured reverse proxies, captive portals,
 *   hijacked DNS. n8n's request helper follows redirects and, by default, sends the credential
 *   along on cross-origin redirects (`sendCredentialsOnCrossOriginRedirect ?? true` in n8n-core's
 *   `request-helper-functions.js`).
 * - `trickle`: the answer arrives a byte at a time (slowloris-like networks, overloaded proxies);
 *   axios' `timeout` in Node is a socket inactivity timeout and never fires, only a deadline on
 *   the whole answer cuts it.
 */
import type { Rng } from './random.cjs';
import type { DefectOptions, FaultOptions } from './types.cjs';

export type Fault =
	| 'drop'
	| 'hang'
	| '503'
	| '504'
	| 'applyThenDrop'
	| 'applyThenHang'
	| 'slowWrite'
	| 'applyThen500'
	| 'applyThenMalformed'
	| 'applyThenEmpty200'
	| 'applyThenOtherUser'
	| 'redirect'
	| 'trickle'
	| undefined;

/** Faults after which the client cannot know from the answer whether a write was applied. */
export const UNCLEAR_FAULTS: ReadonlySet<Fault> = new Set<Fault>([
	'drop',
	'hang',
	'504',
	'applyThenDrop',
	'applyThenHang',
	'slowWrite',
	'applyThen500',
	'applyThenMalformed',
	'applyThenEmpty200',
	'applyThenOtherUser',
	'trickle',
]);

/**
 * Draws the fault for one request. Exactly one number is drawn per request
 * whatever the options, so changing rates does not shift later draws.
 * `applyThen*` and `slowWrite` only apply to requests that write; `redirect` and `trickle` to any.
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
		// issue 10's fault classes, appended so that the bands above (and seeded runs) stay put
		['applyThen500', writes ? faults.applyThen500Rate : 0],
		['applyThenMalformed', writes ? faults.applyThenMalformedRate : 0],
		['applyThenEmpty200', writes ? faults.applyThenEmpty200Rate : 0],
		['applyThenOtherUser', writes ? faults.applyThenOtherUserRate : 0],
		['redirect', faults.redirectRate],
		['trickle', faults.trickleRate],
	];
	let edge = 0;
	for (const [fault, rate] of bands) {
		edge += Math.max(0, rate ?? 0);
		if (u < edge) return fault;
	}
	return undefined;
}

/** A planted defect of the sandbox (soak self-tests only; see `DefectOptions`). */
export type Defect =
	| 'applyTwice'
	| 'dropWrite'
	| 'ignoreIfMatch'
	| 'applyThen400'
	| 'resetUntouched'
	| undefined;

/** Draws the planted defect for one request that writes, from its own stream (one number per call). */
export function drawDefect(rng: Rng, defects: DefectOptions | undefined): Defect {
	const u = rng.next();
	if (!defects) return undefined;
	const bands: Array<[Defect, number | undefined]> = [
		['applyTwice', defects.applyTwiceRate],
		['dropWrite', defects.dropWriteRate],
		['ignoreIfMatch', defects.ignoreIfMatchRate],
		['applyThen400', defects.applyThen400Rate],
		['resetUntouched', defects.resetUntouchedRate],
	];
	let edge = 0;
	for (const [defect, rate] of bands) {
		edge += Math.max(0, rate ?? 0);
		if (u < edge) return defect;
	}
	return undefined;
}
