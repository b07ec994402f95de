import type { OrderCard } from '../../utils/order-view';

/**
 * One order in a list (the customer's and the electrician's 订单): title, status, order number,
 * region and time, and the amount, from utils/order-view's orderCard. What can be done with the order
 * (去支付, 去评价, 联系电工) is the list's, passed in the slot, so its handlers stay the list's.
 *   <order-card class="order" order="{{item}}" data-id="{{item.id}}" bindtap="onOpen">…actions…</order-card>
 */
Component({
  // The app's shared classes (card, status-tag, money) apply inside.
  options: { styleIsolation: 'apply-shared' },
  properties: {
    order: { type: Object, value: null as OrderCard | null },
  },
});
