import { ADMINS_ROOM, userRoom } from '../../realtime/events';
import { handle } from '../../realtime/handlers';
import type { SocketFeature } from '../../realtime';
import type { Principal } from '../../shared/auth';
import { socketMessageInput, socketRead, socketTyping } from './chat.schemas';

const rooms = (recipients: number[], toAdmins: boolean) => [...recipients.map(userRoom), ...(toAdmins ? [ADMINS_ROOM] : [])];

/** Chat over the socket: the same service as REST, and live delivery of what it stores. */
export const chatSocket: SocketFeature = ({ io, c, emitted }) => {
  const offs = [
    c.chatBus.subscribe('chat.message', (e) => {
      io.to(rooms(e.recipients, e.toAdmins)).emit('new-message', e.message);
      emitted('new-message', e.recipients.length);
    }),
    c.chatBus.subscribe('chat.read', (e) => {
      const { conversationId, userId, upToMessageId } = e;
      // The reader's own sockets are left out even when the reader is staff in the admins room.
      io.to(rooms(e.recipients, e.toAdmins))
        .except(userRoom(userId))
        .emit('message-read', { conversationId, userId, upToMessageId });
      emitted('message-read', e.recipients.length);
    }),
  ];

  return {
    connection(socket, ctx) {
      // Role as of the handshake; the service re-checks membership on every event.
      const p: Principal = { id: socket.data.userId, userType: socket.data.role, openid: '', staffRole: null, sessionId: '' };
      const chat = c.services.chat;
      handle(socket, 'send_message', socketMessageInput, (m) => chat.send(p, m), ctx);
      handle(socket, 'read', socketRead, (r) => chat.read(p, r.conversationId, r.upToMessageId), ctx);
      handle(
        socket,
        'typing',
        socketTyping,
        async ({ conversationId }) => {
          const { recipients, toAdmins } = await chat.typingRecipients(p, conversationId);
          io.to(rooms(recipients, toAdmins)).except(userRoom(p.id)).emit('typing', { conversationId, userId: p.id });
          emitted('typing', recipients.length);
          return {};
        },
        ctx,
      );
    },
    close: () => offs.forEach((off) => off()),
  };
};
