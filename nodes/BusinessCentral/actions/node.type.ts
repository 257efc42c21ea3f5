import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	customerPayment: 'create' | 'delete' | 'get' | 'getAll' | 'update';
};

export type BusinessCentralType = AllEntities<NodeMap>;
