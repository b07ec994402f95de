import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { fromJson, toDate, whereContains } from '../../shared/rows';
import type { ComplaintAction, ComplaintLevel, ComplaintOutcome, ComplaintStatus, ComplaintType } from './complaints.schemas';

/** Statuses in which a complaint is still being handled: one per order, and it holds settlement. */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['open', 'processing'];

export interface Complaint {
  id: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  electricianId: number | null;
  /** The user id of the complaint's electrician, if any. */
  electricianUserId: number | null;
  type: ComplaintType;
  content: string;
  images: number[];
  level: ComplaintLevel;
  status: ComplaintStatus;
  outcome: ComplaintOutcome | null;
  refundAmount: number | null;
  refundId: number | null;
  refundNo: string | null;
  resolutionNote: string | null;
  resolvedBy: number | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ComplaintEvent {
  id: number;
  complaintId: number;
  action: ComplaintAction;
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  level: ComplaintLevel;
  actorId: number | null;
  actorRole: 'customer' | 'admin' | 'system';
  content: string | null;
  images: number[];
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface ComplaintFilter {
  customerId?: number;
  electricianId?: number;
  status?: ComplaintStatus;
  level?: ComplaintLevel;
  type?: ComplaintType;
  keyword?: string;
  offset: number;
  limit: number;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function mapComplaint(r: Row): Complaint {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    orderNo: String(r.order_no),
    customerId: Number(r.customer_id),
    electricianId: num(r.electrician_id),
    electricianUserId: num(r.electrician_user_id),
    type: r.type as ComplaintType,
    content: String(r.content),
    images: fromJson<number[]>(r.images, []),
    level: r.level as ComplaintLevel,
    status: r.status as ComplaintStatus,
    outcome: (r.outcome as ComplaintOutcome | null) ?? null,
    refundAmount: num(r.refund_amount),
    refundId: num(r.refund_id),
    refundNo: str(r.out_refund_no),
    resolutionNote: str(r.resolution_note),
    resolvedBy: num(r.resolved_by),
    firstResponseAt: toDate(r.first_response_at),
    resolvedAt: toDate(r.resolved_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

function mapEvent(r: Row): ComplaintEvent {
  return {
    id: Number(r.id),
    complaintId: Number(r.complaint_id),
    action: r.action as ComplaintAction,
    fromStatus: (r.from_status as ComplaintStatus | null) ?? null,
    toStatus: r.to_status as ComplaintStatus,
    level: r.level as ComplaintLevel,
    actorId: num(r.actor_id),
    actorRole: r.actor_role as ComplaintEvent['actorRole'],
    content: str(r.content),
    images: fromJson<number[]>(r.images, []),
    details: fromJson<Record<string, unknown>>(r.details, {}),
    createdAt: toDate(r.created_at)!,
  };
}

/** The columns a complaint's step may change (camelCase; the repository maps them). */
/** A complaint as the customer opens it (open, normal level, holding the order's open-complaint slot). */
export interface NewComplaint {
  orderId: number;
  customerId: number;
  electricianId: number | null;
  type: ComplaintType;
  content: string;
  images: number[];
  createdAt: Date;
}

export interface ComplaintPatch {
  status?: ComplaintStatus;
  level?: ComplaintLevel;
  outcome?: ComplaintOutcome;
  refundAmount?: number | null;
  refundId?: number;
  resolutionNote?: string;
  resolvedBy?: number;
  resolvedAt?: Date;
  firstResponseAt?: Date;
  openOrderId?: null;
}

const PATCH_COLUMNS: Record<keyof ComplaintPatch, string> = {
  status: 'status',
  level: 'level',
  outcome: 'outcome',
  refundAmount: 'refund_amount',
  refundId: 'refund_id',
  resolutionNote: 'resolution_note',
  resolvedBy: 'resolved_by',
  resolvedAt: 'resolved_at',
  firstResponseAt: 'first_response_at',
  openOrderId: 'open_order_id',
};

export function createComplaintsRepository(db: Db) {
  /** Complaints with their order number, electrician user and refund number. */
  const joined = (trx: Conn) =>
    trx('complaints as c')
      .join('orders as o', 'o.id', 'c.order_id')
      .leftJoin('electricians as e', 'e.id', 'c.electrician_id')
      .leftJoin('refunds as r', 'r.id', 'c.refund_id')
      .select('c.*', 'o.order_no', 'e.user_id as electrician_user_id', 'r.out_refund_no');

  return {
    /** Locks an open complaint's row for a step; false once it is closed (resolved or rejected). */
    async lockOpen(id: number, now: Date, trx: Knex.Transaction): Promise<boolean> {
      const n = await trx('complaints').where({ id }).whereIn('status', OPEN_STATUSES).update({ updated_at: now });
      return n === 1;
    },

    async update(id: number, patch: ComplaintPatch, trx: Knex.Transaction): Promise<void> {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) row[PATCH_COLUMNS[key as keyof ComplaintPatch]] = value;
      }
      if (Object.keys(row).length > 0) await trx('complaints').where({ id }).update(row);
    },

    /** Throws a unique violation when the order has an open complaint already (`open_order_id`). */
    async insert(c: NewComplaint, trx: Conn): Promise<number> {
      return insertId(trx, 'complaints', {
        order_id: c.orderId,
        customer_id: c.customerId,
        electrician_id: c.electricianId,
        type: c.type,
        content: c.content,
        images: JSON.stringify(c.images),
        level: 'normal',
        status: 'open',
        open_order_id: c.orderId,
        created_at: c.createdAt,
        updated_at: c.createdAt,
      });
    },

    async findById(id: number, trx: Conn = db): Promise<Complaint | undefined> {
      const r = await joined(trx).where('c.id', id).first();
      return r ? mapComplaint(r) : undefined;
    },

    /**
     * A step of a complaint that is still being handled, conditional on the status and level the
     * caller read: false means another step changed it first (or it was closed meanwhile).
     */
    async claim(id: number, expected: { status: ComplaintStatus; level: ComplaintLevel }, set: Row, trx: Conn): Promise<boolean> {
      const n = await trx('complaints').where({ id, status: expected.status, level: expected.level }).update(set);
      return n === 1;
    },

    async insertEvent(e: Omit<ComplaintEvent, 'id'>, trx: Conn): Promise<number> {
      return insertId(trx, 'complaint_events', {
        complaint_id: e.complaintId,
        action: e.action,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        level: e.level,
        actor_id: e.actorId,
        actor_role: e.actorRole,
        content: e.content,
        images: JSON.stringify(e.images),
        details: JSON.stringify(e.details),
        created_at: e.createdAt,
      });
    },

    async events(complaintId: number, trx: Conn = db): Promise<ComplaintEvent[]> {
      return (await trx('complaint_events').where({ complaint_id: complaintId }).orderBy('id', 'asc')).map(mapEvent);
    },

    async list(f: ComplaintFilter): Promise<{ items: Complaint[]; total: number }> {
      const base = db('complaints as c')
        .join('orders as o', 'o.id', 'c.order_id')
        .modify((q) => {
          if (f.customerId !== undefined) q.where('c.customer_id', f.customerId);
          if (f.electricianId !== undefined) q.where('c.electrician_id', f.electricianId);
          if (f.status) q.where('c.status', f.status);
          if (f.level) q.where('c.level', f.level);
          if (f.type) q.where('c.type', f.type);
          if (f.keyword) whereContains(q, ['o.order_no', 'c.content'], f.keyword);
        });
      const [ids, total] = await Promise.all([
        base.clone().select('c.id').orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').offset(f.offset).limit(f.limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      const rows = ids.length
        ? await joined(db).whereIn(
            'c.id',
            ids.map((r: Row) => Number(r.id)),
          )
        : [];
      const byId = new Map(rows.map((r: Row) => [Number(r.id), mapComplaint(r)]));
      return { items: ids.map((r: Row) => byId.get(Number(r.id))!), total: Number(total?.n ?? 0) };
    },

    /** Whether a complaint about the order is open or being handled. */
    async hasOpen(orderId: number, trx: Conn = db): Promise<boolean> {
      const r = await trx('complaints').where({ order_id: orderId }).whereIn('status', OPEN_STATUSES).first('id');
      return r !== undefined;
    },

    /** The orders of an electrician's work with a complaint open or being handled (their earnings are held back from withdrawal). */
    async openOrderIdsOf(electricianId: number, trx: Conn = db): Promise<number[]> {
      const rows = await trx('complaints')
        .where({ electrician_id: electricianId })
        .whereIn('status', OPEN_STATUSES)
        .distinct('order_id');
      return rows.map((r: { order_id: unknown }) => Number(r.order_id));
    },

    /** Whether a complaint the user made, or one about their work as an electrician, is still open. */
    async hasOpenFor(party: { customerId: number; electricianId: number | null }, trx: Conn = db): Promise<boolean> {
      const r = await trx('complaints')
        .whereIn('status', OPEN_STATUSES)
        .where((w) => {
          w.where('customer_id', party.customerId);
          if (party.electricianId !== null) w.orWhere('electrician_id', party.electricianId);
        })
        .first('id');
      return r !== undefined;
    },
  };
}

export type ComplaintsRepository = ReturnType<typeof createComplaintsRepository>;
