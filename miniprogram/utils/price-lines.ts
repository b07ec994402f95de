import type { Order } from '../services/orders';
import { formatMoney } from './money';

/** One line of a price breakdown (components/price-breakdown). */
export interface PriceLine {
  key: string;
  kind: 'fee' | 'material' | 'labour' | 'refund';
  label: string;
  /** Under the label: a material's quantity and unit price, a fee's rule. */
  detail: string;
  amountText: string;
  /** A quote line against the price list: at its standard price, above it, or not on it. */
  flag?: { text: string; tone: 'ok' | 'warn' | 'muted' };
}

type Line = NonNullable<Order['quoteItems']>[number];

/** How a quote line compares with the price list; none for quotes made before it. */
function flagOf(i: Line): PriceLine['flag'] {
  if (i.priceFlag === 'standard') return { text: '标准价', tone: 'ok' };
  if (i.priceFlag === 'above_standard') return { text: `高于标准价 ${formatMoney(i.standardPrice ?? 0)}`, tone: 'warn' };
  if (i.priceFlag === 'custom') return { text: '价目表外', tone: 'muted' };
  return undefined;
}

type Quoted = Pick<Order, 'quoteItems' | 'quotedAmount'>;

/** The quote line by line: each material (quantity × unit price) and the labour, which is the rest. */
export function quoteLines(o: Quoted): PriceLine[] {
  if (!o.quoteItems || o.quotedAmount === null) return [];
  const materials = o.quoteItems.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
  return [
    ...o.quoteItems.map((i, n) => ({
      key: `m${n}`,
      kind: 'material' as const,
      label: `${i.name} × ${i.quantity}${i.unit ?? ''}`,
      detail: `单价 ${formatMoney(i.unitPrice)}`,
      amountText: formatMoney(i.quantity * i.unitPrice),
      flag: flagOf(i),
    })),
    { key: 'labour', kind: 'labour', label: '人工费', detail: '', amountText: formatMoney(o.quotedAmount - materials) },
  ];
}

/** The visit fee as a line: what a cancellation after the electrician arrived costs. */
export function visitFeeLine(o: Pick<Order, 'visitFee'>): PriceLine {
  return { key: 'visit', kind: 'fee', label: '上门费', detail: '上门后取消时收取', amountText: formatMoney(o.visitFee) };
}
