import type { Knex } from 'knex';
import type { Config } from '../../config';
import type { Db } from '../../db';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import type { DispatchClosed, DispatchOffered } from './dispatch.events';
import { conflict, notFound } from '../../shared/errors';
import { boundingBox, distanceKm, roundKm, withinKm, type Box } from '../../shared/geo';
import type { Logger } from '../../shared/logger';
import type { Electrician } from '../electricians';
import type { Order } from '../orders';
import type { DispatchRepository, Offer } from './dispatch.repository';

export type { Offer } from './dispatch.repository';

/** What dispatch needs of orders (the orders module owns the rows; these are its conditional updates). */
export interface DispatchOrders {
  findById(id: number, trx?: Knex.Transaction): Promise<Order | undefined>;
  /** Locks a pending order's row; false when it is no longer pending. */
  lockPending(id: number, now: Date, trx: Knex.Transaction): Promise<boolean>;
  /** Claims the start of dispatch (once). */
  startDispatch(id: number, now: Date, trx: Knex.Transaction): Promise<boolean>;
  setDispatchStatus(id: number, status: 'offering' | 'exhausted', trx: Knex.Transaction): Promise<boolean>;
  /** Urgent pending orders whose dispatch has not started. */
  toDispatch(limit: number): Promise<Order[]>;
  /** Electricians who released or were unassigned from the order. */
  gaveBackBy(orderId: number, trx: Knex.Transaction): Promise<number[]>;
}

/** What dispatch needs of electricians. */
export interface DispatchElectricians {
  findByUserId(userId: number, trx?: Knex.Transaction): Promise<Electrician | undefined>;
  dispatchCandidates(box: Box, maxActive: number, exclude: number[], trx: Knex.Transaction): Promise<Electrician[]>;
  assignable(box: Box): Promise<Electrician[]>;
}

export interface DispatchDeps {
  db: Db;
  offers: DispatchRepository;
  orders: DispatchOrders;
  electricians: DispatchElectricians;
  bus: DomainBus;
  clock: Clock;
  business: Config['business'];
  logger: Logger;
}

type Published = DispatchOffered | DispatchClosed;

/**
 * Auto-dispatch of urgent orders (SPEC 3.2). Every step is a transaction that first locks the order
 * row with a conditional update (the same lock order as order transitions, so they cannot
 * deadlock), then closes or opens offers. While an order is `offering` it has exactly one open
 * offer; timers are the offers' `expires_at` in the database, so a restart resumes where it was.
 */
/** How far from an order staff look for electricians to assign it to. */
export const ASSIGN_RADIUS_KM = 50;

export interface AssignCandidate {
  electricianId: number;
  name: string;
  rating: number;
  workStatus: string;
  activeOrders: number;
  completedOrders: number;
  distanceKm: number;
  full: boolean;
}

export function createDispatchService(d: DispatchDeps) {
  const { db, offers, orders, electricians, bus, clock, business } = d;

  /** Offers the order to the best candidate not yet offered, or marks dispatch exhausted. */
  async function offerNext(order: Order, trx: Knex.Transaction, now: Date, out: Published[]): Promise<void> {
    const offered = await offers.offeredElectricianIds(order.id, trx);
    // Whoever gave the order back (release, unassign) is not offered it again either.
    const gaveBack = await orders.gaveBackBy(order.id, trx);
    const exclude = [...new Set([...offered, ...gaveBack])];
    const radius = business.dispatchRadiusKm;
    const candidates = (await electricians.dispatchCandidates(boundingBox(order, radius), business.maxActiveOrders, exclude, trx))
      .filter((e) => e.userId !== order.userId && e.latitude !== null && e.longitude !== null)
      .map((e) => ({ e, km: distanceKm(order, { latitude: e.latitude!, longitude: e.longitude! }) }))
      .filter((c) => withinKm(c.km, radius))
      .sort((a, b) => a.km - b.km || a.e.activeOrders - b.e.activeOrders || b.e.rating - a.e.rating || a.e.id - b.e.id);
    const best = candidates[0];
    if (!best) {
      await orders.setDispatchStatus(order.id, 'exhausted', trx);
      d.logger.info({ orderId: order.id, offered: offered.length }, 'dispatch exhausted; order stays in the hall');
      return;
    }
    const expiresAt = new Date(now.getTime() + business.dispatchOfferSeconds * 1000);
    const offerId = await offers.insertOffer(
      {
        orderId: order.id,
        electricianId: best.e.id,
        rank: offered.length + 1,
        distanceKm: roundKm(best.km),
        offeredAt: now,
        expiresAt,
      },
      trx,
    );
    await orders.setDispatchStatus(order.id, 'offering', trx);
    out.push({
      name: 'dispatch.offered',
      offerId,
      orderId: order.id,
      electricianId: best.e.id,
      electricianUserId: best.e.userId,
      expiresAt,
      order: { ...order, dispatchStatus: 'offering' },
    });
  }

  async function inTransaction(
    work: (trx: Knex.Transaction, now: Date, out: Published[]) => Promise<void>,
  ): Promise<Published[]> {
    const out: Published[] = [];
    const now = clock.now();
    await db.transaction(async (trx) => {
      await work(trx, now, out);
      for (const event of out) await bus.stage(trx, event);
    });
    return out;
  }

  /** Closes an open offer (claimed conditionally) and offers the next candidate. */
  async function closeAndAdvance(offer: Offer, status: 'rejected' | 'expired', reason: string | null): Promise<boolean> {
    let closed = false;
    await inTransaction(async (trx, now, out) => {
      const stillPending = await orders.lockPending(offer.orderId, now, trx);
      if (!(await offers.closeOffer(offer.id, stillPending ? status : 'cancelled', reason, now, trx))) return;
      closed = true;
      out.push({
        name: 'dispatch.closed',
        offerId: offer.id,
        orderId: offer.orderId,
        electricianId: offer.electricianId,
        status,
      });
      if (stillPending) await offerNext((await orders.findById(offer.orderId, trx))!, trx, now, out);
    });
    return closed;
  }

  /** Starts dispatch of an urgent pending order whose dispatch has not started (claimed once). */
  async function start(orderId: number): Promise<void> {
    await inTransaction(async (trx, now, out) => {
      if (!(await orders.startDispatch(orderId, now, trx))) return;
      await offerNext((await orders.findById(orderId, trx))!, trx, now, out);
    });
  }

  return {
    start,

    async reject(p: Principal, orderId: number, reason?: string): Promise<void> {
      const e = await electricians.findByUserId(p.id);
      const offer = e && (await offers.openOfferTo(orderId, e.id));
      if (!offer) throw notFound('没有待处理的派单');
      if (!(await closeAndAdvance(offer, 'rejected', reason ?? null))) throw conflict('OFFER_CLOSED', '该派单已结束');
    },

    /** Offers past their deadline expire and pass to the next candidate. */
    async expireDue(limit = 100): Promise<number> {
      const due = await offers.due(clock.now(), limit);
      let n = 0;
      for (const offer of due) if (await closeAndAdvance(offer, 'expired', null)) n++;
      return n;
    },

    /** Urgent orders waiting for dispatch to start (e.g. created just before a crash, or released). */
    async startWaiting(limit = 100): Promise<number> {
      const waiting = await orders.toDispatch(limit);
      for (const o of waiting) await start(o.id);
      return waiting.length;
    },

    /**
     * Electricians staff may assign the order to, nearest first, then the least loaded, then the best
     * rated; those at the active-order cap are listed (marked full) since staff see the whole picture.
     */
    async candidates(orderId: number, radiusKm = ASSIGN_RADIUS_KM): Promise<AssignCandidate[]> {
      const order = await orders.findById(orderId);
      if (!order) throw notFound('工单不存在');
      return (await electricians.assignable(boundingBox(order, radiusKm)))
        .filter((e) => e.userId !== order.userId)
        .map((e) => ({ e, km: distanceKm(order, { latitude: e.latitude!, longitude: e.longitude! }) }))
        .filter((c) => withinKm(c.km, radiusKm))
        .sort((a, b) => a.km - b.km || a.e.activeOrders - b.e.activeOrders || b.e.rating - a.e.rating || a.e.id - b.e.id)
        .slice(0, 30)
        .map(({ e, km }) => ({
          electricianId: e.id,
          name: e.realName,
          rating: e.rating,
          workStatus: e.workStatus,
          activeOrders: e.activeOrders,
          completedOrders: e.completedOrders,
          distanceKm: roundKm(km),
          full: e.activeOrders >= business.maxActiveOrders,
        }));
    },

    async offers(orderId: number): Promise<Offer[]> {
      return offers.forOrder(orderId);
    },

    async openOfferFor(electricianUserId: number): Promise<Offer[]> {
      const e = await electricians.findByUserId(electricianUserId);
      if (!e) return [];
      return offers.openFor(e.id);
    },
  };
}

export type DispatchService = ReturnType<typeof createDispatchService>;

/** Urgent orders are dispatched when created and again when released back to the hall. */
export function subscribeDispatch(bus: DomainBus, dispatch: DispatchService): void {
  const maybeStart = (e: { orderId: number; order: Order }) =>
    e.order.priority === 'urgent' && e.order.dispatchStatus === 'pending' ? dispatch.start(e.orderId) : undefined;
  bus.subscribe('order.created', maybeStart);
  bus.subscribe('order.released', maybeStart);
}
