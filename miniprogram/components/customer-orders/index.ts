import { LOGIN_PAGE } from '../../services/request';
import { orderConversation } from '../../services/chat';
import { listOrders } from '../../services/orders';
import { session } from '../../stores/session';
import type { OrderStatus } from '../../utils/format';
import { hasMore, isUnpaid, orderCard, type OrderCard } from '../../utils/order-view';
import { PAGED_DATA, pagedList } from '../../utils/paged-list';

const PAGE_SIZE = 10;
const UNPAID_SCAN = 50;

/** 'unpaid' is not an order status: the orders with money owed (utils/order-view isUnpaid). */
export const ORDER_TABS: { text: string; status: OrderStatus | '' | 'unpaid' }[] = [
  { text: '全部', status: '' },
  { text: '待支付', status: 'unpaid' },
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
    /** Orders with money owed: the 待支付 badge. */
    unpaidCount: 0,
  },
  methods: {
    ...pagedList<{ countUnpaid(): Promise<void> }>('orders', (page) => page.countUnpaid(), 'customer-orders'),
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
    /**
     * GET /api/orders has no payment filter: 待支付 and its badge come from the latest UNPAID_SCAN
     * orders (money is owed on recent orders; older ones are paid or closed by the jobs).
     */
    async unpaidOrders() {
      const res = await listOrders({ as: 'customer', page: 1, limit: UNPAID_SCAN }, { silent: true });
      return res.data.filter(isUnpaid);
    },
    async countUnpaid(): Promise<void> {
      if (ORDER_TABS[this.data.tab].status === 'unpaid') return; // fetch() counts them
      this.setData({ unpaidCount: (await this.unpaidOrders()).length });
    },
    async fetch(page: number): Promise<void> {
      const status = ORDER_TABS[this.data.tab].status || undefined;
      if (status === 'unpaid') {
        const unpaid = await this.unpaidOrders();
        this.setData({ orders: unpaid.map(orderCard), page: 1, more: false, unpaidCount: unpaid.length });
        return;
      }
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
    onPay(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `/pages/user/payment/payment?orderId=${String(e.currentTarget.dataset.id)}` });
    },
    onReview(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `/pages/user/evaluate/evaluate?orderId=${String(e.currentTarget.dataset.id)}` });
    },
    async onContact(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const id = Number(e.currentTarget.dataset.id);
      const conversation = await orderConversation(id).catch(() => null);
      if (!conversation) {
        wx.showToast({ title: '电工接单后才能联系', icon: 'none' });
        return;
      }
      wx.navigateTo({ url: `/pages/common/chat/chat?conversationId=${conversation.id}&orderId=${id}` });
    },
    onNewOrder(): void {
      wx.navigateTo({ url: '/pages/user/order/order' });
    },
  },
});
