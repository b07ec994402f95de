import type { Principal } from '../../../shared/auth';
import { chinaDay, DAY } from '../../../shared/clock';
import { notFound } from '../../../shared/errors';
import { offsetOf, type PageQuery } from '../../../shared/pagination';
import type { PaymentConfirmation } from './confirm';
import { JOB_BATCH, LATE_NOTIFY_MS, type PaymentsDeps } from './shared';

/** The payment jobs (late notifies and expiry, settlement) and the electrician's earnings. */
export function createPaymentJobs(d: PaymentsDeps, confirm: PaymentConfirmation) {
  const { payments, orders, wxpay, clock, logger } = d;
  const { apply } = confirm;
  return {
    /**
     * The settlement job: the electrician's share of a payment becomes settled once its delay has
     * passed, unless a complaint about the order is open (then it waits for the next run). The
     * settled share is published (`payment.settled`, staged in the same transaction) for the wallet.
     */
    async settleDue(): Promise<number> {
      const now = clock.now();
      let settled = 0;
      for (const payment of await payments.dueForSettlement(now, JOB_BATCH)) {
        if (await d.hasOpenComplaint(payment.orderId)) continue;
        const won = await d.db.transaction(async (trx) => {
          const changed = await payments.updateWhere(
            payment.id,
            { settlementStatus: 'pending' },
            { settlementStatus: 'settled', settledAt: now, updatedAt: now },
            trx,
          );
          if (!changed) return false;
          // The share as settled: refunds that succeeded before now took their part back.
          const share = payment.electricianAmount - (await payments.shareTakenBack(payment.id, trx));
          if (payment.electricianId !== null && share > 0) {
            await d.bus.stage(trx, {
              name: 'payment.settled',
              paymentId: payment.id,
              paymentNo: payment.paymentNo,
              orderId: payment.orderId,
              electricianId: payment.electricianId,
              share,
              at: now,
            });
          }
          return true;
        });
        if (won) settled += 1;
      }
      return settled;
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

    /** GET /api/electricians/me/earnings: totals (fen, net of refunds) and the credited payments. */
    async earnings(p: Principal, q: PageQuery) {
      const electrician = await d.electricians.findByUserId(p.id);
      if (!electrician) throw notFound('尚未申请成为电工');
      const { items, totals } = await payments.earnings(electrician.id, offsetOf(q), q.limit);
      const net = (status: string) => totals.find((t) => t.settlementStatus === status)?.net ?? 0;
      // "Today" for the workspace header: the CST calendar day.
      const day = chinaDay(clock.now());
      const dayEnd = new Date(day.start.getTime() + DAY);
      const [income, accepted] = await Promise.all([
        payments.incomeBetween(electrician.id, day.start, dayEnd),
        orders.countAcceptedBy(electrician.id, day.start, dayEnd),
      ]);
      return {
        today: { date: day.date, income, accepted },
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
  };
}
