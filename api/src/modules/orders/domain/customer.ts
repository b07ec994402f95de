import type { Principal } from '../../../shared/auth';
import type { Actor } from '../../../shared/domain-events';
import { VISIT_FEE_DUE_FROM } from '../order-states';
import type { Order } from '../orders.repository';
import type { OrdersRunner } from './runner';

/** What the customer decides: accept or reject a quote, cancel (staff cancel through the same use case). */
export function createCustomerUseCases(r: OrdersRunner) {
  const { orders, transition, electricianIdOf, partyOf, closeOffers, freeSlotOf } = r;
  return {
    async rejectQuote(p: Principal, id: number, reason?: string): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'quote_reject',
        actor: (o) => partyOf(p, o, eid),
        effects: (o, trx, now) => orders.decideQuote(o.id, o.quoteVersion, 'rejected', reason ?? null, now, trx),
        details: (o) => ({ version: o.quoteVersion, amount: o.quotedAmount, reason: reason ?? null }),
      });
    },

    async acceptQuote(p: Principal, id: number): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'quote_accept',
        actor: (o) => partyOf(p, o, eid),
        set: (o, now) => ({ finalAmount: o.quotedAmount, startedAt: now }),
        effects: (o, trx, now) => orders.decideQuote(o.id, o.quoteVersion, 'accepted', null, now, trx),
        details: (o) => ({ version: o.quoteVersion, amount: o.quotedAmount }),
      });
    },

    /** Customer or admin. After arrival the stored visit fee becomes what is owed, nothing more. */
    async cancel(p: Principal, id: number, reason: string, asAdmin = false): Promise<Order> {
      const eid = asAdmin ? undefined : await electricianIdOf(p.id);
      const feeDue = (o: Order) => (VISIT_FEE_DUE_FROM.includes(o.status) ? o.visitFee : 0);
      let role: Actor['role'] = 'customer';
      return transition(id, {
        action: 'cancel',
        actor: (o) => {
          const actor = asAdmin ? { id: p.id, role: 'admin' as const } : partyOf(p, o, eid, 'orders.cancel');
          role = actor.role;
          return actor;
        },
        set: (o, now) => ({
          cancelledAt: now,
          cancelReason: reason,
          cancelledBy: role,
          finalAmount: feeDue(o),
          expiresAt: null,
          dispatchStatus: o.dispatchStatus && o.dispatchStatus !== 'accepted' ? 'exhausted' : o.dispatchStatus,
        }),
        effects: async (o, trx, now) => {
          await freeSlotOf(o, 'cancelled', trx, now);
          await closeOffers(o.id, 'cancelled', now, trx);
          if (o.status === 'quoted') await orders.decideQuote(o.id, o.quoteVersion, 'cancelled', reason, now, trx);
        },
        details: (o) => ({ reason, amountDue: feeDue(o), electricianId: o.electricianId }),
      });
    },
  };
}
