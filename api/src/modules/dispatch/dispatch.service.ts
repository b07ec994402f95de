import type { Knex } from 'knex';
import type { Config } from '../../config';
import type { Db } from '../../db';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DispatchClosed, DispatchOffered, DomainBus } from '../../shared/domain-events';
import { conflict, notFound } from '../../shared/errors';
import { boundingBox, distanceKm, roundKm, withinKm } from '../../shared/geo';
import type { Logger } from '../../shared/logger';
import { fromJson, toDate } from '../../shared/rows';
import type { ElectriciansRepository } from '../electricians/electricians.repository';
import type { Order, OrdersRepository } from '../orders/orders.repository';

export interface DispatchDeps {
  db: Db;
  orders: OrdersRepository;
  electricians: ElectriciansRepository;
  bus: DomainBus;
  clock: Clock;
  business: Config['business'];
  logger: Logger;
}

export interface Offer {
  id: number;
  orderId: number;
  electricianId: number;
  rank: number;
  distanceKm: number;
  status: 'offered' | 'accepted' | 'rejected' | 'expired' | 'lost' | 'cancelled';
  reason: string | null;
  offeredAt: Date;
  expiresAt: Date;
  respondedAt: Date | null;
}

function mapOffer(r: Record<string, unknown>): Offer {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    electricianId: Number(r.electrician_id),
    rank: Number(r.rank),
    distanceKm: Number(r.distance_km),
    status: r.status as Offer['status'],
    reason: (r.reason as string | null) ?? null,
    offeredAt: toDate(r.offered_at)!,
    expiresAt: toDate(r.expires_at)!,
    respondedAt: toDate(r.responded_at),
  };
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
  const { db, orders, electricians, bus, clock, business } = d;

  /** Locks a pending order's row; false when it is no longer pending. */
  const lockPending = (orderId: number, now: Date, trx: Knex.Transaction) =>
    orders.updateWhere(orderId, { status: 'pending' }, { updated_at: now }, trx);

  /** Offers the order to the best candidate not yet offered, or marks dispatch exhausted. */
  async function offerNext(order: Order, trx: Knex.Transaction, now: Date, out: Published[]): Promise<void> {
    const offered = (await trx('dispatch_offers').where({ order_id: order.id }).pluck('electrician_id')).map(Number);
    // Whoever gave the order back (release, unassign) is not offered it again either.
    const gaveBack = (
      await trx('order_events').where({ order_id: order.id }).whereIn('action', ['release', 'unassign']).pluck('details')
    ).map((details) => Number(fromJson<{ electricianId?: number }>(details, {}).electricianId));
    const exclude = [...new Set([...offered, ...gaveBack.filter((id) => id > 0)])];
    const radius = business.dispatchRadiusKm;
    const candidates = (await electricians.dispatchCandidates(boundingBox(order, radius), business.maxActiveOrders, exclude, trx))
      .filter((e) => e.userId !== order.userId && e.latitude !== null && e.longitude !== null)
      .map((e) => ({ e, km: distanceKm(order, { latitude: e.latitude!, longitude: e.longitude! }) }))
      .filter((c) => withinKm(c.km, radius))
      .sort((a, b) => a.km - b.km || a.e.activeOrders - b.e.activeOrders || b.e.rating - a.e.rating || a.e.id - b.e.id);
    const best = candidates[0];
    if (!best) {
      await orders.updateWhere(order.id, { status: 'pending' }, { dispatch_status: 'exhausted' }, trx);
      d.logger.info({ orderId: order.id, offered: offered.length }, 'dispatch exhausted; order stays in the hall');
      return;
    }
    const expiresAt = new Date(now.getTime() + business.dispatchOfferSeconds * 1000);
    const [offerId] = await trx('dispatch_offers').insert({
      order_id: order.id,
      electrician_id: best.e.id,
      rank: offered.length + 1,
      distance_km: roundKm(best.km),
      status: 'offered',
      offered_at: now,
      expires_at: expiresAt,
    });
    await orders.updateWhere(order.id, { status: 'pending' }, { dispatch_status: 'offering' }, trx);
    out.push({
      name: 'dispatch.offered',
      offerId: Number(offerId),
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
      const stillPending = await lockPending(offer.orderId, now, trx);
      const n = await trx('dispatch_offers')
        .where({ id: offer.id, status: 'offered' })
        .update({ status: stillPending ? status : 'cancelled', reason, responded_at: now });
      if (n !== 1) return;
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
      if (
        !(await orders.updateWhere(
          orderId,
          { status: 'pending', dispatch_status: 'pending' },
          { dispatch_status: 'offering', updated_at: now },
          trx,
        ))
      ) {
        return;
      }
      await offerNext((await orders.findById(orderId, trx))!, trx, now, out);
    });
  }

  return {
    start,

    async reject(p: Principal, orderId: number, reason?: string): Promise<void> {
      const e = await electricians.findByUserId(p.id);
      const row =
        e && (await db('dispatch_offers').where({ order_id: orderId, electrician_id: e.id, status: 'offered' }).first());
      if (!row) throw notFound('没有待处理的派单');
      if (!(await closeAndAdvance(mapOffer(row), 'rejected', reason ?? null))) throw conflict('OFFER_CLOSED', '该派单已结束');
    },

    /** Offers past their deadline expire and pass to the next candidate. */
    async expireDue(limit = 100): Promise<number> {
      const due = await db('dispatch_offers')
        .where('status', 'offered')
        .andWhere('expires_at', '<=', clock.now())
        .orderBy('expires_at')
        .limit(limit);
      let n = 0;
      for (const row of due) if (await closeAndAdvance(mapOffer(row), 'expired', null)) n++;
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
      return (await db('dispatch_offers').where({ order_id: orderId }).orderBy('id')).map(mapOffer);
    },

    async openOfferFor(electricianUserId: number): Promise<Offer[]> {
      const e = await electricians.findByUserId(electricianUserId);
      if (!e) return [];
      return (await db('dispatch_offers').where({ electrician_id: e.id, status: 'offered' }).orderBy('id')).map(mapOffer);
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
