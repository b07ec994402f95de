import type { Knex } from 'knex';
import type { Principal } from '../../../shared/auth';
import type { Actor } from '../../../shared/domain-events';
import type { OrderChanged } from '../orders.events';
import { notFound } from '../../../shared/errors';
import type { Electrician } from '../../electricians';
import type { Order } from '../orders.repository';
import { eligible, notEligible, versionConflict, LostRace, type OrdersRunner, type Step } from './runner';

/** What staff do with an order: assign, unassign, and rework after a complaint. */
export function createStaffUseCases(r: OrdersRunner) {
  const { electricians, clock, transitionIn, published, transition, backToHall, acceptance, closeOffers, freeSlotOf } = r;
  return {
    async assign(admin: Principal, id: number, electricianId: number): Promise<Order> {
      let e: Electrician | undefined;
      const accept = acceptance(() => e!);
      return transition(id, {
        action: 'assign',
        actor: () => ({ id: admin.id, role: 'admin' }),
        check: async (o, trx) => {
          e = await electricians.findById(electricianId, trx);
          if (!e) throw notFound('电工不存在');
          if (!eligible(e)) throw notEligible('该电工未认证或不在线，不能指派');
          if (e.userId === o.userId) throw notEligible('不能把工单指派给下单人自己');
        },
        electrician: accept.electrician,
        set: accept.set,
        effects: async (o, trx, now) => {
          await accept.takeSlot(o, trx, now);
          await closeOffers(o.id, 'lost', now, trx);
        },
        written: accept.written,
        details: () => ({ electricianId }),
      });
    },

    async unassign(admin: Principal, id: number, reason: string): Promise<Order> {
      return transition(id, {
        action: 'unassign',
        actor: () => ({ id: admin.id, role: 'admin' }),
        set: backToHall,
        effects: (o, trx, now) => freeSlotOf(o, 'released', trx, now),
        details: (o) => ({ reason, electricianId: o.electricianId }),
      });
    },

    /**
     * A complaint resolved with a free repair: the completed order goes back to `in_progress` for its
     * electrician, who holds a slot for it again and completes it once more (the customer pays
     * nothing new: the order keeps its final amount and payment status). With `trx` the transition
     * joins the caller's transaction (its event is published after that commits); without, it runs
     * in its own.
     */
    async rework(
      orderId: number,
      actor: Actor,
      details: Record<string, unknown>,
      trx?: Knex.Transaction,
    ): Promise<{ order: Order; event: OrderChanged }> {
      const step: Step = {
        action: 'rework',
        actor: () => actor,
        effects: async (o, t, now) => {
          if (o.electricianId !== null) await electricians.reopenSlot(o.electricianId, now, t);
        },
        details: (o) => ({ ...details, electricianId: o.electricianId }),
      };
      let event: OrderChanged;
      if (!trx) event = await published(orderId, step);
      else {
        try {
          event = await transitionIn(trx, orderId, step, clock.now());
        } catch (err) {
          throw err instanceof LostRace ? versionConflict() : err;
        }
      }
      return { order: event.order, event };
    },
  };
}
