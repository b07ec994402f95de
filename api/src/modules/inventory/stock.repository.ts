import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { ActorRole } from '../../shared/domain-events';
import { toBool, toDate } from '../../shared/rows';
import type { MovementType } from './inventory.schemas';

export interface Warehouse {
  id: number;
  name: string;
  address: string | null;
  active: boolean;
  createdAt: Date;
}

export interface Balance {
  warehouseId: number;
  catalogItemId: number;
  code: string;
  name: string;
  unit: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
}

export interface Movement {
  id: number;
  warehouseId: number;
  catalogItemId: number;
  itemName: string;
  type: MovementType;
  /** Units; signed for `adjust`, positive for every other type. */
  quantity: number;
  actorId: number | null;
  actorRole: ActorRole;
  partsRequestId: number | null;
  note: string | null;
  createdAt: Date;
}

export type NewMovement = Omit<Movement, 'id' | 'itemName' | 'createdAt'>;

export interface MovementFilter {
  warehouseId?: number;
  catalogItemId?: number;
  type?: MovementType;
  partsRequestId?: number;
  offset: number;
  limit: number;
}

/** On hand and reserved of one (warehouse, item). */
export interface Totals {
  warehouseId: number;
  catalogItemId: number;
  onHand: number;
  reserved: number;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

const mapWarehouse = (r: Row): Warehouse => ({
  id: Number(r.id),
  name: String(r.name),
  address: r.address === null || r.address === undefined ? null : String(r.address),
  active: toBool(r.active),
  createdAt: toDate(r.created_at)!,
});

const mapBalance = (r: Row): Balance => ({
  warehouseId: Number(r.warehouse_id),
  catalogItemId: Number(r.catalog_item_id),
  code: String(r.code),
  name: String(r.name),
  unit: String(r.unit),
  onHand: Number(r.on_hand),
  reserved: Number(r.reserved),
  safetyStock: Number(r.safety_stock),
});

const mapMovement = (r: Row): Movement => ({
  id: Number(r.id),
  warehouseId: Number(r.warehouse_id),
  catalogItemId: Number(r.catalog_item_id),
  itemName: String(r.item_name),
  type: r.type as MovementType,
  quantity: Number(r.quantity),
  actorId: r.actor_id === null || r.actor_id === undefined ? null : Number(r.actor_id),
  actorRole: r.actor_role as ActorRole,
  partsRequestId: r.parts_request_id === null || r.parts_request_id === undefined ? null : Number(r.parts_request_id),
  note: r.note === null || r.note === undefined ? null : String(r.note),
  createdAt: toDate(r.created_at)!,
});

/**
 * How each movement type moves the totals, as SQL over `stock_movements` (the reconciliation's
 * sums) — the same rules `move` applies to `stock_balances`.
 */
const ON_HAND_DELTA = `case when type in ('in', 'return', 'adjust') then quantity when type = 'issue' then -quantity else 0 end`;
const RESERVED_DELTA = `case when type = 'reserve' then quantity when type in ('release', 'issue') then -quantity else 0 end`;

/** Warehouses, the stock ledger (`stock_movements`) and the running totals it keeps (`stock_balances`). */
export function createStockRepository(db: Db) {
  const balanceKey = (warehouseId: number, catalogItemId: number) => ({
    warehouse_id: warehouseId,
    catalog_item_id: catalogItemId,
  });
  const balances = (trx: Conn) =>
    trx('stock_balances as b')
      .join('catalog_items as i', 'i.id', 'b.catalog_item_id')
      .select('b.warehouse_id', 'b.catalog_item_id', 'b.on_hand', 'b.reserved', 'i.code', 'i.name', 'i.unit', 'i.safety_stock');

  return {
    /** Throws a unique violation when the name is taken. */
    async insertWarehouse(w: { name: string; address: string | null }, now: Date, trx: Conn = db): Promise<number> {
      return insertId(trx, 'warehouses', { name: w.name, address: w.address, active: true, created_at: now, updated_at: now });
    },

    async findWarehouse(id: number, trx: Conn = db): Promise<Warehouse | undefined> {
      const r = await trx('warehouses').where({ id }).first();
      return r ? mapWarehouse(r) : undefined;
    },

    async warehouses(ids?: number[]): Promise<Warehouse[]> {
      return (
        await db('warehouses')
          .modify((q) => {
            if (ids) q.whereIn('id', ids);
          })
          .orderBy('id', 'asc')
      ).map(mapWarehouse);
    },

    async balance(warehouseId: number, catalogItemId: number, trx: Conn = db): Promise<Balance | undefined> {
      const r = await balances(trx).where({ 'b.warehouse_id': warehouseId, 'b.catalog_item_id': catalogItemId }).first();
      return r ? mapBalance(r) : undefined;
    },

    async balances(f: { warehouseId?: number; lowOnly?: boolean }): Promise<Balance[]> {
      return (
        await balances(db)
          .modify((q) => {
            if (f.warehouseId !== undefined) q.where('b.warehouse_id', f.warehouseId);
            if (f.lowOnly) q.whereRaw('b.on_hand - b.reserved < i.safety_stock');
          })
          .orderBy('b.warehouse_id', 'asc')
          .orderBy('i.code', 'asc')
      ).map(mapBalance);
    },

    /**
     * One movement: its balance change by a conditional update, then its ledger row, in `trx`.
     * Undefined (nothing written) when the condition fails: a reserve beyond what is available,
     * a release or issue beyond what is reserved, an adjustment that would take on hand below
     * what is reserved (so never below zero). Returns the movement's id.
     */
    async move(m: NewMovement, now: Date, trx: Knex.Transaction): Promise<number | undefined> {
      const key = balanceKey(m.warehouseId, m.catalogItemId);
      const q = m.quantity;
      const rows = () => trx('stock_balances').where(key);
      let n: number;
      if ((m.type === 'in' || m.type === 'return' || m.type === 'adjust') && q > 0) {
        // One statement that inserts the balance or adds to it, taking its row lock at once: an
        // insert-if-missing followed by an update deadlocks concurrent first stock-ins on InnoDB
        // (both hold the duplicate key's shared lock and wait to upgrade it).
        await trx('stock_balances')
          .insert({ ...key, on_hand: q, reserved: 0, low_alerted: false, updated_at: now })
          .onConflict(['warehouse_id', 'catalog_item_id'])
          .merge({ on_hand: trx.raw('on_hand + ?', [q]), updated_at: now });
        n = 1;
      } else if (m.type === 'adjust') {
        // A write-off: only while what is left covers what is reserved (so never below zero).
        n = await rows()
          .whereRaw('on_hand - reserved >= ?', [-q])
          .update({ on_hand: trx.raw('on_hand + ?', [q]), updated_at: now });
      } else if (m.type === 'reserve') {
        n = await rows()
          .whereRaw('on_hand - reserved >= ?', [q])
          .update({ reserved: trx.raw('reserved + ?', [q]), updated_at: now });
      } else if (m.type === 'release') {
        n = await rows()
          .where('reserved', '>=', q)
          .update({ reserved: trx.raw('reserved - ?', [q]), updated_at: now });
      } else {
        n = await rows()
          .where('reserved', '>=', q)
          .where('on_hand', '>=', q)
          .update({ on_hand: trx.raw('on_hand - ?', [q]), reserved: trx.raw('reserved - ?', [q]), updated_at: now });
      }
      if (n !== 1) return undefined;
      return insertId(trx, 'stock_movements', {
        ...key,
        type: m.type,
        quantity: q,
        actor_id: m.actorId,
        actor_role: m.actorRole,
        parts_request_id: m.partsRequestId,
        note: m.note,
        created_at: now,
      });
    },

    /**
     * Keeps the balance's low-stock flag: set when available fell below `safetyStock` (returns
     * 'fell', once), cleared when it is back at or above it ('recovered'); conditional, so of two
     * concurrent movements only one sees the fall.
     */
    async markLow(
      warehouseId: number,
      catalogItemId: number,
      safetyStock: number,
      now: Date,
      trx: Knex.Transaction,
    ): Promise<'fell' | 'recovered' | undefined> {
      const rows = () => trx('stock_balances').where(balanceKey(warehouseId, catalogItemId));
      const fell = await rows()
        .where('low_alerted', false)
        .whereRaw('on_hand - reserved < ?', [safetyStock])
        .update({ low_alerted: true, updated_at: now });
      if (fell === 1) return 'fell';
      const recovered = await rows()
        .where('low_alerted', true)
        .whereRaw('on_hand - reserved >= ?', [safetyStock])
        .update({ low_alerted: false, updated_at: now });
      return recovered === 1 ? 'recovered' : undefined;
    },

    async findMovement(id: number, trx: Conn = db): Promise<Movement | undefined> {
      const r = await trx('stock_movements as m')
        .join('catalog_items as i', 'i.id', 'm.catalog_item_id')
        .select('m.*', 'i.name as item_name')
        .where('m.id', id)
        .first();
      return r ? mapMovement(r) : undefined;
    },

    async movements(f: MovementFilter): Promise<{ items: Movement[]; total: number }> {
      const base = db('stock_movements as m').modify((q) => {
        if (f.warehouseId !== undefined) q.where('m.warehouse_id', f.warehouseId);
        if (f.catalogItemId !== undefined) q.where('m.catalog_item_id', f.catalogItemId);
        if (f.type) q.where('m.type', f.type);
        if (f.partsRequestId !== undefined) q.where('m.parts_request_id', f.partsRequestId);
      });
      const [rows, total] = await Promise.all([
        base
          .clone()
          .join('catalog_items as i', 'i.id', 'm.catalog_item_id')
          .select('m.*', 'i.name as item_name')
          .orderBy('m.id', 'desc')
          .offset(f.offset)
          .limit(f.limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      return { items: rows.map(mapMovement), total: Number(total?.n ?? 0) };
    },

    /** The stored totals of every (warehouse, item). */
    async storedTotals(): Promise<Totals[]> {
      const rows = await db('stock_balances').select('warehouse_id', 'catalog_item_id', 'on_hand', 'reserved');
      return rows.map((r: Row) => ({
        warehouseId: Number(r.warehouse_id),
        catalogItemId: Number(r.catalog_item_id),
        onHand: Number(r.on_hand),
        reserved: Number(r.reserved),
      }));
    },

    /** The totals the ledger adds up to, per (warehouse, item) that has movements. */
    async ledgerTotals(): Promise<Totals[]> {
      const rows = await db('stock_movements')
        .select(
          'warehouse_id',
          'catalog_item_id',
          db.raw(`sum(${ON_HAND_DELTA}) as on_hand`),
          db.raw(`sum(${RESERVED_DELTA}) as reserved`),
        )
        .groupBy('warehouse_id', 'catalog_item_id');
      return rows.map((r: Row) => ({
        warehouseId: Number(r.warehouse_id),
        catalogItemId: Number(r.catalog_item_id),
        onHand: Number(r.on_hand),
        reserved: Number(r.reserved),
      }));
    },
  };
}

export type StockRepository = ReturnType<typeof createStockRepository>;
