import type { Knex } from 'knex';
import type { SubscribeTemplateKey, SubscribeTemplates } from '../../config';
import type { Db } from '../../db';
import type { WechatClient } from '../../integrations/wechat/wechat';
import type { Clock } from '../../shared/clock';
import { notFound } from '../../shared/errors';
import type { EventBus } from '../../shared/events';
import type { Logger } from '../../shared/logger';
import { offsetOf, type Page } from '../../shared/pagination';
import type { ConversationReader } from '../chat';
import type { OrderReader } from '../orders';
import type { UserReader } from '../users';
import {
  NOTIFICATION_TYPES,
  type MessagesRepository,
  type NewNotification,
  type Notification,
  type NotificationType,
} from './messages.repository';
import { toNotificationView, type ListQuery, type NotificationView, type SubscriptionsBody } from './messages.schemas';
import { createSubscribeOutbox, type SubscribeDraft } from './subscribe-outbox';

/** A notification for one recipient, as the subscribers on the domain bus describe it. */
export interface NotificationDraft extends Omit<NewNotification, 'threadKey' | 'conversationId'> {
  subscribe?: Omit<SubscribeDraft, 'orderId'>;
}

/** Published after a notification is stored (or a coalesced one rewritten); realtime pushes it. */
export interface NotificationEvent {
  name: 'notification';
  userId: number;
  notification: NotificationView;
  unreadCount: number;
}

/** Notifications stored inside an event's transaction: pushed, and their subscribe messages sent, after its commit. */
export interface Written {
  stored: Notification[];
  queued: number[];
}

export interface MessagesDeps {
  db: Db;
  messages: MessagesRepository;
  chat: ConversationReader;
  orders: OrderReader;
  users: UserReader;
  wechat: WechatClient;
  templates: SubscribeTemplates;
  bus: EventBus<NotificationEvent>;
  clock: Clock;
  logger: Logger;
}

const threadOf = (conversationId: number, userId: number) => `chat:${conversationId}:${userId}`;

export function createMessagesService(d: MessagesDeps) {
  const { messages, clock } = d;
  const outbox = createSubscribeOutbox({
    messages,
    users: d.users,
    wechat: d.wechat,
    templates: d.templates,
    clock,
    logger: d.logger,
  });

  async function unreadCount(userId: number) {
    const counts = await messages.unreadByType(userId);
    const byType = Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, counts[t] ?? 0])) as Record<NotificationType, number>;
    return { total: Object.values(byType).reduce((a, b) => a + b, 0), byType };
  }

  async function subscriptions(userId: number) {
    const templates = Object.fromEntries(Object.entries(d.templates).map(([key, t]) => [key, t.templateId]));
    const grants = await messages.grants(userId);
    return {
      templates,
      grants: Object.fromEntries(Object.values(templates).map((id) => [id, grants[id] ?? 0])),
    };
  }

  async function push(id: number) {
    const n = (await messages.findById(id))!;
    await pushStored(n);
  }

  /** Pushes a notification as stored (from what was inserted: nothing is read back but the badge). */
  async function pushStored(n: Notification) {
    publish(n, (await unreadCount(n.userId)).total);
  }

  const publish = (n: Notification, unreadCount: number) =>
    d.bus.publish({ name: 'notification', userId: n.userId, notification: toNotificationView(n), unreadCount });

  /** The notification `insert` stored as `id` from `draft` at `now`. */
  const stored = (id: number, draft: NotificationDraft, now: Date): Notification => ({
    id,
    userId: draft.userId,
    type: draft.type,
    title: draft.title,
    content: draft.content,
    orderId: draft.orderId,
    conversationId: null,
    readAt: null,
    createdAt: now,
    updatedAt: now,
  });

  /**
   * Stores one draft (a repeated event finds its source key taken and stores nothing), with its
   * subscribe message in `trx` when it has one; adds to `written` what to push and send after.
   */
  async function storeIn(
    { subscribe, ...draft }: NotificationDraft,
    now: Date,
    written: Written,
    trx?: Knex.Transaction,
  ): Promise<void> {
    const id = await messages.insert(draft, now, trx);
    if (id === undefined) return;
    written.stored.push(stored(id, draft, now));
    if (!subscribe || !trx) return;
    const outboxId = await outbox.enqueue(draft.userId, { ...subscribe, orderId: draft.orderId }, draft.sourceKey, now, trx);
    if (outboxId !== undefined) written.queued.push(outboxId);
  }

  /**
   * After the commit of what was stored: the pushes, then the subscribe messages. The badges of all
   * the recipients are counted in one query (an event tells one or two parties, often more staff).
   */
  async function pushWritten(written: Written): Promise<void> {
    if (written.stored.length > 0) {
      const unread = await messages.unreadTotals(written.stored.map((n) => n.userId));
      for (const n of written.stored) publish(n, unread.get(n.userId)!);
    }
    await outbox.deliver(written.queued);
  }

  return {
    unreadCount,

    /**
     * Stores each draft once (a repeated event finds its source key taken and does nothing), with
     * its subscribe message in the same transaction; then pushes it and sends the subscribe
     * messages. Runs on the bus, after the request that caused the event has been answered.
     */
    async notify(drafts: NotificationDraft[]): Promise<void> {
      const written: Written = { stored: [], queued: [] };
      for (const draft of drafts) {
        const now = clock.now();
        // Without a subscribe message to queue with it, the notification is one insert of its own.
        if (draft.subscribe && d.templates[draft.subscribe.key])
          await d.db.transaction((trx) => storeIn(draft, now, written, trx));
        else await storeIn({ ...draft, subscribe: undefined }, now, written);
      }
      await pushWritten(written);
    },

    /**
     * Stores the drafts inside `trx`, the transaction of the event they tell of, each with its
     * subscribe message; returns what to push and send once it commits (`pushWritten`).
     */
    async notifyIn(drafts: NotificationDraft[], trx: Knex.Transaction): Promise<Written> {
      const written: Written = { stored: [], queued: [] };
      const now = clock.now();
      for (const draft of drafts) await storeIn(draft, now, written, trx);
      return written;
    },

    pushWritten,

    /** Whether subscribe messages of `key` are configured (else there is nothing to look up for them). */
    templated: (key: SubscribeTemplateKey): boolean => d.templates[key] !== undefined,

    /**
     * A subscribe message without a notification (a new order nearby is no news to keep): to each
     * of `userIds` who holds a grant of its template, once per `sourceKey`, through the outbox.
     */
    async subscribeOnly(userIds: number[], draft: SubscribeDraft, sourceKey: string): Promise<void> {
      const template = d.templates[draft.key];
      if (!template) return;
      const queued: number[] = [];
      for (const userId of await messages.grantHolders(userIds, template.templateId)) {
        const now = clock.now();
        const id = await d.db.transaction((trx) => outbox.enqueue(userId, draft, `${sourceKey}:${userId}`, now, trx));
        if (id !== undefined) queued.push(id);
      }
      await outbox.deliver(queued);
    },

    /**
     * A chat message reached `userId` while they were offline: one unread notification per
     * conversation, rewritten with the unread count as more messages arrive.
     */
    async chatMessage(userId: number, conversationId: number, messageId: number): Promise<void> {
      const conversation = await d.chat.findById(conversationId);
      if (!conversation) return;
      const lastRead = (await d.chat.participant(conversationId, userId))?.lastReadMessageId ?? null;
      const unread = await d.chat.unread(conversationId, userId, lastRead);
      if (unread === 0) return;
      const order = conversation.orderId === null ? undefined : await d.orders.findById(conversation.orderId);
      const text = order
        ? { title: '新消息', content: `工单 ${order.orderNo} 有 ${unread} 条未读消息` }
        : userId === conversation.customerId
          ? { title: '客服消息', content: `客服给你发来 ${unread} 条未读消息` }
          : { title: '客服会话新消息', content: `客户发来 ${unread} 条未读消息` };
      const threadKey = threadOf(conversationId, userId);
      const sourceKey = `chat:${messageId}:${userId}`;
      const now = clock.now();
      for (let tries = 0; tries < 2; tries++) {
        const id = await messages.insert(
          { userId, type: 'chat', ...text, orderId: conversation.orderId, conversationId, sourceKey, threadKey },
          now,
        );
        if (id !== undefined) return push(id);
        if (await messages.sourceTaken(sourceKey)) return;
        const updated = await messages.updateThread(threadKey, text, now);
        if (updated !== undefined) return push(updated);
        // The thread's notification was read between the two statements: start a new one.
      }
    },

    /** Reading a conversation reads its chat notification too. */
    async chatRead(userId: number, conversationId: number): Promise<void> {
      await messages.markRead(userId, clock.now(), { threadKey: threadOf(conversationId, userId) });
    },

    async list(userId: number, q: ListQuery): Promise<Page<NotificationView>> {
      const { items, total } = await messages.list(userId, { ...q, offset: offsetOf(q) });
      return { items: items.map(toNotificationView), total, page: q.page, limit: q.limit };
    },

    /** Only one's own: another user's notification is "not found" and stays unread. */
    async read(userId: number, id: number): Promise<NotificationView> {
      if (!(await messages.findOwn(id, userId))) throw notFound('消息不存在');
      await messages.markRead(userId, clock.now(), { id });
      return toNotificationView((await messages.findOwn(id, userId))!);
    },

    async readAll(userId: number): Promise<{ updated: number }> {
      return { updated: await messages.markRead(userId, clock.now()) };
    },

    /** Records the one-time grants of a wx.requestSubscribeMessage answer (templates the platform uses). */
    async subscribe(userId: number, body: SubscriptionsBody) {
      const configured = new Set(Object.values(d.templates).map((t) => t.templateId));
      const now = clock.now();
      for (const templateId of new Set(body.accepted))
        if (configured.has(templateId)) await messages.addGrant(userId, templateId, now);
      return subscriptions(userId);
    },

    subscriptions,

    /** The outbox job: sends due subscribe messages and retries failed ones. */
    deliverSubscribeMessages: () => outbox.deliver(),
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
