import type { INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { companyLocator, simplifyProperty } from '../common.descriptions';
import { getExecute } from '../recordOperations';
import { journalLocator, paymentLocator } from './payment.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	journalLocator,
	paymentLocator(
		'The customer payment (a line of a customer payment journal) to read. By ID takes the GUID, e.g. the "id" of a previous step.',
	),
	simplifyProperty(
		customerPayment,
		'journalId, customerId, appliesToInvoiceId, comment, lastModifiedDateTime',
	),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['get'] } },
	properties,
);

/** GET `companies(c)/customerPayments(p)` per item → the payment, with its `@odata.etag`. */
export const execute = getExecute(customerPayment);
