/**
 * Hands a price-list item from the price list (opened with `?select=1`) back to the quote builder
 * that opened it. In memory: a pick is consumed by the next onShow.
 */
import type { CatalogItem } from '../services/catalog';

let picked: CatalogItem | null = null;

export const catalogPick = {
  pick(item: CatalogItem): void {
    picked = item;
  },
  /** The item chosen since the last call, once. */
  take(): CatalogItem | null {
    const item = picked;
    picked = null;
    return item;
  },
};
