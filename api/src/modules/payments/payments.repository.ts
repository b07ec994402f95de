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

/**
 * What a state change writes to a payment, camelCase: the repository maps it to columns, so the
 * payments use cases never name a column. `where` patches match the row as the caller read it.
 */
export interface PaymentPatch {
  status?: PaymentStatus;
  transactionId?: string | null;
  tradeType?: string | null;
  bankType?: string | null;
  /** The raw payment notification, kept for the books. */
  rawCallback?: string;
  paidAt?: Date;
  platformFee?: number;
  electricianAmount?: number;
  settleAfter?: Date | null;
  failedReason?: string | null;
  refundAmount?: number;
  refundReason?: string | null;
  refundedAt?: Date;
  settlementStatus?: Payment['settlementStatus'];
  settledAt?: Date;
  prepayId?: string;
  retryCount?: number;
  updatedAt?: Date;
}

const PAYMENT_COLUMNS: Record<keyof PaymentPatch, string> = {
  status: 'status',
  transactionId: 'transaction_id',
  tradeType: 'trade_type',
  bankType: 'bank_type',
  rawCallback: 'raw_callback',
  paidAt: 'paid_at',
  platformFee: 'platform_fee',
  electricianAmount: 'electrician_amount',
  settleAfter: 'settle_after',
  failedReason: 'failed_reason',
  refundAmount: 'refund_amount',
  refundReason: 'refund_reason',
  refundedAt: 'refunded_at',
  settlementStatus: 'settlement_status',
  settledAt: 'settled_at',
  prepayId: 'prepay_id',
  retryCount: 'retry_count',
  updatedAt: 'updated_at',
};

/** What a state change writes to a refund (camelCase, mapped to columns here). */
export interface RefundPatch {
  status?: RefundStatus;
  refundId?: string | null;
  /** The raw refund notification or query result. */
  rawNotify?: string;
  /** The electrician's part of the refund (fen), once it succeeded. */
  electricianAmount?: number;
  retryCount?: number;
  updatedAt?: Date;
}

const REFUND_COLUMNS: Record<keyof RefundPatch, string> = {
  status: 'status',
  refundId: 'refund_id',
  rawNotify: 'raw_notify',
  electricianAmount: 'electrician_amount',
  retryCount: 'retry_count',
  updatedAt: 'updated_at',
};

function columnsOf<P extends object>(patch: P, columns: Record<keyof P, string>): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) row[columns[key as keyof P]] = value;
  }
  return row;
}

/** A payment as prepay creates it (pending, JSAPI). */
export interface NewPayment {
  paymentNo: string;
  orderId: number;
  userId: number;
  electricianId: number | null;
  amount: number;
  openid: string;
  expireTime: Date;
  createdAt: Date;
}

/** A refund as it is recorded (processing), before WeChat Pay is asked. */
export interface NewRefund {
  outRefundNo: string;
  paymentId: number;
  orderId: number;
  amount: number;
  reason: string | null;
  createdAt: Date;
}

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
    /** Stores a new pending payment; returns it as stored (built from the insert, not read back). */
    async insert(p: NewPayment, trx: Conn = db): Promise<Payment> {
      const id = await insertId(trx, 'payments', {
        payment_no: p.paymentNo,
        order_id: p.orderId,
        user_id: p.userId,
        electrician_id: p.electricianId,
        amount: p.amount,
        status: 'pending',
        openid: p.openid,
        trade_type: 'JSAPI',
        expire_time: p.expireTime,
        created_at: p.createdAt,
        updated_at: p.createdAt,
      });
      // The columns' defaults (migration 20261122000400) for what the insert leaves out.
      return {
        id,
        paymentNo: p.paymentNo,
        orderId: p.orderId,
        userId: p.userId,
        electricianId: p.electricianId,
        amount: p.amount,
        platformFee: 0,
        electricianAmount: 0,
        status: 'pending',
        transactionId: null,
        prepayId: null,
        tradeType: 'JSAPI',
        openid: p.openid,
        bankType: null,
        expireTime: p.expireTime,
        paidAt: null,
        failedReason: null,
        retryCount: 0,
        settlementStatus: 'pending',
        settleAfter: null,
        settledAt: null,
        createdAt: p.createdAt,
        updatedAt: p.createdAt,
      };
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

    /** A state change conditional on the payment's status being one of `statuses`; false when it is not (any more). */
    async updateFrom(id: number, statuses: readonly PaymentStatus[], set: PaymentPatch, trx: Conn = db): Promise<boolean> {
      const n = await trx('payments')
        .where({ id })
        .whereIn('status', [...statuses])
        .update(columnsOf(set, PAYMENT_COLUMNS));
      return n === 1;
    },

    /** A state change conditional on what the caller read; false means someone else changed it first. */
    async updateWhere(id: number, where: PaymentPatch, set: PaymentPatch, trx: Conn = db): Promise<boolean> {
      const n = await trx('payments')
        .where({ id, ...columnsOf(where, PAYMENT_COLUMNS) })
        .update(columnsOf(set, PAYMENT_COLUMNS));
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

    async insertRefund(r: NewRefund, trx: Conn): Promise<number> {
      return insertId(trx, 'refunds', {
        out_refund_no: r.outRefundNo,
        payment_id: r.paymentId,
        order_id: r.orderId,
        amount: r.amount,
        reason: r.reason,
        status: 'processing',
        created_at: r.createdAt,
        updated_at: r.createdAt,
      });
    },

    async findRefund(by: { id: number } | { outRefundNo: string }, trx: Conn = db): Promise<Refund | undefined> {
      const r = await trx('refunds')
        .where('id' in by ? { id: by.id } : { out_refund_no: by.outRefundNo })
        .first();
      return r ? mapRefund(r) : undefined;
    },

    async updateRefundWhere(id: number, where: RefundPatch, set: RefundPatch, trx: Conn = db): Promise<boolean> {
      const n = await trx('refunds')
        .where({ id, ...columnsOf(where, REFUND_COLUMNS) })
        .update(columnsOf(set, REFUND_COLUMNS));
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

    /** What succeeded refunds took back from the electrician's share of a payment (fen). */
    async shareTakenBack(paymentId: number, trx: Conn = db): Promise<number> {
      const row = await trx('refunds')
        .where({ payment_id: paymentId, status: 'success' })
        .sum({ s: 'electrician_amount' })
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

    /** What the electrician earned from payments made in [from, to): their shares, net of refunds so far. */
    async incomeBetween(electricianId: number, from: Date, to: Date): Promise<number> {
      const paid = db('payments')
        .where('electrician_id', electricianId)
        .andWhere('paid_at', '>=', from)
        .andWhere('paid_at', '<', to)
        .andWhere('electrician_amount', '>', 0);
      const gross = await paid.clone().sum({ s: 'electrician_amount' }).first();
      const taken = await db('refunds')
        .whereIn('payment_id', paid.clone().select('id'))
        .andWhere('status', 'success')
        .sum({ s: 'electrician_amount' })
        .first();
      return Number(gross?.s ?? 0) - Number(taken?.s ?? 0);
    },

    /** Refunds WeChat Pay has not accepted yet (the call failed): retried with the same number. */
    async unsubmittedRefunds(limit: number): Promise<Refund[]> {
      return (await db('refunds').where({ status: 'processing' }).whereNull('refund_id').orderBy('id').limit(limit)).map(
        mapRefund,
      );
    },

    /**
     * What an invoice of the order may be for (SPEC 3.12): its payment's amount, and what was
     * refunded of it or is on its way back (a refund processing or abnormal counts, as it does
     * when the next refund is sized); undefined while the order has no paid payment.
     */
    async invoiceable(orderId: number, trx: Conn = db): Promise<{ paid: number; refunded: number } | undefined> {
      const p = await trx('payments')
        .where({ order_id: orderId })
        .whereIn('status', ['paid', 'partial_refund', 'refunded'])
        .orderBy('id')
        .first();
      if (!p) return undefined;
      const row = await trx('refunds')
        .where({ payment_id: p.id })
        .whereIn('status', ['processing', 'success', 'abnormal'])
        .sum({ s: 'amount' })
        .first();
      return { paid: Number(p.amount), refunded: Number(row?.s ?? 0) };
    },

    /** A deleted account's payments stay for the books; the payer's openid is replaced by the account's rewritten openid. */
    async anonymisePayer(userId: number, openid: string, now: Date, trx: Conn): Promise<number> {
      return trx('payments').where({ user_id: userId }).update({ openid, updated_at: now });
    },
  };
}

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;
