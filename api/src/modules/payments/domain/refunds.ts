import type { Knex } from 'knex';
import type { NotifyHeaders, RefundResult } from '../../../integrations/wechatpay/wechatpay';
import { badRequest, conflict } from '../../../shared/errors';
import { electricianShareOfRefunds } from '../money';
import type { Refund } from '../payments.repository';
import { JOB_BATCH, newPaymentNo, notifyMismatch, openNotify, type PaymentsDeps } from './shared';

/** Refunds: recorded in the caller's transaction, sent after it commits, settled once by notify or answer, retried by a job. */
export function createRefunds(d: PaymentsDeps) {
  const { db, payments, orders, wxpay, clock, logger } = d;

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
    async handleRefundNotify(headers: NotifyHeaders, rawBody: string): Promise<void> {
      const { resource } = openNotify<RefundResult>(d, headers, rawBody);
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

    /** The job: refunds whose request failed are sent again with the same out_refund_no. */
    async retryRefunds(): Promise<number> {
      let sent = 0;
      for (const refund of await payments.unsubmittedRefunds(JOB_BATCH)) if (await submitRefund(refund)) sent += 1;
      return sent;
    },
  };
}
