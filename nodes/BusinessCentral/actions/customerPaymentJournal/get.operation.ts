import type { INodeProperties } from 'n8n-workflow';

import { customerPaymentJournal } from '../../entities/customerPaymentJournal';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { companyLocator, simplifyProperty } from '../common.descriptions';
import { getExecute } from '../recordOperations';
import { journalRecordLocator, JOURNAL_SIMPLIFY_NOTE } from './journal.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	journalRecordLocator(
		'The customer payment journal (cash receipt journal batch) to read. By ID takes the GUID, e.g. the "journalId" of a payment.',
	),
	simplifyProperty(customerPaymentJournal, JOURNAL_SIMPLIFY_NOTE),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPaymentJournal'], operation: ['get'] } },
	properties,
);

/** GET `companies(c)/customerPaymentJournals(id)` per item → the journal, with its `@odata.etag`. */
export const execute = getExecute(customerPaymentJournal);
