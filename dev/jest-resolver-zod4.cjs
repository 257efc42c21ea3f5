/**
 * The zod-4 test run (jest.zod4.config.cjs): `import 'zod'` in this package's own code
 * (`nodes/` and the `dist/` n8n-core loads, and the tests) gets zod 4, as in an n8n whose
 * top-level `zod` is 4.x; n8n-core, n8n-workflow and everything else under node_modules
 * keep the zod they depend on. zod 3.25 ships zod 4 at the subpath `zod/v4`.
 */
const path = require('node:path');

const base = require('./jest-resolver.cjs');

module.exports = (request, options) => {
	const fromOwnCode = !options.basedir.split(path.sep).includes('node_modules');
	return base(request === 'zod' && fromOwnCode ? 'zod/v4' : request, options);
};
