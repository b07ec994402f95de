import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsElectrician, type TestApp } from '../../../test/harness';
import { orderBody, placeOrder } from '../../modules/orders/__tests__/order-helpers';
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

  it("when an order is placed through A, then it is in B's hall within a second; a race split across both has one winner, and it leaves both halls within a second", async () => {
    const customer = await login(t, 'p-hall-cust');
    const contenders = await Promise.all([1, 2, 3, 4].map((i) => loginAsElectrician(t, `p-hall-e${i}`)));
    const [watcher] = contenders;
    const hallOf = async (url: string) => {
      const res = await fetch(`${url}/api/orders/hall?latitude=30.259&longitude=120.13&radiusKm=10&limit=100`, {
        headers: watcher!.auth,
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { id: number }[] }).data.map((o) => o.id);
    };
    /** Polls until `check` holds; the time it took, or a failure after `withinMs`. */
    const within = async (withinMs: number, check: () => Promise<boolean>) => {
      const began = Date.now();
      while (!(await check())) {
        if (Date.now() - began > withinMs) throw new Error(`not within ${withinMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return Date.now() - began;
    };
    // Both halls loaded before the order exists: it must reach B as a change, not in a first load.
    await Promise.all([hallOf(a.url), hallOf(b.url)]);
    const placed = await fetch(`${a.url}/api/orders`, {
      method: 'POST',
      headers: { ...customer.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(orderBody()),
    });
    expect(placed.status, await placed.clone().text()).toBe(201);
    const { id } = ((await placed.json()) as { data: { id: number } }).data;
    expect(await within(1_000, async () => (await hallOf(b.url)).includes(id))).toBeLessThanOrEqual(1_000);

    const answers = await Promise.all(
      contenders.map((e, i) => fetch(`${(i % 2 ? b : a).url}/api/orders/${id}/grab`, { method: 'POST', headers: e.auth })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(await t.db('order_events').where({ order_id: id, action: 'grab' })).toHaveLength(1);
    for (const url of [a.url, b.url]) await within(1_000, async () => !(await hallOf(url)).includes(id));
  }, 30_000);

  it('when a session logs out through A, then its next request on B is refused', async () => {
    const s = await login(t, 'p-logout');
    const unread = (url: string) => fetch(`${url}/api/messages/unread-count`, { headers: s.auth });
    expect((await unread(b.url)).status).toBe(200);
    const out = await fetch(`${a.url}/api/auth/logout`, {
      method: 'POST',
      headers: { ...s.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: s.refreshToken }),
    });
    expect(out.status).toBe(200);
    expect((await unread(b.url)).status).toBe(401);
  }, 30_000);
});
