import type { DevWechatPay } from '../../../integrations/wechatpay/wechatpay';
import type { Principal } from '../../../shared/auth';
import { badRequest, conflict, notFound } from '../../../shared/errors';
import { hasPermission } from '../../../shared/permissions';
import { amountDueOf } from '../../orders';
import type { Payment } from '../payments.repository';
import type { PaymentConfirmation } from './confirm';
import { newPaymentNo, PAYMENT_TTL_MS, paymentView, type PaymentsDeps } from './shared';

/** The customer's side: a prepay for what the order owes, the payment's state (asking WeChat Pay while pending), dev pay. */
export function createPrepayUseCases(d: PaymentsDeps, confirm: PaymentConfirmation) {
  const { db, payments, orders, wxpay, clock, logger } = d;
  const { apply, notified } = confirm;

  async function ownPayment(p: Principal, paymentNo: string): Promise<Payment> {
    const payment = await payments.findByNo(paymentNo);
    const staff = hasPermission(p, 'finance.read') || hasPermission(p, 'orders.read');
    if (!payment || (payment.userId !== p.id && !staff)) throw notFound('支付单不存在');
    return payment;
  }

  return {
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
        return payments.insert(
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

    /** Dev pay mode: WeChat Pay's success notify for this payment, sent through handleNotify. */
    async devSucceed(dev: DevWechatPay, p: Principal, paymentNo: string) {
      const payment = await ownPayment(p, paymentNo);
      if (!payment.prepayId) throw conflict('INVALID_TRANSITION', '支付单尚未下单');
      const notify = dev.successNotify(payment.paymentNo);
      // As this notify credited it; else (already paid, or refused) as it is now.
      const credited = await notified(notify.headers, notify.body, payment);
      return paymentView(credited ?? (await payments.findByNo(paymentNo))!);
    },
  };
}
