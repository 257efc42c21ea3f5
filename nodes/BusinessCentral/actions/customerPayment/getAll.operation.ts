import type { INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { getAllExecute } from '../recordOperations';
import { getAllProperties } from './getAll.description';
import { buildPaymentFilters } from './paymentInput';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['getAll'] } },
	getAllProperties,
);

/**
 * Payments of one journal or of every journal of the company in turn (Business Central
 * lists payments only per journal: `collectionIn`), with the filters ANDed, paged.
 */
export const execute = getAllExecute(customerPayment, buildPaymentFilters);
