/**
 * Dev sources are `.cts` files imported as `./x.cjs` (TypeScript's convention).
 * Resolve such a path to the `.cts` source only when no real `.cjs` file exists,
 * so packages that ship `.cjs` files (nanoid, …) resolve untouched.
 */
module.exports = (request, options) => {
	try {
		return options.defaultResolver(request, options);
	} catch (error) {
		if (request.endsWith('.cjs')) {
			return options.defaultResolver(request.replace(/\.cjs$/, '.cts'), options);
		}
		throw error;
	}
};
