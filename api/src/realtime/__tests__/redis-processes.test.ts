import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsElectrician, type TestApp } from '../../../test/harness';
import { placeOrder } from '../../modules/orders/__tests__/order-helpers';
import { closeClients, connect, startApiProcess, startRedis, waitFor } from './support';

/** Two real API processes (the production entry point) on one database and one Redis. */
describe('realtime across two API processes (Redis adapter)', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let t: TestApp;
  let a: Awaited<ReturnType<typeof startApiProcess>>;
  let b: Awaited<ReturnType<typeof startApiProcess>>;

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp();
    const env = { DATABASE_URL: t.config.databaseUrl, REDIS_URL: `redis://127.0.0.1:${redis.port}`, ADMIN_OPENIDS: 'dev-admin' };
    [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
  }, 60_000);
  afterEach(() => closeClients());
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await t?.close();
    await redis?.stop();
  });

  it('when an electrician grabs through process A, then the customer connected to process B gets the update, and chat crosses too', async () => {
    const customer = await login(t, 'p-cust');
    const electrician = await loginAsElectrician(t, 'p-elec');
    const order = await placeOrder(t, customer);
    const sCustomer = await connect(b.url, customer.token);
    const sElectrician = await connect(b.url, electrician.token);

    const update = waitFor(sCustomer, 'order-status-update', (p) => p.orderId === order.id && p.status === 'accepted', 10_000);
    // The conversation is opened by process A's subscriber; its system line reaches B like any message.
    const opened = waitFor(sElectrician, 'new-message', (m) => m.type === 'system', 10_000);
    const grab = await fetch(`${a.url}/api/orders/${order.id}/grab`, { method: 'POST', headers: electrician.auth });
    expect(grab.status).toBe(200);
    expect((await update).order).toMatchObject({ id: order.id, address: '西湖区文三路 90 号 3 幢 502' });

    const { conversationId } = await opened;
    const arrived = waitFor(sElectrician, 'new-message', (m) => m.type === 'text', 10_000);
    const sent = await fetch(`${a.url}/api/chat/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...customer.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'text', content: '从 A 发出' }),
    });
    expect(sent.status).toBe(201);
    expect((await arrived).content).toBe('从 A 发出');
  }, 30_000);
});
