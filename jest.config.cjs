/**
 * Dev-only code (tests, sandbox, scripts, dev harness) is written as `.cts`
 * (CommonJS TypeScript): n8n's verification lint (`n8n-node lint`, strict mode,
 * unmodified eslint.config.mjs) applies its node rules to every `*.ts` file, and
 * those rules (no imports but n8n-workflow/zod, no console/process) are meant for
 * the published node, not for a test server. See README "Development layout".
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	testMatch: ['**/*.test.cts'],
	transform: {
		'^.+\\.c?ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }],
	},
	resolver: '<rootDir>/dev/jest-resolver.cjs',
	testTimeout: 60000,
	// n8n-core keeps a module-level timer alive after a workflow run (jest's
	// --detectOpenHandles finds no handle of ours); exit once the suite is done.
	forceExit: true,
};
