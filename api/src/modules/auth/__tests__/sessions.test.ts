import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../../shared/clock';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';

describe('refresh tokens and logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: string) => t.http.post('/api/auth/refresh').send({ refreshToken });
  const me = (token: string) => t.http.get('/api/users/me').set('Authorization', `Bearer ${token}`);

  it('when a refresh token is used, then a new pair is issued and the old token is revoked as rotated', async () => {
    const s = await login(t, 'rotator');
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(200);
    const { token, refreshToken } = res.body.data;
    expect(refreshToken).not.toBe(s.refreshToken);
    expect((await me(token)).status).toBe(200);
    const rows = await t.db('refresh_tokens').where({ user_id: s.userId }).orderBy('id');
    expect(rows).toHaveLength(2);
    expect(rows[0].revoked_reason).toBe('rotated');
    expect(rows[0].replaced_by_id).toBe(rows[1].id);
    expect(rows[1].revoked_at).toBeNull();
    expect(rows[0].family_id).toBe(rows[1].family_id);
    // Only hashes are stored.
    expect(rows.map((r) => r.token_hash)).not.toContain(refreshToken);
  });

  it('when a rotated refresh token is presented again, then the whole session is revoked', async () => {
    const s = await login(t, 'thief-victim');
    const rotated = (await refresh(s.refreshToken)).body.data;
    const reuse = await refresh(s.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('UNAUTHORIZED');
    // The legitimate holder's newer tokens die with it.
    expect((await refresh(rotated.refreshToken)).status).toBe(401);
    expect((await me(rotated.token)).status).toBe(401);
    expect(await count(t.db, 'refresh_tokens', { user_id: s.userId, revoked_at: null })).toBe(0);
    const reasons = await t.db('refresh_tokens').where({ user_id: s.userId }).pluck('revoked_reason');
    expect(reasons.sort()).toEqual(['reuse', 'rotated']);
  });

  it('when the same refresh token is used twice at once, then at most one rotation succeeds', async () => {
    const s = await login(t, 'racer');
    const results = await Promise.all([refresh(s.refreshToken), refresh(s.refreshToken)]);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
  });

  it('when the refresh token is unknown or malformed, then 401 or 400 and nothing is written', async () => {
    const before = await count(t.db, 'refresh_tokens');
    expect((await refresh('x'.repeat(43))).status).toBe(401);
    const bad = await t.http.post('/api/auth/refresh').send({});
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['body', 'refreshToken']);
    expect(await count(t.db, 'refresh_tokens')).toBe(before);
  });

  it('when a refresh token is older than 30 days, then it no longer refreshes', async () => {
    const s = await login(t, 'sleeper');
    t.clock.advance(30 * DAY + 1000);
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('过期');
  });

  it('when an access token is older than 2 hours, then it is refused but the refresh token still works', async () => {
    const s = await login(t, 'napper');
    t.clock.advance(2 * HOUR - 5000);
    expect((await me(s.token)).status).toBe(200);
    t.clock.advance(10_000);
    const expired = await me(s.token);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toContain('过期');
    const renewed = await refresh(s.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await me(renewed.body.data.token)).status).toBe(200);
  });

  it('when a token is signed with another secret or is not a JWT, then 401', async () => {
    const jwt = await import('jsonwebtoken');
    const forged = jwt.default.sign({ sid: 'x', typ: 'access' }, 'another-secret-another-secret-another', {
      subject: '1',
      issuer: 'repair-api',
    });
    expect((await me(forged)).status).toBe(401);
    expect((await me('not-a-jwt')).status).toBe(401);
    expect((await t.http.get('/api/users/me').set('Authorization', 'Basic abc')).status).toBe(401);
    expect((await t.http.get('/api/users/me')).body.error.code).toBe('UNAUTHORIZED');
  });

  it('when a user logs out, then that session cannot call the API or refresh, and other sessions live on', async () => {
    const phone = await login(t, 'two-devices');
    const tablet = await login(t, 'two-devices');
    const res = await t.http.post('/api/auth/logout').set(phone.auth).send({ refreshToken: phone.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: {} });
    expect((await me(phone.token)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    expect((await me(tablet.token)).status).toBe(200);
    expect((await refresh(tablet.refreshToken)).status).toBe(200);
  });

  it("when someone logs out with another user's refresh token, then that user's session is untouched", async () => {
    const mallory = await login(t, 'mallory');
    const victim = await login(t, 'victim');
    await t.http.post('/api/auth/logout').set(mallory.auth).send({ refreshToken: victim.refreshToken });
    expect((await me(victim.token)).status).toBe(200);
    expect((await refresh(victim.refreshToken)).status).toBe(200);
  });

  it('when a banned user tries to refresh, then 403 and the session is revoked', async () => {
    const s = await login(t, 'banned-refresher');
    await t.db('users').where({ id: s.userId }).update({ status: 'banned' });
    const res = await refresh(s.refreshToken);
    expect(res.status).toBe(403);
    expect(await count(t.db, 'refresh_tokens', { user_id: s.userId, revoked_at: null })).toBe(0);
  });
});
