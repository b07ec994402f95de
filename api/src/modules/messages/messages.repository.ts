import type { Knex } from 'knex';
import { insertId, isUniqueViolation, type Db } from '../../db';
import { batched } from '../../shared/batched';
import { fromJson, toDate } from '../../shared/rows';

type Conn = Db | Knex.Transaction;
type Row = Record<string, unknown>;

export const NOTIFICATION_TYPES = ['system', 'order', 'chat', 'complaint'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface Notification {
  id: number;
  userId: number;
  type: NotificationType;
  title: string;
  content: string;
  orderId: number | null;
  conversationId: number | null;
  readAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewNotification {
  userId: number;
  type: NotificationType;
  title: string;
  content: string;
  orderId: number | null;
  conversationId?: number | null;
  /** (event, recipient): a second delivery of the same event finds it taken. */
  sourceKey: string;
  /** Set while unread for notifications that coalesce (one per chat conversation). */
  threadKey?: string | null;
}

export type OutboxStatus = 'pending' | 'sent' | 'dropped' | 'failed';

export interface OutboxRow {
  id: number;
  userId: number;
  templateKey: string;
  templateId: string;
  payload: { page?: string; data: Record<string, string> };
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
}

function mapNotification(r: Row): Notification {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    type: r.type as NotificationType,
    title: String(r.title),
    content: String(r.content),
    orderId: r.order_id === null ? null : Number(r.order_id),
    conversationId: r.conversation_id === null ? null : Number(r.conversation_id),
    readAt: toDate(r.read_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

function mapOutbox(r: Row): OutboxRow {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    templateKey: String(r.template_key),
    templateId: String(r.template_id),
    payload: fromJson(r.payload, { data: {} }),
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: toDate(r.next_attempt_at)!,
    lastError: (r.last_error as string | null) ?? null,
    sentAt: toDate(r.sent_at),
  };
}

export function createMessagesRepository(db: Db) {
  /**
   * The unread notifications of each of `userIds` (of the known types, as `unreadByType` counts them):
   * one query for all, shared by the badges of concurrent events (`batched`).
   */
  const unreadTotals = batched(async (userIds: number[]): Promise<Map<number, number>> => {
    const rows = (await db('notifications')
      .whereIn('user_id', userIds)
      .whereNull('read_at')
      .whereIn('type', [...NOTIFICATION_TYPES])
      .groupBy('user_id')
      .select('user_id')
      .count({ n: '*' })) as Row[];
    const totals = new Map(userIds.map((id) => [id, 0]));
    for (const r of rows) totals.set(Number(r.user_id), Number(r.n));
    return totals;
  });

  return {
    // --- notifications ---------------------------------------------------------------------------

    /** The new row's id, or undefined when its source key (or thread key) is already taken. */
    async insert(n: NewNotification, now: Date, trx: Conn = db): Promise<number | undefined> {
      try {
        return await insertId(trx, 'notifications', {
          user_id: n.userId,
          type: n.type,
          title: n.title,
          content: n.content,
          order_id: n.orderId,
          conversation_id: n.conversationId ?? null,
          source_key: n.sourceKey,
          thread_key: n.threadKey ?? null,
          read_at: null,
          created_at: now,
          updated_at: now,
        });
      } catch (err) {
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
    },

    async sourceTaken(sourceKey: string, trx: Conn = db): Promise<boolean> {
      return (await trx('notifications').where({ source_key: sourceKey }).first('id')) !== undefined;
    },

    /** Rewrites the unread notification of a thread; its id, or undefined when it was read meanwhile. */
    async updateThread(threadKey: string, patch: { title: string; content: string }, now: Date): Promise<number | undefined> {
      const row = (await db('notifications').where({ thread_key: threadKey }).whereNull('read_at').first('id')) as
        Row | undefined;
      if (!row) return undefined;
      const n = await db('notifications')
        .where({ id: row.id, thread_key: threadKey })
        .whereNull('read_at')
        .update({ ...patch, updated_at: now });
      return n === 1 ? Number(row.id) : undefined;
    },

    async findById(id: number, trx: Conn = db): Promise<Notification | undefined> {
      const r = (await trx('notifications').where({ id }).first()) as Row | undefined;
      return r && mapNotification(r);
    },

    async findOwn(id: number, userId: number): Promise<Notification | undefined> {
      const r = (await db('notifications').where({ id, user_id: userId }).first()) as Row | undefined;
      return r && mapNotification(r);
    },

    async list(
      userId: number,
      q: { type?: NotificationType; readStatus?: 'read' | 'unread'; offset: number; limit: number },
    ): Promise<{ items: Notification[]; total: number }> {
      const base = db('notifications').where({ user_id: userId });
      if (q.type) base.andWhere({ type: q.type });
      if (q.readStatus === 'read') base.whereNotNull('read_at');
      if (q.readStatus === 'unread') base.whereNull('read_at');
      const [rows, totalRow] = await Promise.all([
        base
          .clone()
          .orderBy([
            { column: 'updated_at', order: 'desc' },
            { column: 'id', order: 'desc' },
          ])
          .offset(q.offset)
          .limit(q.limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      return { items: (rows as Row[]).map(mapNotification), total: Number(totalRow?.n ?? 0) };
    },

    unreadTotals,

    async unreadByType(userId: number): Promise<Partial<Record<NotificationType, number>>> {
      const rows = (await db('notifications')
        .where({ user_id: userId })
        .whereNull('read_at')
        .groupBy('type')
        .select('type')
        .count({ n: '*' })) as Row[];
      return Object.fromEntries(rows.map((r) => [r.type as NotificationType, Number(r.n)]));
    },

    /**
     * Marks read; a read notification leaves its thread, so the next chat message starts a new one.
     * `updated_at` stays: it orders the list and moves only when a chat notification is rewritten.
     */
    async markRead(userId: number, now: Date, filter: { id?: number; threadKey?: string } = {}): Promise<number> {
      const q = db('notifications').where({ user_id: userId }).whereNull('read_at');
      if (filter.id !== undefined) q.andWhere({ id: filter.id });
      if (filter.threadKey !== undefined) q.andWhere({ thread_key: filter.threadKey });
      return q.update({ read_at: now, thread_key: null });
    },

    // --- subscribe grants --------------------------------------------------------------------------

    async addGrant(userId: number, templateId: string, now: Date): Promise<void> {
      await db('subscriptions')
        .insert({ user_id: userId, template_id: templateId, remaining: 1, created_at: now, updated_at: now })
        .onConflict(['user_id', 'template_id'])
        .merge({ remaining: db.raw('?? + 1', ['subscriptions.remaining']), updated_at: now });
    },

    async grants(userId: number, trx: Conn = db): Promise<Record<string, number>> {
      const rows = (await trx('subscriptions').where({ user_id: userId }).select('template_id', 'remaining')) as Row[];
      return Object.fromEntries(rows.map((r) => [String(r.template_id), Number(r.remaining)]));
    },

    /** Those of `userIds` who hold at least one grant of `templateId`. */
    async grantHolders(userIds: number[], templateId: string, trx: Conn = db): Promise<number[]> {
      if (userIds.length === 0) return [];
      const ids = await trx('subscriptions')
        .whereIn('user_id', userIds)
        .andWhere({ template_id: templateId })
        .andWhere('remaining', '>', 0)
        .pluck('user_id');
      return ids.map(Number);
    },

    /** Takes one grant; false when none is left. */
    async consumeGrant(userId: number, templateId: string, now: Date): Promise<boolean> {
      const n = await db('subscriptions')
        .where({ user_id: userId, template_id: templateId })
        .andWhere('remaining', '>', 0)
        .update({ remaining: db.raw('remaining - 1'), updated_at: now });
      return n === 1;
    },

    async returnGrant(userId: number, templateId: string, now: Date): Promise<void> {
      await db('subscriptions')
        .where({ user_id: userId, template_id: templateId })
        .update({ remaining: db.raw('remaining + 1'), updated_at: now });
    },

    async dropGrants(userId: number, templateId: string, now: Date): Promise<void> {
      await db('subscriptions').where({ user_id: userId, template_id: templateId }).update({ remaining: 0, updated_at: now });
    },

    // --- subscribe outbox --------------------------------------------------------------------------

    /** The new row's id, or undefined when this (event, recipient) was already enqueued. */
    async enqueue(
      m: { userId: number; templateKey: string; templateId: string; payload: OutboxRow['payload']; sourceKey: string },
      now: Date,
      trx: Conn,
    ): Promise<number | undefined> {
      try {
        return await insertId(trx, 'subscribe_outbox', {
          user_id: m.userId,
          template_key: m.templateKey,
          template_id: m.templateId,
          payload: JSON.stringify(m.payload),
          source_key: m.sourceKey,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          sent_at: null,
          created_at: now,
          updated_at: now,
        });
      } catch (err) {
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
    },

    async due(now: Date, limit: number, ids?: number[]): Promise<OutboxRow[]> {
      const q = db('subscribe_outbox').where({ status: 'pending' }).andWhere('next_attempt_at', '<=', now);
      if (ids) q.whereIn('id', ids);
      return ((await q.orderBy('id').limit(limit)) as Row[]).map(mapOutbox);
    },

    /**
     * Claims a due row for one attempt: the attempt is counted and the row's next attempt moved to
     * `retryAt` in one conditional update, so a second process (or a crash) cannot send it twice
     * before then.
     */
    async claim(row: OutboxRow, retryAt: Date, now: Date): Promise<boolean> {
      const n = await db('subscribe_outbox')
        .where({ id: row.id, status: 'pending', attempts: row.attempts })
        .andWhere('next_attempt_at', '<=', now)
        .update({ attempts: row.attempts + 1, next_attempt_at: retryAt, updated_at: now });
      return n === 1;
    },

    async settle(id: number, status: OutboxStatus, lastError: string | null, now: Date): Promise<void> {
      await db('subscribe_outbox')
        .where({ id })
        .update({
          status,
          last_error: lastError?.slice(0, 500) ?? null,
          sent_at: status === 'sent' ? now : null,
          updated_at: now,
        });
    },

    /** A deleted account's inbox, subscribe grants and unsent subscribe messages. */
    async eraseUser(userId: number, trx: Conn): Promise<void> {
      await trx('notifications').where({ user_id: userId }).delete();
      await trx('subscriptions').where({ user_id: userId }).delete();
      await trx('subscribe_outbox').where({ user_id: userId }).delete();
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
