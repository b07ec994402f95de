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
      label: `${i.name} × ${i.quantity}`,
      detail: `单价 ${formatMoney(i.unitPrice)}`,
      amountText: formatMoney(i.quantity * i.unitPrice),
    })),
    { key: 'labour', kind: 'labour', label: '人工费', detail: '', amountText: formatMoney(o.quotedAmount - materials) },
  ];
}

/** The visit fee as a line: what a cancellation after the electrician arrived costs. */
export function visitFeeLine(o: Pick<Order, 'visitFee'>): PriceLine {
  return { key: 'visit', kind: 'fee', label: '上门费', detail: '上门后取消时收取', amountText: formatMoney(o.visitFee) };
}
