import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import { createHeldReads, type HeldReads } from '../../shared/held-reads';

/**
 * The session check of authenticated requests and socket events, from memory: who the caller is
 * (role, staff role) and that their session is live, read from the database once and then kept for
 * at most SESSION_CACHE_MS, by user and session (shared/held-reads.ts). Only a live session is
 * kept: a refused token is read again every time.
 *
 * Whatever changes a principal through the platform (logout, a ban, a stolen refresh token, a
 * password reset, a role change, a promotion, the account deleted) makes every instance forget the
 * user at its commit (auth.module.ts, over FORGET_CHANNEL), so it takes effect on the next request.
 * A change written into the database by hand reaches the cache when its entry expires.
 */
export type SessionCache = HeldReads<Principal>;

/** The channel on which an instance tells every instance to forget a user's sessions (the message: the user id). */
export const FORGET_CHANNEL = 'auth:forget';

export const createSessionCache = (o: { clock: Clock; maxAgeMs: number; maxUsers?: number }): SessionCache =>
  createHeldReads<Principal>(o);
