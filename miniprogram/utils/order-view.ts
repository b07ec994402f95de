import type { Order } from '../services/orders';
import { formatTime, orderStatusText } from './format';
import { formatMoney } from './money';

export interface OrderCard {
  id: number;
  orderNo: string;
  title: string;
  status: string;
  statusText: string;
  timeText: string;
  region: string;
  amountLabel: string;
  amountText: string;
}

/** The amount a list shows: final, else quoted, else the estimate. */
export function orderAmount(o: Pick<Order, 'finalAmount' | 'quotedAmount' | 'estimatedAmount'>): { label: string; fen: number } {
  if (o.finalAmount !== null) return { label: '实付', fen: o.finalAmount };
  if (o.quotedAmount !== null) return { label: '报价', fen: o.quotedAmount };
  return { label: '预估', fen: o.estimatedAmount };
}

export function orderCard(o: Order): OrderCard {
  const amount = orderAmount(o);
  return {
    id: o.id,
    orderNo: o.orderNo,
    title: o.title,
    status: o.status,
    statusText: orderStatusText(o.status),
    timeText: formatTime(o.createdAt),
    region: o.region,
    amountLabel: amount.label,
    amountText: formatMoney(amount.fen),
  };
}

/** True while a paged list has more rows than it has loaded. */
export function hasMore(p: { page: number; limit: number; total: number }): boolean {
  return p.page * p.limit < p.total;
}
