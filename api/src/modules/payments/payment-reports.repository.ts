import type { Db } from '../../db';
import { toDate, whereContains } from '../../shared/rows';
import type { OrderNumbers } from '../orders';

type Row = Record<string, unknown>;

export interface PaymentRow {
  id: number;
  paymentNo: string;
  orderId: number;
  orderNo: string;
  electricianId: number | null;
  amount: number;
  platformFee: number;
  electricianAmount: number;
  status: string;
  refundAmount: number;
  transactionId: string | null;
  paidAt: Date | null;
  settlementStatus: string;
  settleAfter: Date | null;
  settledAt: Date | null;
  createdAt: Date;
}

export interface RefundRow {
  id: number;
  outRefundNo: string;
  paymentId: number;
  paymentNo: string;
  orderId: number;
  orderNo: string;
  amount: number;
  electricianAmount: number;
  reason: string | null;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

const mapPayment = (r: Row, orderNo: string): PaymentRow => ({
  id: Number(r.id),
  paymentNo: String(r.payment_no),
  orderId: Number(r.order_id),
  orderNo,
  electricianId: r.electrician_id === null ? null : Number(r.electrician_id),
  amount: Number(r.amount),
  platformFee: Number(r.platform_fee),
  electricianAmount: Number(r.electrician_amount),
  status: String(r.status),
  refundAmount: Number(r.refund_amount),
  transactionId: (r.transaction_id as string | null) ?? null,
  paidAt: toDate(r.paid_at),
  settlementStatus: String(r.settlement_status),
  settleAfter: toDate(r.settle_after),
  settledAt: toDate(r.settled_at),
  createdAt: toDate(r.created_at)!,
});

const mapRefund = (r: Row, orderNo: string): RefundRow => ({
  id: Number(r.id),
  outRefundNo: String(r.out_refund_no),
  paymentId: Number(r.payment_id),
  paymentNo: String(r.payment_no),
  orderId: Number(r.order_id),
  orderNo,
  amount: Number(r.amount),
  electricianAmount: Number(r.electrician_amount),
  reason: (r.reason as string | null) ?? null,
  status: String(r.status),
  createdAt: toDate(r.created_at)!,
  updatedAt: toDate(r.updated_at)!,
});

export interface PaymentFilter {
  status?: string;
  settlementStatus?: string;
  orderId?: number;
  keyword?: string;
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
}

export interface RefundFilter {
  status?: string;
  orderId?: number;
  keyword?: string;
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
}

/** A payment credited in a reconciliation's range, as reconciliation checks it (fen). */
export interface LedgerPayment {
  id: number;
  paymentNo: string;
  amount: number;
  platformFee: number;
  electricianAmount: number;
  /** What the payment row records as refunded (reconciliation checks it against its successful refunds). */
  refundAmount: number;
  paidAt: Date;
}

/** A refund that succeeded in a reconciliation's range (fen); `updatedAt` is when it succeeded. */
export interface LedgerRefund {
  amount: number;
  electricianAmount: number;
  updatedAt: Date;
}

/**
 * What the daily reconciliation (`reconcile`, reconciliation.ts) reads of the ledger: the payments
 * credited and the refunds that succeeded in [start, end), and the successful refunds' total of each
 * payment. Part of `createPaymentReports`; the reconcile script builds it alone.
 */
export function createReconciliationReads(db: Db) {
  return {
    async paidBetween(start: Date, end: Date): Promise<LedgerPayment[]> {
      const rows: Row[] = await db('payments')
        .whereNotNull('paid_at')
        .andWhere('paid_at', '>=', start)
        .andWhere('paid_at', '<', end);
      return rows.map((r) => ({
        id: Number(r.id),
        paymentNo: String(r.payment_no),
        amount: Number(r.amount),
        platformFee: Number(r.platform_fee),
        electricianAmount: Number(r.electrician_amount),
        refundAmount: Number(r.refund_amount),
        paidAt: toDate(r.paid_at)!,
      }));
    },

    async refundsSucceededBetween(start: Date, end: Date): Promise<LedgerRefund[]> {
      const rows: Row[] = await db('refunds')
        .where('status', 'success')
        .andWhere('updated_at', '>=', start)
        .andWhere('updated_at', '<', end);
      return rows.map((r) => ({
        amount: Number(r.amount),
        electricianAmount: Number(r.electrician_amount),
        updatedAt: toDate(r.updated_at)!,
      }));
    },

    /** The sum of the successful refunds of each of `paymentIds`, by payment id; payments without one are left out. */
    async refundedByPayment(paymentIds: readonly number[]): Promise<Map<number, number>> {
      if (paymentIds.length === 0) return new Map();
      const sums = (await db('refunds')
        .select('payment_id')
        .sum({ s: 'amount' })
        .where('status', 'success')
        .whereIn('payment_id', [...paymentIds])
        .groupBy('payment_id')) as Row[];
      return new Map(sums.map((r) => [Number(r.payment_id), Number(r.s)]));
    },
  };
}

export type ReconciliationReads = ReturnType<typeof createReconciliationReads>;

/**
 * Read-only reports over the payments ledger (payments and refunds, this module's tables) for the
 * finance pages, through the `PaymentReports` port; the order numbers come from the orders module
 * (`orders`: one query per page, and the keyword subquery), and the reconciliation's reads.
 */
export function createPaymentReports(db: Db, orders: OrderNumbers) {
  async function page<T extends { orderId: number }>(
    base: ReturnType<Db>,
    map: (r: Row, orderNo: string) => T,
    offset: number,
    limit: number,
    order: string,
  ) {
    const [rows, totalRow] = await Promise.all([
      base.clone().orderBy(order, 'desc').offset(offset).limit(limit) as Promise<Row[]>,
      base.clone().clearSelect().count({ n: '*' }).first(),
    ]);
    const orderNos = await orders.orderNos(rows.map((r) => Number(r.order_id)));
    return {
      items: rows.map((r) => map(r, orderNos.get(Number(r.order_id)) ?? '')),
      total: Number((totalRow as Row | undefined)?.n ?? 0),
    };
  }

  return {
    ...createReconciliationReads(db),

    payments(f: PaymentFilter) {
      const base = db('payments')
        .select('payments.*')
        .modify((q) => {
          if (f.status) q.where('payments.status', f.status);
          if (f.settlementStatus) q.where('payments.settlement_status', f.settlementStatus).whereNotNull('payments.paid_at');
          if (f.orderId) q.where('payments.order_id', f.orderId);
          if (f.keyword)
            whereContains(q, ['payments.payment_no', 'payments.transaction_id'], f.keyword, [
              ['payments.order_id', orders.idsWithOrderNoContaining(f.keyword)],
            ]);
          if (f.from) q.where('payments.created_at', '>=', f.from);
          if (f.to) q.where('payments.created_at', '<', f.to);
        });
      return page(base, mapPayment, f.offset, f.limit, 'payments.id');
    },

    refunds(f: RefundFilter) {
      const base = db('refunds')
        .join('payments', 'payments.id', 'refunds.payment_id')
        .select('refunds.*', 'payments.payment_no')
        .modify((q) => {
          if (f.status) q.where('refunds.status', f.status);
          if (f.orderId) q.where('refunds.order_id', f.orderId);
          if (f.keyword)
            whereContains(q, ['refunds.out_refund_no', 'payments.payment_no'], f.keyword, [
              ['refunds.order_id', orders.idsWithOrderNoContaining(f.keyword)],
            ]);
          if (f.from) q.where('refunds.created_at', '>=', f.from);
          if (f.to) q.where('refunds.created_at', '<', f.to);
        });
      return page(base, mapRefund, f.offset, f.limit, 'refunds.id');
    },

    /** The electricians' shares of paid payments by settlement status, and how many are due now. */
    async settlements(now: Date) {
      const rows = (await db('payments')
        .whereNotNull('paid_at')
        .groupBy('settlement_status')
        .select('settlement_status')
        .count({ n: '*' })
        .sum({ amount: 'electrician_amount' })) as Row[];
      const due = await db('payments')
        .whereNotNull('paid_at')
        .where('settlement_status', 'pending')
        .andWhere('settle_after', '<=', now)
        .count({ n: '*' })
        .first();
      const of = (status: string) => {
        const r = rows.find((x) => x.settlement_status === status);
        return { count: Number(r?.n ?? 0), electricianAmount: Number(r?.amount ?? 0) };
      };
      return { pending: of('pending'), settled: of('settled'), dueNow: Number(due?.n ?? 0) };
    },
  };
}

export type PaymentReportsRepository = ReturnType<typeof createPaymentReports>;
