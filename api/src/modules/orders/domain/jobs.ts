import { AppError } from '../../../shared/errors';
import type { OrdersRunner } from './runner';

/** The orders jobs: expiry of pending orders and the arrival SLA alert. */
export function createOrderJobs(r: OrdersRunner) {
  const { db, orders, bus, clock, business, transition, closeOffers } = r;
  return {
    /** Pending orders past their TTL expire. Safe to run in several processes: each claim is conditional. */
    async expireDue(limit = 100): Promise<number> {
      let expired = 0;
      for (const o of await orders.duePending(clock.now(), limit)) {
        try {
          await transition(o.id, {
            action: 'expire',
            actor: () => ({ id: null, role: 'system' }),
            set: (_o, now) => ({ expiredAt: now, expiresAt: null, dispatchStatus: o.dispatchStatus ? 'exhausted' : null }),
            effects: (cur, trx, now) => closeOffers(cur.id, 'cancelled', now, trx),
            details: () => ({ ttlMinutes: business.orderPendingTtlMinutes }),
          });
          expired++;
        } catch (err) {
          // Grabbed or cancelled meanwhile: nothing to expire.
          if (!(err instanceof AppError && err.status === 409)) throw err;
        }
      }
      return expired;
    },

    /** Accepted orders not arrived by their due time alert ops once (the flag is claimed conditionally). */
    async alertOverdueArrivals(limit = 100): Promise<number> {
      let alerted = 0;
      const now = clock.now();
      for (const o of await orders.overdueArrivals(now, limit)) {
        const claimed = await db.transaction(async (trx) => {
          if (!(await orders.updateWhere(o.id, { status: 'accepted', slaAlertedAt: null }, { slaAlertedAt: now }, trx)))
            return false;
          await bus.stage(trx, { name: 'order.arrival_overdue', orderId: o.id, order: { ...o, slaAlertedAt: now } });
          return true;
        });
        if (claimed) alerted++;
      }
      return alerted;
    },
  };
}
