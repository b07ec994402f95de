import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../../shared/auth';
import { loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';

export const STAFF_PASSWORD = 'Passw0rd!staff';

const DISPLAY_NAMES: Record<StaffRole, string> = {
  admin: '陈管理员',
  ops_manager: '王经理',
  agent: '李客服',
  finance: '赵会计',
  inventory: '钱库管',
};

export interface StaffSession extends Session {
  username: string;
  password: string;
  staffRole: StaffRole;
}

/** Signs in through the web login; throws unless it succeeds. */
export async function staffLogin(t: Pick<TestApp, 'http'>, username: string, password = STAFF_PASSWORD): Promise<Session> {
  const res = await t.http.post('/api/admin/auth/login').send({ username, password });
  if (res.status !== 200) throw new Error(`staff login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { token, refreshToken, user } = res.body.data;
  return { token, refreshToken, userId: user.id, auth: { Authorization: `Bearer ${token}` } };
}

/** A staff account created by the WeChat admin (`dev-admin`) through the API, then signed in. */
export async function loginAsStaff(t: Pick<TestApp, 'http'>, staffRole: StaffRole, name?: string): Promise<StaffSession> {
  const admin = await loginAsAdmin(t);
  const username = name ?? `${staffRole.replace('_', '-')}-${randomBytes(3).toString('hex')}`;
  const created = await t.http
    .post('/api/admin/staff')
    .set(admin.auth)
    .send({ username, password: STAFF_PASSWORD, staffRole, name: DISPLAY_NAMES[staffRole] });
  if (created.status !== 201)
    throw new Error(`create staff ${username} failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { ...(await staffLogin(t, username)), username, password: STAFF_PASSWORD, staffRole };
}
