import { session, type SessionUser } from '../stores/session';
import { request } from './request';

/** What the mini-program changes of its profile; the avatar is an upload with purpose `avatar`. */
export interface ProfilePatch {
  nickname?: string;
  avatarUploadId?: number;
}

/**
 * My profile from the API; also refreshes the stored session user (a role change takes effect at once).
 */
export async function me(): Promise<SessionUser> {
  const user = await request<SessionUser>({ url: '/api/users/me' });
  session.setUser(user);
  return user;
}

/**
 * PUT /api/users/me: the same partial update as PATCH, which wx.request cannot send. Refreshes the
 * stored session user with the answer.
 */
export async function updateMe(patch: ProfilePatch): Promise<SessionUser> {
  const user = await request<SessionUser>({ url: '/api/users/me', method: 'PUT', data: { ...patch } });
  session.setUser(user);
  return user;
}

/**
 * 注销账号: POST /api/users/me/delete-account. The API erases or anonymises the profile and ends
 * every session; here the local session goes too. 409 ACCOUNT_BUSY while an order, a withdrawal or
 * a complaint is open (the caller shows the API's message).
 */
export async function deleteAccount(reason?: string): Promise<void> {
  await request<Record<string, never>>({
    url: '/api/users/me/delete-account',
    method: 'POST',
    data: reason ? { reason } : {},
    silent: true,
  });
  session.clear();
}
