/** What other modules may use of auth (the rest is its own). */
import type { Db } from '../../db';
import { createBroadcast } from '../../shared/broadcast';
import { createLogger } from '../../shared/logger';
import { FORGET_CHANNEL } from './session-cache';
import { createAuthRepository, type AuthRepository } from './auth.repository';

export { tokenPair } from './auth.schemas';
export type { AuthService, ClientMeta } from './auth.service';

/** Ending a user's sessions (ban, deletion) inside the caller's transaction. */
export type SessionsPort = Pick<AuthRepository, 'revokeAllForUser' | 'deleteSmsCodesFor'>;

/** Whether an access token's session is still live, as a subquery the users module embeds in the request's one user query. */
export type LiveSessions = Pick<AuthRepository, 'liveSessionsAmong'>;

/**
 * The sessions ports over a database handle. The users module is built before auth (auth signs in
 * through its accounts), yet its repository embeds the live-session subquery and its deletion ends
 * the sessions: it takes them from here.
 */
export const authSessions = (db: Db): SessionsPort & LiveSessions => createAuthRepository(db);

/**
 * For an ops script that changed who a user is straight in the database (a role, a password): tells
 * every running instance to forget the user's held session checks, through Redis. Without REDIS_URL
 * no message can reach them: the change applies once their checks expire (SESSION_CACHE_MS).
 * Returns whether the message went out (false without REDIS_URL or when Redis cannot be reached).
 */
export async function forgetSessionsEverywhere(redisUrl: string | undefined, userId: number): Promise<boolean> {
  if (!redisUrl) return false;
  const broadcast = createBroadcast(redisUrl, createLogger('silent'));
  try {
    await broadcast.publish(FORGET_CHANNEL, String(userId));
    return true;
  } catch {
    // Redis unreachable: the change is made all the same, and applies as without Redis.
    return false;
  } finally {
    await broadcast.close();
  }
}
