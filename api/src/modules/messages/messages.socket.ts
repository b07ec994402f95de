import { userRoom } from '../../realtime/events';
import type { SocketFeature } from '../../realtime';

/**
 * The message center over the socket: every stored notification is pushed to its user's room
 * (on whichever instance holds their sockets, through the Redis adapter when configured), and a
 * chat message to a participant with no socket anywhere becomes a chat notification.
 */
export const messagesSocket: SocketFeature = ({ io, c, emitted }) => {
  const messages = c.services.messages;
  const offline = async (userId: number) => (await io.in(userRoom(userId)).fetchSockets()).length === 0;
  const offs = [
    c.notificationBus.subscribe('notification', (e) => {
      io.to(userRoom(e.userId)).emit('notification', { ...e.notification, unreadCount: e.unreadCount });
      emitted('notification');
    }),
    c.chatBus.subscribe('chat.message', async (e) => {
      const { message } = e;
      if (message.type === 'system') return;
      for (const userId of e.recipients) {
        if (userId !== message.senderId && (await offline(userId)))
          await messages.chatMessage(userId, message.conversationId, message.id);
      }
    }),
    c.chatBus.subscribe('chat.read', (e) => messages.chatRead(e.userId, e.conversationId)),
  ];
  return {
    connection() {},
    close: () => offs.forEach((off) => off()),
  };
};
