import type { Principal } from '../../../shared/auth';
import { AppError, conflict, notFound } from '../../../shared/errors';
import { distanceKm, roundKm, type Point } from '../../../shared/geo';
import type { Electrician } from '../../electricians';
import type { Order, QuoteItem } from '../orders.repository';
import { eligible, notEligible, type OrdersRunner } from './runner';

/** What an electrician does with an order: grab, accept an offer, release, arrive, quote, complete. */
export function createElectricianUseCases(r: OrdersRunner) {
  const { d, orders, electricians, transition, electricianIdOf, partyOf, backToHall, acceptance, closeOffers, freeSlotOf } = r;
  return {
    async grab(p: Principal, id: number): Promise<Order> {
      let e: Electrician | undefined;
      const accept = acceptance(() => e!);
      return transition(id, {
        action: 'grab',
        eligible: async (trx) => {
          e = await electricians.findByUserId(p.id, trx);
          if (!eligible(e)) throw notEligible();
        },
        actor: (o) => (o.userId === p.id ? { id: p.id, role: 'customer' } : { id: p.id, role: 'electrician' }),
        set: accept.set,
        effects: async (o, trx, now) => {
          await accept.takeSlot(o, trx, now);
          await closeOffers(o.id, 'lost', now, trx);
        },
        details: () => ({ electricianId: e!.id }),
      });
    },

    /** Accepting a dispatch offer is a grab that also requires the caller's offer to be open. */
    async acceptOffer(p: Principal, id: number): Promise<Order> {
      let e: Electrician | undefined;
      let offerId = 0;
      const accept = acceptance(() => e!);
      return transition(id, {
        action: 'dispatch_accept',
        eligible: async (trx) => {
          e = await electricians.findByUserId(p.id, trx);
          if (!eligible(e)) throw notEligible();
        },
        actor: (o) => (o.userId === p.id ? { id: p.id, role: 'customer' } : { id: p.id, role: 'electrician' }),
        check: async (o, trx, now) => {
          // One offer per (order, electrician): an offer the timeout job has already closed is still
          // "expired" to its electrician, not "not found".
          const offer = await d.dispatch.offerTo(o.id, e!.id, trx);
          if (!offer || (offer.status !== 'offered' && offer.status !== 'expired')) throw notFound('没有待处理的派单');
          if (offer.status === 'expired' || offer.expiresAt <= now) {
            throw conflict('OFFER_EXPIRED', '派单已超时');
          }
          offerId = offer.id;
        },
        set: accept.set,
        effects: async (o, trx, now) => {
          if (!(await d.dispatch.acceptOffer(offerId, now, trx))) throw conflict('OFFER_EXPIRED', '派单已超时');
          await accept.takeSlot(o, trx, now);
          await closeOffers(o.id, 'lost', now, trx, offerId);
        },
        details: () => ({ electricianId: e!.id, offerId }),
      });
    },

    async release(p: Principal, id: number, reason: string): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'release',
        actor: (o) => partyOf(p, o, eid),
        set: backToHall,
        effects: (o, trx, now) => freeSlotOf(o, 'released', trx, now),
        details: (o) => ({ reason, electricianId: o.electricianId }),
      });
    },

    async arrive(p: Principal, id: number, at: Point): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'arrive',
        actor: (o) => partyOf(p, o, eid),
        set: (_o, now) => ({ arrivedAt: now, arriveLatitude: at.latitude, arriveLongitude: at.longitude }),
        details: (o) => ({ latitude: at.latitude, longitude: at.longitude, distanceKm: roundKm(distanceKm(o, at)) }),
      });
    },

    async quote(p: Principal, id: number, input: { items: QuoteItem[]; labourFee: number; note?: string }): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      const materialsFee = input.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
      const amount = materialsFee + input.labourFee;
      if (amount <= 0)
        throw new AppError('VALIDATION_FAILED', 400, '报价金额必须大于 0', [
          { path: ['body', 'labourFee'], message: 'total must be positive' },
        ]);
      if (amount > 10_000_000)
        throw new AppError('VALIDATION_FAILED', 400, '报价金额过大', [{ path: ['body', 'items'], message: 'total too large' }]);
      return transition(id, {
        action: 'quote',
        actor: (o) => partyOf(p, o, eid),
        set: (o, now) => ({
          quotedAmount: amount,
          quoteItems: input.items,
          quoteVersion: o.quoteVersion + 1,
          quotedAt: now,
        }),
        effects: async (o, trx, now) => {
          await orders.insertQuote(
            {
              orderId: o.id,
              version: o.quoteVersion + 1,
              electricianId: o.electricianId!,
              items: input.items,
              materialsFee,
              labourFee: input.labourFee,
              amount,
              note: input.note ?? null,
              createdAt: now,
            },
            trx,
          );
        },
        details: (o) => ({ version: o.quoteVersion + 1, amount, materialsFee, labourFee: input.labourFee }),
      });
    },

    async complete(p: Principal, id: number, input: { repairContent: string; repairImages: number[] }): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'complete',
        actor: (o) => partyOf(p, o, eid),
        set: (_o, now) => ({
          repairContent: input.repairContent,
          repairImages: input.repairImages,
          completedAt: now,
        }),
        effects: async (o, trx, now) => {
          await d.files.attach(p.id, input.repairImages, 'repair', { type: 'order', id: o.id }, trx, 'repairImages');
          await freeSlotOf(o, 'completed', trx, now);
        },
        details: (o) => ({ amountDue: o.finalAmount, repairImages: input.repairImages.length }),
      });
    },
  };
}
