import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../api/src/realtime/events';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One Socket.IO connection per token (each its own WebSocket: `forceNew`, no multiplexing), opened
 * `batch` at a time so the handshakes don't all queue on the API's database at once.
 */
export async function connectAll(url: string, tokens: string[], batch = 100): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  for (let i = 0; i < tokens.length; i += batch) {
    sockets.push(
      ...(await Promise.all(
        tokens.slice(i, i + batch).map(
          (token) =>
            new Promise<BenchSocket>((resolve, reject) => {
              const s: BenchSocket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
              s.once('connect', () => resolve(s));
              s.once('connect_error', (err) => reject(new Error(`socket refused: ${err.message}`)));
            }),
        ),
      )),
    );
  }
  return sockets;
}

export function closeAll(sockets: BenchSocket[]): void {
  for (const s of sockets) s.disconnect();
}
