import type { INodeProperties } from 'n8n-workflow';

import { salesInvoice } from '../../entities/salesInvoice';
import { withDisplayOptions } from '../../helpers/displayOptions';
import { companyLocator, simplifyProperty } from '../common.descriptions';
import { getExecute } from '../recordOperations';
import { MORE_INVOICE_PROPERTIES, salesInvoiceLocator } from './salesInvoice.descriptions';

const properties: INodeProperties[] = [
	companyLocator,
	salesInvoiceLocator,
	simplifyProperty(salesInvoice, MORE_INVOICE_PROPERTIES),
];

export const description: INodeProperties[] = withDisplayOptions(
	{ show: { resource: ['salesInvoice'], operation: ['get'] } },
	properties,
);

/** GET `companies(c)/salesInvoices(id)` per item → the invoice (status, remaining amount), with its `@odata.etag`. */
export const execute = getExecute(salesInvoice);
