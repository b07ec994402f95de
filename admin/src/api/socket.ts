import { io, type Socket } from 'socket.io-client';
import { ref } from 'vue';
import { session } from '../session';
import type { ChatMessage, OrderStatusUpdate } from './types';

interface ServerEvents {
  'order-status-update': (p: OrderStatusUpdate) => void;
  'new-message': (m: ChatMessage) => void;
  notification: (n: { id: number; title: string; content: string }) => void;
}

let socket: Socket<ServerEvents> | null = null;
/** Shown in the header: whether live updates are flowing. */
export const connected = ref(false);

/** The console's one socket, authenticated with the staff JWT (staff join the `admins` room). */
export function connectSocket(): Socket<ServerEvents> {
  if (socket) return socket;
  const s: Socket<ServerEvents> = io({
    // A reconnect after a token refresh must present the new token.
    auth: (cb) => cb({ token: session.current?.token ?? '' }),
    transports: ['websocket'],
  });
  s.on('connect', () => {
    connected.value = true;
  });
  s.on('disconnect', () => {
    connected.value = false;
  });
  socket = s;
  return s;
}

export function disconnectSocket(): void {
  socket?.disconnect();
  socket = null;
  connected.value = false;
}

/** Subscribes to a server event for as long as the caller lives; returns the unsubscribe. */
export function onServer<E extends keyof ServerEvents>(event: E, handler: ServerEvents[E]): () => void {
  const s = connectSocket();
  // socket.io-client's typed `on` needs the listener as its event map entry.
  s.on(event, handler as never);
  return () => s.off(event, handler as never);
}
