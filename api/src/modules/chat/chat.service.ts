import { isUniqueViolation, type Db } from '../../db';
import type { ChatMessage } from '../../realtime/events';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { AppError, forbidden, notFound, tooManyRequests } from '../../shared/errors';
import { memoryWindow, type SlidingWindow } from '../../shared/rate-limit';
import type { EventBus } from '../../shared/events';
import type { Logger } from '../../shared/logger';
import type { FilesService } from '../files/files.service';
import { STATUS_TEXT } from '../orders/order-states';
import type { ChatRepository, Conversation, Message, MessageType } from './chat.repository';

/** Published after a message or a read mark is stored; the realtime layer delivers them. */
export type ChatEvent =
  | { name: 'chat.message'; message: ChatMessage; recipients: number[]; toAdmins: boolean }
  | { name: 'chat.read'; conversationId: number; userId: number; upToMessageId: number; recipients: number[]; toAdmins: boolean };

export const MAX_TEXT_LENGTH = 1000;
/**
 * Messages a user may send per window, over REST and socket together: counted in this process, or
 * across every instance when a shared window (Redis) is given.
 */
export const DEFAULT_SEND_LIMIT = { limit: 20, windowMs: 10_000 };

export interface SendInput {
  conversationId?: number;
  orderId?: number;
  type: 'text' | 'image';
  content: string;
  clientId?: string;
}

export interface ChatDeps {
  db: Db;
  chat: ChatRepository;
  files: FilesService;
  bus: EventBus<ChatEvent>;
  clock: Clock;
  logger: Logger;
  sendLimit?: { limit: number; windowMs: number };
  /** Where sends are counted; by default this process's memory. */
  sendWindow?: SlidingWindow;
}

export function createChatService(d: ChatDeps) {
  const { chat, clock } = d;
  const sendLimit = d.sendLimit ?? DEFAULT_SEND_LIMIT;
  const sendWindow = d.sendWindow ?? memoryWindow();

  /** Records a send; when over the limit, returns the seconds until the oldest counted send leaves the window. */
  const waitBeforeSend = (userId: number): Promise<number> =>
    sendWindow.hit(String(userId), clock.now().getTime(), sendLimit.limit, sendLimit.windowMs);

  async function view(m: Message): Promise<ChatMessage> {
    const image = m.type === 'image' ? ((await d.files.refs([Number(m.content)]))[0] ?? null) : null;
    return {
      id: m.id,
      conversationId: m.conversationId,
      senderId: m.senderId,
      type: m.type,
      content: m.content,
      image: image ? { id: image.id, url: image.url } : null,
      clientId: m.clientId,
      createdAt: m.createdAt.toISOString(),
    };
  }

  /** Participants read and write; staff also serve every customer-service conversation. */
  async function access(p: Principal, conversationId: number): Promise<{ conversation: Conversation; lastRead: number | null }> {
    const conversation = await chat.findById(conversationId);
    if (!conversation) throw notFound('会话不存在');
    const me = await chat.participant(conversationId, p.id);
    if (me) return { conversation, lastRead: me.lastReadMessageId };
    if (conversation.kind === 'service' && p.userType === 'admin') {
      await chat.addParticipant(conversationId, p.id, 'admin', clock.now());
      return { conversation, lastRead: null };
    }
    throw forbidden('你不是该会话的成员');
  }

  async function deliver(m: Message, conversation: Conversation) {
    const message = await view(m);
    d.bus.publish({
      name: 'chat.message',
      message,
      recipients: await chat.participantIds(conversation.id),
      toAdmins: conversation.kind === 'service',
    });
    return message;
  }

  async function store(
    conversation: Conversation,
    m: { senderId: number | null; type: MessageType; content: string; clientId: string | null },
  ): Promise<{ message: Message; created: boolean }> {
    try {
      const id = await d.db.transaction(async (trx) => {
        const id = await chat.insertMessage({ conversationId: conversation.id, ...m }, clock.now(), trx);
        if (m.type === 'image' && m.senderId !== null)
          await d.files.attach(m.senderId, [Number(m.content)], 'chat', { type: 'chat_message', id }, trx, 'content');
        return id;
      });
      return { message: (await chat.findMessage(id))!, created: true };
    } catch (err) {
      // Two sends of the same clientId raced: the first one stored is the answer.
      if (m.clientId && m.senderId !== null && isUniqueViolation(err)) {
        const first = await chat.findByClientId(m.senderId, m.clientId);
        if (first) return { message: first, created: false };
      }
      throw err;
    }
  }

  /**
   * A system line in the order's conversation, if it has one; `key` (the order event) makes a
   * redelivered event add nothing.
   */
  async function systemMessage(orderId: number, content: string, key: string) {
    const conversation = await chat.findByOrder(orderId);
    if (!conversation || (await chat.findByClientId(null, key))) return;
    const { message } = await store(conversation, { senderId: null, type: 'system', content, clientId: key });
    await deliver(message, conversation);
  }

  return {
    view,

    /** Keeps order conversations and their system lines in step with the order's life. */
    subscribe(bus: DomainBus): () => void {
      return bus.subscribe('*', async (e) => {
        if (!('action' in e) || e.name === 'order.created') return;
        await systemMessage(e.orderId, `工单状态更新：${STATUS_TEXT[e.to]}`, `order-event:${e.eventId}`);
      });
    },

    async customerService(p: Principal) {
      const now = clock.now();
      let conversation = await chat.findService(p.id);
      if (!conversation) {
        const id = await chat.insert({ kind: 'service', orderId: null, customerId: p.id }, now);
        await chat.addParticipant(id, p.id, 'customer', now);
        conversation = (await chat.findById(id))!;
        // Two first calls raced: keep the oldest, so a customer has exactly one.
        const oldest = (await chat.findService(p.id))!;
        if (oldest.id !== id) {
          await d.db('conversation_participants').where({ conversation_id: id }).delete();
          await d.db('conversations').where({ id }).delete();
          conversation = oldest;
        }
      }
      return conversationView(p, conversation, (await chat.participant(conversation.id, p.id))?.lastReadMessageId ?? null);
    },

    async list(p: Principal, q: { page: number; limit: number }) {
      const { items, total } = await chat.listFor(p.id, p.userType === 'admin', (q.page - 1) * q.limit, q.limit);
      const views = await Promise.all(
        items.map(async (c) => conversationView(p, c, (await chat.participant(c.id, p.id))?.lastReadMessageId ?? null)),
      );
      return { items: views, total, page: q.page, limit: q.limit };
    },

    async history(p: Principal, conversationId: number, q: { before?: number; limit: number }) {
      await access(p, conversationId);
      const rows = await chat.page(conversationId, q.before, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: await Promise.all(page.map(view)),
        nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
      };
    },

    async send(p: Principal, input: SendInput): Promise<ChatMessage> {
      let conversationId = input.conversationId;
      if (conversationId === undefined) {
        if (input.orderId === undefined) throw new AppError('VALIDATION_FAILED', 400, '需要 conversationId 或 orderId');
        const byOrder = await chat.findByOrder(input.orderId);
        if (!byOrder) throw notFound('该工单还没有会话');
        conversationId = byOrder.id;
      }
      const { conversation } = await access(p, conversationId);
      if (input.clientId) {
        const first = await chat.findByClientId(p.id, input.clientId);
        if (first) return view(first);
      }
      const wait = await waitBeforeSend(p.id);
      if (wait > 0) throw tooManyRequests('发送过于频繁，请稍后再试', wait);
      const { message, created } = await store(conversation, {
        senderId: p.id,
        type: input.type,
        content: input.content,
        clientId: input.clientId ?? null,
      });
      return created ? deliver(message, conversation) : view(message);
    },

    async read(p: Principal, conversationId: number, upToMessageId: number) {
      const { conversation } = await access(p, conversationId);
      const m = await chat.findMessage(upToMessageId);
      if (!m || m.conversationId !== conversationId) throw notFound('消息不存在');
      if (await chat.markRead(conversationId, p.id, upToMessageId)) {
        const others = (await chat.participantIds(conversationId)).filter((id) => id !== p.id);
        d.bus.publish({
          name: 'chat.read',
          conversationId,
          userId: p.id,
          upToMessageId,
          recipients: others,
          toAdmins: conversation.kind === 'service' && p.userType !== 'admin',
        });
      }
      return { conversationId, userId: p.id, upToMessageId };
    },

    /** Who else should see my typing indicator (throws for non-participants). */
    async typingRecipients(p: Principal, conversationId: number) {
      const { conversation } = await access(p, conversationId);
      return {
        recipients: (await chat.participantIds(conversationId)).filter((id) => id !== p.id),
        toAdmins: conversation.kind === 'service' && p.userType !== 'admin',
      };
    },
  };

  async function conversationView(p: Principal, c: Conversation, lastRead: number | null) {
    const last = await chat.lastMessage(c.id);
    return {
      id: c.id,
      kind: c.kind,
      orderId: c.orderId,
      customerId: c.customerId,
      createdAt: c.createdAt.toISOString(),
      lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
      lastMessage: last ? await view(last) : null,
      unreadCount: await chat.unread(c.id, p.id, lastRead),
    };
  }
}

export type ChatService = ReturnType<typeof createChatService>;
