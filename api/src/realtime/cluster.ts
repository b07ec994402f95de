import type { Server } from 'socket.io';

/**
 * How long a look at a room across instances (through the Redis adapter) may take before this
 * instance's own sockets are served alone. With Redis unreachable the adapter's request waits for
 * the reconnection; a push, a chat delivery or a shutdown's drain must not wait with it.
 */
export const CLUSTER_WAIT_MS = 1_000;

/**
 * The sockets in `room` on every instance, or — when the other instances do not answer within
 * `waitMs` (Redis down) — on this one. The late cluster answer, or its failure, is dropped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Server's typed events
export async function socketsIn<S extends Server<any, any, any, any>>(io: S, room: string, waitMs = CLUSTER_WAIT_MS) {
  const everywhere = io.in(room).fetchSockets();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  try {
    const sockets = await Promise.race([everywhere.catch(() => null), late]);
    return sockets ?? (await io.local.in(room).fetchSockets());
  } finally {
    clearTimeout(timer);
  }
}
