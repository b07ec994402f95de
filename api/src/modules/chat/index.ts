/** What other modules may use of chat (the rest is its own). */
import type { ChatRepository } from './chat.repository';

/** A conversation, a participant's read mark and the unread count (for the chat notification's text). */
export type ConversationReader = Pick<ChatRepository, 'findById' | 'participant' | 'unread'>;
