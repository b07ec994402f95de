/** What other modules may use of auth (the rest is its own). */
import type { AuthRepository } from './auth.repository';

export { tokenPair } from './auth.schemas';
export type { AuthService, ClientMeta } from './auth.service';

/** Ending a user's sessions (ban, deletion) inside the caller's transaction. */
export type SessionsPort = Pick<AuthRepository, 'revokeAllForUser' | 'deleteSmsCodesFor'>;
