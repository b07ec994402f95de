import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { fromJson } from '../../shared/rows';
import { ACTIVE_STATUSES, type ActorRole, type OrderStatus } from './order-states';
import { createOrderQueries } from './order-queries.repository';
import {
  mapEvent,
  mapOrder,
  mapQuote,
  patchColumns,
  type NewOrder,
  type Order,
  type OrderEvent,
  type OrderPatch,
  type PaymentStatus,
  type Quote,
} from './order-rows';

export {
  mapOrder,
  type DispatchStatus,
  type NewOrder,
  type Order,
  type OrderEvent,
  type OrderPatch,
  type PaymentStatus,
  type Priority,
  type Quote,
  type QuoteItem,
} from './order-rows';
export type { HallFilter, HallOrder, ListFilter } from './order-queries.repository';

type Conn = Knex | Knex.Transaction;

/**
 * The orders module's tables. Here: one order's row and its history — placing it, the conditional
 * updates every transition, payment, dispatch step and rating goes through, its events and quotes,
 * and what account deletion asks of it. The lists, the hall, the jobs' scans and the stats are
 * `createOrderQueries` (order-queries.repository.ts).
 */
export function createOrdersRepository(db: Db) {
  return {
    ...createOrderQueries(db),

    /** Throws a unique violation when the order number is taken (the caller draws another). */
    async insert(o: NewOrder, trx: Conn = db): Promise<number> {
      return insertId(trx, 'orders', {
        order_no: o.orderNo,
        user_id: o.userId,
        title: o.title,
        description: o.description,
        fault_type: o.faultType,
        priority: o.priority,
        contact_name: o.contactName,
        contact_phone: o.contactPhone,
        region: o.region,
        address: o.address,
        latitude: o.latitude,
        longitude: o.longitude,
        images: JSON.stringify(o.images),
        scheduled_at: o.scheduledAt,
        visit_fee: o.visitFee,
        estimated_amount: o.estimatedAmount,
        status: 'pending',
        expires_at: o.expiresAt,
        dispatch_status: o.dispatchStatus,
        payment_status: 'unpaid',
        created_at: o.createdAt,
        updated_at: o.createdAt,
      });
    },

    async findById(id: number, trx: Conn = db): Promise<Order | undefined> {
      const r = await trx('orders').where({ id }).first();
      return r ? mapOrder(r) : undefined;
    },

    async findByIds(ids: number[], trx: Conn = db): Promise<Order[]> {
      if (ids.length === 0) return [];
      return (await trx('orders').whereIn('id', ids)).map(mapOrder);
    },

    /**
     * The only way an order's status changes: an update conditional on the status and version the
     * caller read. False means someone else changed the order first.
     */
    async claim(id: number, expected: { status: OrderStatus; version: number }, set: OrderPatch, trx: Conn): Promise<boolean> {
      const n = await trx('orders')
        .where({ id, status: expected.status, version: expected.version })
        .update({ ...patchColumns(set), version: expected.version + 1 });
      return n === 1;
    },

    /**
     * Changes that are not transitions (dispatch bookkeeping, SLA flag) — also conditional: `where`
     * the order still has these values (null matches `is null`).
     */
    async updateWhere(id: number, where: OrderPatch, set: OrderPatch, trx: Conn = db): Promise<boolean> {
      const n = await trx('orders')
        .where({ id, ...patchColumns(where) })
        .update(patchColumns(set));
      return n === 1;
    },

    /**
     * Records a payment on an unpaid order (conditional: false when another payment paid it first).
     */
    /**
     * Marks `order` (read in `trx`) paid, if it is still unpaid; returns it as the update leaves it
     * (built from the read, not read back), or undefined when another payment paid it first.
     */
    async markPaid(order: Order, paid: { transactionId: string | null }, now: Date, trx: Conn): Promise<Order | undefined> {
      const set = { paymentStatus: 'paid' as const, paidAt: now, transactionId: paid.transactionId, paymentMethod: 'wechat' };
      const n = await trx('orders').where({ id: order.id, payment_status: 'unpaid' }).update({
        payment_status: set.paymentStatus,
        paid_at: set.paidAt,
        transaction_id: set.transactionId,
        payment_method: set.paymentMethod,
        updated_at: now,
      });
      return n === 1 ? { ...order, ...set, updatedAt: now } : undefined;
    },

    /** The order's payment status after a refund. */
    async setPaymentStatus(id: number, status: PaymentStatus, now: Date, trx: Conn): Promise<void> {
      await trx('orders').where({ id }).update({ payment_status: status, updated_at: now });
    },

    /**
     * Locks an unpaid order's row for a payment step, conditional on the status the caller read;
     * false when the order was paid or moved on meanwhile.
     */
    async lockUnpaid(id: number, status: OrderStatus, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('orders').where({ id, payment_status: 'unpaid', status }).update({ updated_at: now });
      return n === 1;
    },

    /**
     * Stores the customer's overall rating on their completed order, conditional on the order still
     * being theirs, completed and in the payment status the caller read (this also locks the row).
     */
    async rate(
      id: number,
      expected: { customerId: number; paymentStatus: PaymentStatus },
      rating: number,
      now: Date,
      trx: Conn,
    ): Promise<boolean> {
      const n = await trx('orders')
        .where({ id, user_id: expected.customerId, status: 'completed', payment_status: expected.paymentStatus })
        .update({ rating, updated_at: now });
      return n === 1;
    },

    /** Locks a pending order's row for a dispatch step; false when it is no longer pending. */
    async lockPending(id: number, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('orders').where({ id, status: 'pending' }).update({ updated_at: now });
      return n === 1;
    },

    /** Claims the start of an urgent pending order's dispatch (once: only while dispatch is `pending`). */
    async startDispatch(id: number, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('orders')
        .where({ id, status: 'pending', dispatch_status: 'pending' })
        .update({ dispatch_status: 'offering', updated_at: now });
      return n === 1;
    },

    /** Records where a still-pending order's dispatch stands. */
    async setDispatchStatus(id: number, status: 'offering' | 'exhausted', trx: Conn): Promise<boolean> {
      const n = await trx('orders').where({ id, status: 'pending' }).update({ dispatch_status: status });
      return n === 1;
    },

    /** Electricians who gave the order back (release, unassign): dispatch does not offer it to them again. */
    async gaveBackBy(orderId: number, trx: Conn = db): Promise<number[]> {
      const details = await trx('order_events')
        .where({ order_id: orderId })
        .whereIn('action', ['release', 'unassign'])
        .pluck('details');
      return details.map((d) => Number(fromJson<{ electricianId?: number }>(d, {}).electricianId)).filter((id) => id > 0);
    },

    async insertEvent(
      e: {
        orderId: number;
        action: string;
        from: OrderStatus | null;
        to: OrderStatus;
        actorId: number | null;
        actorRole: ActorRole;
        details: object;
      },
      now: Date,
      trx: Conn,
    ): Promise<number> {
      return insertId(trx, 'order_events', {
        order_id: e.orderId,
        action: e.action,
        from_status: e.from,
        to_status: e.to,
        actor_id: e.actorId,
        actor_role: e.actorRole,
        details: JSON.stringify(e.details),
        created_at: now,
      });
    },

    async events(orderId: number, trx: Conn = db): Promise<OrderEvent[]> {
      return (await trx('order_events').where({ order_id: orderId }).orderBy('id', 'asc')).map(mapEvent);
    },

    async insertQuote(q: Omit<Quote, 'id' | 'decidedAt' | 'reason' | 'status'>, trx: Conn): Promise<number> {
      return insertId(trx, 'order_quotes', {
        order_id: q.orderId,
        version: q.version,
        electrician_id: q.electricianId,
        items: JSON.stringify(q.items),
        materials_fee: q.materialsFee,
        labour_fee: q.labourFee,
        amount: q.amount,
        note: q.note,
        status: 'pending',
        created_at: q.createdAt,
      });
    },

    async decideQuote(
      orderId: number,
      version: number,
      status: Quote['status'],
      reason: string | null,
      now: Date,
      trx: Conn,
    ): Promise<void> {
      await trx('order_quotes')
        .where({ order_id: orderId, version, status: 'pending' })
        .update({ status, reason, decided_at: now });
    },

    async quotes(orderId: number, trx: Conn = db): Promise<Quote[]> {
      return (await trx('order_quotes').where({ order_id: orderId }).orderBy('version', 'asc')).map(mapQuote);
    },

    /**
     * Whether the user has an order that is not over yet (pending … in_progress) as its customer
     * or, with `electricianId`, as its electrician: an account cannot be deleted while it does.
     */
    async hasOpenFor(party: { customerId: number; electricianId: number | null }, trx: Conn = db): Promise<boolean> {
      const r = await trx('orders')
        .whereIn('status', ['pending', ...ACTIVE_STATUSES])
        .where((w) => {
          w.where('user_id', party.customerId);
          if (party.electricianId !== null) w.orWhere('electrician_id', party.electricianId);
        })
        .first('id');
      return r !== undefined;
    },

    /**
     * A deleted customer's orders stay for the books without saying who or where: no contact, no
     * street address, and the coordinates rounded to 0.01° (about 1 km, as the hall shows them).
     */
    async anonymiseCustomer(userId: number, now: Date, trx: Conn): Promise<number> {
      return trx('orders')
        .where({ user_id: userId })
        .update({
          contact_name: '已注销用户',
          contact_phone: '',
          address: '',
          latitude: trx.raw('round(latitude, 2)'),
          longitude: trx.raw('round(longitude, 2)'),
          updated_at: now,
        });
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;
