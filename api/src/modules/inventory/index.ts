/** What other modules may use of inventory (the rest is its own). */
import type { Db } from '../../db';
import { createCatalogRepository } from './catalog.repository';
import { createQuotePricer, type QuotePricer } from './quote-pricing';

export type { CatalogItem } from './catalog.repository';
export type { PartsRequestChanged, StockLow } from './inventory.events';
export { reconcileStock, formatStockReconciliation, type StockReconciliation } from './reconcile';

export type { PricedQuoteLine, PriceFlag, QuoteLineInput, QuotePricer } from './quote-pricing';

/**
 * Quote lines priced against the price list (names, units, standard prices, flags; the ceiling
 * enforced). Orders is built before inventory yet prices quotes: it takes the pricer from here.
 */
export const quotePricerOf = (db: Db): QuotePricer => createQuotePricer(createCatalogRepository(db));
