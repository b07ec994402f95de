import type { Knex } from 'knex';
import type { Principal } from '../../../shared/auth';
import type { Actor } from '../../../shared/domain-events';
import { VISIT_FEE_DUE_FROM } from '../order-states';
import type { Order } from '../orders.repository';
import type { OrdersRunner } from './runner';

/** What the customer decides: accept or reject a quote, cancel (staff cancel through the same use case). */
export function createCustomerUseCases(r: OrdersRunner) {
  const { orders, transition, electricianIdOf, partyOf, closeOffers, freeSlotOf } = r;

  /**
   * Who the caller is to the order: its customer from the order alone; anyone else's electrician
   * profile is read (whether they hold it) only then, so a customer's step reads no profile.
   */
  function party(p: Principal, staffPermission?: 'orders.cancel') {
    let eid: number | undefined;
    return {
      before: async (o: Order, trx: Knex.Transaction) => {
        eid = o.userId === p.id ? undefined : await electricianIdOf(p.id, trx);
      },
      actor: (o: Order): Actor => partyOf(p, o, eid, staffPermission),
    };
  }

  /** What deciding a quote writes besides the claim: the quote's row, not the order's. */
  const quoteOnly = () => ({});

  return {
    async rejectQuote(p: Principal, id: number, reason?: string): Promise<Order> {
      return transition(id, {
        action: 'quote_reject',
        ...party(p),
        effects: (o, trx, now) => orders.decideQuote(o.id, o.quoteVersion, 'rejected', reason ?? null, now, trx),
        written: quoteOnly,
        details: (o) => ({ version: o.quoteVersion, amount: o.quotedAmount, reason: reason ?? null }),
      });
    },

    async acceptQuote(p: Principal, id: number): Promise<Order> {
      return transition(id, {
        action: 'quote_accept',
        ...party(p),
        set: (o, now) => ({ finalAmount: o.quotedAmount, startedAt: now }),
        effects: (o, trx, now) => orders.decideQuote(o.id, o.quoteVersion, 'accepted', null, now, trx),
        written: quoteOnly,
        details: (o) => ({ version: o.quoteVersion, amount: o.quotedAmount }),
      });
    },

    /** Customer or admin. After arrival the stored visit fee becomes what is owed, nothing more. */
    async cancel(p: Principal, id: number, reason: string, asAdmin = false): Promise<Order> {
      const caller = party(p, 'orders.cancel');
      const feeDue = (o: Order) => (VISIT_FEE_DUE_FROM.includes(o.status) ? o.visitFee : 0);
      let role: Actor['role'] = 'customer';
      return transition(id, {
        action: 'cancel',
        before: asAdmin ? undefined : caller.before,
        actor: (o) => {
          const actor = asAdmin ? { id: p.id, role: 'admin' as const } : caller.actor(o);
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
        // The electrician's slot, the offers and the quote: nothing on the order's row.
        written: () => ({}),
        details: (o) => ({ reason, amountDue: feeDue(o), electricianId: o.electricianId }),
      });
    },
  };
}
