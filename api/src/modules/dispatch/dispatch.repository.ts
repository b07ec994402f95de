import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { toDate } from '../../shared/rows';

type Conn = Knex | Knex.Transaction;

export type OfferStatus = 'offered' | 'accepted' | 'rejected' | 'expired' | 'lost' | 'cancelled';

export interface Offer {
  id: number;
  orderId: number;
  electricianId: number;
  rank: number;
  distanceKm: number;
  status: OfferStatus;
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
    status: r.status as OfferStatus,
    reason: (r.reason as string | null) ?? null,
    offeredAt: toDate(r.offered_at)!,
    expiresAt: toDate(r.expires_at)!,
    respondedAt: toDate(r.responded_at),
  };
}

/** The dispatch module's table: `dispatch_offers`. Nothing else reads or writes it. */
export function createDispatchRepository(db: Db) {
  return {
    /** Everyone the order has been offered to, in any state. */
    async offeredElectricianIds(orderId: number, trx: Conn = db): Promise<number[]> {
      return (await trx('dispatch_offers').where({ order_id: orderId }).pluck('electrician_id')).map(Number);
    },

    async insertOffer(
      o: { orderId: number; electricianId: number; rank: number; distanceKm: number; offeredAt: Date; expiresAt: Date },
      trx: Conn,
    ): Promise<number> {
      return insertId(trx, 'dispatch_offers', {
        order_id: o.orderId,
        electrician_id: o.electricianId,
        rank: o.rank,
        distance_km: o.distanceKm,
        status: 'offered',
        offered_at: o.offeredAt,
        expires_at: o.expiresAt,
      });
    },

    /** Closes one open offer, conditionally on it still being open; false when it was already closed. */
    async closeOffer(id: number, status: OfferStatus, reason: string | null, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('dispatch_offers').where({ id, status: 'offered' }).update({ status, reason, responded_at: now });
      return n === 1;
    },

    /** Accepts an open offer; false when it closed first (expired, lost). */
    async acceptOffer(id: number, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('dispatch_offers').where({ id, status: 'offered' }).update({ status: 'accepted', responded_at: now });
      return n === 1;
    },

    /** Closes every open offer of the order (but `exceptOfferId`). */
    async closeOffers(
      orderId: number,
      status: 'lost' | 'cancelled',
      now: Date,
      trx: Conn,
      exceptOfferId?: number,
    ): Promise<void> {
      await trx('dispatch_offers')
        .where({ order_id: orderId, status: 'offered' })
        .modify((q) => {
          if (exceptOfferId !== undefined) q.whereNot('id', exceptOfferId);
        })
        .update({ status, responded_at: now });
    },

    /** The (only) offer of an order to an electrician, whatever its state. */
    async offerTo(orderId: number, electricianId: number, trx: Conn = db): Promise<Offer | undefined> {
      const r = await trx('dispatch_offers').where({ order_id: orderId, electrician_id: electricianId }).first();
      return r ? mapOffer(r) : undefined;
    },

    async openOfferTo(orderId: number, electricianId: number, trx: Conn = db): Promise<Offer | undefined> {
      const r = await trx('dispatch_offers')
        .where({ order_id: orderId, electrician_id: electricianId, status: 'offered' })
        .first();
      return r ? mapOffer(r) : undefined;
    },

    /** Open offers past their deadline, oldest first. */
    async due(now: Date, limit: number): Promise<Offer[]> {
      return (
        await db('dispatch_offers')
          .where('status', 'offered')
          .andWhere('expires_at', '<=', now)
          .orderBy('expires_at')
          .limit(limit)
      ).map(mapOffer);
    },

    async forOrder(orderId: number): Promise<Offer[]> {
      return (await db('dispatch_offers').where({ order_id: orderId }).orderBy('id')).map(mapOffer);
    },

    async openFor(electricianId: number): Promise<Offer[]> {
      return (await db('dispatch_offers').where({ electrician_id: electricianId, status: 'offered' }).orderBy('id')).map(
        mapOffer,
      );
    },
  };
}

export type DispatchRepository = ReturnType<typeof createDispatchRepository>;
