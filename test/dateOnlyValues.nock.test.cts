/**
 * Review of issue 13's date-only pickers: `typeOptions.dateOnly` changes only the
 * editor's picker. What a workflow stored before (the date-time picker's
 * YYYY-MM-DDTHH:mm:ss), what the date picker stores now (YYYY-MM-DD), offsets, and
 * dates from expressions are sent as the same calendar date by node versions 1 and 2,
 * through n8n's engine with strict nock.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../dev/engine.cjs';
import { bearerCredentials, COMPANY, ETAG_1, JOURNAL, PAYMENT, paymentRecord, SAAS_PATH, saasApi, useNock } from './fixtures.cjs';
import { NODE, opsWorkflow } from './opsFixtures.cjs';

useNock(nock);

const COLLECTION = `${SAAS_PATH}/companies(${COMPANY})/customerPayments`;

/** Creates one payment with `postingDate` stored as given; the date the POST carried. */
async function sentDate(version: 1 | 2, postingDate: string, timezone: string): Promise<unknown> {
	let sent: IDataObject | undefined;
	saasApi(nock, { 'content-type': /application\/json/ })
		.post(COLLECTION, (body: IDataObject) => {
			sent = body;
			return true;
		})
		.reply(201, paymentRecord(PAYMENT, ETAG_1));
	const amount = version === 1 ? { amount: -10 } : { amount: '-10' }; // version 2: a text input
	const workflow = opsWorkflow([{}], 'create', { parameters: { journal: JOURNAL, ...amount, postingDate } });
	workflow.nodes.find((node) => node.name === NODE)!.typeVersion = version;
	const result = await runWorkflow({ ...workflow, settings: { timezone } }, { credentials: bearerCredentials() });
	expect(result.error()).toBeUndefined();
	return sent?.postingDate;
}

// [stored value, workflow time zone, the date Business Central must get]
const CASES: Array<[string, string, string]> = [
	['2024-02-15', 'Asia/Tokyo', '2024-02-15'], // the date picker's value
	['2024-02-15T00:00:00', 'America/Los_Angeles', '2024-02-15'], // the old date-time picker's value
	['2024-02-15T23:30:00', 'Asia/Tokyo', '2024-02-15'], // wall-clock time: its own date
	['2024-02-15T23:30:00+02:00', 'Europe/Berlin', '2024-02-15'], // 22:30 in Berlin
	['2024-02-15T23:30:00+02:00', 'Asia/Tokyo', '2024-02-16'], // 06:30 next day in Tokyo
	['2024-02-29T00:30:00Z', 'America/New_York', '2024-02-28'], // leap day, 19:30 the day before
	["={{ new Date('2024-02-15T23:30:00Z') }}", 'Asia/Tokyo', '2024-02-16'], // a JS Date: an instant
	["={{ new Date('2024-02-15T23:30:00Z') }}", 'UTC', '2024-02-15'],
	["={{ DateTime.fromISO('2024-02-15T23:30:00', { zone: 'America/New_York' }) }}", 'Asia/Tokyo', '2024-02-15'], // Luxon: its own date
];

describe.each([1, 2] as const)('node version %i', (version) => {
	test.each(CASES)('%s in %s is sent as %s', async (stored, timezone, expected) => {
		expect(await sentDate(version, stored, timezone)).toBe(expected);
	});
});
