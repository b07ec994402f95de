/** What other modules may use of messages (the rest is its own). */
export type { MessagesService, NotificationEvent } from './messages.service';
