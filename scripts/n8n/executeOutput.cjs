'use strict';
/** Shared by the checks of scripts/n8n.sh execute: reading what `n8n execute --rawOutput` printed. */

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

/** What is wrong with the run as a whole: not "success", or an execution error. */
function runProblems(run) {
	const problems = [];
	if (run.status !== 'success') problems.push(`execution status is "${run.status}", not "success"`);
	const error = run.data?.resultData?.error;
	if (error) problems.push(`execution error: ${error.message ?? JSON.stringify(error)}`);
	return problems;
}

/** The items a node output in the run (first run, first output). */
function nodeItems(run, nodeName) {
	return run.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/** Runs a check's main(), exiting with its code (1 when it throws). */
function exitWith(main) {
	main().then(
		(code) => process.exit(code),
		(err) => {
			process.stderr.write(`check: ${err instanceof Error ? err.stack : String(err)}\n`);
			process.exit(1);
		},
	);
}

module.exports = { extractRun, runProblems, nodeItems, exitWith };
