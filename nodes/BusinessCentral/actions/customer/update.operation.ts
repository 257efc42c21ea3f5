import type { INodeProperties } from 'n8n-workflow';

import { customer } from '../../entities/customer';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { companyLocator, updateOptions } from '../common.descriptions';
import { updateExecute } from '../recordOperations';
import { customerRecordLocator, customerUpdateFields } from './customer.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	customerRecordLocator(
		'The customer to update. By ID takes the GUID, e.g. the "id" of a previous step.',
	),
	customerUpdateFields,
	updateOptions(customer),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['customer'], operation: ['update'] } },
	properties,
);

/**
 * PATCH `companies(c)/customers(id)` with If-Match per item, with the same eTag, conflict and
 * verification rules as payments. A field added but left empty is refused on every node
 * version: this resource is new.
 */
export const execute = updateExecute(customer, { refuseEmpty: true });
