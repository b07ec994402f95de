import { randomUUID } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from './logger';
import type { LimiterStore, SlidingWindow } from './rate-limit';

/** A Redis command that has not answered by then fails, and the limit it was counting is skipped. */
export const RATE_LIMIT_COMMAND_TIMEOUT_MS = 1_000;

/**
 * Rate-limit counters in Redis (REDIS_URL), shared by every API instance: the request limiters'
 * stores and sliding windows such as chat's send limit. One client of its own (the Socket.IO
 * adapter has its pair in realtime/index.ts), made by the container and closed with it.
 *
 * Every limit fails OPEN: while Redis cannot answer, requests go through unlimited. The limits
 * slow down abuse; they must not take the API down with Redis. The outage is logged once when it
 * starts and once when it ends (with how many requests went through unlimited), not per request.
 */
export interface RateLimitRedis {
  client: Redis;
  /** For `RateLimits.store`: a RedisStore under `rl:<name>:` per limiter. */
  store: LimiterStore;
  /** A shared sliding window under `rl:<name>:` (a sorted set of hit times per key). */
  window(name: string): SlidingWindow;
  /** Disconnects the client at once (see close()); safe to call again. */
  close(): Promise<void>;
}

export function createRateLimitRedis(url: string, parentLogger: Logger): RateLimitRedis {
  const logger = parentLogger.child({ component: 'rate-limit-redis' });
  const client = new Redis(url, {
    // Before the first connection, commands wait for it (up to the timeout); once Redis is known
    // down (see `down`), they fail at once instead of holding requests up.
    commandTimeout: RATE_LIMIT_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
  });

  let down = false;
  let closed = false;
  let outage: { since: string; unlimited: number } | undefined;

  const failed = (err: unknown) => {
    if (closed || outage) return;
    outage = { since: new Date().toISOString(), unlimited: 0 };
    logger.error({ err }, 'Redis unavailable: rate limits are not enforced until it is back');
  };
  const recovered = () => {
    if (!outage) return;
    logger.info({ downSince: outage.since, unlimitedRequests: outage.unlimited }, 'Redis is back: rate limits are shared again');
    outage = undefined;
  };
  /** A request let through without its limit because Redis failed. */
  const letThrough = (err: unknown) => {
    failed(err);
    if (outage) outage.unlimited++;
  };

  // ioredis reconnects by itself; a connection error is logged (once per outage), never thrown.
  client.on('error', (err) => {
    down = true;
    failed(err);
  });
  client.on('close', () => {
    down = true;
  });
  client.on('ready', () => {
    down = false;
    recovered();
  });

  async function run<T>(command: () => Promise<T>): Promise<T> {
    if (down) throw new Error('Redis is unavailable');
    try {
      const reply = await command();
      recovered();
      return reply;
    } catch (err) {
      // A reply error (e.g. NOSCRIPT after a Redis restart, which the store handles) is Redis answering.
      if (!(err instanceof ReplyError)) failed(err);
      throw err;
    }
  }

  const sendCommand = (command: string, ...args: string[]) => run(() => client.call(command, ...args) as Promise<RedisReply>);

  const erlLogger = {
    warn: (err: unknown, message?: string) => logger.warn({ err }, message ?? 'express-rate-limit warning'),
    error: (err: unknown, message?: string) => {
      // The library's own checks report ValidationErrors (ERR_ERL_…): a misconfiguration, logged as such.
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && code.startsWith('ERR_ERL_')) logger.error({ err }, message ?? 'express-rate-limit error');
      // Anything else is the store failing; with passOnStoreError the request has gone through.
      else letThrough(err);
    },
  };

  return {
    client,
    store(name) {
      const store = new RedisStore({ prefix: `rl:${name}:`, sendCommand });
      // The store loads its scripts at once; if Redis is not there yet, it loads them again on its
      // next use, so a failure here is no unhandled rejection.
      store.incrementScriptSha.catch(() => undefined);
      store.getScriptSha.catch(() => undefined);
      // Fail open (see above): express-rate-limit lets the request through when the store throws.
      return { store, passOnStoreError: true, logger: erlLogger };
    },
    window(name) {
      const prefix = `rl:${name}:`;
      return {
        async hit(key, now, limit, windowMs) {
          const k = prefix + key;
          const member = `${now}:${randomUUID()}`;
          let count: number;
          let oldest: number;
          try {
            // One MULTI: drop hits that left the window, add this one, count, and read the oldest.
            const replies = await run(() =>
              client
                .multi()
                .zremrangebyscore(k, '-inf', now - windowMs)
                .zadd(k, now, member)
                .zcard(k)
                .zrange(k, 0, '0', 'WITHSCORES')
                .pexpire(k, windowMs)
                .exec(),
            );
            if (!replies) throw new Error('Redis MULTI was aborted');
            const failure = replies.find(([err]) => err)?.[0];
            if (failure) throw failure;
            count = Number(replies[2]![1]);
            oldest = Number((replies[3]![1] as string[])[1]);
          } catch (err) {
            // Fail open, like the request limiters.
            letThrough(err);
            return 0;
          }
          if (count <= limit) return 0;
          // Over the limit: this send is refused, so it does not count. Were the removal to fail,
          // the entry would only make the next sends wait a little longer (it ages out with the window).
          await run(() => client.zrem(k, member)).catch(() => undefined);
          // Never 0 (that means "go ahead"), even if instances' clocks disagree a little.
          return Math.max(oldest + windowMs - now, 1) / 1000;
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      // disconnect(), never quit(): quit() waits for an answer that an unreachable Redis never
      // gives, and nothing here needs flushing (a counter update cut short only undercounts).
      client.disconnect();
    },
  };
}
