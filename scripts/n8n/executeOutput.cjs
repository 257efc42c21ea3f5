'use strict';

/** The JSON document `n8n execute --rawOutput` printed: from a line "{" to the last line "}". */
function extractRun(text) {
	const lines = text.split('\n');
	const start = lines.findIndex((line) => line === '{');
	const end = lines.findLastIndex((line) => line === '}');
	if (start < 0 || end < start) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

module.exports = { extractRun };
