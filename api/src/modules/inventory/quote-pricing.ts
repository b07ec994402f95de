import { AppError, badRequest, type ErrorDetail } from '../../shared/errors';
import type { CatalogItem, CatalogRepository } from './catalog.repository';

/** A quote line as the electrician sends it: a price-list item, or free text. */
export interface QuoteLineInput {
  catalogItemId?: number;
  name?: string;
  quantity: number;
  unitPrice: number;
}

/** How a line's price stands against the price list. */
export type PriceFlag = 'standard' | 'above_standard' | 'custom';

/** A quote line as stored and shown: a catalog line carries its item, unit and standard price. */
export interface PricedQuoteLine {
  name: string;
  quantity: number;
  unitPrice: number;
  catalogItemId?: number;
  unit?: string;
  standardPrice?: number;
  priceFlag: PriceFlag;
}

export function flagOf(item: Pick<CatalogItem, 'standardPrice'>, unitPrice: number): PriceFlag {
  return unitPrice > item.standardPrice ? 'above_standard' : 'standard';
}

/**
 * Prices quote lines against the price list (SPEC 3.10): a line naming a catalog item takes its
 * name and unit from it and is flagged `standard` (at or below the standard price) or
 * `above_standard`; above the item's ceiling it is refused (400 PRICE_ABOVE_CEILING, every such
 * line in `details`); an unknown or retired item is refused (400 CATALOG_ITEM_UNAVAILABLE); a
 * free-text line is `custom`.
 */
export function createQuotePricer(catalog: Pick<CatalogRepository, 'findByIds'>) {
  return async function price(lines: QuoteLineInput[]): Promise<PricedQuoteLine[]> {
    const ids = lines.flatMap((l) => (l.catalogItemId === undefined ? [] : [l.catalogItemId]));
    const items = new Map((await catalog.findByIds([...new Set(ids)])).map((i) => [i.id, i]));
    const unavailable: ErrorDetail[] = [];
    const tooHigh: ErrorDetail[] = [];
    const priced = lines.map((l, i): PricedQuoteLine => {
      if (l.catalogItemId === undefined)
        return { name: l.name ?? '', quantity: l.quantity, unitPrice: l.unitPrice, priceFlag: 'custom' };
      const item = items.get(l.catalogItemId);
      if (!item || !item.active) {
        unavailable.push({
          path: ['body', 'items', i, 'catalogItemId'],
          message: item ? `${item.name} 已下架` : '价目表中没有该项目',
        });
        return { name: '', quantity: l.quantity, unitPrice: l.unitPrice, priceFlag: 'custom' };
      }
      if (l.unitPrice > item.maxPrice)
        tooHigh.push({
          path: ['body', 'items', i, 'unitPrice'],
          message: `${item.name} 单价不能高于 ${(item.maxPrice / 100).toFixed(2)} 元`,
        });
      return {
        name: item.name,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        catalogItemId: item.id,
        unit: item.unit,
        standardPrice: item.standardPrice,
        priceFlag: flagOf(item, l.unitPrice),
      };
    });
    if (unavailable.length > 0) throw badRequest('CATALOG_ITEM_UNAVAILABLE', unavailable[0]!.message, unavailable);
    if (tooHigh.length > 0) throw new AppError('PRICE_ABOVE_CEILING', 400, tooHigh[0]!.message, tooHigh);
    return priced;
  };
}

export type QuotePricer = ReturnType<typeof createQuotePricer>;
