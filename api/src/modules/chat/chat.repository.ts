import type { Knex } from 'knex';
import { insertId, insertIdUnlessConflict, type Db } from '../../db';
import { fromJson, toDate } from '../../shared/rows';

export type ConversationKind = 'order' | 'service';
export type ParticipantRole = 'customer' | 'electrician' | 'admin';
export type MessageType = 'text' | 'image' | 'system' | 'order-card';
/** Who wrote a message as what: a participant's role, the knowledge-base bot, or the platform. */
export type SenderRole = ParticipantRole | 'bot' | 'system';
/** A customer-service conversation's hand-off state (order conversations have none). */
export type ServiceStatus = 'bot' | 'waiting_agent' | 'with_agent';

/** What a bot answer or a system line refers to: the articles it quoted, whether it suggests a person, a complaint. */
export interface MessageMeta {
  faqIds?: number[];
  suggestHuman?: boolean;
  complaintId?: number;
}

export interface Conversation {
  id: number;
  kind: ConversationKind;
  orderId: number | null;
  customerId: number;
  createdAt: Date;
  lastMessageAt: Date | null;
  status: ServiceStatus | null;
  assigneeId: number | null;
  escalatedAt: Date | null;
  assignedAt: Date | null;
}

export interface Participant {
  conversationId: number;
  userId: number;
  role: ParticipantRole;
  lastReadMessageId: number | null;
}

export interface Message {
  id: number;
  conversationId: number;
  senderId: number | null;
  type: MessageType;
  content: string;
  clientId: string | null;
  createdAt: Date;
  senderRole: SenderRole;
  meta: MessageMeta | null;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const mapConversation = (r: Row): Conversation => ({
  id: Number(r.id),
  kind: r.kind as ConversationKind,
  orderId: num(r.order_id),
  customerId: Number(r.customer_id),
  createdAt: toDate(r.created_at)!,
  lastMessageAt: toDate(r.last_message_at),
  status: (r.status as ServiceStatus | null) ?? null,
  assigneeId: num(r.assignee_id),
  escalatedAt: toDate(r.escalated_at),
  assignedAt: toDate(r.assigned_at),
});

const mapParticipant = (r: Row): Participant => ({
  conversationId: Number(r.conversation_id),
  userId: Number(r.user_id),
  role: r.role as ParticipantRole,
  lastReadMessageId: num(r.last_read_message_id),
});

export const mapMessage = (r: Row): Message => ({
  id: Number(r.id),
  conversationId: Number(r.conversation_id),
  senderId: num(r.sender_id),
  type: r.type as MessageType,
  content: String(r.content),
  clientId: (r.client_id as string | null) ?? null,
  createdAt: toDate(r.created_at)!,
  senderRole: (r.sender_role as SenderRole | null) ?? 'system',
  meta: fromJson<MessageMeta | null>(r.meta, null),
});

/** An order's conversation and who is in it (by user id), as a transaction sees them. */
export interface OrderConversation {
  conversation: Conversation;
  participants: { userId: number; role: ParticipantRole }[];
  /**
   * Inserted by this transaction, its last message time already set to the transaction's time: the
   * transaction holds its row, and its status line need not take the row's lock by an update.
   */
  opened?: true;
}

export function createChatRepository(db: Db) {
  /** The order's conversation and who is in it, in one statement (the order's status line). */
  async function orderConversationIn(orderId: number, trx: Conn): Promise<OrderConversation | undefined> {
    const rows = (await trx('conversations as c')
      .leftJoin('conversation_participants as p', 'p.conversation_id', 'c.id')
      .where('c.order_id', orderId)
      .orderBy('p.user_id')
      .select('c.*', 'p.user_id as participant_user_id', 'p.role as participant_role')) as Row[];
    if (rows.length === 0) return undefined;
    return {
      conversation: mapConversation(rows[0]!),
      participants: rows
        .filter((r) => r.participant_user_id !== null && r.participant_user_id !== undefined)
        .map((r) => ({ userId: Number(r.participant_user_id), role: r.participant_role as ParticipantRole })),
    };
  }

  return {
    /** Removes a conversation and its participants (the loser of two racing first calls; it has no messages). */
    async deleteConversation(id: number, trx: Conn = db): Promise<void> {
      await trx('conversation_participants').where({ conversation_id: id }).delete();
      await trx('conversations').where({ id }).delete();
    },

    async findById(id: number, trx: Conn = db): Promise<Conversation | undefined> {
      const r = await trx('conversations').where({ id }).first();
      return r ? mapConversation(r) : undefined;
    },

    async findByOrder(orderId: number, trx: Conn = db): Promise<Conversation | undefined> {
      const r = await trx('conversations').where({ order_id: orderId }).first();
      return r ? mapConversation(r) : undefined;
    },

    orderConversationIn,

    async findService(customerId: number, trx: Conn = db): Promise<Conversation | undefined> {
      const r = await trx('conversations').where({ kind: 'service', customer_id: customerId }).orderBy('id').first();
      return r ? mapConversation(r) : undefined;
    },

    async insert(c: { kind: ConversationKind; orderId: number | null; customerId: number }, now: Date, trx: Conn = db) {
      return insertId(trx, 'conversations', {
        kind: c.kind,
        order_id: c.orderId,
        customer_id: c.customerId,
        created_at: now,
        status: c.kind === 'service' ? 'bot' : null,
      });
    },

    /**
     * The order's conversation with its customer and accepting electrician, opened in the accepting
     * transaction so an accepted order always has one. A re-accepted order keeps its conversation
     * and history; the new electrician joins it.
     */
    async openForOrder(
      o: { orderId: number; customerId: number; electricianUserId: number },
      now: Date,
      trx: Knex.Transaction,
    ): Promise<OrderConversation> {
      const parties = [
        { userId: o.customerId, role: 'customer' as const },
        { userId: o.electricianUserId, role: 'electrician' as const },
      ];
      const join = (conversationId: number, joining: typeof parties) =>
        trx('conversation_participants')
          .insert(joining.map((x) => ({ conversation_id: conversationId, user_id: x.userId, role: x.role, created_at: now })))
          .onConflict(['conversation_id', 'user_id'])
          .ignore();
      // Its last message is the status line the accepting transaction writes next (`opened`).
      const row = {
        kind: 'order' as const,
        order_id: o.orderId,
        customer_id: o.customerId,
        created_at: now,
        last_message_at: now,
      };
      const id = await insertIdUnlessConflict(trx, 'conversations', row, ['order_id']);
      if (id !== undefined) {
        // New in this transaction: nobody is in it yet, and nothing need be read back.
        await join(id, parties);
        return {
          conversation: mapConversation({ ...row, id }),
          participants: [...parties].sort((a, b) => a.userId - b.userId),
          opened: true,
        };
      }
      // Re-accepted: returned with who is in it, so that the status line of the same transaction reads neither again.
      const { conversation, participants } = (await orderConversationIn(o.orderId, trx))!;
      const joining = parties.filter((x) => !participants.some((p) => p.userId === x.userId));
      if (joining.length > 0) await join(conversation.id, joining);
      return { conversation, participants: [...participants, ...joining].sort((a, b) => a.userId - b.userId) };
    },

    /** Adds a participant unless already there (a re-accepted order keeps its earlier electrician's history). */
    async addParticipant(conversationId: number, userId: number, role: ParticipantRole, now: Date, trx: Conn = db) {
      await trx('conversation_participants')
        .insert({ conversation_id: conversationId, user_id: userId, role, created_at: now })
        .onConflict(['conversation_id', 'user_id'])
        .ignore();
    },

    async participant(conversationId: number, userId: number, trx: Conn = db): Promise<Participant | undefined> {
      const r = await trx('conversation_participants').where({ conversation_id: conversationId, user_id: userId }).first();
      return r ? mapParticipant(r) : undefined;
    },

    /** Who is in the conversation and as what (`admin`: staff serving a customer-service conversation). */
    async participants(conversationId: number, trx: Conn = db): Promise<{ userId: number; role: ParticipantRole }[]> {
      const rows = await trx('conversation_participants')
        .where({ conversation_id: conversationId })
        .orderBy('user_id')
        .select('user_id', 'role');
      return rows.map((r: Row) => ({ userId: Number(r.user_id), role: r.role as ParticipantRole }));
    },

    async insertMessage(
      m: {
        conversationId: number;
        senderId: number | null;
        senderRole: SenderRole;
        type: MessageType;
        content: string;
        clientId: string | null;
        meta?: MessageMeta | null;
      },
      now: Date,
      trx: Conn = db,
      /** The conversation was opened by `trx` (`OrderConversation.opened`): its row is held, its time set. */
      opened = false,
    ): Promise<number> {
      // The conversation row first: its exclusive lock queues concurrent senders. Inserting first
      // would have each take a shared lock through the foreign key and then deadlock upgrading it.
      if (!opened) await trx('conversations').where({ id: m.conversationId }).update({ last_message_at: now });
      const id = await insertId(trx, 'chat_messages', {
        conversation_id: m.conversationId,
        sender_id: m.senderId,
        sender_role: m.senderRole,
        type: m.type,
        meta: m.meta ? JSON.stringify(m.meta) : null,
        content: m.content,
        client_id: m.clientId,
        created_at: now,
      });
      return id;
    },

    async findMessage(id: number, trx: Conn = db): Promise<Message | undefined> {
      const r = await trx('chat_messages').where({ id }).first();
      return r ? mapMessage(r) : undefined;
    },

    async findByClientId(senderId: number | null, clientId: string, trx: Conn = db): Promise<Message | undefined> {
      const r = await trx('chat_messages')
        .where(senderId === null ? { client_id: clientId } : { sender_id: senderId, client_id: clientId })
        .modify((q) => (senderId === null ? q.whereNull('sender_id') : q))
        .first();
      return r ? mapMessage(r) : undefined;
    },

    /** Newest first, strictly older than `before` when given: an id cursor, stable while new messages arrive. */
    async page(conversationId: number, before: number | undefined, limit: number): Promise<Message[]> {
      const rows = await db('chat_messages')
        .where({ conversation_id: conversationId })
        .modify((q) => {
          if (before !== undefined) q.andWhere('id', '<', before);
        })
        .orderBy('id', 'desc')
        .limit(limit);
      return rows.map(mapMessage);
    },

    /** Moves the read mark forward only; true when it moved. */
    async markRead(conversationId: number, userId: number, upTo: number, trx: Conn = db): Promise<boolean> {
      const n = await trx('conversation_participants')
        .where({ conversation_id: conversationId, user_id: userId })
        .andWhere((q) => q.whereNull('last_read_message_id').orWhere('last_read_message_id', '<', upTo))
        .update({ last_read_message_id: upTo });
      return n > 0;
    },

    /**
     * Most recent activity first: a customer's or electrician's own conversations, or (`service`,
     * staff with chat.service) every customer-service conversation; `status` keeps those in one hand-off state.
     */
    async listFor(userId: number, service: boolean, offset: number, limit: number, status?: ServiceStatus) {
      const mine = (q: Knex.QueryBuilder) => {
        if (service) q.where('kind', 'service');
        else q.whereIn('id', db('conversation_participants').where({ user_id: userId }).select('conversation_id'));
        if (status) q.where('status', status);
      };
      const [rows, total] = await Promise.all([
        db('conversations')
          .modify(mine)
          .orderByRaw('coalesce(last_message_at, created_at) desc')
          .orderBy('id', 'desc')
          .offset(offset)
          .limit(limit),
        db('conversations').modify(mine).count({ n: '*' }).first(),
      ]);
      return { items: (rows as Row[]).map(mapConversation), total: Number(total?.n ?? 0) };
    },

    /**
     * A customer asks for a person: a conversation the bot is answering now waits for an agent.
     * False when it already waits or an agent has it (nothing to announce again).
     */
    async escalate(id: number, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('conversations')
        .where({ id, kind: 'service', status: 'bot' })
        .update({ status: 'waiting_agent', escalated_at: now, assignee_id: null, assigned_at: null });
      return n > 0;
    },

    /** An agent picks up a conversation nobody has (false: a colleague was first). */
    async assign(id: number, agentId: number, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('conversations')
        .where({ id, kind: 'service' })
        .whereNull('assignee_id')
        .update({ status: 'with_agent', assignee_id: agentId, assigned_at: now });
      return n > 0;
    },

    /** The agent's service ends: the bot answers again and the next request for a person reaches every agent. */
    async release(id: number, trx: Conn = db): Promise<boolean> {
      const n = await trx('conversations')
        .where({ id, kind: 'service' })
        .whereIn('status', ['waiting_agent', 'with_agent'])
        .update({ status: 'bot', assignee_id: null, assigned_at: null });
      return n > 0;
    },

    async lastMessage(conversationId: number): Promise<Message | undefined> {
      const r = await db('chat_messages').where({ conversation_id: conversationId }).orderBy('id', 'desc').first();
      return r ? mapMessage(r) : undefined;
    },

    /** Messages from others after my read mark. */
    async unread(conversationId: number, userId: number, lastRead: number | null): Promise<number> {
      const r = await db('chat_messages')
        .where({ conversation_id: conversationId })
        .andWhere('id', '>', lastRead ?? 0)
        .andWhere((q) => q.whereNull('sender_id').orWhereNot('sender_id', userId))
        .count({ n: '*' })
        .first();
      return Number(r?.n ?? 0);
    },
  };
}

export type ChatRepository = ReturnType<typeof createChatRepository>;
