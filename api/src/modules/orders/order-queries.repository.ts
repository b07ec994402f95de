import type { Knex } from 'knex';
import type { FaultType } from '../../config';
import type { Db } from '../../db';
import type { Box } from '../../shared/geo';
import { toDate, whereContains } from '../../shared/rows';
import type { OrderStatus } from './order-states';
import { mapOrder, type Order, type Priority } from './order-rows';

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

export interface ListFilter {
  userId?: number;
  electricianId?: number;
  status?: OrderStatus;
  /** Only orders with money owed: what `amountDueOf` (orders.views) makes non-zero. */
  owed?: boolean;
  from?: Date;
  to?: Date;
  keyword?: string;
  offset: number;
  limit: number;
}

export interface HallFilter {
  box: Box;
  faultType?: FaultType;
  priority?: Priority;
  minEstimatedAmount?: number;
  /** The viewer's own orders (an electrician who is also a customer) are not in their hall. */
  excludeUserId?: number;
}

/**
 * What the hall index (hall-index.ts) holds of a pending order: what the hall filters, measures and
 * ranks by, and what its page shows (orders.views.ts `publicView`), so that a hall page reads
 * nothing from the database; and of one that left the hall, whom it is held by (what a refused
 * grab is told).
 */
export type HallOrder = Pick<
  Order,
  | 'id'
  | 'version'
  | 'status'
  | 'latitude'
  | 'longitude'
  | 'createdAt'
  | 'userId'
  | 'electricianId'
  | 'faultType'
  | 'priority'
  | 'estimatedAmount'
  | 'orderNo'
  | 'title'
  | 'description'
  | 'region'
  | 'contactName'
  | 'contactPhone'
  | 'images'
  | 'visitFee'
  | 'scheduledAt'
  | 'expiresAt'
>;
const HALL_COLUMNS = [
  'id',
  'version',
  'status',
  'latitude',
  'longitude',
  'created_at',
  'user_id',
  'electrician_id',
  'fault_type',
  'priority',
  'estimated_amount',
  'order_no',
  'title',
  'description',
  'region',
  'contact_name',
  'contact_phone',
  'images',
  'visit_fee',
  'scheduled_at',
  'expires_at',
];

/** The hall's fields of an order (a row read with HALL_COLUMNS, or a whole order): nothing more is kept. */
export function hallOrderOf(o: HallOrder): HallOrder {
  return {
    id: o.id,
    version: o.version,
    status: o.status,
    latitude: o.latitude,
    longitude: o.longitude,
    createdAt: o.createdAt,
    userId: o.userId,
    electricianId: o.electricianId,
    faultType: o.faultType,
    priority: o.priority,
    estimatedAmount: o.estimatedAmount,
    orderNo: o.orderNo,
    title: o.title,
    description: o.description,
    region: o.region,
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    images: o.images,
    visitFee: o.visitFee,
    scheduledAt: o.scheduledAt,
    expiresAt: o.expiresAt,
  };
}

/**
 * The orders read in bulk (part of `createOrdersRepository`): order numbers for another module's
 * page and its keyword search, the lists, the hall's candidates, what the jobs scan for, and the
 * dashboard's and earnings' figures.
 */
export function createOrderQueries(db: Db) {
  return {
    /** The order numbers of `ids` (one query for a page of another module's rows), by id. */
    async orderNos(ids: readonly number[], trx: Conn = db): Promise<Map<number, string>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = (await trx('orders').whereIn('id', unique).select('id', 'order_no')) as Row[];
      return new Map(rows.map((r) => [Number(r.id), String(r.order_no)]));
    },

    /**
     * A subquery of the ids of the orders whose number contains `term` (literally): another module's
     * keyword search embeds it as `order_id in (…)`, so the search stays one statement.
     */
    idsWithOrderNoContaining(term: string): Knex.QueryBuilder {
      return db('orders')
        .select('id')
        .modify((b) => whereContains(b, ['order_no'], term));
    },

    async list(f: ListFilter): Promise<{ items: Order[]; total: number }> {
      const base = db('orders').modify((q) => {
        if (f.userId !== undefined) q.where('user_id', f.userId);
        if (f.electricianId !== undefined) q.where('electrician_id', f.electricianId);
        if (f.status) q.where('status', f.status);
        if (f.owed)
          q.where('payment_status', 'unpaid').whereIn('status', ['completed', 'cancelled']).where('final_amount', '>', 0);
        if (f.from) q.where('created_at', '>=', f.from);
        if (f.to) q.where('created_at', '<', f.to);
        if (f.keyword) whereContains(q, ['order_no', 'contact_name', 'contact_phone', 'address', 'title'], f.keyword);
      });
      const [rows, total] = await Promise.all([
        base.clone().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(f.offset).limit(f.limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      return { items: rows.map(mapOrder), total: Number(total?.n ?? 0) };
    },

    /** Pending orders inside the box: the indexed prefilter of the hall; exact distance is the caller's. */
    async hallCandidates(f: HallFilter): Promise<{ id: number; latitude: number; longitude: number; createdAt: Date }[]> {
      const rows = await db('orders')
        .select('id', 'latitude', 'longitude', 'created_at')
        .where('status', 'pending')
        .whereBetween('latitude', [f.box.minLat, f.box.maxLat])
        .whereBetween('longitude', [f.box.minLng, f.box.maxLng])
        .modify((q) => {
          if (f.faultType) q.where('fault_type', f.faultType);
          if (f.priority) q.where('priority', f.priority);
          if (f.minEstimatedAmount) q.where('estimated_amount', '>=', f.minEstimatedAmount);
          if (f.excludeUserId !== undefined) q.whereNot('user_id', f.excludeUserId);
        });
      return rows.map((r: Row) => ({
        id: Number(r.id),
        latitude: Number(r.latitude),
        longitude: Number(r.longitude),
        createdAt: toDate(r.created_at)!,
      }));
    },

    /**
     * The hall index's load (hall-index.ts): pending orders after id `afterId`, by id, `limit` at a
     * time, so that loading 20,000 of them never holds the event loop for long.
     */
    async pendingAfter(afterId: number, limit: number): Promise<HallOrder[]> {
      const rows = (await db('orders')
        .select(HALL_COLUMNS)
        .where('status', 'pending')
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(limit)) as Row[];
      return rows.map((r) => hallOrderOf(mapOrder(r)));
    },

    /** The newest order event's id (0 when there is none): where the hall index's cursor starts. */
    async lastEventId(): Promise<number> {
      const r = await db('order_events').max({ id: 'id' }).first();
      return Number(r?.id ?? 0);
    },

    /**
     * Order events after `cursor`, and those of `gaps` (ids skipped by an earlier read: their
     * transaction may commit later), by id: which orders changed since the hall index last looked.
     */
    async eventsAfter(cursor: number, gaps: number[], limit: number): Promise<{ id: number; orderId: number }[]> {
      const rows = (await db('order_events')
        .select('id', 'order_id')
        .where('id', '>', cursor)
        .modify((q) => {
          if (gaps.length > 0) q.orWhereIn('id', gaps);
        })
        .orderBy('id')
        .limit(limit)) as Row[];
      return rows.map((r) => ({ id: Number(r.id), orderId: Number(r.order_id) }));
    },

    async duePending(now: Date, limit: number): Promise<Order[]> {
      return (
        await db('orders').where('status', 'pending').andWhere('expires_at', '<=', now).orderBy('expires_at').limit(limit)
      ).map(mapOrder);
    },

    async overdueArrivals(now: Date, limit: number): Promise<Order[]> {
      return (
        await db('orders')
          .where('status', 'accepted')
          .andWhere('arrive_due_at', '<=', now)
          .whereNull('sla_alerted_at')
          .orderBy('arrive_due_at')
          .limit(limit)
      ).map(mapOrder);
    },

    async toDispatch(limit: number): Promise<Order[]> {
      return (await db('orders').where({ status: 'pending', dispatch_status: 'pending' }).orderBy('id').limit(limit)).map(
        mapOrder,
      );
    },

    /** Orders created in [from, to) by status, for the dashboard. */
    async countByStatus(from: Date, to: Date): Promise<Record<string, number>> {
      const rows = await db('orders')
        .select('status')
        .count({ n: '*' })
        .where('created_at', '>=', from)
        .andWhere('created_at', '<', to)
        .groupBy('status');
      return Object.fromEntries(rows.map((r: Row) => [String(r.status), Number(r.n)]));
    },

    /** Created in [from, to) and accepted: created/accepted times to average in the service (portable date math). */
    async acceptTimes(from: Date, to: Date): Promise<{ createdAt: Date; acceptedAt: Date }[]> {
      const rows = await db('order_events')
        .join('orders', 'orders.id', 'order_events.order_id')
        .whereIn('order_events.action', ['grab', 'dispatch_accept', 'assign'])
        .andWhere('orders.created_at', '>=', from)
        .andWhere('orders.created_at', '<', to)
        .select('orders.id', 'orders.created_at')
        .min({ accepted_at: 'order_events.created_at' })
        .groupBy('orders.id', 'orders.created_at');
      return rows.map((r: Row) => ({ createdAt: toDate(r.created_at)!, acceptedAt: toDate(r.accepted_at)! }));
    },

    /** How many orders the electrician took (grabbed or accepted) in [from, to) that are still theirs. */
    async countAcceptedBy(electricianId: number, from: Date, to: Date): Promise<number> {
      const row = await db('orders')
        .where('electrician_id', electricianId)
        .andWhere('accepted_at', '>=', from)
        .andWhere('accepted_at', '<', to)
        .count({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },

    async paidTotal(from: Date, to: Date): Promise<number> {
      const row = await db('orders')
        .where('payment_status', 'paid')
        .andWhere('paid_at', '>=', from)
        .andWhere('paid_at', '<', to)
        .sum({ s: 'final_amount' })
        .first();
      return Number(row?.s ?? 0);
    },
  };
}
