import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsElectrician, type TestApp } from '../../../test/harness';
import request from 'supertest';
import { createApp } from '../../app';
import { createContainer, type Container } from '../../container';
import { createDb } from '../../db';
import { placeOrder } from '../../modules/orders/__tests__/order-helpers';
import { createLogger } from '../../shared/logger';
import type { RunningServer } from '../../server';
import { ban, closeClients, connect, disconnected, expectNothing, startRealtime, startRedis, waitFor } from './support';

/** Two API instances (own container, own Socket.IO server) on one database, sharing rooms through Redis. */
describe('realtime across instances (Redis adapter)', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let t: TestApp;
  let b: Container;
  let serverA: RunningServer;
  let serverB: RunningServer;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } });
    b = createContainer(t.config, {
      db: createDb(t.config.databaseUrl),
      clock: t.clock,
      logger: createLogger(t.config.logLevel),
    });
    ({ server: serverA, url: urlA } = await startRealtime(t.c));
    ({ server: serverB, url: urlB } = await startRealtime(b));
  });
  afterEach(() => closeClients());
  afterAll(async () => {
    await serverB?.stop(1000);
    await serverA?.stop(1000);
    await t?.close().catch(() => undefined);
    await redis?.stop();
  });

  it('when an order is grabbed through instance A, then its customer on instance B gets the update and the pushed loser on B gets order-taken', async () => {
    const customer = await login(t, 'x-cust');
    const winner = await loginAsElectrician(t, 'x-winner');
    const loser = await loginAsElectrician(t, 'x-loser');
    const bystander = await login(t, 'x-other');
    const sCustomer = await connect(urlB, customer.token);
    const sLoser = await connect(urlB, loser.token);
    const sBystander = await connect(urlB, bystander.token);
    await connect(urlA, winner.token);

    const pushed = waitFor(sLoser, 'new-order');
    const order = await placeOrder(t, customer);
    expect((await pushed).orderId).toBe(order.id);
    await t.c.bus.drain();

    const update = waitFor(sCustomer, 'order-status-update', (p) => p.status === 'accepted');
    const taken = waitFor(sLoser, 'order-taken');
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(winner.auth)).status).toBe(200);
    expect((await update).order).toMatchObject({ id: order.id, address: '西湖区文三路 90 号 3 幢 502' });
    expect(await taken).toEqual({ orderId: order.id });
    await expectNothing(sBystander, 'order-status-update');
  });

  it('when a chat message is sent through instance A, then the participant on instance B receives it', async () => {
    const customer = await login(t, 'y-cust');
    const electrician = await loginAsElectrician(t, 'y-elec');
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await t.c.bus.drain();
    const sElectrician = await connect(urlB, electrician.token);
    const sCustomer = await connect(urlA, customer.token);
    const arrived = waitFor(sElectrician, 'new-message', (m) => m.type === 'text');
    const ack = await sCustomer.emitWithAck('send_message', { orderId: order.id, type: 'text', content: '跨实例消息' });
    expect(ack.ok).toBe(true);
    expect((await arrived).content).toBe('跨实例消息');
  });

  it('when an order of a customer on instance B is accepted through instance A, then the notification with its unread count reaches B', async () => {
    const customer = await login(t, 'z-cust');
    const electrician = await loginAsElectrician(t, 'z-elec');
    const order = await placeOrder(t, customer);
    await t.c.bus.drain();
    const onB = await connect(urlB, customer.token);
    const pushed = waitFor(onB, 'notification', (n) => n.orderId === order.id && n.type === 'order');
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    const n = await pushed;
    const unread = await t.http.get('/api/messages/unread-count').set(customer.auth);
    expect(n.unreadCount).toBe(unread.body.data.total);
  });

  it('when a chat message is sent through A to a participant online only on B, then it is not turned into an offline notification', async () => {
    const customer = await login(t, 'w-cust');
    const electrician = await loginAsElectrician(t, 'w-elec');
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await t.c.bus.drain();
    const onB = await connect(urlB, customer.token);
    const arrived = waitFor(onB, 'new-message', (m) => m.type === 'text');
    const sElectrician = await connect(urlA, electrician.token);
    expect(
      (await sElectrician.emitWithAck('send_message', { orderId: order.id, type: 'text', content: '我十分钟后到' })).ok,
    ).toBe(true);
    await arrived;
    await Promise.all([t.c.chatBus.drain(), t.c.bus.drain()]);
    const chats = await t.http.get('/api/messages').query({ type: 'chat' }).set(customer.auth);
    expect(chats.body.data).toEqual([]);
  });

  it('when a user is banned through instance A, then their socket on instance B is disconnected at once', async () => {
    const s = await login(t, 'x-banned');
    const onB = await connect(urlB, s.token);
    const gone = disconnected(onB);
    await ban(t, s.userId);
    expect(await gone).toBe('io server disconnect');
  });

  it('when a session held by instance B logs out or is banned through instance A, then its next request on B is refused', async () => {
    const onB = request(createApp(b));
    const leaving = await login(t, 'x-leaving');
    const banned = await login(t, 'x-banned-http');
    // B holds both session checks.
    for (const s of [leaving, banned]) expect((await onB.get('/api/messages/unread-count').set(s.auth)).status).toBe(200);

    await t.http.post('/api/auth/logout').set(leaving.auth).send({ refreshToken: leaving.refreshToken }).expect(200);
    await ban(t, banned.userId);
    // A has told every instance (the events' delivery, milliseconds after each commit).
    await t.c.bus.drain();
    expect((await onB.get('/api/messages/unread-count').set(leaving.auth)).status).toBe(401);
    expect((await onB.get('/api/messages/unread-count').set(banned.auth)).status).toBe(403);
  });

  it("when an electrician whose profile instance B holds goes offline or raises their minimum through instance A, then B's next hall says so", async () => {
    const onB = request(createApp(b));
    const customer = await login(t, 'x-hall-cust');
    const e = await loginAsElectrician(t, 'x-hall-elec');
    const order = await placeOrder(t, customer);
    const hall = () => onB.get('/api/orders/hall').query({ latitude: 30.259, longitude: 120.13, radiusKm: 10 }).set(e.auth);
    const ids = async () => ((await hall()).body.data as { id: number }[]).map((o) => o.id);
    expect(await ids()).toContain(order.id);

    await t.http.patch('/api/electricians/me').set(e.auth).send({ minOrderAmount: 1_000_000 }).expect(200);
    expect(await ids()).not.toContain(order.id);
    await t.http.patch('/api/electricians/me').set(e.auth).send({ workStatus: 'offline' }).expect(200);
    const offline = await hall();
    expect(offline.status).toBe(403);
    expect(offline.body.error.code).toBe('NOT_ELIGIBLE');
  });
});
