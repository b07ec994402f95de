/** What other modules may use of chat (the rest is its own). */
import type { Knex } from 'knex';
import type { OrderStatus } from '../orders';
import type { ChatRepository, OrderConversation } from './chat.repository';

/** A conversation, a participant's read mark and the unread count (for the chat notification's text). */
export type ConversationReader = Pick<ChatRepository, 'findById' | 'participant' | 'unread'>;

/** Opens an accepted order's conversation inside the accepting transaction. */
export type ConversationOpener = Pick<ChatRepository, 'openForOrder'>;

/**
 * Writes an order's status line inside the transaction of the order's transition, and stages its
 * delivery there (chat owns the tables and the delivery).
 */
export interface StatusLines {
  statusLineIn(
    e: { orderId: number; to: OrderStatus; eventId: number },
    now: Date,
    trx: Knex.Transaction,
    opened?: OrderConversation,
  ): Promise<void>;
}

/** Everything other modules may use of chat, as one handle. */
export type ChatPorts = ConversationReader & ConversationOpener & StatusLines;

export type { ChatEvent, ChatMessageView, ChatService } from './chat.service';
export type { ServiceEscalated } from './chat.events';
export type { Conversation, MessageMeta, OrderConversation, ServiceStatus } from './chat.repository';

/** The conversation and message shapes, for other modules' routes that answer with them. */
export { conversationView, messageView } from './chat.schemas';
