import type { INodeProperties } from 'n8n-workflow';

import { customerPaymentJournal } from '../../entities/customerPaymentJournal';
import { recordLocator } from '../common.descriptions';

/** The journal a Get or Post works on (parameter `journal`, the journal picker); `description` says what is done with it. */
export function journalRecordLocator(description: string): INodeProperties {
	return recordLocator(customerPaymentJournal, {
		description,
		searchListMethod: 'searchJournals',
		idExample: '2b7e4c1a-4b7c-ef11-8a6b-6045bde9c5a1',
		urlForms: '…/companies({id})/customerPaymentJournals({id})',
	});
}

export const JOURNAL_SIMPLIFY_NOTE = 'every property Business Central adds to a journal';
