/**
 * Limits and headers (issue #10): rate limits answer 429 with Retry-After; body size limits;
 * helmet's headers; CORS only for configured origins; and the logs of a whole journey never hold
 * a token, a full phone number or an ID-card number.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, uploadImage } from '../../src/modules/orders/__tests__/order-helpers';
import { createLogger } from '../../src/shared/logger';
import { createTestApp, login, loginAsElectrician, applyAs, type TestApp } from '../harness';

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      container: {
        rateLimits: { login: 3, smsCode: 1, orderCreate: 2, uploads: 2, refresh: 100, windowMs: 60_000 },
        chatSendLimit: { limit: 2, windowMs: 60_000 },
      },
    });
  });
  afterAll(() => t.close());

  const expect429 = (res: { status: number; headers: Record<string, string>; body: { error?: { code: string } } }) => {
    expect(res.status).toBe(429);
    expect(res.body.error?.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('when logins from one address exceed the limit, then 429 with Retry-After and no user is created', async () => {
    for (let i = 0; i < 3; i++)
      expect((await t.http.post('/api/auth/wechat-login').send({ code: `dev-limit-${i}` })).status).toBe(200);
    const users = await t.db('users').count({ n: '*' });
    expect429(await t.http.post('/api/auth/wechat-login').send({ code: 'dev-limit-extra' }));
    expect(await t.db('users').count({ n: '*' })).toEqual(users);
  });

  it('when SMS codes are requested too often, then 429 with Retry-After', async () => {
    expect((await t.http.post('/api/auth/sms-code').send({ phoneNumber: '13800138001' })).status).toBeLessThan(300);
    expect429(await t.http.post('/api/auth/sms-code').send({ phoneNumber: '13800138001' }));
  });
});

describe('IPv6 clients are limited per /64', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind one trusted proxy the client address is X-Forwarded-For's (as behind the bundled Nginx).
    t = await createTestApp({
      env: { TRUST_PROXY: '1' },
      container: { rateLimits: { login: 3, smsCode: 1, orderCreate: 2, uploads: 2, refresh: 100, windowMs: 60_000 } },
    });
  });
  afterAll(() => t.close());

  const loginFrom = (ip: string, name: string) =>
    t.http
      .post('/api/auth/wechat-login')
      .set('X-Forwarded-For', ip)
      .send({ code: `dev-${name}` });

  it('when addresses of one /64 log in, then they share one counter; another /64 and an IPv4 client count apart', async () => {
    expect((await loginFrom('2001:db8:aa:1::1', 'v6-a')).status).toBe(200);
    expect((await loginFrom('2001:db8:aa:1:ffff:ffff:ffff:fffe', 'v6-b')).status).toBe(200);
    expect((await loginFrom('2001:db8:aa:1:1234:5678:9abc:def0', 'v6-c')).status).toBe(200);

    const rotated = await loginFrom('2001:db8:aa:1::abcd', 'v6-d');
    expect(rotated.status).toBe(429);
    expect(rotated.body.error.code).toBe('RATE_LIMITED');

    expect((await loginFrom('2001:db8:aa:2::1', 'v6-other-net')).status).toBe(200);
    expect((await loginFrom('203.0.113.9', 'v4-client')).status).toBe(200);
  });
});

describe('per-user limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      container: { rateLimits: { orderCreate: 2, uploads: 2, windowMs: 60_000 }, chatSendLimit: { limit: 2, windowMs: 60_000 } },
    });
  });
  afterAll(() => t.close());

  it('when a customer creates orders too fast, then the third gets 429 with Retry-After and is not created', async () => {
    const s = await login(t, 'limit-orders');
    await placeOrder(t, s);
    await placeOrder(t, s);
    const res = await t.http.post('/api/orders').set(s.auth).send({ description: 'x' });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await t.db('orders').where({ user_id: s.userId }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('when a user uploads too fast, then 429 with Retry-After', async () => {
    const s = await login(t, 'limit-uploads');
    await uploadImage(t, s, 'order');
    await uploadImage(t, s, 'order');
    await expect(uploadImage(t, s, 'order')).rejects.toThrow(/429/);
  });

  it('when a user sends chat messages too fast, then 429 with Retry-After and nothing is stored', async () => {
    const customer = await login(t, 'limit-chat');
    const e = await loginAsElectrician(t, 'limit-chat-electrician');
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(e.auth)).status).toBe(200);
    const conversation = (await t.http.get('/api/chat/conversations').set(customer.auth)).body.data[0];
    const send = (n: number) =>
      t.http
        .post(`/api/chat/conversations/${conversation.id}/messages`)
        .set(customer.auth)
        .send({ type: 'text', content: `第${n}条` });
    expect((await send(1)).status).toBe(201);
    expect((await send(2)).status).toBe(201);
    const res = await send(3);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await t.db('chat_messages').where({ sender_id: customer.userId }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });
});

describe('headers and CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://ops.example.com' } });
  });
  afterAll(() => t.close());

  it('when any API answer goes out, then it carries the security headers and no X-Powered-By', async () => {
    for (const res of [await t.http.get('/healthz'), await t.http.get('/api/orders'), await t.http.get('/api/nothing')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('when a browser asks from a configured origin, then CORS allows it; from any other origin, it does not', async () => {
    const allowed = await t.http
      .options('/api/orders')
      .set('Origin', 'https://ops.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example.com');
    const evil = await t.http
      .options('/api/orders')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await t.http.get('/healthz').set('Origin', 'https://evil.example.com');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when a body is over the limit or not JSON, then 413 or 400 without a stack trace', async () => {
    const big = await t.http
      .post('/api/auth/wechat-login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ code: 'x'.repeat(200 * 1024) }));
    expect(big.status).toBe(413);
    const bad = await t.http.post('/api/auth/wechat-login').set('Content-Type', 'application/json').send('{"code":');
    expect(bad.status).toBe(400);
    for (const res of [big, bad]) expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules/);
  });
});

describe('logs', () => {
  it('when a customer and an electrician go through login, phone binding, application and an order, then no log line holds a token, a full phone number or an ID number', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    // The app's own logger (redaction included), at debug level, writing to memory.
    const t = await createTestApp({ env: { LOG_LEVEL: 'debug' }, container: { logger: createLogger('debug', sink) } });
    try {
      const customer = await login(t, 'log-customer');
      await t.http.post('/api/auth/bind-phone').set(customer.auth).send({ code: 'dev-phone-13912345678' });
      await t.http.post('/api/auth/refresh').send({ refreshToken: customer.refreshToken });
      const applicant = await applyAs(t, 'log-electrician');
      const order = await placeOrder(t, customer, { contactPhone: '13712345678' });
      await t.http.get(`/api/orders/${order.id}`).set(customer.auth);
      await t.http.get('/api/users/me').set('Authorization', `Bearer ${customer.token}x`);
      await t.http
        .post('/api/electricians/apply')
        .set(applicant.s.auth)
        .send({ ...applicant.body, idCard: 'not-an-id' });
      await t.c.bus.drain();
      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(10);
      const secrets = [
        customer.token,
        customer.refreshToken,
        applicant.s.token,
        '13912345678',
        '13712345678',
        applicant.body.idCard as string,
      ];
      for (const secret of secrets) expect(log, `a log line holds ${secret.slice(0, 12)}…`).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});
