import type { INodeProperties } from 'n8n-workflow';

import { customer } from '../../entities/customer';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { companyLocator, simplifyProperty } from '../common.descriptions';
import { getExecute } from '../recordOperations';
import { customerRecordLocator } from './customer.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	customerRecordLocator(
		'The customer to read. By ID takes the GUID, e.g. the "customerId" of a payment.',
	),
	simplifyProperty(
		customer,
		'type, addressLine1, postalCode, website, taxLiable, paymentTermsId, lastModifiedDateTime',
	),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customer'], operation: ['get'] } },
	properties,
);

/** GET `companies(c)/customers(id)` per item → the customer, with its `@odata.etag`. */
export const execute = getExecute(customer);
