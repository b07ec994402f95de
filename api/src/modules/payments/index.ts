/** What other modules may use of payments (the rest is its own). */
import type { Db } from '../../db';
import type { PaymentReportsRepository } from './payment-reports.repository';
import type { PaymentsRepository } from './payments.repository';
import { createSharesReads, type SharesReads } from './shares.repository';
import type { PaymentsService } from './payments.service';

export { formatYuan } from './money';
export { reconcile, type Reconciliation, type ReconciliationDay } from './reconciliation';

/** A refund recorded inside the caller's transaction, then sent after it commits. */
export type RefundsPort = Pick<PaymentsService, 'recordRefund' | 'sendRefund'>;

export type { PaymentFilter, PaymentRow, RefundFilter, RefundRow } from './payment-reports.repository';

/** The finance pages' read-only reports over payments and refunds (payments owns both tables). */
export type PaymentReports = PaymentReportsRepository;

/** WeChat Pay's callbacks: the app keeps their raw body, which the signature covers. */
export { NOTIFY_PATHS } from './payments.routes';

/** An order's paid amount and refunds, for its invoice (invoices). */
export type InvoicePayments = Pick<PaymentsRepository, 'invoiceable'>;
export type { PaymentSettled } from './payments.events';
export type { SettledShare, SharesReads } from './shares.repository';

/** The electricians' shares (pending and settled) over a database handle: the wallet and its reconcile check read them. */
export const sharesPortOf = (db: Db): SharesReads => createSharesReads(db);
