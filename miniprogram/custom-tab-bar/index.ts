import { unreadCount } from '../services/messages';
import { session } from '../stores/session';
import { currentRole, TAB_PAGES, type Role } from '../utils/landing';

export interface TabItem {
  text: string;
  /** Absolute path of a tab page (app.json tabBar.list), opened with wx.switchTab. */
  url: string;
  messages?: boolean;
}

const MESSAGES: TabItem = { text: '消息', url: TAB_PAGES.messages, messages: true };

/** Each role's tab set; 订单 and 我的 are one tab page each that shows the role's own content. */
export const TABS: Record<Role, TabItem[]> = {
  customer: [
    { text: '首页', url: TAB_PAGES.home },
    { text: '订单', url: TAB_PAGES.orders },
    MESSAGES,
    { text: '我的', url: TAB_PAGES.me },
  ],
  electrician: [
    { text: '接单大厅', url: TAB_PAGES.hall },
    { text: '我的订单', url: TAB_PAGES.orders },
    MESSAGES,
    { text: '我的', url: TAB_PAGES.me },
  ],
};

function currentRoute(): string {
  if (typeof getCurrentPages !== 'function') return '';
  const pages = getCurrentPages();
  const top = pages[pages.length - 1];
  return top ? `/${top.route}` : '';
}

/**
 * The custom tab bar (app.json tabBar.custom): WeChat shows one on each tab page; its items follow
 * the signed-in user's role, and every item is a tab page, so switching keeps the pages alive.
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
      const items = TABS[currentRole()];
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
      wx.switchTab({ url: item.url });
    },
  },
});
