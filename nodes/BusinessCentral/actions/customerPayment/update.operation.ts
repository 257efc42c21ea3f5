import type { INodeProperties } from 'n8n-workflow';

import { customerPayment } from '../../entities/customerPayment';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { updateExecute } from '../recordOperations';
import { updateProperties } from './update.description';

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customerPayment'], operation: ['update'] } },
	updateProperties,
);

/** PATCH `companies(c)/customerPayments(p)` with If-Match per item, one by one or in `$batch`. */
export const execute = updateExecute(customerPayment);
