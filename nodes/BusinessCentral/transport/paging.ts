/**
 * Where server-driven paging must stop, whatever the server sends.
 *
 * - MAX_PAGES (10,000): Business Central pages at up to 20,000 entities, and even at
 *   the pickers' 50 per page 10,000 pages are 500,000 records, far beyond any journal
 *   a workflow reads; past it the server is looping with links that merely look new.
 * - MAX_ROWS (1,000,000): n8n holds every output item in memory; a million payments
 *   is about a gigabyte of JSON, the most a single run can reasonably carry.
 * - A next link must advance: it carries a `$skiptoken` not seen before or a `$skip`
 *   larger than the previous request's; a page with no rows that still links on does
 *   not advance either.
 * - A page may not hold more rows than asked for (`Prefer: odata.maxpagesize`, or the
 *   20,000 Business Central pages at most).
 */
export const MAX_PAGES = 10_000;
export const MAX_ROWS = 1_000_000;
export const SERVER_MAX_PAGE_SIZE = 20_000;

export interface PagingState {
	pages: number;
	rows: number;
	links: Set<string>;
	skipTokens: Set<string>;
	/** `$skip` of the request just answered (0 for the first). */
	skip: number;
	/** Most rows one page may hold. */
	pageSize: number;
}

export function startPaging(pageSize: number = SERVER_MAX_PAGE_SIZE): PagingState {
	return { pages: 0, rows: 0, links: new Set(), skipTokens: new Set(), skip: 0, pageSize };
}

/**
 * Paging state for a read that starts at `link` (a picker's pagination token is the
 * link of the page it asks for): the next link must advance past it.
 */
export function resumePaging(pageSize: number, link?: string): PagingState {
	const state = startPaging(pageSize);
	if (!link) return state;
	const { skip, skipToken } = positionOf(link);
	state.links.add(link);
	if (skipToken !== undefined) state.skipTokens.add(skipToken);
	if (skip !== undefined) state.skip = skip;
	return state;
}

/** `$skip` and `$skiptoken` of a link (the link was already checked to be on the API base). */
function positionOf(link: string): { skip?: number; skipToken?: string } {
	const query = URL.canParse(link) ? new URL(link).searchParams : new URLSearchParams();
	const skip = query.get('$skip');
	return {
		skip: skip !== null && /^\d+$/.test(skip) ? Number(skip) : undefined,
		skipToken: query.get('$skiptoken') ?? undefined,
	};
}

function linkProblem(state: PagingState, next: string, rows: number): string | undefined {
	if (state.links.has(next)) return 'Business Central sent the same next-page link twice';
	if (rows === 0) return 'Business Central sent an empty page that still links to a next page';
	const { skip, skipToken } = positionOf(next);
	if (skipToken !== undefined && !state.skipTokens.has(skipToken)) {
		state.skipTokens.add(skipToken);
		return undefined;
	}
	if (skipToken === undefined && skip !== undefined && skip > state.skip) {
		state.skip = skip;
		return undefined;
	}
	return 'Business Central sent a next-page link whose $skiptoken or $skip does not move forward';
}

/**
 * Counts one page and checks its next link. Returns why paging must stop, or
 * undefined to go on (or to end normally when there is no next link).
 */
export function pagingProblem(state: PagingState, rows: number, next: string | undefined): string | undefined {
	state.pages++;
	state.rows += rows;
	if (rows > state.pageSize) {
		return `Business Central sent a page of ${rows} records where at most ${state.pageSize} were asked for`;
	}
	if (state.rows > MAX_ROWS) return `Business Central sent more than ${MAX_ROWS} records`;
	if (!next) return undefined;
	if (state.pages >= MAX_PAGES) return `Business Central sent more than ${MAX_PAGES} pages`;
	const problem = linkProblem(state, next, rows);
	state.links.add(next);
	return problem;
}
