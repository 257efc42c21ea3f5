import type { PaymentPatch } from '../../helpers/paymentFields';

export type ConflictPolicy = 'fail' | 'retryOnce' | 'overwrite';

/** One item's validated update. */
export interface UpdatePlan {
	itemIndex: number;
	companyId: string;
	paymentId: string;
	patch: PaymentPatch;
	/** eTag the user gave; empty → read it first. */
	eTag: string;
	onConflict: ConflictPolicy;
	includePreviousValues: boolean;
}
