import type { components } from './api-types';
import type { FaultType } from './orders';
import { request } from './request';
import { formatMoney } from '../utils/money';

/** A price list item (价目表), as the API documents it: prices in fen. */
export type CatalogItem = components['schemas']['CatalogItem'];

/** An item as the price list shows it. */
export interface PriceListRow {
  id: number;
  name: string;
  /** '¥30.00/个' */
  priceText: string;
  /** '最高 ¥50.00' */
  ceilingText: string;
}

export function priceListRow(item: CatalogItem): PriceListRow {
  return {
    id: item.id,
    name: item.name,
    priceText: `${formatMoney(item.standardPrice)}/${item.unit}`,
    ceilingText: `最高 ${formatMoney(item.maxPrice)}`,
  };
}

/** The active items of the price list, for one fault type or kind, or all; public (shown before signing in). */
export function catalogItems(filter: { faultType?: FaultType; category?: CatalogItem['category'] } = {}): Promise<CatalogItem[]> {
  const query = Object.entries(filter)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
  return request<CatalogItem[]>({ url: `/api/catalog/items${query ? `?${query}` : ''}`, auth: false });
}
