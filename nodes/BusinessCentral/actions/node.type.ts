import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	customerPayment: 'update';
};

export type BusinessCentralType = AllEntities<NodeMap>;
