import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { tooManyRequests } from './errors';

/**
 * The counter store of the limiter called `name`, with how the limiter treats that store's
 * failures (see rate-limit-redis.ts). Each limiter gets its own, so counters never mix.
 */
export type LimiterStore = (name: string) => Pick<Options, 'store' | 'passOnStoreError' | 'logger'>;

/** Requests allowed per window, per client address (or per user where a limiter says so). */
export interface RateLimits {
  login: number;
  refresh: number;
  smsCode: number;
  orderCreate: number;
  /** Image uploads per signed-in user. */
  uploads: number;
  windowMs: number;
  /**
   * Where the counters live. Absent: in this process, each limiter its own memory store. With
   * REDIS_URL the container sets a Redis store, so every API instance counts against one total.
   */
  store?: LimiterStore;
}

export type RateLimitName = Exclude<keyof RateLimits, 'windowMs' | 'store'>;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  login: 30,
  refresh: 60,
  smsCode: 5,
  uploads: 30,
  orderCreate: 10,
  windowMs: 60_000,
};

/**
 * What a client address is counted as: an IPv4 address as it is (an IPv4-mapped IPv6 address as its
 * IPv4 address), an IPv6 address by its /64 network. One subscriber gets a whole /64 (often more)
 * and may pick any address in it, so counting single IPv6 addresses would let them rotate past
 * every limit. The rate limiters and the staff sign-in lockout use it.
 */
export const addressKey = (ip: string | undefined): string => (ip ? ipKeyGenerator(ip, 64) : 'unknown');

/**
 * The limiter of `limits[which]` requests per `limits.windowMs`. Its counter is called
 * `options.name` (`which` by default): limiters sharing a limit but not a name (user and staff
 * login) count apart.
 *
 * `req.ip` already honours TRUST_PROXY: with no trusted hop it is the socket address, so a
 * client-sent X-Forwarded-For never changes the key. It is counted by its addressKey (IPv6 per /64).
 */
export function limiter(
  limits: RateLimits,
  which: RateLimitName,
  options: { name?: string; key?: (req: Request) => string } = {},
): RequestHandler {
  const { name = which, key = (req: Request) => addressKey(req.ip) } = options;
  const handler = rateLimit({
    windowMs: limits.windowMs,
    limit: limits[which],
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, _res, next) => next(tooManyRequests()),
    // The key generators above are deliberate; skip the library's warnings about them.
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false },
    ...limits.store?.(name),
  });
  rateLimiters.add(handler);
  return handler;
}

const rateLimiters = new WeakSet<RequestHandler>();
/** Whether `handler` is a limiter made above (the OpenAPI document then lists its 429). */
export const isRateLimiter = (handler: RequestHandler) => rateLimiters.has(handler);

export const perUser = (req: Request) => (req.user ? `user:${req.user.id}` : `ip:${addressKey(req.ip)}`);

/**
 * A sliding window of hits per key: `hit` records one at `now` (ms) and answers 0; or, when `limit`
 * hits are already inside the last `windowMs`, records nothing and answers the seconds until the
 * oldest of them leaves the window.
 */
export interface SlidingWindow {
  hit(key: string, now: number, limit: number, windowMs: number): Promise<number>;
}

/** The window in this process's memory: what one API instance has seen. */
export function memoryWindow(): SlidingWindow {
  const hits = new Map<string, number[]>();
  return {
    hit(key, now, limit, windowMs) {
      const recent = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        return Promise.resolve((recent[0]! + windowMs - now) / 1000);
      }
      recent.push(now);
      hits.set(key, recent);
      return Promise.resolve(0);
    },
  };
}
