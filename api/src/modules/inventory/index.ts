/** What other modules may use of inventory (the rest is its own). */
import type { Db } from '../../db';
import { createCatalogRepository, type CatalogRepository } from './catalog.repository';

export type { CatalogItem } from './catalog.repository';
export type { PartsRequestChanged, StockLow } from './inventory.events';
export { reconcileStock, formatStockReconciliation, type StockReconciliation } from './reconcile';

/** Price-list items by id (read-only): a quote's lines take their names, units and prices from here. */
export type CatalogReader = Pick<CatalogRepository, 'findById' | 'findByIds'>;

export const catalogReaderOf = (db: Db): CatalogReader => createCatalogRepository(db);
