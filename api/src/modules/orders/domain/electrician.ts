import type { Principal } from '../../../shared/auth';
import { AppError, conflict, notFound } from '../../../shared/errors';
import { distanceKm, roundKm, type Point } from '../../../shared/geo';
import type { Electrician } from '../../electricians';
import type { QuoteLineInput } from '../../inventory';
import type { Order, QuoteItem } from '../orders.repository';
import type { Departed } from '../hall-index';
import { eligible, notEligible, type OrdersRunner } from './runner';

/** What an electrician does with an order: grab, accept an offer, release, arrive, quote, complete. */
export function createElectricianUseCases(r: OrdersRunner) {
  const { d, orders, electricians, transition, published, partyOf, backToHall, acceptance, closeOffers, freeSlotOf } = r;
  const { hall, stateError, profiles } = r;

  /**
   * A grab refused from what this instance knows, without the database: the order left the hall
   * (this instance committed or read that, `hall.departed`) and its holder's profile is known here.
   * Only for a caller whose account is an electrician's (`userType`, from the session check:
   * accounts become electricians when their application is approved). That stands in for the
   * eligibility check here: an electrician who is offline or whose approval was withdrawn since
   * is told "taken" (409) where the database path would say 403 NOT_ELIGIBLE — a refusal either
   * way, and the state of an order an electrician account could have seen in the hall. The index
   * only ever refuses: an order it holds as pending (or knows nothing of) goes to the database.
   */
  function knownRefusal(p: Principal, id: number): AppError | undefined {
    const gone = hall.departed(id);
    // The order's own customer is refused as such by the database path.
    return gone && gone.userId !== p.id ? refusalOf(p, gone) : undefined;
  }

  /**
   * The refusal of a grab of an order that is no longer pending, from the order and the profiles
   * held here; undefined when it takes the database: the caller's account is no electrician's, or
   * whether they hold the order is not known here.
   */
  function refusalOf(p: Principal, gone: Departed): AppError | undefined {
    if (p.userType !== 'electrician') return undefined;
    if (gone.electricianId === null) return stateError('grab', gone);
    const holder = profiles.isUsers(gone.electricianId, p.id);
    if (holder === undefined) return undefined;
    return stateError('grab', gone, holder ? gone.electricianId : undefined);
  }

  /**
   * The caller's electrician profile, read once per step: it says whether they hold the order and,
   * when they do, who the event names as its holder (the runner reads no one again).
   */
  async function caller(p: Principal): Promise<Electrician | undefined> {
    const e = await electricians.findByUserId(p.id);
    profiles.learn(e);
    return e;
  }

  /** A coordinate as a decimal(10,7) column keeps it. */
  const degrees = (x: number) => Math.round(x * 1e7) / 1e7;

  /** The grab on this instance that settles each order now; the others wait for its outcome. */
  const flights = new Map<number, Promise<unknown>>();

  /**
   * One grab through the database. The order is read first, outside any transaction: a grab of an
   * order that is no longer pending is answered from that one statement when the caller's account
   * is an electrician's and whether they hold it is known (`refusalOf`); otherwise the
   * caller's profile is read too, for eligibility before state. A pending order is grabbed in a
   * transaction that starts from that read: its claim is conditional on the version read.
   */
  async function grabOnce(p: Principal, id: number): Promise<Order> {
    const current = await orders.findById(id);
    if (!current) throw notFound('工单不存在');
    if (current.status !== 'pending' && current.userId !== p.id) {
      hall.apply(current);
      const known = refusalOf(p, current);
      if (known) throw known;
      const e = await electricians.findByUserId(p.id);
      profiles.learn(e);
      if (!eligible(e)) throw notEligible();
      throw stateError('grab', current, e.id);
    }
    let e: Electrician | undefined;
    const accept = acceptance(() => e!);
    const event = await published(
      id,
      {
        action: 'grab',
        eligible: async (trx) => {
          e = await electricians.findByUserId(p.id, trx);
          profiles.learn(e);
          if (!eligible(e)) throw notEligible();
        },
        electrician: accept.electrician,
        actor: (o) => (o.userId === p.id ? { id: p.id, role: 'customer' } : { id: p.id, role: 'electrician' }),
        set: accept.set,
        effects: async (o, trx, now) => {
          await accept.takeSlot(o, trx, now);
          // Offers exist only for orders dispatch has worked on (dispatch status set).
          if (o.dispatchStatus !== null) await closeOffers(o.id, 'lost', now, trx);
        },
        written: accept.written,
        details: () => ({ electricianId: e!.id }),
      },
      current,
    );
    // Known here at once, before the waiting grabs look (the bus applies it again after the commit).
    hall.apply(event.order);
    return event.order;
  }

  return {
    /**
     * Grabs an order. Concurrent grabs of one order on this instance take turns: one goes to the
     * database, the others wait for its outcome and are refused from memory when it won (or try
     * in turn when it failed for a reason of its own: not eligible, no free slot). Across
     * instances the conditional claim still settles the one winner.
     */
    async grab(p: Principal, id: number): Promise<Order> {
      for (;;) {
        const known = knownRefusal(p, id);
        if (known) throw known;
        const running = flights.get(id);
        if (!running) break;
        await running;
      }
      // Known to have left the hall, but not whom to: no winner to wait for, each is refused on its own read.
      if (hall.departed(id)) return grabOnce(p, id);
      const run = grabOnce(p, id);
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      flights.set(id, settled);
      try {
        return await run;
      } finally {
        if (flights.get(id) === settled) flights.delete(id);
      }
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
          profiles.learn(e);
          if (!eligible(e)) throw notEligible();
        },
        electrician: accept.electrician,
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
        written: accept.written,
        details: () => ({ electricianId: e!.id, offerId }),
      });
    },

    async release(p: Principal, id: number, reason: string): Promise<Order> {
      const e = await caller(p);
      return transition(id, {
        action: 'release',
        actor: (o) => partyOf(p, o, e?.id),
        electrician: () => e,
        set: backToHall,
        effects: (o, trx, now) => freeSlotOf(o, 'released', trx, now),
        written: () => ({}),
        details: (o) => ({ reason, electricianId: o.electricianId }),
      });
    },

    async arrive(p: Principal, id: number, at: Point): Promise<Order> {
      const e = await caller(p);
      return transition(id, {
        action: 'arrive',
        actor: (o) => partyOf(p, o, e?.id),
        electrician: () => e,
        // As the columns keep them (7 decimals), so that the order built without reading it back is the stored one.
        set: (_o, now) => ({ arrivedAt: now, arriveLatitude: degrees(at.latitude), arriveLongitude: degrees(at.longitude) }),
        written: () => ({}),
        details: (o) => ({ latitude: at.latitude, longitude: at.longitude, distanceKm: roundKm(distanceKm(o, at)) }),
      });
    },

    async quote(p: Principal, id: number, input: { items: QuoteLineInput[]; labourFee: number; note?: string }): Promise<Order> {
      const e = await caller(p);
      const items: QuoteItem[] = await d.priceQuote(input.items);
      const materialsFee = items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
      const amount = materialsFee + input.labourFee;
      if (amount <= 0)
        throw new AppError('VALIDATION_FAILED', 400, '报价金额必须大于 0', [
          { path: ['body', 'labourFee'], message: 'total must be positive' },
        ]);
      if (amount > 10_000_000)
        throw new AppError('VALIDATION_FAILED', 400, '报价金额过大', [{ path: ['body', 'items'], message: 'total too large' }]);
      return transition(id, {
        action: 'quote',
        actor: (o) => partyOf(p, o, e?.id),
        electrician: () => e,
        set: (o, now) => ({
          quotedAmount: amount,
          quoteItems: items,
          quoteVersion: o.quoteVersion + 1,
          quotedAt: now,
        }),
        effects: async (o, trx, now) => {
          await orders.insertQuote(
            {
              orderId: o.id,
              version: o.quoteVersion + 1,
              electricianId: o.electricianId!,
              items,
              materialsFee,
              labourFee: input.labourFee,
              amount,
              note: input.note ?? null,
              createdAt: now,
            },
            trx,
          );
        },
        // The quote's own row is all `effects` writes.
        written: () => ({}),
        details: (o) => ({ version: o.quoteVersion + 1, amount, materialsFee, labourFee: input.labourFee }),
      });
    },

    async complete(p: Principal, id: number, input: { repairContent: string; repairImages: number[] }): Promise<Order> {
      const e = await caller(p);
      return transition(id, {
        action: 'complete',
        actor: (o) => partyOf(p, o, e?.id),
        electrician: () => e,
        set: (_o, now) => ({
          repairContent: input.repairContent,
          repairImages: input.repairImages,
          completedAt: now,
        }),
        effects: async (o, trx, now) => {
          await d.files.attach(p.id, input.repairImages, 'repair', { type: 'order', id: o.id }, trx, 'repairImages');
          await freeSlotOf(o, 'completed', trx, now);
        },
        // The uploads' and the electrician's rows are what `effects` writes, not the order's.
        written: () => ({}),
        details: (o) => ({ amountDue: o.finalAmount, repairImages: input.repairImages.length }),
      });
    },
  };
}
