import { LOGIN_PAGE } from '../../services/request';
import { orderConversation } from '../../services/chat';
import { listOrders } from '../../services/orders';
import { session } from '../../stores/session';
import type { OrderStatus } from '../../utils/format';
import { hasMore, orderCard, type OrderCard } from '../../utils/order-view';
import { PAGED_DATA, pagedList } from '../../utils/paged-list';

const PAGE_SIZE = 10;

/** 'unpaid' is not an order status: the orders with money owed (GET /api/orders?owed=true). */
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
    /** The 待支付 badge: how many orders have money owed (`owed=true`). */
    async countUnpaid(): Promise<void> {
      if (ORDER_TABS[this.data.tab].status === 'unpaid') return; // fetch() counts them
      const res = await listOrders({ as: 'customer', owed: true, page: 1, limit: 1 }, { silent: true });
      this.setData({ unpaidCount: res.pagination.total });
    },
    async fetch(page: number): Promise<void> {
      const status = ORDER_TABS[this.data.tab].status || undefined;
      const res =
        status === 'unpaid'
          ? await listOrders({ as: 'customer', owed: true, page, limit: PAGE_SIZE })
          : await listOrders({ as: 'customer', status, page, limit: PAGE_SIZE });
      const cards = res.data.map(orderCard);
      this.setData({
        orders: page === 1 ? cards : [...this.data.orders, ...cards],
        page,
        more: hasMore(res.pagination),
        ...(status === 'unpaid' ? { unpaidCount: res.pagination.total } : {}),
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
