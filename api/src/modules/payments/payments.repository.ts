import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { toDate } from '../../shared/rows';
import type { OrderNumbers } from '../orders';

export type PaymentStatus = 'pending' | 'paid' | 'closed' | 'failed' | 'refunded' | 'partial_refund';

export interface Payment {
  id: number;
  paymentNo: string;
  orderId: number;
  userId: number;
  electricianId: number | null;
  amount: number;
  platformFee: number;
  electricianAmount: number;
  status: PaymentStatus;
  transactionId: string | null;
  prepayId: string | null;
  tradeType: string | null;
  openid: string;
  bankType: string | null;
  expireTime: Date;
  paidAt: Date | null;
  failedReason: string | null;
  retryCount: number;
  settlementStatus: 'pending' | 'settled';
  settleAfter: Date | null;
  settledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type RefundStatus = 'processing' | 'success' | 'abnormal' | 'closed';

export interface Refund {
  id: number;
  outRefundNo: string;
  paymentId: number;
  orderId: number;
  amount: number;
  reason: string | null;
  status: RefundStatus;
  refundId: string | null;
  retryCount: number;
  createdAt: Date;
  updatedAt: Date;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function mapPayment(r: Row): Payment {
  return {
    id: Number(r.id),
    paymentNo: String(r.payment_no),
    orderId: Number(r.order_id),
    userId: Number(r.user_id),
    electricianId: r.electrician_id === null || r.electrician_id === undefined ? null : Number(r.electrician_id),
    amount: Number(r.amount),
    platformFee: Number(r.platform_fee),
    electricianAmount: Number(r.electrician_amount),
    status: r.status as PaymentStatus,
    transactionId: str(r.transaction_id),
    prepayId: str(r.prepay_id),
    tradeType: str(r.trade_type),
    openid: String(r.openid),
    bankType: str(r.bank_type),
    expireTime: toDate(r.expire_time)!,
    paidAt: toDate(r.paid_at),
    failedReason: str(r.failed_reason),
    retryCount: Number(r.retry_count),
    settlementStatus: r.settlement_status as Payment['settlementStatus'],
    settleAfter: toDate(r.settle_after),
    settledAt: toDate(r.settled_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export function mapRefund(r: Row): Refund {
  return {
    id: Number(r.id),
    outRefundNo: String(r.out_refund_no),
    paymentId: Number(r.payment_id),
    orderId: Number(r.order_id),
    amount: Number(r.amount),
    reason: str(r.reason),
    status: r.status as RefundStatus,
    refundId: str(r.refund_id),
    retryCount: Number(r.retry_count),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

/** `orders`: the orders module's order numbers (shown with an electrician's earnings). */
export function createPaymentsRepository(db: Db, orders: OrderNumbers) {
  return {
    async insert(row: Row, trx: Conn = db): Promise<number> {
      return insertId(trx, 'payments', row);
    },

    async findByNo(paymentNo: string, trx: Conn = db): Promise<Payment | undefined> {
      const r = await trx('payments').where({ payment_no: paymentNo }).first();
      return r ? mapPayment(r) : undefined;
    },

    async findById(id: number, trx: Conn = db): Promise<Payment | undefined> {
      const r = await trx('payments').where({ id }).first();
      return r ? mapPayment(r) : undefined;
    },

    /** The order's pending payment that can still be paid at `now`, if any. */
    async openFor(orderId: number, now: Date, trx: Conn): Promise<Payment | undefined> {
      const r = await trx('payments')
        .where({ order_id: orderId, status: 'pending' })
        .andWhere('expire_time', '>', now)
        .orderBy('id', 'desc')
        .first();
      return r ? mapPayment(r) : undefined;
    },

    /** A state change conditional on what the caller read; false means someone else changed it first. */
    async updateWhere(id: number, where: Row, set: Row, trx: Conn = db): Promise<boolean> {
      const n = await trx('payments')
        .where({ id, ...where })
        .update(set);
      return n === 1;
    },

    /** Pending payments created before `createdBefore` (their notify is late) — oldest first. */
    async pendingSince(createdBefore: Date, limit: number): Promise<Payment[]> {
      return (
        await db('payments').where('status', 'pending').andWhere('created_at', '<=', createdBefore).orderBy('id').limit(limit)
      ).map(mapPayment);
    },

    /** The order's payment that refunds apply to: the paid (or partly refunded) one. */
    async paidFor(orderId: number, trx: Conn = db): Promise<Payment | undefined> {
      const r = await trx('payments')
        .where({ order_id: orderId })
        .whereIn('status', ['paid', 'partial_refund'])
        .orderBy('id')
        .first();
      return r ? mapPayment(r) : undefined;
    },

    async insertRefund(row: Row, trx: Conn): Promise<number> {
      return insertId(trx, 'refunds', row);
    },

    async findRefund(where: { id: number } | { out_refund_no: string }, trx: Conn = db): Promise<Refund | undefined> {
      const r = await trx('refunds').where(where).first();
      return r ? mapRefund(r) : undefined;
    },

    async updateRefundWhere(id: number, where: Row, set: Row, trx: Conn = db): Promise<boolean> {
      const n = await trx('refunds')
        .where({ id, ...where })
        .update(set);
      return n === 1;
    },

    /** Sum of a payment's refunds in the given statuses. */
    /**
     * A locking read on MySQL: inside a transaction whose snapshot was taken before it locked the
     * payment (a complaint's resolution reads first), a plain read could miss a refund committed
     * meanwhile. SQLite serialises writers and ignores the clause.
     */
    async refundedSum(paymentId: number, statuses: RefundStatus[], trx: Conn = db): Promise<number> {
      const row = await trx('refunds')
        .where({ payment_id: paymentId })
        .whereIn('status', statuses)
        .sum({ s: 'amount' })
        .forUpdate()
        .first();
      return Number(row?.s ?? 0);
    },

    /** Paid payments whose settlement delay has passed. */
    async dueForSettlement(now: Date, limit: number): Promise<Payment[]> {
      return (
        await db('payments')
          .whereIn('status', ['paid', 'partial_refund'])
          .andWhere('settlement_status', 'pending')
          .andWhere('settle_after', '<=', now)
          .orderBy('settle_after')
          .limit(limit)
      ).map(mapPayment);
    },

    /**
     * An electrician's credited payments, newest first, with what refunds took back from their share.
     * Only payments that earned them something (a refund-review payment has no share).
     */
    async earnings(electricianId: number, offset: number, limit: number) {
      const base = db('payments')
        .where('payments.electrician_id', electricianId)
        .whereNotNull('payments.paid_at')
        .andWhere('payments.electrician_amount', '>', 0);
      const takenBack = db('refunds')
        .select('payment_id')
        .sum({ taken: 'electrician_amount' })
        .where('status', 'success')
        .groupBy('payment_id')
        .as('r');
      const rows = await base
        .clone()
        .leftJoin(takenBack, 'r.payment_id', 'payments.id')
        .select('payments.*', db.raw('coalesce(r.taken, 0) as taken'))
        .orderBy('payments.paid_at', 'desc')
        .orderBy('payments.id', 'desc')
        .offset(offset)
        .limit(limit);
      const totals = await base
        .clone()
        .leftJoin(takenBack, 'r.payment_id', 'payments.id')
        .select('payments.settlement_status')
        .sum({ gross: 'payments.electrician_amount' })
        .sum({ taken: db.raw('coalesce(r.taken, 0)') })
        .count({ n: '*' })
        .groupBy('payments.settlement_status');
      const orderNos = await orders.orderNos(rows.map((r: Row) => Number(r.order_id)));
      return {
        items: rows.map((r: Row) => ({
          payment: mapPayment(r),
          orderNo: orderNos.get(Number(r.order_id)) ?? '',
          takenBack: Number(r.taken),
        })),
        totals: totals.map((t: Row) => ({
          settlementStatus: String(t.settlement_status),
          net: Number(t.gross ?? 0) - Number(t.taken ?? 0),
          count: Number(t.n),
        })),
      };
    },

    /** Refunds WeChat Pay has not accepted yet (the call failed): retried with the same number. */
    async unsubmittedRefunds(limit: number): Promise<Refund[]> {
      return (await db('refunds').where({ status: 'processing' }).whereNull('refund_id').orderBy('id').limit(limit)).map(
        mapRefund,
      );
    },

    /** A deleted account's payments stay for the books; the payer's openid is replaced by the account's rewritten openid. */
    async anonymisePayer(userId: number, openid: string, now: Date, trx: Conn): Promise<number> {
      return trx('payments').where({ user_id: userId }).update({ openid, updated_at: now });
    },
  };
}

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;
