import { socketsIn } from '../../realtime/cluster';
import { userRoom } from '../../realtime/events';
import type { SocketFeature } from '../../realtime';
import type { EventBus } from '../../shared/events';
import type { DurableBus } from '../../shared/event-outbox';
import type { ChatEvent } from '../chat';
import type { MessagesService, NotificationEvent } from './messages.service';

/**
 * The message center over the socket: every stored notification is pushed to its user's room
 * (on whichever instance holds their sockets, through the Redis adapter when configured), and a
 * chat message to a participant with no socket anywhere becomes a chat notification — for staff
 * participants, only while their role grants chat.service. A redelivered message (after a crash)
 * notifies at most once: the notification's source key is the message and the recipient, and a
 * conversation's unread notification is rewritten with the current count rather than repeated.
 */
export interface MessagesSocketDeps {
  messages: MessagesService;
  notificationBus: EventBus<NotificationEvent>;
  chatBus: DurableBus<ChatEvent>;
}

export const messagesSocket =
  ({ messages, notificationBus, chatBus }: MessagesSocketDeps): SocketFeature =>
  ({ io, emitted, staffRooms }) => {
    const offline = async (userId: number) => (await socketsIn(io, userRoom(userId))).length === 0;
    const offs = [
      notificationBus.subscribe('notification', (e) => {
        io.to(userRoom(e.userId)).emit('notification', { ...e.notification, unreadCount: e.unreadCount });
        emitted('notification');
      }),
      chatBus.subscribe('chat.message', async (e) => {
        const { message } = e;
        // System lines and the bot's answers (the asker has them in the answer) are no one's news.
        if (message.type === 'system' || message.senderRole === 'bot') return;
        const others = e.participants.filter((p) => p.userId !== message.senderId);
        const staff = others.filter((p) => p.role === 'admin').map((p) => p.userId);
        const serving = staff.length ? await staffRooms.granted(staff, 'chat.service') : new Set<number>();
        for (const { userId, role } of others) {
          if ((role !== 'admin' || serving.has(userId)) && (await offline(userId)))
            await messages.chatMessage(userId, message.conversationId, message.id);
        }
      }),
    ];
    return {
      connection() {},
      close: () => offs.forEach((off) => off()),
    };
  };
