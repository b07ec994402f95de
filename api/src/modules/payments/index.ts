/** What other modules may use of payments (the rest is its own). */
import type { PaymentsService } from './payments.service';

export { formatYuan } from './money';
export { reconcile, type Reconciliation, type ReconciliationDay } from './reconciliation';

/** A refund recorded inside the caller's transaction, then sent after it commits. */
export type RefundsPort = Pick<PaymentsService, 'recordRefund' | 'sendRefund'>;
