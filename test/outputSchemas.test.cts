/**
 * The output schemas n8n shows before the first run (nodes/BusinessCentral/__schema__)
 * agree with the entity descriptors, where the fields are declared once: a simplified
 * output lists exactly the entity's simple fields, a whole record every writable field
 * with the JSON type its kind gives, for both node versions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { customer } from '../nodes/BusinessCentral/entities/customer';
import { customerPayment } from '../nodes/BusinessCentral/entities/customerPayment';
import { customerPaymentJournal } from '../nodes/BusinessCentral/entities/customerPaymentJournal';
import type { EntityDescriptor, FieldKind } from '../nodes/BusinessCentral/entities/entity';
import { salesInvoice } from '../nodes/BusinessCentral/entities/salesInvoice';

interface Schema {
	properties: Record<string, { type: string }>;
	required: string[];
}

function schema(version: string, resource: string, operation: string): Schema {
	const file = path.resolve(__dirname, `../nodes/BusinessCentral/__schema__/${version}/${resource}/${operation}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

const JSON_TYPE: Record<FieldKind, string> = {
	guid: 'string',
	string: 'string',
	code: 'string',
	date: 'string',
	option: 'string',
	decimal: 'number',
	integer: 'integer',
	boolean: 'boolean',
};

const RESOURCES: Array<[string, EntityDescriptor, { simplified: string[]; whole: string[] }]> = [
	['customerPayment', customerPayment, { simplified: ['get', 'getAll'], whole: ['create', 'update'] }],
	['customer', customer, { simplified: ['get', 'getAll'], whole: ['update'] }],
	// read-only: no operation returns a whole record of writable fields
	['salesInvoice', salesInvoice, { simplified: ['get', 'getAll'], whole: [] }],
	['customerPaymentJournal', customerPaymentJournal, { simplified: ['get', 'getAll'], whole: ['create'] }],
];

describe.each(['v1.0.0', 'v2.0.0'])('output schemas of node %s', (version) => {
	describe.each(RESOURCES)('%s', (resource, entity, operations) => {
		test.each(operations.simplified)('%s (Simplify on): exactly the simple fields, id and eTag required', (operation) => {
			const { properties, required } = schema(version, resource, operation);
			expect(Object.keys(properties)).toEqual([...entity.simpleFields]);
			expect(required).toEqual(expect.arrayContaining(['@odata.etag', 'id']));
		});

		if (operations.whole.length === 0) return;
		test.each(operations.whole)('%s (the whole record): every writable field, typed by its kind', (operation) => {
			const { properties } = schema(version, resource, operation);
			for (const [name, field] of Object.entries(entity.fields)) {
				expect({ name, type: properties[name]?.type }).toEqual({ name, type: JSON_TYPE[field.kind] });
			}
		});
	});
});
