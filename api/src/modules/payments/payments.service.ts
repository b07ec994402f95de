import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../config';
import type { Db } from '../../db';
import type {
  DevWechatPay,
  EncryptedResource,
  NotifyHeaders,
  RefundResult,
  Transaction,
  WechatPay,
} from '../../integrations/wechatpay/wechatpay';
import type { Principal } from '../../shared/auth';
import { hasPermission } from '../../shared/permissions';
import { DAY, HOUR, MINUTE, type Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { AppError, badRequest, conflict, notFound } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { offsetOf, type PageQuery } from '../../shared/pagination';
import type { EarningsPort } from '../electricians';
import { amountDueOf, type PaymentOrdersPort } from '../orders';
import type { UserReader } from '../users';
import { electricianShareOfRefunds, splitFee } from './money';
import type { Payment, PaymentsRepository, Refund } from './payments.repository';

/** How long a customer has to pay a prepay before it is closed. */
export const PAYMENT_TTL_MS = 2 * HOUR;
/** A pending payment older than this has a late notify: the job asks WeChat Pay. */
export const LATE_NOTIFY_MS = MINUTE;
const JOB_BATCH = 50;

export interface PaymentsDeps {
  db: Db;
  payments: PaymentsRepository;
  /** The paid order's payment status and events (orders owns them), inside the payment's transaction. */
  orders: PaymentOrdersPort;
  /** The electrician's running earnings (electricians owns them). */
  electricians: EarningsPort;
  /** The payer's openid for JSAPI (users owns it). */
  users: UserReader;
  wxpay: WechatPay;
  bus: DomainBus;
  clock: Clock;
  business: Config['business'];
  logger: Logger;
  /** Whether a complaint about the order is open or being handled: its settlement waits (SPEC 3.3). */
  hasOpenComplaint: (orderId: number) => Promise<boolean>;
}

const invalidSignature = (message = '支付通知签名校验失败') => new AppError('INVALID_SIGNATURE', 401, message);
const notifyMismatch = (message: string) => badRequest('NOTIFY_MISMATCH', message);

export function paymentView(p: Payment) {
  return {
    paymentNo: p.paymentNo,
    orderId: p.orderId,
    amount: p.amount,
    status: p.status,
    transactionId: p.transactionId,
    expireTime: p.expireTime.toISOString(),
    paidAt: p.paidAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}

export function createPaymentsService(d: PaymentsDeps) {
  const { db, payments, orders, wxpay, clock, logger } = d;

  const newPaymentNo = (now: Date) =>
    `P${now.toISOString().replace(/\D/g, '').slice(0, 14)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;

  /**
   * Credits a successful WeChat Pay transaction to its payment exactly once: the conditional update
   * pending|closed → paid decides, so duplicate and concurrent notifies (and a query racing a
   * notify) change nothing. True when this call credited it.
   *
   * A late success for a payment we had closed is still money received: it is credited when the
   * order is still unpaid; if another payment already paid the order, this one is recorded as paid
   * with no fee split and no earnings, and flagged for a refund review (failed_reason) — never
   * credited twice.
   */
  async function credit(payment: Payment, tx: Transaction, raw: string, source: 'notify' | 'query' | 'close'): Promise<boolean> {
    const now = clock.now();
    const outcome = await db.transaction(async (trx) => {
      const cur = await payments.findById(payment.id, trx);
      if (!cur || (cur.status !== 'pending' && cur.status !== 'closed')) return undefined;
      const order = (await orders.findById(cur.orderId, trx))!;
      const payable = order.paymentStatus === 'unpaid';
      const split = payable ? splitFee(cur.amount, d.business.platformFeeRate) : { platformFee: 0, electricianAmount: 0 };
      const won = await payments.updateWhere(
        cur.id,
        { status: cur.status },
        {
          status: 'paid',
          transactionId: tx.transaction_id ?? null,
          tradeType: tx.trade_type ?? null,
          bankType: tx.bank_type ?? null,
          rawCallback: raw,
          paidAt: now,
          platformFee: split.platformFee,
          electricianAmount: split.electricianAmount,
          settleAfter: payable ? new Date(now.getTime() + d.business.settlementDelayDays * DAY) : null,
          failedReason: payable ? null : 'REFUND_REVIEW: paid after the order was paid by another payment',
          updatedAt: now,
        },
        trx,
      );
      if (!won) return undefined;
      if (!payable) return { review: true as const, orderId: order.id };
      const orderWon = await orders.markPaid(order.id, { transactionId: tx.transaction_id ?? null }, now, trx);
      // Another payment of this order won meanwhile: roll back; WeChat Pay's retry meets a paid order.
      if (!orderWon) throw conflict('ALREADY_PAID', '订单已支付');
      await orders.insertEvent(
        {
          orderId: order.id,
          action: 'pay',
          from: order.status,
          to: order.status,
          actorId: cur.userId,
          actorRole: 'customer',
          details: { paymentNo: cur.paymentNo, amount: cur.amount, transactionId: tx.transaction_id ?? null, source },
        },
        now,
        trx,
      );
      if (cur.electricianId !== null && split.electricianAmount > 0) {
        await d.electricians.creditEarnings(cur.electricianId, split.electricianAmount, trx);
      }
      const paidOrder = (await orders.findById(order.id, trx))!;
      await d.bus.stage(trx, {
        name: 'order.paid',
        orderId: paidOrder.id,
        paymentNo: cur.paymentNo,
        amount: cur.amount,
        order: paidOrder,
        at: now,
      });
      return { review: false as const };
    });
    if (!outcome) return false;
    if (outcome.review) {
      logger.error(
        { paymentNo: payment.paymentNo, orderId: outcome.orderId },
        'late payment for an order already paid: refund review',
      );
      return false;
    }
    return true;
  }

  /** Checks a transaction (decrypted notify or query answer) against the payment, then credits a success. */
  async function apply(tx: Transaction, raw: string, source: 'notify' | 'query' | 'close'): Promise<boolean> {
    if (tx.mchid !== wxpay.mchid || tx.appid !== wxpay.appid) {
      logger.error(
        { mchid: tx.mchid, appid: tx.appid, paymentNo: tx.out_trade_no },
        'wechat pay transaction for another merchant',
      );
      throw notifyMismatch('商户号或 appid 不匹配');
    }
    const payment = await payments.findByNo(String(tx.out_trade_no));
    if (!payment) throw notifyMismatch('支付单不存在');
    if (tx.amount?.total !== payment.amount) {
      logger.error(
        { paymentNo: payment.paymentNo, expected: payment.amount, got: tx.amount?.total },
        'wechat pay amount differs',
      );
      throw badRequest('AMOUNT_MISMATCH', '支付金额不一致');
    }
    if (tx.trade_state !== 'SUCCESS') return false;
    if (payment.status === 'closed')
      logger.warn({ paymentNo: payment.paymentNo, source }, 'success for a payment closed locally');
    return credit(payment, tx, raw, source);
  }

  async function ownPayment(p: Principal, paymentNo: string): Promise<Payment> {
    const payment = await payments.findByNo(paymentNo);
    const staff = hasPermission(p, 'finance.read') || hasPermission(p, 'orders.read');
    if (!payment || (payment.userId !== p.id && !staff)) throw notFound('支付单不存在');
    return payment;
  }

  /** Signature (serial, freshness, RSA) then GCM-authenticated decryption; either failing is a 401. */
  function openNotify<T>(headers: NotifyHeaders, rawBody: string): { eventType: unknown; resource: T } {
    if (!wxpay.verifyNotify(headers, rawBody)) {
      logger.warn({ serial: headers['wechatpay-serial'] }, 'wechat pay notify failed verification');
      throw invalidSignature();
    }
    try {
      const body = JSON.parse(rawBody) as { event_type?: unknown; resource?: EncryptedResource };
      return { eventType: body.event_type, resource: JSON.parse(wxpay.decryptResource(body.resource!)) as T };
    } catch (err) {
      logger.warn({ err }, 'wechat pay notify could not be decrypted');
      throw invalidSignature('支付通知解密失败');
    }
  }

  async function handleNotify(headers: NotifyHeaders, rawBody: string): Promise<void> {
    const { eventType, resource: tx } = openNotify<Transaction>(headers, rawBody);
    logger.info({ eventType, paymentNo: tx.out_trade_no, state: tx.trade_state }, 'wechat pay notify');
    await apply(tx, rawBody, 'notify');
  }

  /**
   * A refund WeChat Pay reports as successful, applied once (processing → success decides). The
   * payment row is locked first, so concurrent refunds of one payment see each other's sums.
   *
   * The electrician gives back round(refunded × electrician_amount / amount) (cumulative, half-up)
   * while the payment is not settled yet; after settlement the platform bears the refund.
   */
  async function refundSucceeded(refund: Refund, result: RefundResult, raw: string): Promise<boolean> {
    if (result.amount?.refund !== undefined && result.amount.refund !== refund.amount) {
      logger.error({ refundNo: refund.outRefundNo, expected: refund.amount, got: result.amount.refund }, 'refund amount differs');
      throw badRequest('AMOUNT_MISMATCH', '退款金额不一致');
    }
    const now = clock.now();
    return db.transaction(async (trx) => {
      await payments.updateWhere(refund.paymentId, {}, { updatedAt: now }, trx);
      const won = await payments.updateRefundWhere(
        refund.id,
        { status: 'processing' },
        { status: 'success', refundId: result.refund_id ?? refund.refundId, rawNotify: raw, updatedAt: now },
        trx,
      );
      if (!won) return false;
      const payment = (await payments.findById(refund.paymentId, trx))!;
      const refunded = await payments.refundedSum(payment.id, ['success'], trx);
      const status = refunded >= payment.amount ? 'refunded' : 'partial_refund';
      const electricianPart =
        payment.settlementStatus === 'settled'
          ? 0
          : electricianShareOfRefunds(refunded, payment.electricianAmount, payment.amount) -
            electricianShareOfRefunds(refunded - refund.amount, payment.electricianAmount, payment.amount);
      await payments.updateWhere(
        payment.id,
        {},
        { status, refundAmount: refunded, refundReason: refund.reason, refundedAt: now, updatedAt: now },
        trx,
      );
      await orders.setPaymentStatus(payment.orderId, status, now, trx);
      const order = (await orders.findById(payment.orderId, trx))!;
      await orders.insertEvent(
        {
          orderId: order.id,
          action: 'refund',
          from: order.status,
          to: order.status,
          actorId: null,
          actorRole: 'system',
          details: { refundNo: refund.outRefundNo, amount: refund.amount, refunded, paymentStatus: status, electricianPart },
        },
        now,
        trx,
      );
      if (electricianPart > 0) {
        await payments.updateRefundWhere(refund.id, {}, { electricianAmount: electricianPart }, trx);
        if (payment.electricianId !== null) {
          await d.electricians.debitEarnings(payment.electricianId, electricianPart, trx);
        }
      }
      return true;
    });
  }

  /** Sends a processing refund to WeChat Pay (again, with the same number, after a failure). */
  async function submitRefund(refund: Refund): Promise<boolean> {
    const payment = (await payments.findById(refund.paymentId))!;
    let result: RefundResult;
    try {
      result = await wxpay.refund({
        paymentNo: payment.paymentNo,
        refundNo: refund.outRefundNo,
        amount: refund.amount,
        total: payment.amount,
        reason: refund.reason ?? '退款',
      });
    } catch (err) {
      logger.warn({ err, refundNo: refund.outRefundNo }, 'refund request failed; it will be retried with the same number');
      await payments.updateRefundWhere(
        refund.id,
        { status: 'processing' },
        { retryCount: refund.retryCount + 1, updatedAt: clock.now() },
      );
      return false;
    }
    await payments.updateRefundWhere(
      refund.id,
      { status: 'processing' },
      { refundId: result.refund_id ?? null, updatedAt: clock.now() },
    );
    await settleRefund(refund, result, JSON.stringify(result));
    return true;
  }

  async function settleRefund(refund: Refund, result: RefundResult, raw: string): Promise<void> {
    const status = result.refund_status ?? result.status;
    if (status === 'SUCCESS') await refundSucceeded(refund, result, raw);
    else if (status === 'CLOSED' || status === 'ABNORMAL') {
      const to = status === 'CLOSED' ? 'closed' : 'abnormal';
      logger.error({ refundNo: refund.outRefundNo, status }, 'refund did not succeed');
      await payments.updateRefundWhere(
        refund.id,
        { status: 'processing' },
        { status: to, rawNotify: raw, updatedAt: clock.now() },
      );
    }
  }

  /**
   * Records a refund as a ledger row with its own out_refund_no inside `trx`, while the payment row
   * is locked so the sum of refunds that are not closed never exceeds what was paid. Nothing is sent
   * to WeChat Pay here: the caller sends it with `sendRefund` after its transaction commits, so a
   * rolled-back caller leaves no refund behind and no lock is held across a network call.
   */
  async function recordRefund(orderId: number, amount: number, reason: string, trx: Knex.Transaction): Promise<Refund> {
    const payment = await payments.paidFor(orderId, trx);
    if (!payment) throw conflict('INVALID_TRANSITION', '订单未支付，无法退款');
    const now = clock.now();
    await payments.updateWhere(payment.id, {}, { updatedAt: now }, trx);
    const taken = await payments.refundedSum(payment.id, ['processing', 'success', 'abnormal'], trx);
    if (taken + amount > payment.amount) {
      throw badRequest('REFUND_EXCEEDS_PAID', `可退金额为 ${payment.amount - taken} 分`);
    }
    const id = await payments.insertRefund(
      {
        outRefundNo: `R${newPaymentNo(now).slice(1)}`,
        paymentId: payment.id,
        orderId: payment.orderId,
        amount,
        reason,
        createdAt: now,
      },
      trx,
    );
    return (await payments.findRefund({ id }, trx))!;
  }

  /** Sends a recorded refund to WeChat Pay and answers its state (a failed send is retried by the job). */
  async function sendRefund(refund: Refund) {
    await submitRefund(refund);
    const current = (await payments.findRefund({ id: refund.id }))!;
    const payment = (await payments.findById(current.paymentId))!;
    return {
      refundNo: current.outRefundNo,
      orderId: current.orderId,
      paymentNo: payment.paymentNo,
      amount: current.amount,
      status: current.status,
    };
  }

  return {
    handleNotify,

    async handleRefundNotify(headers: NotifyHeaders, rawBody: string): Promise<void> {
      const { resource } = openNotify<RefundResult>(headers, rawBody);
      if (resource.mchid !== wxpay.mchid) throw notifyMismatch('商户号不匹配');
      const refund = await payments.findRefund({ outRefundNo: String(resource.out_refund_no) });
      if (!refund) throw notifyMismatch('退款单不存在');
      logger.info({ refundNo: refund.outRefundNo, status: resource.refund_status }, 'wechat pay refund notify');
      await settleRefund(refund, resource, rawBody);
    },

    recordRefund,
    sendRefund,

    /** An admin refund: recorded in its own transaction, then sent. */
    async refund(orderId: number, amount: number, reason: string) {
      return sendRefund(await db.transaction((trx) => recordRefund(orderId, amount, reason, trx)));
    },

    /**
     * The settlement job: the electrician's share of a payment becomes settled once its delay has
     * passed, unless a complaint about the order is open (then it waits for the next run).
     */
    async settleDue(): Promise<number> {
      const now = clock.now();
      let settled = 0;
      for (const payment of await payments.dueForSettlement(now, JOB_BATCH)) {
        if (await d.hasOpenComplaint(payment.orderId)) continue;
        const won = await payments.updateWhere(
          payment.id,
          { settlementStatus: 'pending' },
          { settlementStatus: 'settled', settledAt: now, updatedAt: now },
        );
        if (won) settled += 1;
      }
      return settled;
    },

    /** GET /api/electricians/me/earnings: totals (fen, net of refunds) and the credited payments. */
    async earnings(p: Principal, q: PageQuery) {
      const electrician = await d.electricians.findByUserId(p.id);
      if (!electrician) throw notFound('尚未申请成为电工');
      const { items, totals } = await payments.earnings(electrician.id, offsetOf(q), q.limit);
      const net = (status: string) => totals.find((t) => t.settlementStatus === status)?.net ?? 0;
      return {
        totalEarnings: electrician.totalEarnings,
        pendingSettlement: net('pending'),
        settled: net('settled'),
        items: items.map(({ payment, orderNo, takenBack }) => ({
          paymentNo: payment.paymentNo,
          orderId: payment.orderId,
          orderNo,
          amount: payment.amount,
          platformFee: payment.platformFee,
          electricianAmount: payment.electricianAmount - takenBack,
          refundedFromShare: takenBack,
          status: payment.status,
          settlementStatus: payment.settlementStatus,
          paidAt: payment.paidAt?.toISOString() ?? null,
          settleAfter: payment.settleAfter?.toISOString() ?? null,
          settledAt: payment.settledAt?.toISOString() ?? null,
        })),
        page: q.page,
        limit: q.limit,
        total: totals.reduce((a, t) => a + t.count, 0),
      };
    },

    /** The job: refunds whose request failed are sent again with the same out_refund_no. */
    async retryRefunds(): Promise<number> {
      let sent = 0;
      for (const refund of await payments.unsubmittedRefunds(JOB_BATCH)) if (await submitRefund(refund)) sent += 1;
      return sent;
    },

    async create(p: Principal, orderId: number, amount: number | undefined) {
      const order = await orders.findById(orderId);
      if (!order || order.userId !== p.id) throw notFound('订单不存在');
      if (order.paymentStatus !== 'unpaid') throw conflict('ALREADY_PAID', '订单已支付');
      const due = amountDueOf(order);
      if (due <= 0) throw conflict('INVALID_TRANSITION', '订单完成后（或到场后取消）才能支付');
      if (amount !== undefined && amount !== due) throw badRequest('AMOUNT_MISMATCH', `支付金额应为 ${due} 分`);
      const user = (await d.users.findById(p.id))!;
      const now = clock.now();
      const payment = await db.transaction(async (trx) => {
        // Locks the order row first, so concurrent requests for one order reuse one open payment.
        const locked = await orders.lockUnpaid(order.id, order.status, now, trx);
        if (!locked) throw conflict('ALREADY_PAID', '订单状态已变化，请刷新后重试');
        const open = await payments.openFor(order.id, now, trx);
        if (open && open.amount === due) return open;
        const id = await payments.insert(
          {
            paymentNo: newPaymentNo(now),
            orderId: order.id,
            userId: p.id,
            electricianId: order.electricianId,
            amount: due,
            openid: user.openid,
            expireTime: new Date(now.getTime() + PAYMENT_TTL_MS),
            createdAt: now,
          },
          trx,
        );
        return (await payments.findById(id, trx))!;
      });
      if (payment.prepayId) {
        return { paymentNo: payment.paymentNo, amount: payment.amount, paymentParams: wxpay.paymentParams(payment.prepayId) };
      }
      // Outside the transaction: no lock is held across a network call. A retry with the same
      // out_trade_no is answered with the same prepay by WeChat Pay.
      const { prepayId, params } = await wxpay.createPrepay({
        paymentNo: payment.paymentNo,
        description: `电工维修-${order.orderNo}`,
        amount: payment.amount,
        openid: payment.openid,
        expireAt: payment.expireTime,
      });
      await payments.updateWhere(payment.id, {}, { prepayId, updatedAt: clock.now() });
      return { paymentNo: payment.paymentNo, amount: payment.amount, paymentParams: params };
    },

    /** The payment's state; while pending, WeChat Pay is asked (a lost notify is credited here). */
    async get(p: Principal, paymentNo: string) {
      const payment = await ownPayment(p, paymentNo);
      if (payment.status === 'pending' && payment.prepayId) {
        try {
          const tx = await wxpay.query(payment.paymentNo);
          await apply(tx, JSON.stringify(tx), 'query');
        } catch (err) {
          logger.warn({ err, paymentNo }, 'active payment query failed');
        }
      }
      return paymentView((await payments.findByNo(paymentNo))!);
    },

    /**
     * The job: pending payments whose notify is late are queried (a success is credited); those past
     * expire_time are closed through WeChat Pay — unless it answers that they were paid, then they are
     * credited instead. Returns how many payments changed.
     */
    async syncPending(): Promise<number> {
      const now = clock.now();
      let changed = 0;
      for (const payment of await payments.pendingSince(new Date(now.getTime() - LATE_NOTIFY_MS), JOB_BATCH)) {
        try {
          if (payment.prepayId) {
            const tx = await wxpay.query(payment.paymentNo);
            if (tx.trade_state === 'SUCCESS') {
              if (await apply(tx, JSON.stringify(tx), 'query')) changed += 1;
              continue;
            }
          }
          if (payment.expireTime > now) continue;
          if (payment.prepayId && (await wxpay.close(payment.paymentNo)) === 'paid') {
            const tx = await wxpay.query(payment.paymentNo);
            if (await apply(tx, JSON.stringify(tx), 'close')) changed += 1;
            continue;
          }
          if (await payments.updateWhere(payment.id, { status: 'pending' }, { status: 'closed', updatedAt: now })) changed += 1;
        } catch (err) {
          logger.warn({ err, paymentNo: payment.paymentNo }, 'pending payment sync failed');
          await payments.updateWhere(payment.id, { status: 'pending' }, { retryCount: payment.retryCount + 1, updatedAt: now });
        }
      }
      return changed;
    },

    /** Dev pay mode: WeChat Pay's success notify for this payment, sent through handleNotify. */
    async devSucceed(dev: DevWechatPay, p: Principal, paymentNo: string) {
      const payment = await ownPayment(p, paymentNo);
      if (!payment.prepayId) throw conflict('INVALID_TRANSITION', '支付单尚未下单');
      const notify = dev.successNotify(payment.paymentNo);
      await handleNotify(notify.headers, notify.body);
      return paymentView((await payments.findByNo(paymentNo))!);
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
