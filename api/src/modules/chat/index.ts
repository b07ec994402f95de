/** What other modules may use of chat (the rest is its own). */
import type { ChatRepository } from './chat.repository';

/** A conversation, a participant's read mark and the unread count (for the chat notification's text). */
export type ConversationReader = Pick<ChatRepository, 'findById' | 'participant' | 'unread'>;

/** Opens an accepted order's conversation inside the accepting transaction. */
export type ConversationOpener = Pick<ChatRepository, 'openForOrder'>;

/** Everything other modules may use of chat, as one handle. */
export type ChatPorts = ConversationReader & ConversationOpener;

export type { ChatEvent, ChatMessageView, ChatService } from './chat.service';
export type { ServiceEscalated } from './chat.events';
export type { Conversation, MessageMeta, ServiceStatus } from './chat.repository';

/** The conversation and message shapes, for other modules' routes that answer with them. */
export { conversationView, messageView } from './chat.schemas';
