import type { Knex } from 'knex';
import type { FaultType } from '../../config';
import { insertId, type Db } from '../../db';
import type { Box } from '../../shared/geo';
import { fromJson, toDate, whereContains } from '../../shared/rows';
import { ACTIVE_STATUSES, type ActorRole, type OrderStatus } from './order-states';

export type Priority = 'low' | 'medium' | 'high' | 'urgent';
export type PaymentStatus = 'unpaid' | 'paid' | 'refunded' | 'partial_refund';
export type DispatchStatus = 'pending' | 'offering' | 'exhausted' | 'accepted';

export interface QuoteItem {
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface Order {
  id: number;
  orderNo: string;
  userId: number;
  electricianId: number | null;
  title: string;
  description: string;
  faultType: FaultType;
  priority: Priority;
  contactName: string;
  contactPhone: string;
  region: string;
  address: string;
  latitude: number;
  longitude: number;
  images: number[];
  scheduledAt: Date | null;
  visitFee: number;
  estimatedAmount: number;
  quotedAmount: number | null;
  finalAmount: number | null;
  quoteItems: QuoteItem[] | null;
  quoteVersion: number;
  repairContent: string | null;
  repairImages: number[];
  status: OrderStatus;
  expiresAt: Date | null;
  acceptedAt: Date | null;
  arrivedAt: Date | null;
  arriveLatitude: number | null;
  arriveLongitude: number | null;
  quotedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  expiredAt: Date | null;
  cancelReason: string | null;
  cancelledBy: ActorRole | null;
  arriveDueAt: Date | null;
  slaAlertedAt: Date | null;
  dispatchStatus: DispatchStatus | null;
  paymentStatus: PaymentStatus;
  paymentMethod: string | null;
  transactionId: string | null;
  paidAt: Date | null;
  rating: number | null;
  notes: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderEvent {
  id: number;
  orderId: number;
  action: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  actorId: number | null;
  actorRole: ActorRole;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface Quote {
  id: number;
  orderId: number;
  version: number;
  electricianId: number;
  items: QuoteItem[];
  materialsFee: number;
  labourFee: number;
  amount: number;
  note: string | null;
  status: 'pending' | 'accepted' | 'rejected' | 'cancelled';
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function mapOrder(r: Row): Order {
  return {
    id: Number(r.id),
    orderNo: String(r.order_no),
    userId: Number(r.user_id),
    electricianId: num(r.electrician_id),
    title: String(r.title),
    description: String(r.description),
    faultType: r.fault_type as FaultType,
    priority: r.priority as Priority,
    contactName: String(r.contact_name),
    contactPhone: String(r.contact_phone),
    region: String(r.region),
    address: String(r.address),
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    images: fromJson<number[]>(r.images, []),
    scheduledAt: toDate(r.scheduled_at),
    visitFee: Number(r.visit_fee),
    estimatedAmount: Number(r.estimated_amount),
    quotedAmount: num(r.quoted_amount),
    finalAmount: num(r.final_amount),
    quoteItems: fromJson<QuoteItem[] | null>(r.quote_items, null),
    quoteVersion: Number(r.quote_version),
    repairContent: str(r.repair_content),
    repairImages: fromJson<number[]>(r.repair_images, []),
    status: r.status as OrderStatus,
    expiresAt: toDate(r.expires_at),
    acceptedAt: toDate(r.accepted_at),
    arrivedAt: toDate(r.arrived_at),
    arriveLatitude: num(r.arrive_latitude),
    arriveLongitude: num(r.arrive_longitude),
    quotedAt: toDate(r.quoted_at),
    startedAt: toDate(r.started_at),
    completedAt: toDate(r.completed_at),
    cancelledAt: toDate(r.cancelled_at),
    expiredAt: toDate(r.expired_at),
    cancelReason: str(r.cancel_reason),
    cancelledBy: (r.cancelled_by as ActorRole | null) ?? null,
    arriveDueAt: toDate(r.arrive_due_at),
    slaAlertedAt: toDate(r.sla_alerted_at),
    dispatchStatus: (r.dispatch_status as DispatchStatus | null) ?? null,
    paymentStatus: r.payment_status as PaymentStatus,
    paymentMethod: str(r.payment_method),
    transactionId: str(r.transaction_id),
    paidAt: toDate(r.paid_at),
    rating: num(r.rating),
    notes: str(r.notes),
    version: Number(r.version),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

function mapEvent(r: Row): OrderEvent {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    action: String(r.action),
    fromStatus: (r.from_status as OrderStatus | null) ?? null,
    toStatus: r.to_status as OrderStatus,
    actorId: num(r.actor_id),
    actorRole: r.actor_role as ActorRole,
    details: fromJson<Record<string, unknown>>(r.details, {}),
    createdAt: toDate(r.created_at)!,
  };
}

function mapQuote(r: Row): Quote {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    version: Number(r.version),
    electricianId: Number(r.electrician_id),
    items: fromJson<QuoteItem[]>(r.items, []),
    materialsFee: Number(r.materials_fee),
    labourFee: Number(r.labour_fee),
    amount: Number(r.amount),
    note: str(r.note),
    status: r.status as Quote['status'],
    reason: str(r.reason),
    createdAt: toDate(r.created_at)!,
    decidedAt: toDate(r.decided_at),
  };
}

/**
 * What a transition or a bookkeeping update changes of an order, camelCase: the repository maps it
 * to columns (JSON-encoding the lists), so use cases never name a column.
 */
export type OrderPatch = Partial<
  Pick<
    Order,
    | 'electricianId'
    | 'status'
    | 'quotedAmount'
    | 'finalAmount'
    | 'quoteItems'
    | 'quoteVersion'
    | 'repairContent'
    | 'repairImages'
    | 'expiresAt'
    | 'acceptedAt'
    | 'arrivedAt'
    | 'arriveLatitude'
    | 'arriveLongitude'
    | 'quotedAt'
    | 'startedAt'
    | 'completedAt'
    | 'cancelledAt'
    | 'expiredAt'
    | 'cancelReason'
    | 'cancelledBy'
    | 'arriveDueAt'
    | 'slaAlertedAt'
    | 'dispatchStatus'
    | 'updatedAt'
  >
>;

const PATCH_COLUMNS: Record<keyof OrderPatch, string> = {
  electricianId: 'electrician_id',
  status: 'status',
  quotedAmount: 'quoted_amount',
  finalAmount: 'final_amount',
  quoteItems: 'quote_items',
  quoteVersion: 'quote_version',
  repairContent: 'repair_content',
  repairImages: 'repair_images',
  expiresAt: 'expires_at',
  acceptedAt: 'accepted_at',
  arrivedAt: 'arrived_at',
  arriveLatitude: 'arrive_latitude',
  arriveLongitude: 'arrive_longitude',
  quotedAt: 'quoted_at',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  cancelledAt: 'cancelled_at',
  expiredAt: 'expired_at',
  cancelReason: 'cancel_reason',
  cancelledBy: 'cancelled_by',
  arriveDueAt: 'arrive_due_at',
  slaAlertedAt: 'sla_alerted_at',
  dispatchStatus: 'dispatch_status',
  updatedAt: 'updated_at',
};
const JSON_FIELDS: ReadonlySet<keyof OrderPatch> = new Set(['quoteItems', 'repairImages']);

/** The columns of a patch (undefined fields are left out; null is written, or matched as `is null`). */
function patchColumns(patch: OrderPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch) as [keyof OrderPatch, unknown][]) {
    if (value === undefined) continue;
    row[PATCH_COLUMNS[key]] = JSON_FIELDS.has(key) && value !== null ? JSON.stringify(value) : value;
  }
  return row;
}

/** A new order as the customer places it (pending, unpaid). */
export type NewOrder = Pick<
  Order,
  | 'orderNo'
  | 'userId'
  | 'title'
  | 'description'
  | 'faultType'
  | 'priority'
  | 'contactName'
  | 'contactPhone'
  | 'region'
  | 'address'
  | 'latitude'
  | 'longitude'
  | 'images'
  | 'scheduledAt'
  | 'visitFee'
  | 'estimatedAmount'
  | 'expiresAt'
  | 'dispatchStatus'
  | 'createdAt'
>;

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

export function createOrdersRepository(db: Db) {
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
    async markPaid(id: number, paid: { transactionId: string | null }, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('orders').where({ id, payment_status: 'unpaid' }).update({
        payment_status: 'paid',
        paid_at: now,
        transaction_id: paid.transactionId,
        payment_method: 'wechat',
        updated_at: now,
      });
      return n === 1;
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
