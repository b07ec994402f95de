import type { NotifyHeaders, Transaction } from '../../../integrations/wechatpay/wechatpay';
import { DAY } from '../../../shared/clock';
import { badRequest, conflict } from '../../../shared/errors';
import { splitFee } from '../money';
import type { Payment } from '../payments.repository';
import { notifyMismatch, openNotify, type PaymentsDeps } from './shared';

/** Confirming payments: a WeChat Pay transaction (notify, query or close) checked and credited exactly once. */
export function createPaymentConfirmation(d: PaymentsDeps) {
  const { db, payments, orders, wxpay, clock, logger } = d;

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

  async function handleNotify(headers: NotifyHeaders, rawBody: string): Promise<void> {
    const { eventType, resource: tx } = openNotify<Transaction>(d, headers, rawBody);
    logger.info({ eventType, paymentNo: tx.out_trade_no, state: tx.trade_state }, 'wechat pay notify');
    await apply(tx, rawBody, 'notify');
  }

  return { apply, handleNotify };
}

export type PaymentConfirmation = ReturnType<typeof createPaymentConfirmation>;
