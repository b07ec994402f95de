import type { Knex } from 'knex';
import type { Db } from '../../db';
import { mapElectrician, type Electrician } from './electrician-rows';

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/**
 * The electrician at work (part of `createElectriciansRepository`): active-order slots, whom to
 * dispatch, assign or push an order to, the reported location, the eligibility check of a
 * transition, the rating and the running earnings.
 */
export function createElectricianWork(db: Db) {
  return {
    /**
     * Takes one of the electrician's active-order slots if the profile is approved now and a slot is
     * free. The conditional increment is the cap: two grabs racing for the last slot cannot both
     * succeed. An update reads the row as committed (not the transaction's snapshot) and locks it,
     * so it sees what account deletion committed since the eligibility check; only a refusal reads
     * the row again, to tell which condition failed.
     */
    async takeSlot(id: number, maxActive: number, now: Date, trx: Knex.Transaction): Promise<'taken' | 'not_approved' | 'full'> {
      const n = await trx('electricians')
        .where({ id, verification_status: 'approved' })
        .andWhere('active_orders', '<', maxActive)
        .update({ active_orders: trx.raw('active_orders + 1'), total_orders: trx.raw('total_orders + 1'), updated_at: now });
      if (n === 1) return 'taken';
      const r = await trx('electricians').where({ id }).forUpdate().first('verification_status');
      return r?.verification_status === 'approved' ? 'full' : 'not_approved';
    },

    /** Gives a slot back; `outcome` also counts a completion or a release against the electrician. */
    async freeSlot(id: number, outcome: 'completed' | 'released' | 'cancelled', now: Date, trx: Conn): Promise<void> {
      await trx('electricians')
        .where({ id })
        .andWhere('active_orders', '>', 0)
        .update({
          active_orders: trx.raw('active_orders - 1'),
          ...(outcome === 'completed' ? { completed_orders: trx.raw('completed_orders + 1') } : {}),
          ...(outcome === 'released' ? { released_orders: trx.raw('released_orders + 1') } : {}),
          updated_at: now,
        });
    },

    /**
     * A completed order sent back for rework (a resolved complaint) holds a slot again — over the
     * cap if need be, the repair is owed — and stops counting as completed until it is completed again.
     */
    async reopenSlot(id: number, now: Date, trx: Conn): Promise<void> {
      await trx('electricians')
        .where({ id })
        .update({
          active_orders: trx.raw('active_orders + 1'),
          completed_orders: trx.raw('case when completed_orders > 0 then completed_orders - 1 else 0 end'),
          updated_at: now,
        });
    },

    /**
     * Candidates for auto-dispatch: approved, available, emergency-available, located, under the cap,
     * inside a lat/lng box (exact distance is computed by the caller), not in `exclude`.
     */
    async dispatchCandidates(
      box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
      maxActive: number,
      exclude: number[],
      trx: Conn = db,
    ): Promise<Electrician[]> {
      const rows = await trx('electricians')
        .where({ verification_status: 'approved', work_status: 'available', emergency_available: true })
        .andWhere('active_orders', '<', maxActive)
        .whereBetween('current_latitude', [box.minLat, box.maxLat])
        .whereBetween('current_longitude', [box.minLng, box.maxLng])
        .modify((q) => {
          if (exclude.length > 0) q.whereNotIn('id', exclude);
        });
      return rows.map(mapElectrician);
    },

    /** Whom staff may assign an order to: approved, not offline, located inside the box (exact distance is the caller's). */
    async assignable(
      box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
      trx: Conn = db,
    ): Promise<Electrician[]> {
      const rows = await trx('electricians')
        .where({ verification_status: 'approved' })
        .whereNot('work_status', 'offline')
        .whereBetween('current_latitude', [box.minLat, box.maxLat])
        .whereBetween('current_longitude', [box.minLng, box.maxLng]);
      return rows.map(mapElectrician);
    },

    /**
     * Who gets a live new-order push: approved, available, located inside the box (exact distance
     * is the caller's), willing to take an order of this amount, not the customer themself. Only the
     * columns a push needs: this runs for every new order over hundreds of rows, and mapping whole
     * profiles was most of its cost (see BENCHMARKS.md).
     */
    async pushCandidates(
      box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
      estimatedAmount: number,
      excludeUserId: number,
      trx: Conn = db,
    ): Promise<{ id: number; userId: number; latitude: number; longitude: number }[]> {
      const rows: Row[] = await trx('electricians')
        .where({ verification_status: 'approved', work_status: 'available' })
        .andWhere('min_order_amount', '<=', estimatedAmount)
        .whereNot('user_id', excludeUserId)
        .whereBetween('current_latitude', [box.minLat, box.maxLat])
        .whereBetween('current_longitude', [box.minLng, box.maxLng])
        .select('id', 'user_id', 'current_latitude', 'current_longitude');
      return rows.map((r) => ({
        id: Number(r.id),
        userId: Number(r.user_id),
        latitude: Number(r.current_latitude),
        longitude: Number(r.current_longitude),
      }));
    },

    /**
     * Stores a reported location unless one was stored less than `minIntervalMs` ago. One
     * conditional update, so several API instances together still write at most that often.
     */
    async storeLocation(
      id: number,
      at: { latitude: number; longitude: number },
      now: Date,
      minIntervalMs: number,
    ): Promise<boolean> {
      const n = await db('electricians')
        .where({ id })
        .andWhere((q) =>
          q.whereNull('location_updated_at').orWhere('location_updated_at', '<=', new Date(now.getTime() - minIntervalMs)),
        )
        .update({ current_latitude: at.latitude, current_longitude: at.longitude, location_updated_at: now, updated_at: now });
      return n === 1;
    },

    /**
     * Locks the electrician's row for a rating change: every change to the set of their visible
     * reviews takes this lock first (in the review's transaction), so those changes queue and each
     * recomputation sees the ones committed before it.
     */
    async lockForRating(id: number, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).update({ updated_at: now });
    },

    /** Stores the rating the reviews module computed, in the review's transaction (after lockForRating). */
    async setRating(id: number, r: { rating: number; count: number }, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).update({ rating: r.rating, rating_count: r.count, updated_at: now });
    },

    /** Adds the electrician's share of a payment to their running earnings (fen). */
    async creditEarnings(id: number, fen: number, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).increment('total_earnings', fen);
    },

    /** Takes back the electrician's part of a refund from their running earnings (fen). */
    async debitEarnings(id: number, fen: number, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).decrement('total_earnings', fen);
    },
  };
}
