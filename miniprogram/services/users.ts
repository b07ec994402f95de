import { session, type SessionUser } from '../stores/session';
import { request } from './request';

/**
 * My profile from the API; also refreshes the stored session user (a role change takes effect at once).
 * PATCH /api/users/me has no function here: wx.request cannot send PATCH.
 */
export async function me(): Promise<SessionUser> {
  const user = await request<SessionUser>({ url: '/api/users/me' });
  session.setUser(user);
  return user;
}
