import type { NotifyHeaders, Transaction } from '../../../integrations/wechatpay/wechatpay';
import { DAY } from '../../../shared/clock';
import { badRequest, conflict } from '../../../shared/errors';
import { splitFee } from '../money';
import type { Payment, PaymentStatus } from '../payments.repository';
import { notifyMismatch, openNotify, type PaymentsDeps } from './shared';

/** The statuses a success is credited from: pending, and closed (a late success is still money received). */
const CREDITABLE: readonly PaymentStatus[] = ['pending', 'closed'];

/** Confirming payments: a WeChat Pay transaction (notify, query or close) checked and credited exactly once. */
export function createPaymentConfirmation(d: PaymentsDeps) {
  const { db, payments, orders, wxpay, clock, logger } = d;

  /**
   * Credits a successful WeChat Pay transaction to its payment exactly once: the conditional update
   * pending|closed → paid decides, so duplicate and concurrent notifies (and a query racing a
   * notify) change nothing. The payment as this call credited it (built from `payment`, read by the
   * caller just before, and what the update wrote), or undefined when it did not.
   *
   * A late success for a payment we had closed is still money received: it is credited when the
   * order is still unpaid; if another payment already paid the order, this one is recorded as paid
   * with no fee split and no earnings, and flagged for a refund review (failed_reason) — never
   * credited twice.
   */
  async function credit(
    payment: Payment,
    tx: Transaction,
    raw: string,
    source: 'notify' | 'query' | 'close',
  ): Promise<Payment | undefined> {
    // A payment never goes back to pending or closed once paid (or refunded): nothing to try.
    if (!CREDITABLE.includes(payment.status)) return undefined;
    const now = clock.now();
    const outcome = await db.transaction(async (trx) => {
      const order = (await orders.findById(payment.orderId, trx))!;
      const payable = order.paymentStatus === 'unpaid';
      const split = payable ? splitFee(payment.amount, d.business.platformFeeRate) : { platformFee: 0, electricianAmount: 0 };
      const set = {
        status: 'paid' as const,
        transactionId: tx.transaction_id ?? null,
        tradeType: tx.trade_type ?? null,
        bankType: tx.bank_type ?? null,
        paidAt: now,
        platformFee: split.platformFee,
        electricianAmount: split.electricianAmount,
        settleAfter: payable ? new Date(now.getTime() + d.business.settlementDelayDays * DAY) : null,
        failedReason: payable ? null : 'REFUND_REVIEW: paid after the order was paid by another payment',
        updatedAt: now,
      };
      // Conditional on the status as it is now, whichever of the two (a close may have raced the read).
      if (!(await payments.updateFrom(payment.id, CREDITABLE, { ...set, rawCallback: raw }, trx))) return undefined;
      if (!payable) return { review: true as const, orderId: order.id };
      // The order as the update leaves it (order.paid's subscribers read what no payment races with).
      const paidOrder = await orders.markPaid(order, { transactionId: tx.transaction_id ?? null }, now, trx);
      // Another payment of this order won meanwhile: roll back; WeChat Pay's retry meets a paid order.
      if (!paidOrder) throw conflict('ALREADY_PAID', '订单已支付');
      await orders.insertEvent(
        {
          orderId: order.id,
          action: 'pay',
          from: order.status,
          to: order.status,
          actorId: payment.userId,
          actorRole: 'customer',
          details: { paymentNo: payment.paymentNo, amount: payment.amount, transactionId: tx.transaction_id ?? null, source },
        },
        now,
        trx,
      );
      if (payment.electricianId !== null && split.electricianAmount > 0) {
        await d.electricians.creditEarnings(payment.electricianId, split.electricianAmount, trx);
      }
      await d.bus.stage(trx, {
        name: 'order.paid',
        orderId: paidOrder.id,
        paymentNo: payment.paymentNo,
        amount: payment.amount,
        order: paidOrder,
        at: now,
      });
      return { review: false as const, paid: { ...payment, ...set } };
    });
    if (!outcome) return undefined;
    if (outcome.review) {
      logger.error(
        { paymentNo: payment.paymentNo, orderId: outcome.orderId },
        'late payment for an order already paid: refund review',
      );
      return undefined;
    }
    return outcome.paid;
  }

  /**
   * Checks a transaction (decrypted notify or query answer) against the payment, then credits a
   * success; the payment as this call credited it, if it did. `known`: the payment as the caller
   * has just read it (dev pay's notify), not read again.
   */
  async function confirm(
    tx: Transaction,
    raw: string,
    source: 'notify' | 'query' | 'close',
    known?: Payment,
  ): Promise<Payment | undefined> {
    if (tx.mchid !== wxpay.mchid || tx.appid !== wxpay.appid) {
      logger.error(
        { mchid: tx.mchid, appid: tx.appid, paymentNo: tx.out_trade_no },
        'wechat pay transaction for another merchant',
      );
      throw notifyMismatch('商户号或 appid 不匹配');
    }
    const paymentNo = String(tx.out_trade_no);
    const payment = known?.paymentNo === paymentNo ? known : await payments.findByNo(paymentNo);
    if (!payment) throw notifyMismatch('支付单不存在');
    if (tx.amount?.total !== payment.amount) {
      logger.error(
        { paymentNo: payment.paymentNo, expected: payment.amount, got: tx.amount?.total },
        'wechat pay amount differs',
      );
      throw badRequest('AMOUNT_MISMATCH', '支付金额不一致');
    }
    if (tx.trade_state !== 'SUCCESS') return undefined;
    if (payment.status === 'closed')
      logger.warn({ paymentNo: payment.paymentNo, source }, 'success for a payment closed locally');
    return credit(payment, tx, raw, source);
  }

  /** Checks a transaction against the payment, then credits a success; true when this call credited it. */
  async function apply(tx: Transaction, raw: string, source: 'notify' | 'query' | 'close'): Promise<boolean> {
    return (await confirm(tx, raw, source)) !== undefined;
  }

  /** A notify, verified and applied: the payment as it credited it, if it did (`known`: see `confirm`). */
  async function notified(headers: NotifyHeaders, rawBody: string, known?: Payment): Promise<Payment | undefined> {
    const { eventType, resource: tx } = openNotify<Transaction>(d, headers, rawBody);
    logger.info({ eventType, paymentNo: tx.out_trade_no, state: tx.trade_state }, 'wechat pay notify');
    return confirm(tx, rawBody, 'notify', known);
  }

  async function handleNotify(headers: NotifyHeaders, rawBody: string): Promise<void> {
    await notified(headers, rawBody);
  }

  return { apply, handleNotify, notified };
}

export type PaymentConfirmation = ReturnType<typeof createPaymentConfirmation>;
