import {
  listMessages,
  markRead,
  NOTIFICATION_TYPE_TEXT,
  readAll,
  unreadCount,
  type Notification,
  type NotificationType,
} from '../../../services/messages';
import { realtime } from '../../../services/realtime';
import { LOGIN_PAGE } from '../../../services/request';
import { session } from '../../../stores/session';
import { formatTime } from '../../../utils/format';
import { hasMore } from '../../../utils/order-view';
import { PAGED_DATA, pagedList } from '../../../utils/paged-list';

const PAGE_SIZE = 20;
const TYPES: (NotificationType | '')[] = ['', 'order', 'chat', 'complaint', 'system'];

interface Item {
  id: number;
  type: NotificationType;
  typeText: string;
  title: string;
  content: string;
  read: boolean;
  timeText: string;
  orderId: number | null;
  conversationId: number | null;
}

const toItem = (n: Notification): Item => ({
  id: n.id,
  type: n.type,
  typeText: NOTIFICATION_TYPE_TEXT[n.type] ?? n.type,
  title: n.title,
  content: n.content,
  read: n.read,
  timeText: formatTime(n.createdAt),
  orderId: n.orderId,
  conversationId: n.conversationId,
});

/** Where a notification leads: its conversation, else its order (as the reader's role sees orders). */
function targetOf(item: Item): string | null {
  if (item.conversationId) return `/pages/common/chat/chat?conversationId=${item.conversationId}`;
  if (item.orderId) {
    const electrician = session.getUser()?.userType === 'electrician' && item.type === 'order';
    return electrician
      ? `/pages/electrician/order-detail/order-detail?id=${item.orderId}`
      : `/pages/user/order-detail/order-detail?id=${item.orderId}`;
  }
  return null;
}

Component({
  data: {
    tabs: TYPES.map((type) => ({ type, text: type ? NOTIFICATION_TYPE_TEXT[type] : '全部', unread: 0 })),
    ...PAGED_DATA,
    items: [] as Item[],
    total: 0,
  },
  methods: {
    ...pagedList<{ loadUnread(): Promise<void> }>('items', (page) => page.loadUnread()),
    onLoad(): void {
      const self = this as unknown as { off?: () => void };
      // A live notification: count it, and show it at the top when it belongs to the open tab.
      self.off = realtime.on('notification', (push) => {
        const type = push.type as NotificationType;
        const current = this.data.tabs[this.data.tab].type;
        if (!current || current === type) {
          const item = toItem({
            id: push.id,
            type,
            title: push.title,
            content: push.content,
            orderId: (push.orderId as number | null | undefined) ?? null,
            conversationId: (push.conversationId as number | null | undefined) ?? null,
            read: false,
            readAt: null,
            createdAt: (push.createdAt as string | undefined) ?? new Date().toISOString(),
            updatedAt: (push.createdAt as string | undefined) ?? new Date().toISOString(),
          });
          if (!this.data.items.some((i) => i.id === item.id)) this.setData({ items: [item, ...this.data.items] });
        }
        void this.loadUnread();
      });
      realtime.connect();
    },
    onUnload(): void {
      (this as unknown as { off?: () => void }).off?.();
    },
    onShow(): void {
      if (!session.isLoggedIn()) {
        wx.navigateTo({ url: LOGIN_PAGE });
        return;
      }
      void this.reload();
    },
    async loadUnread(): Promise<void> {
      try {
        const count = await unreadCount({ silent: true });
        this.setData({
          tabs: this.data.tabs.map((t) => ({ ...t, unread: t.type ? (count.byType[t.type] ?? 0) : count.total })),
        });
      } catch {
        // Badges are hints: they keep their last value when the count cannot be read.
      }
    },
    async fetch(page: number): Promise<void> {
      const type = this.data.tabs[this.data.tab].type || undefined;
      const res = await listMessages({ type, page, limit: PAGE_SIZE });
      const items = res.data.map(toItem);
      this.setData({
        items: page === 1 ? items : [...this.data.items, ...items.filter((i) => !this.data.items.some((x) => x.id === i.id))],
        page,
        more: hasMore(res.pagination),
        total: res.pagination.total,
      });
    },
    async onOpen(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const index = Number(e.currentTarget.dataset.index);
      const item = this.data.items[index];
      if (!item) return;
      if (!item.read) {
        try {
          await markRead(item.id);
          this.setData({ [`items[${index}].read`]: true });
          void this.loadUnread();
        } catch {
          // request.ts has shown the error; the message stays unread.
        }
      }
      const url = targetOf(item);
      if (url) wx.navigateTo({ url });
    },
    async onReadAll(): Promise<void> {
      try {
        await readAll();
        this.setData({ items: this.data.items.map((i) => ({ ...i, read: true })) });
        await this.loadUnread();
        wx.showToast({ title: '已全部标为已读', icon: 'none' });
      } catch {
        // request.ts has shown the error.
      }
    },
    onCustomerService(): void {
      wx.navigateTo({ url: '/pages/common/customer-service/customer-service' });
    },
  },
});
