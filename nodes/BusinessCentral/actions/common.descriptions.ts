import type { INodeProperties } from 'n8n-workflow';

const GUID_REGEX = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const guidMode = (placeholder: string) => ({
	displayName: 'By ID',
	name: 'id',
	type: 'string' as const,
	placeholder,
	validation: [
		{
			type: 'regex' as const,
			properties: {
				regex: `^${GUID_REGEX}$`,
				errorMessage: 'Not a valid GUID (8-4-4-4-12 hex digits)',
			},
		},
	],
});

export const companyLocator: INodeProperties = {
	displayName: 'Company',
	name: 'company',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Business Central company that holds the customer payments',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCompanies', searchable: true },
		},
		guidMode('e.g. 5e0fe3d1-4b7c-ef11-8a6b-6045bde9c5a1'),
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://api.businesscentral.dynamics.com/v2.0/…/api/v2.0/companies(…)',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `.*companies(\\(|/)${GUID_REGEX}.*`,
						errorMessage: 'Not a Business Central company URL (…/companies(<id>))',
					},
				},
			],
		},
	],
};

export const journalLocator: INodeProperties = {
	displayName: 'Journal',
	name: 'journal',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'Customer payment journal (cash receipt journal batch) to pick the payment from. Business Central only lists payments per journal; leave empty to search all journals of the company.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchJournals', searchable: true },
		},
		guidMode('e.g. 2b7e4c1a-4b7c-ef11-8a6b-6045bde9c5a1'),
	],
};

export const paymentLocator: INodeProperties = {
	displayName: 'Customer Payment',
	name: 'customerPayment',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The customer payment (a line of a customer payment journal) to update',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchPayments', searchable: true },
		},
		guidMode('e.g. 9f1c0a52-4b7c-ef11-8a6b-6045bde9c5a1'),
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://api.businesscentral.dynamics.com/v2.0/…/companies(…)/customerPayments(…)',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `.*customerPayments(\\(|/)${GUID_REGEX}.*`,
						errorMessage:
							'Not a customer payment URL (…/companies(<id>)/customerPayments(<id>) or …/companies/<id>/customerPaymentJournals/<id>/customerPayments/<id>)',
					},
				},
			],
		},
	],
};
