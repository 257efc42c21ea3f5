import type { INodeProperties } from 'n8n-workflow';

/**
 * The Microsoft API page of each operation, shown as a notice under Operation: n8n's
 * "Docs" link comes from the codex file and is one per node, so it cannot follow the
 * operation. Pages of API v2.0 (Microsoft's "Business Central API (v2.0)" reference);
 * Get Many lists with the same GET as Get; Post is the journal's bound action
 * `Microsoft.NAV.post`, documented on the journal resource page.
 */
const API_REFERENCE =
	'https://learn.microsoft.com/en-us/dynamics365/business-central/dev-itpro/api-reference/v2.0';

/** One operation's page: what it sends and the page's path under the v2.0 reference. */
export interface ApiPage {
	request: string;
	page: string;
}

/** A notice per operation of `resource` linking its Microsoft API page. */
export function apiDocsNotices(
	resource: string,
	pages: Record<string, ApiPage>,
): INodeProperties[] {
	return Object.entries(pages).map(([operation, { request, page }]) => ({
		displayName: `Business Central API: <a href="${API_REFERENCE}/${page}" target="_blank">${request}</a>`,
		name: 'apiDocsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: [resource], operation: [operation] } },
	}));
}
