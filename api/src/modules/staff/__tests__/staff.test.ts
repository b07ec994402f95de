import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../shared/clock';
import { ROLE_PERMISSIONS } from '../../../shared/permissions';
import { count, createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { LOCKOUT } from '../staff.service';
import { loginAsStaff, STAFF_PASSWORD, staffLogin } from './staff-helpers';

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAsAdmin(t);
});
afterAll(() => t.close());

const loginAttempt = (username: string, password: string) => t.http.post('/api/admin/auth/login').send({ username, password });
const auditRows = (where: Record<string, unknown>) => t.db('audit_logs').where(where).orderBy('id');

describe('staff web login', () => {
  it('when a staff member signs in, then the answer has the wechat-login shape plus the role permissions, and the token works', async () => {
    const created = await t.http
      .post('/api/admin/staff')
      .set(admin.auth)
      .send({ username: 'ops.zhang', password: STAFF_PASSWORD, staffRole: 'ops_manager', name: '张经理' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ username: 'ops.zhang', staffRole: 'ops_manager', status: 'active', wechat: false });

    const res = await loginAttempt('ops.zhang', STAFF_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      userType: 'admin',
      isNewUser: false,
      user: { id: created.body.data.id, userType: 'admin', staffRole: 'ops_manager', name: '张经理' },
      staff: { username: 'ops.zhang' },
      permissions: [...ROLE_PERMISSIONS.ops_manager],
    });
    const auth = { Authorization: `Bearer ${res.body.data.token}` };
    expect((await t.http.get('/api/admin/orders').set(auth)).status).toBe(200);
    expect((await t.http.get('/api/admin/staff').set(auth)).status).toBe(403);

    // Same session machinery as the mini-program: refresh rotates, logout revokes.
    const refreshed = await t.http.post('/api/auth/refresh').send({ refreshToken: res.body.data.refreshToken });
    expect(refreshed.status).toBe(200);
    const row = await t.db('users').where({ username: 'ops.zhang' }).first();
    expect(row.password_hash).toMatch(/^\$2[aby]\$10\$/);
    expect(row.password_hash).not.toContain(STAFF_PASSWORD);
    expect(await count(t.db, 'audit_logs', { action: 'staff.login', actor_id: created.body.data.id })).toBe(1);
  });

  it('when the password is wrong or the username unknown, then both get the same 401 and each attempt is audited', async () => {
    const s = await loginAsStaff(t, 'agent');
    const wrong = await loginAttempt(s.username, 'not-the-password');
    const unknown = await loginAttempt('nobody-here', 'not-the-password');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    }
    const rows = await auditRows({ action: 'staff.login', outcome: 'failed' }).whereIn('target_id', [String(s.userId)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status_code: 401, error_code: 'INVALID_CREDENTIALS' });
    expect(
      await count(t.db, 'audit_logs', {
        action: 'staff.login',
        outcome: 'failed',
        actor_id: null,
        error_code: 'INVALID_CREDENTIALS',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('when a body is malformed, then 400 with details and nothing is audited', async () => {
    const before = await count(t.db, 'audit_logs');
    const res = await t.http.post('/api/admin/auth/login').send({ username: '', password: 12, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['body.username', 'body.password']),
    );
    expect(await count(t.db, 'audit_logs')).toBe(before);
  });
});

describe('lockout', () => {
  it(`when ${LOCKOUT.maxFailures} passwords in a row are wrong, then the account is locked for 15 minutes even for the right password`, async () => {
    const s = await loginAsStaff(t, 'finance');
    for (let i = 1; i < LOCKOUT.maxFailures; i++) expect((await loginAttempt(s.username, `wrong-${i}`)).status).toBe(401);
    const locking = await loginAttempt(s.username, 'wrong-last');
    expect(locking.status).toBe(423);
    expect(locking.body.error.code).toBe('ACCOUNT_LOCKED');

    const right = await loginAttempt(s.username, STAFF_PASSWORD);
    expect(right.status).toBe(423);

    t.clock.advance(15 * MINUTE - 1000);
    expect((await loginAttempt(s.username, STAFF_PASSWORD)).status).toBe(423);
    t.clock.advance(1000);
    expect((await loginAttempt(s.username, STAFF_PASSWORD)).status).toBe(200);
    // The success forgot this address's failures.
    expect(await count(t.db, 'staff_login_failures', { username: s.username })).toBe(0);
  });

  it('when a success comes between failures, then the count starts again', async () => {
    const s = await loginAsStaff(t, 'finance');
    for (let i = 1; i < LOCKOUT.maxFailures; i++) await loginAttempt(s.username, 'wrong');
    await staffLogin(t, s.username);
    for (let i = 1; i < LOCKOUT.maxFailures; i++) expect((await loginAttempt(s.username, 'wrong')).status).toBe(401);
    expect((await loginAttempt(s.username, STAFF_PASSWORD)).status).toBe(200);
  });

  it('when many wrong passwords arrive at once, then every failure counts and the account ends locked', async () => {
    const s = await loginAsStaff(t, 'agent');
    const results = await Promise.all(
      Array.from({ length: LOCKOUT.maxFailures + 3 }, () => loginAttempt(s.username, 'wrong-parallel')),
    );
    expect(results.map((r) => r.status).every((st) => st === 401 || st === 423)).toBe(true);
    expect(results.some((r) => r.status === 423)).toBe(true);
    expect((await loginAttempt(s.username, STAFF_PASSWORD)).status).toBe(423);
    const row = await t.db('staff_login_failures').where({ username: s.username }).first();
    expect(row.locked_until).not.toBeNull();
  });
});

describe('staff management (staff.manage)', () => {
  it('when an admin creates, re-roles and disables a staff member, then each change applies on the next request', async () => {
    const agent = await loginAsStaff(t, 'agent');
    expect((await t.http.get('/api/admin/audit-logs').set(agent.auth)).status).toBe(403);

    const promoted = await t.http.patch(`/api/admin/staff/${agent.userId}`).set(admin.auth).send({ staffRole: 'ops_manager' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.data.staffRole).toBe('ops_manager');
    expect((await t.http.get('/api/admin/audit-logs').set(agent.auth)).status).toBe(200);

    const disabled = await t.http.patch(`/api/admin/staff/${agent.userId}`).set(admin.auth).send({ status: 'banned' });
    expect(disabled.status).toBe(200);
    expect((await t.http.get('/api/admin/orders').set(agent.auth)).status).toBe(403);
    const again = await loginAttempt(agent.username, STAFF_PASSWORD);
    expect(again.status).toBe(403);
    expect(await count(t.db, 'refresh_tokens', { user_id: agent.userId, revoked_at: null })).toBe(0);
  });

  it('when staff are listed, then WeChat admins and web accounts both appear, customers do not', async () => {
    await login(t, 'just-a-customer');
    const res = await t.http.get('/api/admin/staff').query({ limit: 100 }).set(admin.auth);
    expect(res.status).toBe(200);
    const items = res.body.data as { id: number; wechat: boolean; staffRole: string }[];
    expect(items.find((s) => s.id === admin.userId)).toMatchObject({ wechat: true, staffRole: 'admin' });
    expect(items.every((s) => s.staffRole !== null)).toBe(true);
    expect(res.body.pagination.total).toBe(items.length);
  });

  it('when a username is taken or the input is bad, then 409/400 and no account is made', async () => {
    const before = await count(t.db, 'users');
    const dup = await t.http
      .post('/api/admin/staff')
      .set(admin.auth)
      .send({ username: 'ops.zhang', password: STAFF_PASSWORD, staffRole: 'agent' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('USERNAME_TAKEN');
    const bad = await t.http
      .post('/api/admin/staff')
      .set(admin.auth)
      .send({ username: 'a b', password: 'short', staffRole: 'boss' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort()).toEqual([
      'body.password',
      'body.staffRole',
      'body.username',
    ]);
    expect(await count(t.db, 'users')).toBe(before);
  });

  it('when an admin changes their own role or status, then 409 and nothing changes', async () => {
    const res = await t.http.patch(`/api/admin/staff/${admin.userId}`).set(admin.auth).send({ staffRole: 'agent' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CANNOT_CHANGE_SELF');
    expect((await t.db('users').where({ id: admin.userId }).first()).staff_role).toBe('admin');
  });

  it('when a password is reset by an admin, then the old one stops working and the lockout is lifted', async () => {
    const s = await loginAsStaff(t, 'agent');
    for (let i = 0; i < LOCKOUT.maxFailures; i++) await loginAttempt(s.username, 'wrong');
    const reset = await t.http.patch(`/api/admin/staff/${s.userId}`).set(admin.auth).send({ password: 'N3w-password!' });
    expect(reset.status).toBe(200);
    expect((await loginAttempt(s.username, STAFF_PASSWORD)).status).toBe(401);
    expect((await loginAttempt(s.username, 'N3w-password!')).status).toBe(200);
    // The reset is audited without the password.
    const [row] = await auditRows({ action: 'staff.manage', method: 'PATCH', target_id: String(s.userId) });
    expect(JSON.stringify(row.details)).not.toContain('N3w-password!');
    expect(JSON.stringify(row.details)).toContain('[已隐藏]');
  });
});

describe('audit log (audit.read)', () => {
  it('when staff act, then the log lists who, what, target and details, newest first, filtered and paginated', async () => {
    const ops = await loginAsStaff(t, 'ops_manager');
    const customer = await login(t, 'audit-target');
    const banned = await t.http
      .post(`/api/admin/users/${customer.userId}/status`)
      .set(ops.auth)
      .send({ status: 'banned', reason: '恶意下单' });
    expect(banned.status).toBe(200);

    const res = await t.http.get('/api/admin/audit-logs').query({ actorId: ops.userId, limit: 1 }).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toMatchObject({ page: 1, limit: 1, total: 2 }); // the login, then the ban
    expect(res.body.data[0]).toMatchObject({
      actorId: ops.userId,
      actorRole: 'ops_manager',
      action: 'users.manage',
      method: 'POST',
      route: '/api/admin/users/:id/status',
      targetType: 'users',
      targetId: String(customer.userId),
      details: { status: 'banned', reason: '恶意下单' },
    });
    expect(res.body.data[0].requestId).toEqual(expect.any(String));

    const filtered = await t.http
      .get('/api/admin/audit-logs')
      .query({ action: 'staff.login', actorId: ops.userId })
      .set(admin.auth);
    expect(filtered.body.data).toHaveLength(1);
  });

  it('when a staff action fails, then one row records the attempt as failed with its status and code', async () => {
    const before = await count(t.db, 'audit_logs');
    const res = await t.http.post('/api/admin/orders/999999/cancel').set(admin.auth).send({ reason: '测试取消' });
    expect(res.status).toBe(404);
    expect(await count(t.db, 'audit_logs')).toBe(before + 1);
    expect(await auditRows({ action: 'orders.cancel', target_id: '999999' })).toMatchObject([
      { actor_id: admin.userId, outcome: 'failed', status_code: 404, error_code: 'NOT_FOUND' },
    ]);
  });

  it('when the query is bad, then 400', async () => {
    const res = await t.http.get('/api/admin/audit-logs').query({ page: 0, actorId: 'x' }).set(admin.auth);
    expect(res.status).toBe(400);
  });
});

describe('lockout by (username, client address)', () => {
  // Behind one trusted proxy (as with the bundled Nginx) the client address is X-Forwarded-For's.
  let p: TestApp;
  beforeAll(async () => {
    p = await createTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(() => p.close());

  const from = (ip: string, username: string, password: string) =>
    p.http.post('/api/admin/auth/login').set('X-Forwarded-For', ip).send({ username, password });
  const answer = (res: { status: number; body: { error?: { code: string; message: string } } }) => ({
    status: res.status,
    code: res.body.error?.code,
    message: res.body.error?.message,
  });

  it(`when a known and an unknown username each fail ${LOCKOUT.maxFailures} times, then every answer is identical, locked ones included`, async () => {
    const s = await loginAsStaff(p, 'agent');
    const known: ReturnType<typeof answer>[] = [];
    const unknown: ReturnType<typeof answer>[] = [];
    for (let i = 0; i < LOCKOUT.maxFailures + 1; i++) {
      known.push(answer(await from('203.0.113.7', s.username, 'wrong-password')));
      unknown.push(answer(await from('203.0.113.7', 'no-such-staff', 'wrong-password')));
    }
    // The right password changes nothing while the username is locked from this address.
    known.push(answer(await from('203.0.113.7', s.username, STAFF_PASSWORD)));
    unknown.push(answer(await from('203.0.113.7', 'no-such-staff', STAFF_PASSWORD)));

    expect(unknown).toEqual(known);
    expect(known.slice(0, LOCKOUT.maxFailures - 1).every((a) => a.status === 401 && a.code === 'INVALID_CREDENTIALS')).toBe(true);
    expect(known.slice(LOCKOUT.maxFailures - 1).every((a) => a.status === 423 && a.code === 'ACCOUNT_LOCKED')).toBe(true);
  });

  it('when an unknown username is tried, then it takes about as long as a wrong password (bcrypt runs against a dummy hash)', async () => {
    const s = await loginAsStaff(p, 'agent');
    const timed = async (username: string, ip: string) => {
      const started = performance.now();
      expect((await from(ip, username, 'wrong-password')).status).toBe(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const knownMs: number[] = [];
    const unknownMs: number[] = [];
    // Different addresses, so that neither is locked by the measurement itself.
    for (let i = 0; i < 4; i++) {
      knownMs.push(await timed(s.username, `198.51.100.${10 + i}`));
      unknownMs.push(await timed('nobody-at-all', `198.51.100.${20 + i}`));
    }
    // A bcrypt comparison at cost 10 dominates both (tens of milliseconds); skipping it would be ~1 ms.
    expect(median(unknownMs)).toBeGreaterThan(median(knownMs) * 0.4);
  });

  it("when a stranger locks a colleague's username from one address, then the colleague still signs in from another, and the lock stays on the stranger's", async () => {
    const s = await loginAsStaff(p, 'finance');
    for (let i = 0; i < LOCKOUT.maxFailures; i++) await from('192.0.2.66', s.username, 'guess');
    expect(answer(await from('192.0.2.66', s.username, STAFF_PASSWORD))).toMatchObject({ status: 423, code: 'ACCOUNT_LOCKED' });

    const colleague = await from('192.0.2.10', s.username, STAFF_PASSWORD);
    expect(colleague.status).toBe(200);
    expect(colleague.body.data.user.id).toBe(s.userId);

    expect((await from('192.0.2.66', s.username, STAFF_PASSWORD)).status).toBe(423);
    // The console shows the lock on the account (the latest from any address).
    const admin = await loginAsAdmin(p);
    const listed = await p.http.get('/api/admin/staff').query({ keyword: s.username }).set(admin.auth);
    expect(listed.body.data[0].lockedUntil).not.toBeNull();
  });

  it('when failures come from rotating addresses of one IPv6 /64, then they lock the username for that whole /64 only', async () => {
    const s = await loginAsStaff(p, 'agent');
    for (let i = 1; i <= LOCKOUT.maxFailures; i++) await from(`2001:db8:77:1::${i}`, s.username, 'guess');
    expect((await from('2001:db8:77:1:ffff::1', s.username, STAFF_PASSWORD)).status).toBe(423);
    expect((await from('2001:db8:77:2::1', s.username, STAFF_PASSWORD)).status).toBe(200);
  });

  it('when a username differs only in letter case, then it counts against the same lock', async () => {
    const s = await loginAsStaff(p, 'agent');
    for (let i = 0; i < LOCKOUT.maxFailures; i++)
      await from('192.0.2.77', i % 2 ? s.username.toUpperCase() : s.username, 'guess');
    expect((await from('192.0.2.77', s.username, STAFF_PASSWORD)).status).toBe(423);
  });
});
