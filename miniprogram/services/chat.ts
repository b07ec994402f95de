import { query, request, requestCursor, requestPage, type PageResult } from './request';

export interface ChatMessage {
  id: number;
  conversationId: number;
  senderId: number | null;
  type: 'text' | 'image' | 'system' | 'order-card';
  content: string;
  /** Image messages: the signed, expiring URL of the upload named by `content`. */
  image: { id: number; url: string } | null;
  clientId: string | null;
  createdAt: string;
}

export interface Conversation {
  id: number;
  kind: 'order' | 'service';
  orderId: number | null;
  customerId: number;
  createdAt: string;
  lastMessageAt: string | null;
  lastMessage: ChatMessage | null;
  unreadCount: number;
}

export function conversations(q: { page?: number; limit?: number } = {}): Promise<PageResult<Conversation>> {
  return requestPage<Conversation>({ url: `/api/chat/conversations${query(q)}` });
}

/** My customer-service conversation (created on the first call). */
export function customerService(): Promise<Conversation> {
  return request<Conversation>({ url: '/api/chat/customer-service', method: 'POST', data: {} });
}

/** Newest first; pass `nextCursor` back as `before` for older messages. */
export function history(conversationId: number, q: { before?: number; limit?: number } = {}) {
  return requestCursor<ChatMessage>({ url: `/api/chat/conversations/${conversationId}/messages${query(q)}` });
}

export function sendMessage(
  conversationId: number,
  body: { type: 'text' | 'image'; content: string; clientId?: string },
): Promise<ChatMessage> {
  return request<ChatMessage>({ url: `/api/chat/conversations/${conversationId}/messages`, method: 'POST', data: { ...body } });
}

export function markConversationRead(conversationId: number, upToMessageId: number) {
  return request<{ conversationId: number; userId: number; upToMessageId: number }>({
    url: `/api/chat/conversations/${conversationId}/read`,
    method: 'POST',
    data: { upToMessageId },
    silent: true,
  });
}

/** The order's conversation (it opens when an electrician accepts); null when there is none yet. */
export async function orderConversation(orderId: number): Promise<Conversation | null> {
  const limit = 100;
  for (let page = 1; ; page += 1) {
    const { data, pagination } = await conversations({ page, limit });
    const found = data.find((c) => c.kind === 'order' && c.orderId === orderId);
    if (found) return found;
    if (page * limit >= pagination.total || data.length === 0) return null;
  }
}
