import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';

describe('my profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when I read my profile, then the phone is masked and private columns are absent', async () => {
    const s = await login(t, 'profile-reader');
    await t.db('users').where({ id: s.userId }).update({ phone: '13812341234' });
    const res = await t.http.get('/api/users/me').set(s.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: s.userId,
      phone: '138****1234',
      hasPhone: true,
      userType: 'user',
      status: 'active',
    });
    expect(res.body.data).not.toHaveProperty('openid');
    expect(JSON.stringify(res.body)).not.toContain('13812341234');
  });

  it('when I update my profile, then the fields change and updated_at moves', async () => {
    const s = await login(t, 'profile-writer');
    const before = await t.db('users').where({ id: s.userId }).first();
    t.clock.advance(1000);
    const res = await t.http.patch('/api/users/me').set(s.auth).send({
      nickname: '  小王  ',
      gender: 'female',
      city: '杭州市',
      address: '西湖区 1 号',
      avatarUrl: 'https://cdn.example.com/x.png',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ nickname: '小王', gender: 'female', city: '杭州市', address: '西湖区 1 号' });
    const after = await t.db('users').where({ id: s.userId }).first();
    expect(after.avatar).toBe('https://cdn.example.com/x.png');
    expect(new Date(after.updated_at).getTime()).toBeGreaterThan(new Date(before.updated_at).getTime());
  });

  it('when the update is invalid, then 400 lists every bad field and nothing changes', async () => {
    const s = await login(t, 'profile-bad');
    const before = await t.db('users').where({ id: s.userId }).first();
    const res = await t.http
      .patch('/api/users/me')
      .set(s.auth)
      .send({ gender: 'robot', nickname: 'x'.repeat(65), avatarUrl: 'javascript:alert(1)' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string[] }) => d.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['body.gender', 'body.nickname', 'body.avatarUrl']));
    expect(await t.db('users').where({ id: s.userId }).first()).toEqual(before);
  });

  it('when the mini-program updates with PUT (wx.request has no PATCH), then it is the same update with the same validation', async () => {
    const s = await login(t, 'profile-put');
    const ok = await t.http.put('/api/users/me').set(s.auth).send({ nickname: '小李', city: '宁波市' });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ nickname: '小李', city: '宁波市' });
    const before = await t.db('users').where({ id: s.userId }).first();
    const bad = await t.http.put('/api/users/me').set(s.auth).send({ gender: 'robot' });
    expect(bad.status).toBe(400);
    expect(await t.db('users').where({ id: s.userId }).first()).toEqual(before);
  });

  it('when the update has an unknown field or no field, then 400', async () => {
    const s = await login(t, 'profile-sneaky');
    const sneaky = await t.http.patch('/api/users/me').set(s.auth).send({ userType: 'admin' });
    expect(sneaky.status).toBe(400);
    expect((await t.db('users').where({ id: s.userId }).first()).user_type).toBe('user');
    expect((await t.http.patch('/api/users/me').set(s.auth).send({})).status).toBe(400);
  });
});

describe('role guards and user management', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAsAdmin(t);
  });
  afterAll(() => t.close());

  it('when a customer or an electrician calls an admin route, then 403; without a token, 401', async () => {
    const customer = await login(t, 'guard-customer');
    const electrician = await loginAsElectrician(t, 'guard-electrician');
    expect((await t.http.get('/api/admin/users').set(customer.auth)).body.error.code).toBe('FORBIDDEN');
    expect((await t.http.get('/api/admin/users').set(electrician.auth)).status).toBe(403);
    expect((await t.http.get('/api/admin/users')).status).toBe(401);
    expect((await t.http.get('/api/admin/users').set(admin.auth)).status).toBe(200);
  });

  it('when a user is promoted in the database by hand, then the same token passes admin guards once its session check expires', async () => {
    const s = await login(t, 'promoted');
    expect((await t.http.get('/api/admin/users').set(s.auth)).status).toBe(403);
    await t.db('users').where({ id: s.userId }).update({ user_type: 'admin', staff_role: 'ops_manager' });
    // Nothing told the instance: the session check it holds stands until it expires (SESSION_CACHE_MS).
    expect((await t.http.get('/api/admin/users').set(s.auth)).status).toBe(403);
    t.clock.advance(t.config.sessionCacheMs);
    try {
      expect((await t.http.get('/api/admin/users').set(s.auth)).status).toBe(200);
    } finally {
      t.clock.advance(-t.config.sessionCacheMs);
    }
  });

  it('when a user is made staff by ADMIN_OPENIDS at their next login, then their earlier token passes admin guards on the next request', async () => {
    const s = await login(t, 'promoted-by-login');
    expect((await t.http.get('/api/admin/users').set(s.auth)).status).toBe(403);
    t.config.adminOpenids.push('dev-promoted-by-login');
    try {
      expect((await t.http.post('/api/auth/wechat-login').send({ code: 'dev-promoted-by-login' })).body.data.userType).toBe(
        'admin',
      );
      expect((await t.http.get('/api/admin/users').set(s.auth)).status).toBe(200);
    } finally {
      t.config.adminOpenids.pop();
    }
  });

  it('when an admin searches users, then the results are paginated and a % in the keyword is literal', async () => {
    await login(t, 'search-zhang-1');
    await login(t, 'search-zhang-2');
    await login(t, 'search-li');
    const res = await t.http.get('/api/admin/users').query({ keyword: 'search-zhang', limit: 1 }).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 1, limit: 1, total: 2 });
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].openid).toMatch(/^dev-search-zhang/);
    const literal = await t.http.get('/api/admin/users').query({ keyword: '%' }).set(admin.auth);
    expect(literal.body.pagination.total).toBe(0);
    const bad = await t.http.get('/api/admin/users').query({ limit: 1000, userType: 'god' }).set(admin.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort()).toEqual([
      'query.limit',
      'query.userType',
    ]);
  });

  it('when an admin bans a user, then their token is refused at once, refresh fails and login is 403; reinstating lets them back', async () => {
    const s = await login(t, 'to-ban');
    const res = await t.http
      .post(`/api/admin/users/${s.userId}/status`)
      .set(admin.auth)
      .send({ status: 'banned', reason: '恶意下单' });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('banned');
    expect((await t.http.get('/api/users/me').set(s.auth)).status).toBe(403);
    expect((await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken })).status).toBe(403);
    expect((await t.http.post('/api/auth/wechat-login').send({ code: 'dev-to-ban' })).status).toBe(403);
    expect(await count(t.db, 'refresh_tokens', { user_id: s.userId, revoked_at: null })).toBe(0);

    await t.http.post(`/api/admin/users/${s.userId}/status`).set(admin.auth).send({ status: 'active', reason: '申诉通过' });
    const back = await login(t, 'to-ban');
    expect((await t.http.get('/api/users/me').set(back.auth)).status).toBe(200);
  });

  it('when a banned user still holds a live session, then every request is 403', async () => {
    const s = await login(t, 'banned-live');
    await t.db('users').where({ id: s.userId }).update({ status: 'banned' });
    const res = await t.http.get('/api/users/me').set(s.auth);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('when an admin tries to ban themselves or an unknown user, then it is refused and nothing changes', async () => {
    const self = await t.http
      .post(`/api/admin/users/${admin.userId}/status`)
      .set(admin.auth)
      .send({ status: 'banned', reason: '测试一下' });
    expect(self.status).toBe(400);
    expect((await t.db('users').where({ id: admin.userId }).first()).status).toBe('active');
    const missing = await t.http
      .post('/api/admin/users/999999/status')
      .set(admin.auth)
      .send({ status: 'banned', reason: '不存在' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const badId = await t.http.post('/api/admin/users/abc/status').set(admin.auth).send({ status: 'banned', reason: '不存在' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].path).toEqual(['params', 'id']);
  });
});
