/**
 * The input-rule and answer-checking suites again, with the node's `zod` import
 * resolved to zod 4 (see dev/jest-resolver-zod4.cjs): n8n provides zod at run time
 * and newer n8n may provide zod 4, so the node's error texts must read the same
 * under both (the suites assert those texts). Part of `npm test`.
 */
const base = require('./jest.config.cjs');

module.exports = {
	...base,
	displayName: 'zod 4',
	resolver: '<rootDir>/dev/jest-resolver-zod4.cjs',
	// test/zodVersions.test.cts checks the node really got this major version
	globals: { ZOD_MAJOR: 4 },
	testMatch: [
		'**/validation.test.cts',
		'**/zodVersions.test.cts',
		'**/inputRules.nock.test.cts',
		'**/badInput.nock.test.cts',
		'**/batch.nock.test.cts',
		'**/batchErrors.nock.test.cts',
		'**/hostileAnswers.nock.test.cts',
		'**/transport.nock.test.cts',
		'**/trigger.nock.test.cts',
		'**/subscriptionAnswers.nock.test.cts',
	],
};
