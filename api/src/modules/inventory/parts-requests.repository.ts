import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { toDate } from '../../shared/rows';
import type { PartsRequestStatus } from './inventory.schemas';

export interface PartsRequestLine {
  catalogItemId: number;
  code: string;
  name: string;
  unit: string;
  quantity: number;
  used: number | null;
}

export interface PartsRequest {
  id: number;
  orderId: number;
  electricianId: number;
  requestedBy: number;
  warehouseId: number;
  warehouseName: string;
  status: PartsRequestStatus;
  note: string | null;
  reason: string | null;
  decidedBy: number | null;
  approvedAt: Date | null;
  issuedAt: Date | null;
  settledAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  items: PartsRequestLine[];
}

export interface NewPartsRequest {
  orderId: number;
  electricianId: number;
  requestedBy: number;
  warehouseId: number;
  note: string | null;
  items: { catalogItemId: number; quantity: number }[];
}

/** What a step of a request sets beside its status. */
export interface PartsRequestPatch {
  reason?: string | null;
  decidedBy?: number;
  approvedAt?: Date;
  issuedAt?: Date;
  settledAt?: Date;
  closedAt?: Date;
}

export interface PartsRequestFilter {
  status?: PartsRequestStatus;
  warehouseId?: number;
  orderId?: number;
  offset: number;
  limit: number;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const PATCH_COLUMNS: Record<keyof PartsRequestPatch, string> = {
  reason: 'reason',
  decidedBy: 'decided_by',
  approvedAt: 'approved_at',
  issuedAt: 'issued_at',
  settledAt: 'settled_at',
  closedAt: 'closed_at',
};

function mapRequest(r: Row, items: PartsRequestLine[]): PartsRequest {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    electricianId: Number(r.electrician_id),
    requestedBy: Number(r.requested_by),
    warehouseId: Number(r.warehouse_id),
    warehouseName: String(r.warehouse_name),
    status: r.status as PartsRequestStatus,
    note: str(r.note),
    reason: str(r.reason),
    decidedBy: r.decided_by === null || r.decided_by === undefined ? null : Number(r.decided_by),
    approvedAt: toDate(r.approved_at),
    issuedAt: toDate(r.issued_at),
    settledAt: toDate(r.settled_at),
    closedAt: toDate(r.closed_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
    items,
  };
}

/** Parts requests (`parts_requests`) and their lines (`parts_request_items`). */
export function createPartsRequestsRepository(db: Db) {
  const requests = (trx: Conn) =>
    trx('parts_requests as p').join('warehouses as w', 'w.id', 'p.warehouse_id').select('p.*', 'w.name as warehouse_name');

  /** The requests of these rows with their lines (one query for the lines of all of them). */
  async function withLines(rows: Row[], trx: Conn): Promise<PartsRequest[]> {
    if (rows.length === 0) return [];
    const lines = await trx('parts_request_items as l')
      .join('catalog_items as i', 'i.id', 'l.catalog_item_id')
      .whereIn(
        'l.parts_request_id',
        rows.map((r) => Number(r.id)),
      )
      .select('l.parts_request_id', 'l.catalog_item_id', 'l.quantity', 'l.used', 'i.code', 'i.name', 'i.unit')
      .orderBy('l.id', 'asc');
    const byRequest = new Map<number, PartsRequestLine[]>();
    for (const l of lines as Row[]) {
      const list = byRequest.get(Number(l.parts_request_id)) ?? [];
      list.push({
        catalogItemId: Number(l.catalog_item_id),
        code: String(l.code),
        name: String(l.name),
        unit: String(l.unit),
        quantity: Number(l.quantity),
        used: l.used === null || l.used === undefined ? null : Number(l.used),
      });
      byRequest.set(Number(l.parts_request_id), list);
    }
    return rows.map((r) => mapRequest(r, byRequest.get(Number(r.id)) ?? []));
  }

  return {
    async insert(p: NewPartsRequest, now: Date, trx: Knex.Transaction): Promise<number> {
      const id = await insertId(trx, 'parts_requests', {
        order_id: p.orderId,
        electrician_id: p.electricianId,
        requested_by: p.requestedBy,
        warehouse_id: p.warehouseId,
        status: 'pending',
        note: p.note,
        created_at: now,
        updated_at: now,
      });
      await trx('parts_request_items').insert(
        p.items.map((i) => ({ parts_request_id: id, catalog_item_id: i.catalogItemId, quantity: i.quantity, used: null })),
      );
      return id;
    },

    async findById(id: number, trx: Conn = db): Promise<PartsRequest | undefined> {
      const r = await requests(trx).where('p.id', id).first();
      return r ? (await withLines([r], trx))[0] : undefined;
    },

    /**
     * The only way a request's status changes: conditional on the status the caller read (one of
     * `from`). False means another step changed it first.
     */
    async transition(
      id: number,
      from: readonly PartsRequestStatus[],
      to: PartsRequestStatus,
      patch: PartsRequestPatch,
      now: Date,
      trx: Knex.Transaction,
    ): Promise<boolean> {
      const row: Row = { status: to, updated_at: now };
      for (const [key, value] of Object.entries(patch))
        if (value !== undefined) row[PATCH_COLUMNS[key as keyof PartsRequestPatch]] = value;
      const n = await trx('parts_requests').where({ id }).whereIn('status', from).update(row);
      return n === 1;
    },

    async setUsed(id: number, used: { catalogItemId: number; used: number }[], trx: Knex.Transaction): Promise<void> {
      for (const u of used)
        await trx('parts_request_items')
          .where({ parts_request_id: id, catalog_item_id: u.catalogItemId })
          .update({ used: u.used });
    },

    async forOrder(orderId: number, trx: Conn = db): Promise<PartsRequest[]> {
      return withLines(await requests(trx).where('p.order_id', orderId).orderBy('p.id', 'asc'), trx);
    },

    /** The order's requests in these statuses (ids only). */
    async idsForOrder(orderId: number, statuses: readonly PartsRequestStatus[], trx: Conn = db): Promise<number[]> {
      const rows = await trx('parts_requests').where({ order_id: orderId }).whereIn('status', statuses).select('id');
      return rows.map((r: Row) => Number(r.id));
    },

    async list(f: PartsRequestFilter): Promise<{ items: PartsRequest[]; total: number }> {
      const where = (q: Knex.QueryBuilder) => {
        if (f.status) q.where('p.status', f.status);
        if (f.warehouseId !== undefined) q.where('p.warehouse_id', f.warehouseId);
        if (f.orderId !== undefined) q.where('p.order_id', f.orderId);
      };
      const [rows, total] = await Promise.all([
        requests(db).modify(where).orderBy('p.id', 'desc').offset(f.offset).limit(f.limit),
        db('parts_requests as p').modify(where).count({ n: '*' }).first(),
      ]);
      return { items: await withLines(rows, db), total: Number(total?.n ?? 0) };
    },
  };
}

export type PartsRequestsRepository = ReturnType<typeof createPartsRequestsRepository>;
