/**
 * Tokens (issue #10): every way a bearer token can be wrong, tried on HTTP and on the Socket.IO
 * handshake alike. A refused token never reaches a handler, so nothing changes.
 */
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/shared/clock';
import { closeClients, connect, startRealtime } from '../../src/realtime/__tests__/support';
import type { RunningServer } from '../../src/server';
import { createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../harness';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const parts = (token: string) => token.split('.') as [string, string, string];
const claims = (token: string) => JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString()) as Record<string, unknown>;
const hs256 = (header: unknown, payload: unknown, secret: string) => {
  const data = `${b64(header)}.${b64(payload)}`;
  return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
};

describe('token hardening on HTTP and sockets', () => {
  let t: TestApp;
  let server: RunningServer;
  let url: string;
  let victim: Session;
  let secret: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ server, url } = await startRealtime(t.c));
    victim = await login(t, 'token-victim');
    secret = t.config.jwtSecret;
  });
  afterAll(async () => {
    closeClients();
    await server.stop(100);
    await t.close();
  });

  /** Each case builds a token from a fresh, valid one of the victim. */
  const forgeries: [string, (valid: string) => string | Promise<string>][] = [
    ['no token at all', () => ''],
    ['garbage', () => 'not-a-jwt'],
    [
      'payload changed, signature kept (user id swapped)',
      (v) => {
        const [h, , s] = parts(v);
        return `${h}.${b64({ ...claims(v), sub: String(victim.userId + 1) })}.${s}`;
      },
    ],
    ['alg none, unsigned', (v) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(v))}.`],
    ['alg none, with the original signature', (v) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(v))}.${parts(v)[2]}`],
    ['signed with another secret', (v) => hs256({ alg: 'HS256', typ: 'JWT' }, claims(v), 'guessed-secret-guessed-secret-123')],
    ['HS512 with the right secret (algorithm not allowed)', (v) => jwt.sign(claims(v), secret, { algorithm: 'HS512' })],
    ['another issuer', (v) => hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims(v), iss: 'someone-else' }, secret)],
    ['not an access token (typ refresh)', (v) => hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims(v), typ: 'refresh' }, secret)],
    ['an unknown session id', (v) => hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims(v), sid: 'no-such-session' }, secret)],
    [
      'expired (exp in the past)',
      (v) => hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims(v), exp: Math.floor(t.clock.now().getTime() / 1000) - 1 }, secret),
    ],
    ['the refresh token used as a bearer token', () => victim.refreshToken],
    [
      'without exp (never expiring), right secret',
      (v) => {
        const { exp: _exp, ...rest } = claims(v);
        return hs256({ alg: 'HS256', typ: 'JWT' }, rest, secret);
      },
    ],
    [
      'with exp a year away (beyond the 2-hour lifetime), right secret',
      (v) =>
        hs256(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims(v), exp: Math.floor(t.clock.now().getTime() / 1000) + 365 * 24 * 3600 },
          secret,
        ),
    ],
    ['with exp not a number, right secret', (v) => hs256({ alg: 'HS256', typ: 'JWT' }, { ...claims(v), exp: 'never' }, secret)],
  ];

  it.each(forgeries)('when the token is %s, then HTTP answers 401 and the socket handshake is refused', async (_name, forge) => {
    const token = await forge(victim.token);
    const before = await t.db('users').where({ id: victim.userId }).first();
    const res = await t.http
      .patch('/api/users/me')
      .set(token ? { Authorization: `Bearer ${token}` } : {})
      .send({ nickname: '被篡改' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    expect(await t.db('users').where({ id: victim.userId }).first()).toEqual(before);
    await expect(connect(url, token)).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
  });

  it('when the real token is used after its 2 hours, then both HTTP and the socket refuse it, and refresh still works', async () => {
    const s = await login(t, 'token-expiring');
    t.clock.advance(2 * HOUR + 1_000);
    expect((await t.http.get('/api/users/me').set(s.auth)).status).toBe(401);
    await expect(connect(url, s.token)).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    const refreshed = await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await connect(url, refreshed.body.data.token)).connected).toBe(true);
  });

  it('when a refresh token is reused after rotation, then the whole session dies on HTTP and sockets', async () => {
    const s = await login(t, 'token-reuse');
    const rotated = (await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken })).body.data;
    expect((await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken })).status).toBe(401);
    expect((await t.http.get('/api/users/me').set('Authorization', `Bearer ${rotated.token}`)).status).toBe(401);
    await expect(connect(url, rotated.token)).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
  });

  it('when a user is banned, then their still-valid tokens are refused on HTTP, the socket handshake is refused FORBIDDEN, and refresh fails', async () => {
    const s = await login(t, 'token-banned');
    const admin = await loginAsAdmin(t);
    const ban = await t.http
      .post(`/api/admin/users/${s.userId}/status`)
      .set(admin.auth)
      .send({ status: 'banned', reason: '刷单' });
    expect(ban.status, JSON.stringify(ban.body)).toBe(200);
    const res = await t.http.patch('/api/users/me').set(s.auth).send({ nickname: '封禁之后' });
    // The ban also signs them out everywhere, so the token may be refused as revoked (401) or banned (403).
    expect([401, 403]).toContain(res.status);
    expect((await t.db('users').where({ id: s.userId }).first()).nickname).not.toBe('封禁之后');
    await expect(connect(url, s.token)).rejects.toMatchObject({
      data: { code: expect.stringMatching(/FORBIDDEN|UNAUTHORIZED/) },
    });
    expect([401, 403]).toContain((await t.http.post('/api/auth/refresh').send({ refreshToken: s.refreshToken })).status);
  });
});
