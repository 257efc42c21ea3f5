import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	customer: 'get' | 'getAll' | 'update';
	customerPayment: 'create' | 'delete' | 'get' | 'getAll' | 'update';
	salesInvoice: 'get' | 'getAll';
	customerPaymentJournal: 'create' | 'get' | 'getAll' | 'post';
};

export type BusinessCentralType = AllEntities<NodeMap>;
