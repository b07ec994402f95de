/** What other modules may use of auth (the rest is its own). */
import type { AuthRepository } from './auth.repository';

export { tokenPair } from './auth.schemas';
export type { AuthService, ClientMeta } from './auth.service';

/** Ending a user's sessions (ban, deletion) inside the caller's transaction. */
export type SessionsPort = Pick<AuthRepository, 'revokeAllForUser' | 'deleteSmsCodesFor'>;

/** Whether an access token's session is still live, as a subquery the users module embeds in the request's one user query. */
export type LiveSessions = Pick<AuthRepository, 'liveSessionCount'>;
