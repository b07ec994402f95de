import { isUniqueViolation, type Db } from '../../db';
import type { ChatMessage } from '../../realtime/events';
import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { AppError, conflict, forbidden, notFound, tooManyRequests } from '../../shared/errors';
import type { Knex } from 'knex';
import type { DurableBus } from '../../shared/event-outbox';
import { can } from '../../shared/permissions';
import { memoryWindow, type SlidingWindow } from '../../shared/rate-limit';
import type { Logger } from '../../shared/logger';
import type { FilesService } from '../files';
import { STATUS_TEXT, type OrderStatus } from '../orders';
import type { UserProfiles } from '../users';
import type {
  ChatRepository,
  Conversation,
  ConversationKind,
  Message,
  MessageMeta,
  MessageType,
  OrderConversation,
  ParticipantRole,
  SenderRole,
  ServiceStatus,
} from './chat.repository';

/**
 * A message as clients get it: the realtime contract's fields, plus who wrote it as what and what
 * a bot answer or system line refers to (SPEC 3.11).
 */
export type ChatMessageView = ChatMessage & { senderRole: SenderRole; meta: MessageMeta | null };

export interface ChatParticipant {
  userId: number;
  role: ParticipantRole;
}

/**
 * Staged in the transaction that stores a message or moves a read mark (event-outbox.ts), so its
 * after-commit work — pushes, offline notifications, unread counts — is redone after a crash. The
 * participants are as of that transaction; staff among them (`admin`) are re-checked against
 * their current role when delivered.
 */
export type ChatEvent =
  | { name: 'chat.message'; message: Message; kind: ConversationKind; participants: ChatParticipant[] }
  | {
      name: 'chat.read';
      conversationId: number;
      kind: ConversationKind;
      userId: number;
      upToMessageId: number;
      participants: ChatParticipant[];
    };

/** Staff (user type admin) act in chat only through chat.service, and only in customer-service conversations. */
export const isStaff = (p: Pick<Principal, 'userType'>) => p.userType === 'admin';
export const servesChat = (p: Pick<Principal, 'userType' | 'staffRole'>) => isStaff(p) && can(p.staffRole, 'chat.service');
const noChatService = () => forbidden('没有客服会话权限');

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
  /** Domain events (the hand-off to agents), staged with what they announce. */
  events: DomainBus;
  chat: ChatRepository;
  /** Names the agent who picked up a customer-service conversation. */
  users: Pick<UserProfiles, 'profiles'>;
  files: FilesService;
  bus: DurableBus<ChatEvent>;
  clock: Clock;
  logger: Logger;
  sendLimit?: { limit: number; windowMs: number };
  /** Where sends are counted; by default this process's memory. */
  sendWindow?: SlidingWindow;
}

/** An order's status line and its key (the order event: a line is written once per event). */
const statusText = (to: OrderStatus) => `工单状态更新：${STATUS_TEXT[to]}`;
const statusKey = (eventId: number) => `order-event:${eventId}`;

export function createChatService(d: ChatDeps) {
  const { chat, clock } = d;
  const sendLimit = d.sendLimit ?? DEFAULT_SEND_LIMIT;
  const sendWindow = d.sendWindow ?? memoryWindow();

  /** Records a send; when over the limit, returns the seconds until the oldest counted send leaves the window. */
  const waitBeforeSend = (userId: number): Promise<number> =>
    sendWindow.hit(String(userId), clock.now().getTime(), sendLimit.limit, sendLimit.windowMs);

  async function view(m: Message): Promise<ChatMessageView> {
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
      senderRole: m.senderRole,
      meta: m.meta,
    };
  }

  /**
   * Customers and electricians read and write their own conversations. Staff serve every
   * customer-service conversation (joining it on first use) when their role, as the database says
   * now, grants chat.service; without it they are refused before anything is looked up.
   */
  async function access(
    p: Principal,
    conversationId: number,
  ): Promise<{ conversation: Conversation; lastRead: number | null; role: ParticipantRole }> {
    if (isStaff(p) && !servesChat(p)) throw noChatService();
    const conversation = await chat.findById(conversationId);
    if (!conversation) throw notFound('会话不存在');
    const me = await chat.participant(conversationId, p.id);
    if (isStaff(p)) {
      if (conversation.kind !== 'service') throw forbidden('你不是该会话的成员');
      if (!me) await chat.addParticipant(conversationId, p.id, 'admin', clock.now());
      return { conversation, lastRead: me?.lastReadMessageId ?? null, role: 'admin' };
    }
    if (me) return { conversation, lastRead: me.lastReadMessageId, role: me.role };
    throw forbidden('你不是该会话的成员');
  }

  async function store(
    conversation: Conversation,
    m: {
      senderId: number | null;
      senderRole: SenderRole;
      type: MessageType;
      content: string;
      clientId: string | null;
      meta?: MessageMeta | null;
    },
  ): Promise<Message> {
    try {
      return await d.db.transaction(async (trx) => {
        const id = await chat.insertMessage({ conversationId: conversation.id, ...m }, clock.now(), trx);
        if (m.type === 'image' && m.senderId !== null)
          await d.files.attach(m.senderId, [Number(m.content)], 'chat', { type: 'chat_message', id }, trx, 'content');
        const message = (await chat.findMessage(id, trx))!;
        // Delivered after the commit, and again after a crash (see ChatEvent).
        await d.bus.stage(trx, {
          name: 'chat.message',
          message,
          kind: conversation.kind,
          participants: await chat.participants(conversation.id, trx),
        });
        return message;
      });
    } catch (err) {
      // Two sends of the same clientId raced: the first one stored is the answer.
      if (m.clientId && m.senderId !== null && isUniqueViolation(err)) {
        const first = await chat.findByClientId(m.senderId, m.clientId);
        if (first) return first;
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
    await store(conversation, { senderId: null, senderRole: 'system', type: 'system', content, clientId: key });
  }

  /**
   * The order's status line, written inside the transaction of the order's own transition (the
   * orders module calls this through its port): stored and staged for delivery with the transition,
   * so it commits with it or not at all, and a transition that commits always has its line. One
   * read (the conversation and who is in it), two writes and the staged delivery; the message is
   * built from what was inserted. Nothing for an order without a conversation (never accepted).
   */
  async function statusLineIn(
    e: { orderId: number; to: OrderStatus; eventId: number },
    now: Date,
    trx: Knex.Transaction,
    /** The conversation as `openForOrder` just opened it in this transaction. */
    opened?: OrderConversation,
  ): Promise<void> {
    const found = opened ?? (await chat.orderConversationIn(e.orderId, trx));
    if (!found) return;
    const content = statusText(e.to);
    const key = statusKey(e.eventId);
    const m = { conversationId: found.conversation.id, senderId: null, senderRole: 'system' as const, type: 'system' as const };
    const id = await chat.insertMessage({ ...m, content, clientId: key }, now, trx, found.opened);
    await d.bus.stage(trx, {
      name: 'chat.message',
      message: { id, ...m, content, clientId: key, createdAt: now, meta: null },
      kind: found.conversation.kind,
      participants: found.participants,
    });
  }

  /** The caller's customer-service conversation, created on first use. */
  async function openService(p: Principal): Promise<Conversation> {
    const now = clock.now();
    let conversation = await chat.findService(p.id);
    if (!conversation) {
      const id = await chat.insert({ kind: 'service', orderId: null, customerId: p.id }, now);
      await chat.addParticipant(id, p.id, 'customer', now);
      conversation = (await chat.findById(id))!;
      // Two first calls raced: keep the oldest, so a customer has exactly one.
      const oldest = (await chat.findService(p.id))!;
      if (oldest.id !== id) {
        await chat.deleteConversation(id);
        conversation = oldest;
      }
    }
    return conversation;
  }

  return {
    view,

    statusLineIn,

    /**
     * Order events staged before transitions wrote their status line themselves (an outbox row
     * from an older version, redelivered) get it here, once.
     */
    subscribe(bus: DomainBus): () => void {
      return bus.subscribe('*', async (e) => {
        if (!('action' in e) || e.name === 'order.created' || e.statusLine) return;
        await systemMessage(e.orderId, statusText(e.to), statusKey(e.eventId));
      });
    },

    async customerService(p: Principal) {
      const conversation = await openService(p);
      return conversationView(p, conversation, (await chat.participant(conversation.id, p.id))?.lastReadMessageId ?? null);
    },

    async list(p: Principal, q: { page: number; limit: number; status?: ServiceStatus }) {
      if (isStaff(p) && !servesChat(p)) throw noChatService();
      const { items, total } = await chat.listFor(p.id, isStaff(p), (q.page - 1) * q.limit, q.limit, q.status);
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

    async send(p: Principal, input: SendInput): Promise<ChatMessageView> {
      let conversationId = input.conversationId;
      if (conversationId === undefined) {
        if (input.orderId === undefined) throw new AppError('VALIDATION_FAILED', 400, '需要 conversationId 或 orderId');
        const byOrder = await chat.findByOrder(input.orderId);
        if (!byOrder) throw notFound('该工单还没有会话');
        conversationId = byOrder.id;
      }
      const { conversation, role } = await access(p, conversationId);
      if (input.clientId) {
        const first = await chat.findByClientId(p.id, input.clientId);
        if (first) return view(first);
      }
      const wait = await waitBeforeSend(p.id);
      if (wait > 0) throw tooManyRequests('发送过于频繁，请稍后再试', wait);
      const message = await store(conversation, {
        senderId: p.id,
        senderRole: role,
        type: input.type,
        content: input.content,
        clientId: input.clientId ?? null,
      });
      // An agent's first reply picks up a customer-service conversation nobody has.
      if (role === 'admin' && conversation.assigneeId === null) await chat.assign(conversation.id, p.id, clock.now());
      return view(message);
    },

    /**
     * The caller's own customer-service conversation (created once), for the knowledge-base bot and
     * the hand-off to agents, which work in it on the customer's behalf.
     */
    serviceConversation: openService,

    /** A bot answer or a system line in a conversation (no sender), delivered like any message. */
    async post(
      conversationId: number,
      m: { senderRole: 'bot' | 'system'; content: string; meta?: MessageMeta | null },
    ): Promise<ChatMessageView> {
      const conversation = await chat.findById(conversationId);
      if (!conversation) throw notFound('会话不存在');
      const type = m.senderRole === 'bot' ? 'text' : 'system';
      return view(await store(conversation, { senderId: null, type, clientId: null, ...m, meta: m.meta ?? null }));
    },

    /**
     * The caller's customer-service conversation waits for an agent: in one transaction the status
     * moves from `bot`, a system line says so and `customer_service.escalated` is staged (agents are
     * notified from it). False when it already waited or an agent had it: nothing is written.
     */
    async escalate(p: Principal, reason: string | null): Promise<{ conversation: Conversation; escalated: boolean }> {
      const conversation = await openService(p);
      const now = clock.now();
      const content = reason
        ? `已为您转接人工客服（${reason}），请稍候，客服会尽快回复。`
        : '已为您转接人工客服，请稍候，客服会尽快回复。';
      const escalated = await d.db.transaction(async (trx) => {
        if (!(await chat.escalate(conversation.id, now, trx))) return false;
        const id = await chat.insertMessage(
          { conversationId: conversation.id, senderId: null, senderRole: 'system', type: 'system', content, clientId: null },
          now,
          trx,
        );
        const message = (await chat.findMessage(id, trx))!;
        await d.bus.stage(trx, {
          name: 'chat.message',
          message,
          kind: 'service',
          participants: await chat.participants(conversation.id, trx),
        });
        await d.events.stage(trx, {
          name: 'customer_service.escalated',
          conversationId: conversation.id,
          customerId: p.id,
          messageId: id,
          reason,
          at: now,
        });
        return true;
      });
      return { conversation: (await chat.findById(conversation.id))!, escalated };
    },

    /**
     * An agent (chat.service) picks up a customer-service conversation; a colleague who has it
     * already keeps it (409 CONVERSATION_TAKEN). Picking up one's own again changes nothing.
     */
    async claim(p: Principal, conversationId: number) {
      const { conversation, lastRead } = await access(p, conversationId);
      if (conversation.assigneeId !== p.id && !(await chat.assign(conversationId, p.id, clock.now())))
        throw conflict('CONVERSATION_TAKEN', '该会话已由其他客服接待');
      return conversationView(p, (await chat.findById(conversationId))!, lastRead);
    },

    /**
     * An agent ends the human service (结束人工服务): the conversation goes back to the bot, a system
     * line says so, and a later request for a person notifies every agent again. Ending one that
     * the bot already has changes nothing.
     */
    async release(p: Principal, conversationId: number) {
      const { conversation, lastRead } = await access(p, conversationId);
      if (await chat.release(conversationId))
        await store(conversation, {
          senderId: null,
          senderRole: 'system',
          type: 'system',
          content: '本次人工服务已结束，如还有问题可以继续提问或再次转人工。',
          clientId: null,
        });
      return conversationView(p, (await chat.findById(conversationId))!, lastRead);
    },

    /** A conversation as its participant sees it (status, agent, last message, unread count). */
    async viewFor(p: Principal, conversationId: number) {
      const conversation = (await chat.findById(conversationId))!;
      return conversationView(p, conversation, (await chat.participant(conversationId, p.id))?.lastReadMessageId ?? null);
    },

    async read(p: Principal, conversationId: number, upToMessageId: number) {
      const { conversation } = await access(p, conversationId);
      const m = await chat.findMessage(upToMessageId);
      if (!m || m.conversationId !== conversationId) throw notFound('消息不存在');
      await d.db.transaction(async (trx: Knex.Transaction) => {
        if (!(await chat.markRead(conversationId, p.id, upToMessageId, trx))) return;
        await d.bus.stage(trx, {
          name: 'chat.read',
          conversationId,
          kind: conversation.kind,
          userId: p.id,
          upToMessageId,
          participants: await chat.participants(conversationId, trx),
        });
      });
      return { conversationId, userId: p.id, upToMessageId };
    },

    /** Who is in a conversation, for my typing indicator (refused as for a message). */
    async typingAudience(p: Principal, conversationId: number) {
      const { conversation } = await access(p, conversationId);
      return { kind: conversation.kind, participants: await chat.participants(conversationId) };
    },
  };

  async function conversationView(p: Principal, c: Conversation, lastRead: number | null) {
    const last = await chat.lastMessage(c.id);
    const assignee = c.assigneeId === null ? undefined : (await d.users.profiles([c.assigneeId])).get(c.assigneeId);
    return {
      id: c.id,
      kind: c.kind,
      orderId: c.orderId,
      customerId: c.customerId,
      createdAt: c.createdAt.toISOString(),
      lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
      lastMessage: last ? await view(last) : null,
      unreadCount: await chat.unread(c.id, p.id, lastRead),
      status: c.status,
      assigneeId: c.assigneeId,
      assigneeName: assignee ? (assignee.name ?? assignee.nickname ?? assignee.username ?? '客服') : null,
      escalatedAt: c.escalatedAt?.toISOString() ?? null,
      assignedAt: c.assignedAt?.toISOString() ?? null,
    };
  }
}

export type ChatService = ReturnType<typeof createChatService>;
