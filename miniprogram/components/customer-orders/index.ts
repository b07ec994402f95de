import { LOGIN_PAGE } from '../../services/request';
import { listOrders } from '../../services/orders';
import { session } from '../../stores/session';
import type { OrderStatus } from '../../utils/format';
import { hasMore, orderCard, type OrderCard } from '../../utils/order-view';
import { PAGED_DATA, pagedList } from '../../utils/paged-list';

const PAGE_SIZE = 10;

export const ORDER_TABS: { text: string; status: OrderStatus | '' }[] = [
  { text: '全部', status: '' },
  { text: '待接单', status: 'pending' },
  { text: '已接单', status: 'accepted' },
  { text: '待确认', status: 'quoted' },
  { text: '维修中', status: 'in_progress' },
  { text: '已完成', status: 'completed' },
  { text: '已取消', status: 'cancelled' },
];

Component({
  // Hosted by a tab page: the app's shared classes (app.wxss) apply inside.
  options: { styleIsolation: 'apply-shared' },
  data: {
    tabs: ORDER_TABS,
    ...PAGED_DATA,
    orders: [] as OrderCard[],
  },
  methods: {
    ...pagedList('orders'),
    onLoad(query: Record<string, string | undefined>): void {
      const tab = ORDER_TABS.findIndex((t) => t.status === (query.status ?? ''));
      this.setData({ tab: Math.max(0, tab) });
    },
    /** Every show re-syncs from the API (statuses change while the page is hidden). */
    onShow(): void {
      if (!session.isLoggedIn()) {
        wx.navigateTo({ url: LOGIN_PAGE });
        return;
      }
      void this.reload();
    },
    async fetch(page: number): Promise<void> {
      const status = ORDER_TABS[this.data.tab].status || undefined;
      const res = await listOrders({ as: 'customer', status, page, limit: PAGE_SIZE });
      const cards = res.data.map(orderCard);
      this.setData({
        orders: page === 1 ? cards : [...this.data.orders, ...cards],
        page,
        more: hasMore(res.pagination),
      });
    },
    onOpen(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `/pages/user/order-detail/order-detail?id=${String(e.currentTarget.dataset.id)}` });
    },
    onNewOrder(): void {
      wx.navigateTo({ url: '/pages/user/order/order' });
    },
  },
});
