import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { tooManyRequests } from './errors';

/** Requests allowed per window, per client address (or per user where a limiter says so). */
export interface RateLimits {
  login: number;
  refresh: number;
  smsCode: number;
  orderCreate: number;
  /** Image uploads per signed-in user. */
  uploads: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  login: 30,
  refresh: 60,
  smsCode: 5,
  uploads: 30,
  orderCreate: 10,
  windowMs: 60_000,
};

/**
 * `req.ip` already honours TRUST_PROXY: with no trusted hop it is the socket address, so a
 * client-sent X-Forwarded-For never changes the key.
 */
export function limiter(
  limit: number,
  windowMs: number,
  key: (req: Request) => string = (req) => req.ip ?? 'unknown',
): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, _res, next) => next(tooManyRequests()),
    // The key generators above are deliberate; skip the library's warnings about them.
    validate: { keyGeneratorIpFallback: false, xForwardedForHeader: false },
  });
}

export const perUser = (req: Request) => (req.user ? `user:${req.user.id}` : `ip:${req.ip ?? 'unknown'}`);
