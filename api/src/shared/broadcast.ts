import { Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * A message every API instance hears: this process's handlers at once, and with REDIS_URL every
 * other instance's through Redis pub/sub. For what an instance holds in memory and must drop when
 * another instance changes it (the sessions cache: `auth:forget`).
 *
 * Pub/sub keeps nothing: a message sent while an instance is cut off from Redis never reaches it.
 * So when its subscription comes back after an outage, each channel's `resync` handler runs (drop
 * everything held), and `publish` fails while Redis cannot take the message, for the caller to retry.
 */
export interface Broadcast {
  /** Runs this instance's handlers, then (with Redis) sends to every instance; rejects when Redis does not take it. */
  publish(channel: string, message: string): Promise<void>;
  /** `handle` runs for each message on the channel; `resync` after the subscription was lost and is back. */
  subscribe(channel: string, handle: (message: string) => void, resync: () => void): void;
  /** Disconnects from Redis (nothing to do without it); safe to call again. */
  close(): Promise<void>;
}

/** How long a publish may wait for Redis before it fails. */
export const BROADCAST_TIMEOUT_MS = 1_000;

export function createBroadcast(redisUrl: string | undefined, parentLogger: Logger): Broadcast {
  const channels = new Map<string, { handle: (message: string) => void; resync: () => void }[]>();
  const deliver = (channel: string, message: string) => {
    for (const h of channels.get(channel) ?? []) h.handle(message);
  };
  if (!redisUrl) {
    return {
      async publish(channel, message) {
        deliver(channel, message);
      },
      subscribe(channel, handle, resync) {
        channels.set(channel, [...(channels.get(channel) ?? []), { handle, resync }]);
      },
      async close() {},
    };
  }

  const logger = parentLogger.child({ component: 'broadcast' });
  const options = { commandTimeout: BROADCAST_TIMEOUT_MS, maxRetriesPerRequest: 1 };
  const publisher = new Redis(redisUrl, options);
  // A subscribing connection can do nothing else; ioredis subscribes again by itself after a reconnection.
  const subscriber = new Redis(redisUrl, { ...options, commandTimeout: undefined });
  let closed = false;
  let lost = false;
  const onError = (err: unknown) => {
    if (closed) return;
    if (!lost) logger.error({ err }, 'Redis unavailable: other instances are not told what this one changes');
    lost = true;
  };
  publisher.on('error', onError);
  subscriber.on('error', onError);
  subscriber.on('close', () => {
    if (!closed) lost = true;
  });
  subscriber.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger.info('Redis is back: instances hear each other again');
    for (const list of channels.values()) for (const h of list) h.resync();
  });
  subscriber.on('message', (channel: string, message: string) => deliver(channel, message));

  return {
    async publish(channel, message) {
      deliver(channel, message);
      await publisher.publish(channel, message);
    },
    subscribe(channel, handle, resync) {
      const list = channels.get(channel);
      if (list) list.push({ handle, resync });
      else {
        channels.set(channel, [{ handle, resync }]);
        subscriber.subscribe(channel).catch((err: unknown) => onError(err));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
