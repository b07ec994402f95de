import { userRoom } from '../../realtime/events';
import { handle } from '../../realtime/handlers';
import type { SocketFeature } from '../../realtime';
import type { DurableBus } from '../../shared/event-outbox';
import type { StaffAudit } from '../staff';
import type { Principal } from '../../shared/auth';
import { toAppError } from '../../shared/errors';
import { socketMessageInput, socketRead, socketTyping } from './chat.schemas';
import { isStaff, servesChat, type ChatEvent, type ChatParticipant, type ChatService } from './chat.service';
import type { ConversationKind } from './chat.repository';

/**
 * Chat over the socket: the same service as REST, and live delivery of what it stores. Customers
 * and electricians are reached in their user rooms; staff only through the chat.service room,
 * re-checked against their current role at each push (so a participant who lost chat.service, or
 * is no longer active staff, hears nothing more).
 *
 * A chat event redelivered after a crash is pushed all the same: a message never changes, so late
 * is not stale, and both clients merge new-message by id (the console also skips a message older
 * than the one it shows), while a recipient on another instance would otherwise never see it live.
 */
export interface ChatSocketDeps {
  chat: ChatService;
  chatBus: DurableBus<ChatEvent>;
  /** The write-ahead audit of a staff member's socket writes (the staff module's). */
  audit: StaffAudit;
}

export const chatSocket =
  ({ chat, chatBus, audit: staff }: ChatSocketDeps): SocketFeature =>
  ({ io, emitted, staffRooms }) => {
    /** The rooms of a conversation's customer and electricians, and of the staff serving it unless `staffToo` is false. */
    async function audience(e: { kind: ConversationKind; participants: ChatParticipant[] }, staffToo: boolean) {
      const people = e.participants.filter((p) => p.role !== 'admin').map((p) => userRoom(p.userId));
      return e.kind === 'service' && staffToo ? [...people, ...(await staffRooms.permitted('chat.service'))] : people;
    }
    const staffIn = (e: { participants: ChatParticipant[] }, userId: number) =>
      e.participants.some((p) => p.userId === userId && p.role === 'admin');

    const offs = [
      chatBus.subscribe('chat.message', async (e) => {
        const rooms = await audience(e, true);
        io.to(rooms).emit('new-message', await chat.view(e.message));
        emitted('new-message', rooms.length);
      }),
      chatBus.subscribe('chat.read', async (e) => {
        const { conversationId, userId, upToMessageId } = e;
        // Staff learn customers' read marks; a colleague's are no news to them.
        const rooms = await audience(e, !staffIn(e, userId));
        io.to(rooms).except(userRoom(userId)).emit('message-read', { conversationId, userId, upToMessageId });
        emitted('message-read', rooms.length);
      }),
    ];

    return {
      connection(socket, ctx) {
        /**
         * Runs a staff member's write into support chat with its write-ahead audit row, as a staff
         * route would be audited; a staff caller without chat.service is refused before anything
         * (and, like a caller a route's guard refuses, leaves no row). Others just run.
         */
        async function audited<T>(
          caller: Principal,
          event: 'send_message' | 'read',
          payload: { conversationId?: number; orderId?: number },
          run: () => Promise<T>,
        ): Promise<T> {
          // Not staff; or staff without chat.service, whom the service refuses before looking anything up.
          if (!servesChat(caller)) return run();
          const id = await staff.beginSocketAction({
            actor: caller,
            permission: 'chat.service',
            event,
            // As the same action over REST is recorded (`/api/chat/...` acts on `chat`).
            targetType: 'chat',
            targetId: payload.conversationId !== undefined ? String(payload.conversationId) : null,
            payload,
            ip: socket.handshake.address || null,
          });
          const audit = staff.actionAudit;
          try {
            const result = await run();
            await audit.finish(id, { outcome: 'succeeded', statusCode: event === 'send_message' ? 201 : 200, errorCode: null });
            return result;
          } catch (err) {
            const e = toAppError(err);
            await audit.finish(id, { outcome: 'failed', statusCode: e.status, errorCode: e.code });
            throw err;
          }
        }

        // The caller is as the database says at each event (handle re-authenticates): a demoted
        // staff member is refused at once.
        handle(
          socket,
          'send_message',
          socketMessageInput,
          (m, caller) => audited(caller, 'send_message', m, () => chat.send(caller, m)),
          ctx,
        );
        handle(
          socket,
          'read',
          socketRead,
          (r, caller) => audited(caller, 'read', r, () => chat.read(caller, r.conversationId, r.upToMessageId)),
          ctx,
        );
        handle(
          socket,
          'typing',
          socketTyping,
          async ({ conversationId }, caller) => {
            const e = await chat.typingAudience(caller, conversationId);
            const rooms = await audience(e, !isStaff(caller));
            io.to(rooms).except(userRoom(caller.id)).emit('typing', { conversationId, userId: caller.id });
            emitted('typing', rooms.length);
            return {};
          },
          ctx,
        );
      },
      close: () => offs.forEach((off) => off()),
    };
  };
