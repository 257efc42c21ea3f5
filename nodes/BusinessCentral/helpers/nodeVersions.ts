/**
 * Node versions (n8n's versioned-node convention: `version: [1, 2]`, parameters shown
 * per version with `displayOptions.show['@version']`). A parameter's name, type or
 * default changes only in a new version, so saved workflows keep running as before.
 *
 * - 1: the first release.
 * - 2: fields start empty and an empty value is refused before any request instead of
 *   being written (Update's Amount, Line Number and every other Update field; Create's
 *   Amount; Create's Line Number starts empty, and empty means Business Central's default).
 */
export const LATEST_NODE_VERSION = 2;

/** Shows a parameter definition on node version 1 only (saved workflows keep it). */
export const ONLY_VERSION_1 = { show: { '@version': [1] } };

/** Shows a parameter definition from node version 2 on (new nodes). */
export const FROM_VERSION_2 = { show: { '@version': [{ _cnd: { gte: 2 } }] } };

/** Whether a node of this version refuses a field that was added but left empty. */
export function refusesEmptyFields(typeVersion: number): boolean {
	return typeVersion >= 2;
}
