import type { Knex } from 'knex';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { Actor, DomainBus } from '../../shared/domain-events';
import { badRequest, conflict, notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { CatalogItem, CatalogRepository } from './catalog.repository';
import type { CreateMovement, MovementType } from './inventory.schemas';
import { reconcileStock } from './reconcile';
import type { Balance, Movement, StockRepository, Warehouse } from './stock.repository';
import { stockTransaction } from './transactions';

export interface StockDeps {
  db: Db;
  catalog: CatalogRepository;
  stock: StockRepository;
  bus: DomainBus;
  clock: Clock;
}

export const insufficientStock = (name: string) => conflict('INSUFFICIENT_STOCK', `库存不足：${name}`);
export const warehouseNotFound = () => notFound('仓库不存在');

/** One change of one item's stock in one warehouse, as the ledger records it. */
export interface StockChange {
  item: CatalogItem;
  type: MovementType;
  quantity: number;
  partsRequestId: number | null;
  note: string | null;
}

/**
 * The one way stock changes: each change is a conditional update of its balance and a ledger row,
 * inside the caller's transaction (a refused change throws 409 INSUFFICIENT_STOCK, and the caller's
 * transaction rolls back everything it did). Changes are applied in item order, so two multi-line
 * approvals lock balances in the same order. A balance that falls below its item's safety stock
 * stages one `stock.low`.
 */
export function createLedger(d: Pick<StockDeps, 'stock' | 'bus'>) {
  return async function apply(
    trx: Knex.Transaction,
    warehouse: Warehouse,
    changes: StockChange[],
    actor: Actor,
    now: Date,
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const c of [...changes].sort((a, b) => a.item.id - b.item.id)) {
      const id = await d.stock.move(
        {
          warehouseId: warehouse.id,
          catalogItemId: c.item.id,
          type: c.type,
          quantity: c.quantity,
          actorId: actor.id,
          actorRole: actor.role,
          partsRequestId: c.partsRequestId,
          note: c.note,
        },
        now,
        trx,
      );
      if (id === undefined) throw insufficientStock(c.item.name);
      ids.push(id);
      if ((await d.stock.markLow(warehouse.id, c.item.id, c.item.safetyStock, now, trx)) === 'fell') {
        const b = (await d.stock.balance(warehouse.id, c.item.id, trx))!;
        await d.bus.stage(trx, {
          name: 'stock.low',
          movementId: id,
          warehouseId: warehouse.id,
          warehouseName: warehouse.name,
          catalogItemId: c.item.id,
          itemName: c.item.name,
          unit: c.item.unit,
          available: b.onHand - b.reserved,
          safetyStock: c.item.safetyStock,
          at: now,
        });
      }
    }
    return ids;
  };
}
export type Ledger = ReturnType<typeof createLedger>;

/** Warehouses, stock levels and the ledger, for staff. */
export function createStockService(d: StockDeps) {
  const { db, stock, clock } = d;
  const ledger = createLedger(d);

  return {
    async warehouses(): Promise<Warehouse[]> {
      return stock.warehouses();
    },

    async createWarehouse(input: { name: string; address?: string }): Promise<Warehouse> {
      try {
        const id = await stock.insertWarehouse({ name: input.name, address: input.address ?? null }, clock.now());
        return (await stock.findWarehouse(id))!;
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict('WAREHOUSE_EXISTS', '已有同名仓库');
        throw err;
      }
    },

    async balances(q: { warehouseId?: number; lowOnly?: boolean }): Promise<Balance[]> {
      if (q.warehouseId !== undefined && !(await stock.findWarehouse(q.warehouseId))) throw warehouseNotFound();
      return stock.balances(q);
    },

    async movements(
      q: PageQuery & { warehouseId?: number; catalogItemId?: number; type?: MovementType; partsRequestId?: number },
    ): Promise<Page<Movement>> {
      const { items, total } = await stock.movements({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    /**
     * Stock in (`in`) or a correction after a count (`adjust`, signed): an adjustment that would
     * take on hand below what is reserved (so below zero) is refused with 409 INSUFFICIENT_STOCK.
     * Only active items of the price list's materials are kept in stock.
     */
    async record(staff: Principal, input: CreateMovement): Promise<Movement> {
      const now = clock.now();
      const id = await stockTransaction(db, async (trx) => {
        const warehouse = await stock.findWarehouse(input.warehouseId, trx);
        if (!warehouse || !warehouse.active) throw warehouseNotFound();
        const item = await d.catalog.findById(input.catalogItemId, trx);
        if (!item)
          throw badRequest('CATALOG_ITEM_UNAVAILABLE', '价目表中没有该配件', [{ path: ['catalogItemId'], message: '不存在' }]);
        if (item.category !== 'material')
          throw badRequest('CATALOG_ITEM_UNAVAILABLE', `${item.name} 是人工项目，没有库存`, [
            { path: ['catalogItemId'], message: '不是材料' },
          ]);
        const [movementId] = await ledger(
          trx,
          warehouse,
          [{ item, type: input.type, quantity: input.quantity, partsRequestId: null, note: input.note }],
          { id: staff.id, role: 'admin' },
          now,
        );
        return movementId!;
      });
      return (await stock.findMovement(id))!;
    },

    /** Whether the stored totals equal the ledger's sums (npm run stock:reconcile). */
    reconcile: () => reconcileStock(stock),
  };
}

export type StockService = ReturnType<typeof createStockService>;
