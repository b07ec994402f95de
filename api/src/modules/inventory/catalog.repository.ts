import type { Knex } from 'knex';
import type { FaultType } from '../../config';
import { insertId, type Db } from '../../db';
import { fromJson, toBool, toDate, whereContains } from '../../shared/rows';
import type { CatalogCategory } from './inventory.schemas';

export interface CatalogItem {
  id: number;
  code: string;
  name: string;
  category: CatalogCategory;
  unit: string;
  standardPrice: number;
  maxPrice: number;
  faultTypes: FaultType[];
  active: boolean;
  safetyStock: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewCatalogItem = Omit<CatalogItem, 'id' | 'createdAt' | 'updatedAt'>;
export type CatalogItemPatch = Partial<NewCatalogItem>;

export interface CatalogFilter {
  faultType?: FaultType;
  category?: CatalogCategory;
  keyword?: string;
  active?: boolean;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

function mapItem(r: Row): CatalogItem {
  return {
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    category: r.category as CatalogCategory,
    unit: String(r.unit),
    standardPrice: Number(r.standard_price),
    maxPrice: Number(r.max_price),
    faultTypes: fromJson<FaultType[]>(r.fault_types, []),
    active: toBool(r.active),
    safetyStock: Number(r.safety_stock),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

const COLUMNS: Record<keyof NewCatalogItem, string> = {
  code: 'code',
  name: 'name',
  category: 'category',
  unit: 'unit',
  standardPrice: 'standard_price',
  maxPrice: 'max_price',
  faultTypes: 'fault_types',
  active: 'active',
  safetyStock: 'safety_stock',
};

function columns(patch: CatalogItemPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    row[COLUMNS[key as keyof NewCatalogItem]] = key === 'faultTypes' ? JSON.stringify(value) : value;
  }
  return row;
}

/** The price list (`catalog_items`). */
export function createCatalogRepository(db: Db) {
  return {
    /** Throws a unique violation when the code is taken. */
    async insert(item: NewCatalogItem, now: Date, trx: Conn = db): Promise<number> {
      return insertId(trx, 'catalog_items', { ...columns(item), created_at: now, updated_at: now });
    },

    /** Throws a unique violation when a new code is taken; false when there is no such item. */
    async update(id: number, patch: CatalogItemPatch, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('catalog_items')
        .where({ id })
        .update({ ...columns(patch), updated_at: now });
      return n === 1;
    },

    async findById(id: number, trx: Conn = db): Promise<CatalogItem | undefined> {
      const r = await trx('catalog_items').where({ id }).first();
      return r ? mapItem(r) : undefined;
    },

    async findByIds(ids: number[], trx: Conn = db): Promise<CatalogItem[]> {
      if (ids.length === 0) return [];
      return (await trx('catalog_items').whereIn('id', ids)).map(mapItem);
    },

    /**
     * Items by category and code. The fault types are a JSON array whose text form differs by
     * dialect (MySQL writes `", "`), so that filter runs on the mapped rows: the list is short.
     */
    async list(f: CatalogFilter): Promise<CatalogItem[]> {
      const rows = await db('catalog_items')
        .modify((q) => {
          if (f.active !== undefined) q.where('active', f.active);
          if (f.category) q.where('category', f.category);
          if (f.keyword) whereContains(q, ['code', 'name'], f.keyword);
        })
        .orderBy('category', 'asc')
        .orderBy('code', 'asc');
      const items: CatalogItem[] = rows.map((r: Row) => mapItem(r));
      return f.faultType ? items.filter((i) => i.faultTypes.includes(f.faultType!)) : items;
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
