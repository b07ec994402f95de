import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWechat, type FakeWechat } from '../../../../test/fakes/wechat-server';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';

describe('dev WeChat login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when a new dev code logs in, then a user is created and the token opens /api/users/me', async () => {
    const res = await t.http
      .post('/api/auth/wechat-login')
      .send({ code: 'dev-newbie', userInfo: { nickName: '小新', gender: 1, avatarUrl: 'https://example.com/a.png' } });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const data = res.body.data;
    expect(data).toMatchObject({ userType: 'user', isNewUser: true, expiresIn: 7200 });
    expect(data.user).toMatchObject({
      nickname: '小新',
      gender: 'male',
      avatarUrl: 'https://example.com/a.png',
      hasPhone: false,
    });
    expect(data.token).toMatch(/^ey/);
    expect(data.refreshToken.length).toBeGreaterThanOrEqual(40);
    const row = await t.db('users').where({ openid: 'dev-newbie' }).first();
    expect(row.user_type).toBe('user');
    expect(row.last_login_at).not.toBeNull();

    const me = await t.http.get('/api/users/me').set('Authorization', `Bearer ${data.token}`);
    expect(me.status).toBe(200);
    expect(me.body.data.id).toBe(row.id);
  });

  it('when the same code logs in again, then it is the same user, not new, and no duplicate row exists', async () => {
    const first = await login(t, 'again');
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-again' });
    expect(res.body.data.isNewUser).toBe(false);
    expect(res.body.data.user.id).toBe(first.userId);
    expect(await count(t.db, 'users', { openid: 'dev-again' })).toBe(1);
    expect(await count(t.db, 'refresh_tokens', { user_id: first.userId })).toBe(2);
  });

  it('when the same new user logs in twice at once, then exactly one user row exists', async () => {
    const results = await Promise.all([1, 2, 3].map(() => t.http.post('/api/auth/wechat-login').send({ code: 'dev-twice' })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(results.map((r) => r.body.data.user.id)).size).toBe(1);
    expect(await count(t.db, 'users', { openid: 'dev-twice' })).toBe(1);
  });

  it('when the code is not a dev code, then 401 WECHAT_LOGIN_FAILED and no user is created', async () => {
    const before = await count(t.db, 'users');
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'real-looking-code' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_LOGIN_FAILED');
    expect(await count(t.db, 'users')).toBe(before);
  });

  it('when the openid is in ADMIN_OPENIDS, then the user is an admin with the admin staff role', async () => {
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-admin' });
    expect(res.body.data.userType).toBe('admin');
    expect(res.body.data.user.staffRole).toBe('admin');
  });

  it('when an existing user is added to ADMIN_OPENIDS, then the next login grants admin', async () => {
    expect((await t.http.post('/api/auth/wechat-login').send({ code: 'dev-later-admin' })).body.data.userType).toBe('user');
    t.config.adminOpenids.push('dev-later-admin');
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-later-admin' });
    expect(res.body.data.userType).toBe('admin');
  });

  it('when a banned user logs in, then 403 and no session is issued', async () => {
    const s = await login(t, 'villain');
    await t.db('users').where({ id: s.userId }).update({ status: 'banned' });
    const sessionsBefore = await count(t.db, 'refresh_tokens', { user_id: s.userId });
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-villain' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(res.body.data).toBeUndefined();
    expect(await count(t.db, 'refresh_tokens', { user_id: s.userId })).toBe(sessionsBefore);
  });
});

describe('live WeChat login against a fake WeChat server', () => {
  let fake: FakeWechat;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeWechat();
    t = await createTestApp({ env: { WECHAT_APPID: fake.appid, WECHAT_SECRET: fake.secret, WECHAT_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });
  afterEach(() => {
    fake.calls.length = 0;
  });

  it('when WeChat accepts the code, then the user is created with its openid and unionid', async () => {
    fake.codes.set('code-1', { openid: 'o-live-1', unionid: 'u-live-1' });
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'code-1' });
    expect(res.status).toBe(200);
    expect(res.body.data.isNewUser).toBe(true);
    const row = await t.db('users').where({ openid: 'o-live-1' }).first();
    expect(row.unionid).toBe('u-live-1');
    expect(fake.calls).toEqual([
      {
        path: '/sns/jscode2session',
        query: { appid: fake.appid, secret: fake.secret, js_code: 'code-1', grant_type: 'authorization_code' },
        body: {},
      },
    ]);
  });

  it('when a code is used twice, then WeChat refuses and the second login is 401', async () => {
    fake.codes.set('code-2', { openid: 'o-live-2' });
    expect((await t.http.post('/api/auth/wechat-login').send({ code: 'code-2' })).status).toBe(200);
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'code-2' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_LOGIN_FAILED');
  });

  it('when a dev code is sent in live mode, then it is just an invalid code', async () => {
    const res = await t.http.post('/api/auth/wechat-login').send({ code: 'dev-alice' });
    expect(res.status).toBe(401);
    expect(await count(t.db, 'users', { openid: 'dev-alice' })).toBe(0);
  });

  it('when WeChat cannot be reached, then 502 WECHAT_UNAVAILABLE', async () => {
    const down = await createTestApp({ env: { WECHAT_APPID: 'a', WECHAT_SECRET: 'b', WECHAT_API_BASE: 'http://127.0.0.1:1' } });
    try {
      const res = await down.http.post('/api/auth/wechat-login').send({ code: 'anything' });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
      expect(await count(down.db, 'users')).toBe(0);
    } finally {
      await down.close();
    }
  });
});
