import { listOrders } from '../../services/orders';
import type { OrderStatus } from '../../utils/format';
import { hasMore, orderCard, type OrderCard } from '../../utils/order-view';
import { TAB_PAGES } from '../../utils/landing';
import { PAGED_DATA, pagedList } from '../../utils/paged-list';

const PAGE_SIZE = 10;

export const ELECTRICIAN_TABS: { text: string; status: OrderStatus | '' }[] = [
  { text: '全部', status: '' },
  { text: '待上门', status: 'accepted' },
  { text: '已上门', status: 'arrived' },
  { text: '待确认报价', status: 'quoted' },
  { text: '维修中', status: 'in_progress' },
  { text: '已完成', status: 'completed' },
  { text: '已取消', status: 'cancelled' },
];

/** The electrician's own orders (those assigned to them), by status. */
Component({
  // Hosted by a tab page: the app's shared classes (app.wxss) apply inside.
  options: { styleIsolation: 'apply-shared' },
  data: {
    tabs: ELECTRICIAN_TABS,
    ...PAGED_DATA,
    orders: [] as OrderCard[],
  },
  methods: {
    ...pagedList('orders', undefined, 'electrician-orders'),
    onLoad(query: Record<string, string | undefined>): void {
      const tab = ELECTRICIAN_TABS.findIndex((t) => t.status === (query.status ?? ''));
      this.setData({ tab: Math.max(0, tab) });
    },
    /** Every show re-syncs from the API (the customer and the jobs change orders meanwhile). */
    onShow(): void {
      void this.reload();
    },
    async fetch(page: number): Promise<void> {
      const status = ELECTRICIAN_TABS[this.data.tab].status || undefined;
      const res = await listOrders({ as: 'electrician', status, page, limit: PAGE_SIZE });
      const cards = res.data.map(orderCard);
      this.setData({ orders: page === 1 ? cards : [...this.data.orders, ...cards], page, more: hasMore(res.pagination) });
    },
    onOpen(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `/pages/electrician/order-detail/order-detail?id=${String(e.currentTarget.dataset.id)}` });
    },
    onHall(): void {
      wx.switchTab({ url: TAB_PAGES.hall });
    },
  },
});
