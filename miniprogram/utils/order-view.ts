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
  /** Money is owed on it (completed, or cancelled after the visit): 去支付. */
  canPay: boolean;
  /** Completed and paid: 去评价 (the evaluate page says if it was reviewed already). */
  canReview: boolean;
  /** An electrician is on it and it is not finished: 联系电工. */
  canContact: boolean;
}

const ACTIVE = ['accepted', 'arrived', 'quoted', 'in_progress'];

/** Money is owed on the order. */
export function isUnpaid(o: Pick<Order, 'paymentStatus' | 'amountDue'>): boolean {
  return o.paymentStatus === 'unpaid' && o.amountDue > 0;
}

/**
 * The amount a list shows, labelled by what it is: 应付 while owed, 实付 once paid, 已退款 after a
 * full refund; before any of that the quote, else the estimate.
 */
export function orderAmount(o: Pick<Order, 'finalAmount' | 'quotedAmount' | 'estimatedAmount' | 'paymentStatus' | 'amountDue'>): {
  label: string;
  fen: number;
} {
  if (isUnpaid(o)) return { label: '应付', fen: o.amountDue };
  if (o.paymentStatus === 'refunded') return { label: '已退款', fen: o.finalAmount ?? o.amountDue };
  if (o.paymentStatus === 'partial_refund') return { label: '实付（部分退款）', fen: o.finalAmount ?? o.amountDue };
  if (o.paymentStatus === 'paid') return { label: '实付', fen: o.finalAmount ?? o.amountDue };
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
    canPay: isUnpaid(o),
    canReview: o.status === 'completed' && o.paymentStatus !== 'unpaid',
    canContact: o.electricianId !== null && ACTIVE.includes(o.status),
  };
}

/** True while a paged list has more rows than it has loaded. */
export function hasMore(p: { page: number; limit: number; total: number }): boolean {
  return p.page * p.limit < p.total;
}
