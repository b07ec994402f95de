import { query, request, requestPage, type PageResult } from './request';

export type NotificationType = 'system' | 'order' | 'chat' | 'complaint';

export const NOTIFICATION_TYPE_TEXT: Record<NotificationType, string> = {
  order: '订单',
  chat: '聊天',
  complaint: '售后',
  system: '系统',
};

export interface Notification {
  id: number;
  type: NotificationType;
  title: string;
  content: string;
  orderId: number | null;
  conversationId: number | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UnreadCount {
  total: number;
  byType: Record<NotificationType, number>;
}

export function listMessages(
  q: { type?: NotificationType; readStatus?: 'read' | 'unread'; page?: number; limit?: number } = {},
): Promise<PageResult<Notification>> {
  return requestPage<Notification>({ url: `/api/messages${query(q)}` });
}

export function unreadCount(opts: { silent?: boolean } = {}): Promise<UnreadCount> {
  return request<UnreadCount>({ url: '/api/messages/unread-count', silent: opts.silent });
}

export function markRead(id: number): Promise<Notification> {
  return request<Notification>({ url: `/api/messages/${id}/read`, method: 'POST', data: {} });
}

export function readAll(): Promise<{ updated: number }> {
  return request<{ updated: number }>({ url: '/api/messages/read-all', method: 'POST', data: {} });
}

/** Records the outcome of wx.requestSubscribeMessage. */
export function saveSubscriptions(templateIds: string[], accepted: string[], opts: { silent?: boolean } = {}): Promise<unknown> {
  return request<unknown>({
    url: '/api/messages/subscriptions',
    method: 'POST',
    data: { templateIds, accepted },
    silent: opts.silent,
  });
}

/**
 * Asks for the one-time subscribe-message grants of `templateIds` (WeChat wants this inside a tap
 * handler) and records the answer; resolves with the accepted ids, or null when nothing was asked
 * (no templates configured) or WeChat refused to ask.
 */
export function requestSubscriptions(templateIds: string[]): Promise<string[] | null> {
  if (templateIds.length === 0) return Promise.resolve(null);
  return new Promise<string[] | null>((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: templateIds,
      success: (res) => {
        const answers = res as unknown as Record<string, string>;
        resolve(templateIds.filter((id) => answers[id] === 'accept'));
      },
      fail: () => resolve(null),
    });
  }).then(async (accepted) => {
    if (accepted === null) return null;
    try {
      await saveSubscriptions(templateIds, accepted, { silent: true });
    } catch {
      // The grants stay with WeChat; the API only loses the chance to use them this time.
    }
    return accepted;
  });
}
