/**
 * Rate limits shared by API instances through Redis (REDIS_URL): two instances (own container, own
 * app) on one database and one redis-server count against one total; when Redis goes away, every
 * limit fails open. Without REDIS_URL the per-process limits are covered by test/hardening/limits.test.ts.
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { createContainer, type Container, type ContainerOptions } from '../../container';
import { createDb } from '../../db';
import { placeOrder } from '../../modules/orders/__tests__/order-helpers';
import { freePort, startRedis } from '../../realtime/__tests__/support';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../test/harness';
import { createLogger, type Logger } from '../logger';
import type { RateLimits } from '../rate-limit';

type Http = ReturnType<typeof request>;

const LIFTED: RateLimits = {
  login: 10_000,
  refresh: 10_000,
  smsCode: 10_000,
  uploads: 10_000,
  orderCreate: 10_000,
  windowMs: 60_000,
};

/** Instance A is the test app; instance B a second container and app on the same database and REDIS_URL. */
async function twoInstances(redisUrl: string, options: ContainerOptions, logger?: (instance: 'A' | 'B') => Logger) {
  const t = await createTestApp({
    env: { REDIS_URL: redisUrl },
    container: { ...options, ...(logger && { logger: logger('A') }) },
  });
  const b: Container = createContainer(t.config, {
    db: createDb(t.config.databaseUrl),
    clock: t.clock,
    logger: logger?.('B') ?? createLogger(t.config.logLevel),
    ...options,
  });
  const httpB = request(createApp(b));
  return {
    t,
    b,
    /** Instance A for even `i`, B for odd. */
    via: (i: number): Http => (i % 2 === 0 ? t.http : httpB),
    async close() {
      await b.rateLimitRedis?.close();
      await b.db.destroy();
      await t.close();
    },
  };
}

/** A customer with an accepted order, and the id of its conversation. */
async function orderConversation(t: TestApp, name: string): Promise<{ customer: Session; conversationId: number }> {
  const customer = await login(t, `${name}-cust`);
  const electrician = await loginAsElectrician(t, `${name}-elec`);
  const order = await placeOrder(t, customer);
  expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
  await t.c.bus.drain();
  const conversations = await t.http.get('/api/chat/conversations').set(customer.auth);
  return { customer, conversationId: (conversations.body.data as { id: number }[])[0]!.id };
}

const sendText = (http: Http, s: Session, conversationId: number, content: string) =>
  http.post(`/api/chat/conversations/${conversationId}/messages`).set(s.auth).send({ type: 'text', content });

describe('request limiters across instances (Redis store)', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let two: Awaited<ReturnType<typeof twoInstances>>;

  beforeAll(async () => {
    redis = await startRedis();
    two = await twoInstances(`redis://127.0.0.1:${redis.port}`, {
      rateLimits: { ...LIFTED, login: 3, refresh: 3 },
    });
  });
  afterAll(async () => {
    await two?.close();
    await redis?.stop();
  });

  it('when logins alternate between instance A and B, then the request after the limit in total gets 429 with Retry-After, on both instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (
          await two
            .via(i)
            .post('/api/auth/wechat-login')
            .send({ code: `dev-alt-${i}` })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 429]);
    for (const http of [two.via(0), two.via(1)]) {
      const res = await http.post('/api/auth/wechat-login').send({ code: 'dev-alt-extra' });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('when logins are used up, then refresh and staff sign-in still have their own counters', async () => {
    while ((await two.via(0).post('/api/auth/wechat-login').send({ code: 'dev-used-up' })).status !== 429);
    const refresh: number[] = [];
    const staff: number[] = [];
    for (let i = 0; i < 4; i++) {
      refresh.push((await two.via(i).post('/api/auth/refresh').send({ refreshToken: 'not-a-token' })).status);
      staff.push(
        (
          await two
            .via(i + 1)
            .post('/api/admin/auth/login')
            .send({ username: 'nobody', password: 'wrong-password' })
        ).status,
      );
    }
    // Refused (a bad token, wrong credentials) but counted: the 4th of each is over its own limit.
    for (const statuses of [refresh, staff]) {
      expect(statuses.slice(0, 3)).not.toContain(429);
      expect(statuses[3]).toBe(429);
    }
    const keys = await two.b.rateLimitRedis!.client.keys('rl:*');
    expect(keys.map((k) => k.split(':')[1]).sort()).toEqual(['login', 'refresh', 'staff-login']);
  });
});

describe('chat send limit across instances (Redis window)', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let two: Awaited<ReturnType<typeof twoInstances>>;

  beforeAll(async () => {
    redis = await startRedis();
    two = await twoInstances(`redis://127.0.0.1:${redis.port}`, {
      rateLimits: LIFTED,
      chatSendLimit: { limit: 4, windowMs: 60_000 },
    });
  });
  afterAll(async () => {
    await two?.close();
    await redis?.stop();
  });

  it('when a user sends chat messages alternately through A and B, then the send after the limit in total is RATE_LIMITED with Retry-After and not stored', async () => {
    const { customer, conversationId } = await orderConversation(two.t, 'chat-alt');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await sendText(two.via(i), customer, conversationId, `第${i}条`)).status);
    expect(statuses).toEqual([201, 201, 201, 201]);
    for (const http of [two.via(0), two.via(1)]) {
      const res = await sendText(http, customer, conversationId, '多发的一条');
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(await two.t.db('chat_messages').where({ sender_id: customer.userId }).count({ n: '*' })).toEqual([{ n: 4 }]);
  });

  it('when the window has passed, then the user may send again through either instance', async () => {
    const { customer, conversationId } = await orderConversation(two.t, 'chat-window');
    for (let i = 0; i < 4; i++) expect((await sendText(two.via(i), customer, conversationId, `${i}`)).status).toBe(201);
    expect((await sendText(two.via(0), customer, conversationId, 'x')).status).toBe(429);
    two.t.clock.advance(60_001);
    expect((await sendText(two.via(1), customer, conversationId, '又可以发了')).status).toBe(201);
  });
});

describe('when Redis is unavailable (fail open)', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logged = (instance: string, msg: string) =>
    lines.filter((l) => l.includes(`"instance":"${instance}"`) && l.includes(msg)).length;
  // The setup of a conversation takes 3 logins (customer, electrician, admin).
  const limits = { rateLimits: { ...LIFTED, login: 5 }, chatSendLimit: { limit: 2, windowMs: 60_000 } };

  it('when Redis stops, then requests over the limits still succeed on both instances, and each logs the outage once', async () => {
    const redis = await startRedis();
    const two = await twoInstances(`redis://127.0.0.1:${redis.port}`, limits, (instance) =>
      createLogger('info', sink).child({ instance }),
    );
    try {
      const { customer, conversationId } = await orderConversation(two.t, 'down');
      expect((await two.via(1).post('/api/auth/wechat-login').send({ code: 'dev-down-before' })).status).toBe(200);
      await redis.stop();
      for (let i = 0; i < 6; i++) {
        expect(
          (
            await two
              .via(i)
              .post('/api/auth/wechat-login')
              .send({ code: `dev-down-${i}` })
          ).status,
        ).toBe(200);
        expect((await sendText(two.via(i), customer, conversationId, `${i}`)).status).toBe(201);
      }
      for (const instance of ['A', 'B']) expect(logged(instance, 'Redis unavailable')).toBe(1);
    } finally {
      await two.close();
      await redis.stop();
    }
  });

  it('when Redis is unreachable from the start, then requests succeed', async () => {
    const two = await twoInstances(`redis://127.0.0.1:${await freePort()}`, limits);
    try {
      const { customer, conversationId } = await orderConversation(two.t, 'never');
      for (let i = 0; i < 6; i++) {
        expect(
          (
            await two
              .via(i)
              .post('/api/auth/wechat-login')
              .send({ code: `dev-never-${i}` })
          ).status,
        ).toBe(200);
        expect((await sendText(two.via(i), customer, conversationId, `${i}`)).status).toBe(201);
      }
    } finally {
      await two.close();
    }
  });
});
