import { unreadCount } from '../services/messages';
import { session } from '../stores/session';

export interface TabItem {
  text: string;
  /** Absolute page path, without the query. */
  url: string;
  /** Listed in app.json tabBar.list (switchTab); the others are subpackage pages opened with reLaunch. */
  tab: boolean;
  messages?: boolean;
}

const MESSAGES: TabItem = { text: '消息', url: '/pages/common/messages/messages', tab: true, messages: true };

export const TABS: Record<'customer' | 'electrician', TabItem[]> = {
  customer: [
    { text: '首页', url: '/pages/index/index', tab: true },
    { text: '订单', url: '/pages/user/orders/orders', tab: false },
    MESSAGES,
    { text: '我的', url: '/pages/user/profile/profile', tab: false },
  ],
  electrician: [
    { text: '接单大厅', url: '/pages/electrician/hall/hall', tab: false },
    { text: '我的订单', url: '/pages/electrician/orders/orders', tab: false },
    MESSAGES,
    { text: '我的', url: '/pages/electrician/profile/profile', tab: false },
  ],
};

function currentRoute(): string {
  if (typeof getCurrentPages !== 'function') return '';
  const pages = getCurrentPages();
  const top = pages[pages.length - 1];
  return top ? `/${top.route}` : '';
}

/**
 * The custom tab bar (app.json tabBar.custom): its items follow the signed-in user's role. WeChat
 * shows it on the tab pages; the role's subpackage root pages include it as <tab-bar />.
 */
Component({
  data: {
    items: TABS.customer,
    selected: -1,
    unread: 0,
  },
  lifetimes: {
    attached(): void {
      this.refresh();
    },
  },
  pageLifetimes: {
    show(): void {
      this.refresh();
    },
  },
  methods: {
    refresh(): void {
      const role = session.getUser()?.userType === 'electrician' ? 'electrician' : 'customer';
      const items = TABS[role];
      const route = currentRoute();
      this.setData({ items, selected: items.findIndex((i) => i.url === route) });
      void this.loadUnread();
    },
    async loadUnread(): Promise<void> {
      if (!session.isLoggedIn()) {
        this.setData({ unread: 0 });
        return;
      }
      try {
        const { total } = await unreadCount({ silent: true });
        this.setData({ unread: total });
      } catch {
        // The badge is a hint: it stays as it was when the count cannot be read.
      }
    },
    onSwitch(e: WechatMiniprogram.BaseEvent): void {
      const index = Number(e.currentTarget.dataset.index);
      const item = this.data.items[index];
      if (!item || index === this.data.selected) return;
      if (item.tab) wx.switchTab({ url: item.url });
      else wx.reLaunch({ url: item.url });
    },
  },
});
