/**
 * Races on orders. The requests go over real sockets to a listening server, so on MariaDB
 * (npm run test:mysql) they run in parallel transactions; on SQLite they serialise and the same
 * invariants must hold.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MINUTE } from '../../../shared/clock';
import { start, type RunningServer } from '../../../server';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import { placeOrder } from './order-helpers';

type Electrician = Session & { electricianId: number };

interface Reply {
  status: number;
  code?: string;
  data?: { status: string; electricianId: number | null } & Record<string, unknown>;
}

describe('concurrent transitions', () => {
  let t: TestApp;
  let server: RunningServer;
  let customer: Session;
  let crew: Electrician[];

  /** One POST over its own request to the listening server. */
  async function post(s: Session, path: string, body: object = {}): Promise<Reply> {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...s.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data?: Reply['data']; error?: { code: string } };
    return { status: res.status, code: json.error?.code, data: json.data };
  }

  /** Sets up through the API, failing loudly: only the race itself is under test. */
  async function must(s: Session, path: string, body: object = {}): Promise<Reply> {
    const r = await post(s, path, body);
    if (r.status !== 200) throw new Error(`${path} failed: ${r.status} ${r.code}`);
    return r;
  }

  const tally = (replies: Reply[]) => {
    const out: Record<string, number> = {};
    for (const r of replies) {
      const key = r.status === 200 ? '200' : `${r.status} ${r.code}`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };

  const activeOrdersSum = async () => Number((await t.db('electricians').sum({ n: 'active_orders' }).first())?.n ?? 0);
  const activeOrdersOf = async (e: Electrician) =>
    Number((await t.db('electricians').where({ id: e.electricianId }).first()).active_orders);
  const orderRow = (id: number) => t.db('orders').where({ id }).first();
  const ttl = () => t.config.business.orderPendingTtlMinutes * MINUTE + 1000;
  /** Expires whatever an earlier test left pending, so only this test's orders fall due next. */
  const flushPending = async () => {
    t.clock.advance(ttl());
    await t.c.services.orders.expireDue();
  };
  const eventsOf = (id: number, action?: string) =>
    t
      .db('order_events')
      .where({ order_id: id, ...(action ? { action } : {}) })
      .orderBy('id');

  beforeAll(async () => {
    t = await createTestApp();
    server = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
    customer = await login(t, 'cc-customer');
    crew = [];
    for (let i = 0; i < 50; i += 10) {
      crew.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => loginAsElectrician(t, `cc-e${i + j}`)))));
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await t?.close();
  });

  it('when 50 approved electricians grab one order at once, then exactly one wins and the others get ORDER_TAKEN', async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await placeOrder(t, customer);
      const replies = await Promise.all(crew.map((e) => post(e, `/api/orders/${id}/grab`)));

      expect(tally(replies)).toEqual({ '200': 1, '409 ORDER_TAKEN': 49 });
      const winner = crew[replies.findIndex((r) => r.status === 200)]!;
      const won = replies.find((r) => r.status === 200)!;
      expect(won.data).toMatchObject({ status: 'accepted', electricianId: winner.electricianId });
      expect(await orderRow(id)).toMatchObject({ status: 'accepted', electrician_id: winner.electricianId, version: 1 });
      const grabs = await eventsOf(id, 'grab');
      expect(grabs).toHaveLength(1);
      expect(grabs[0]).toMatchObject({
        actor_id: winner.userId,
        actor_role: 'electrician',
        from_status: 'pending',
        to_status: 'accepted',
      });
      expect(await activeOrdersSum()).toBe(1);
      expect(await activeOrdersOf(winner)).toBe(1);

      // Back to a clean slate for the next round.
      await must(customer, `/api/orders/${id}/cancel`, { reason: '已找到人修好' });
      expect(await activeOrdersSum()).toBe(0);
    }
  }, 120_000);

  it('when a grab races the customer cancelling a pending order, then the outcome is one consistent story every round', async () => {
    for (let round = 0; round < 10; round++) {
      const e = crew[round]!;
      const { id } = await placeOrder(t, customer);
      // Alternate which request leaves first, so either side can win.
      const grabbing = () => post(e, `/api/orders/${id}/grab`);
      const cancelling = () => post(customer, `/api/orders/${id}/cancel`, { reason: '不需要了' });
      const [grab, cancel] =
        round % 2 === 0
          ? await Promise.all([grabbing(), cancelling()])
          : await Promise.all([cancelling(), grabbing()]).then(([c, g]) => [g, c] as const);
      const row = await orderRow(id);
      const events = (await eventsOf(id)).map((ev) => `${ev.action}:${ev.from_status}>${ev.to_status}`);

      if (grab.status !== 200) {
        // The cancel came first: the order was never taken.
        expect(cancel.status).toBe(200);
        expect(grab.status).toBe(409);
        expect(['ORDER_TAKEN', 'INVALID_TRANSITION']).toContain(grab.code);
        expect(row).toMatchObject({ status: 'cancelled', electrician_id: null, version: 1 });
        expect(events).toEqual(['create:null>pending', 'cancel:pending>cancelled']);
      } else if (cancel.status !== 200) {
        // Both read "pending"; the grab claimed it first and the cancel lost on the version.
        expect(cancel).toMatchObject({ status: 409, code: 'VERSION_CONFLICT' });
        expect(row).toMatchObject({ status: 'accepted', electrician_id: e.electricianId, version: 1 });
        expect(events).toEqual(['create:null>pending', 'grab:pending>accepted']);
        expect(await activeOrdersOf(e)).toBe(1);
        await must(customer, `/api/orders/${id}/cancel`, { reason: '不需要了' });
      } else {
        // Not concurrent after all: the grab committed before the cancel read the order, and a
        // customer may cancel an accepted order (SPEC 3.2). Both happened, in that order.
        expect(row).toMatchObject({ status: 'cancelled', electrician_id: e.electricianId, version: 2, final_amount: 0 });
        expect(events).toEqual(['create:null>pending', 'grab:pending>accepted', 'cancel:accepted>cancelled']);
      }
      expect(await activeOrdersOf(e)).toBe(0);
    }
    expect(await activeOrdersSum()).toBe(0);
  }, 60_000);

  it('when a grab races the expiry job on a due order, then exactly one of them wins', async () => {
    for (let round = 0; round < 5; round++) {
      await flushPending();
      // The clock moves past the TTL every round: log in again so access tokens stay valid.
      const me = await login(t, 'cc-customer');
      const e = { ...(await login(t, `cc-e${10 + round}`)), electricianId: crew[10 + round]!.electricianId };
      const { id } = await placeOrder(t, me);
      t.clock.advance(ttl());
      expect(await count(t.db, 'orders', { status: 'pending' })).toBe(1);

      // Every other round the job starts only once the server has the grab, giving the grab a head start.
      const received = round % 2 === 1 ? new Promise((resolve) => server.server.once('request', resolve)) : undefined;
      const grabbing = post(e, `/api/orders/${id}/grab`);
      await received;
      const [grab, expired] = await Promise.all([grabbing, t.c.services.orders.expireDue()]);
      const row = await orderRow(id);
      if (grab.status === 200) {
        expect(expired).toBe(0);
        expect(row).toMatchObject({ status: 'accepted', electrician_id: e.electricianId, version: 1 });
        await must(me, `/api/orders/${id}/cancel`, { reason: '不需要了' });
        expect((await eventsOf(id)).map((ev) => ev.action)).toEqual(['create', 'grab', 'cancel']);
      } else {
        expect(grab.status).toBe(409);
        expect(expired).toBe(1);
        expect(row).toMatchObject({ status: 'expired', electrician_id: null, version: 1 });
        expect((await eventsOf(id)).map((ev) => ev.action)).toEqual(['create', 'expire']);
      }
    }
    expect(await activeOrdersSum()).toBe(0);
  }, 60_000);

  it('when the customer accepts a quote 20 times at once, then it is accepted once', async () => {
    const me = await login(t, 'cc-customer');
    const e = { ...(await login(t, 'cc-e20')), electricianId: crew[20]!.electricianId };
    const { id } = await placeOrder(t, me);
    await must(e, `/api/orders/${id}/grab`);
    await must(e, `/api/orders/${id}/arrive`, { latitude: 30.2613, longitude: 120.1334 });
    await must(e, `/api/orders/${id}/quote`, { items: [{ name: '空气开关', quantity: 1, unitPrice: 4500 }], labourFee: 6000 });

    const replies = await Promise.all(Array.from({ length: 20 }, () => post(me, `/api/orders/${id}/quote/accept`)));

    const counts = tally(replies);
    expect(counts['200']).toBe(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(19);
    expect(Object.keys(counts).every((k) => ['200', '409 VERSION_CONFLICT', '409 INVALID_TRANSITION'].includes(k))).toBe(true);
    expect(await orderRow(id)).toMatchObject({ status: 'in_progress', final_amount: 10500, version: 4 });
    expect(await eventsOf(id, 'quote_accept')).toHaveLength(1);
    const quotes = await t.db('order_quotes').where({ order_id: id });
    expect(quotes).toHaveLength(1);
    expect(quotes[0]).toMatchObject({ version: 1, status: 'accepted', amount: 10500 });
    expect(quotes[0].decided_at).not.toBeNull();

    await must(await loginAsAdmin(t), `/api/admin/orders/${id}/cancel`, { reason: '测试结束' });
    expect(await activeOrdersSum()).toBe(0);
  }, 60_000);

  it('when an electrician with 3 free slots grabs 6 orders at once, then exactly 3 succeed and the cap holds', async () => {
    expect(t.config.business.maxActiveOrders).toBe(3);
    const me = await login(t, 'cc-customer');
    const e = { ...(await login(t, 'cc-e30')), electricianId: crew[30]!.electricianId };
    expect(await activeOrdersOf(e)).toBe(0);
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await placeOrder(t, me)).id);

    const replies = await Promise.all(ids.map((id) => post(e, `/api/orders/${id}/grab`)));

    expect(tally(replies)).toEqual({ '200': 3, '409 ACTIVE_LIMIT_REACHED': 3 });
    expect(await activeOrdersOf(e)).toBe(3);
    const byOutcome = (ok: boolean) => ids.filter((_, i) => (replies[i]!.status === 200) === ok);
    for (const id of byOutcome(true)) {
      expect(await orderRow(id)).toMatchObject({ status: 'accepted', electrician_id: e.electricianId, version: 1 });
      expect(await eventsOf(id, 'grab')).toHaveLength(1);
    }
    for (const id of byOutcome(false)) {
      // The slot check failed after the claim: the whole transaction, claim included, rolled back.
      expect(await orderRow(id)).toMatchObject({ status: 'pending', electrician_id: null, version: 0, accepted_at: null });
      expect(await count(t.db, 'order_events', { order_id: id })).toBe(1);
    }

    for (const id of ids) await must(me, `/api/orders/${id}/cancel`, { reason: '测试结束' });
    expect(await activeOrdersSum()).toBe(0);
  }, 60_000);

  it('when two expiry runs race after the TTL, then each due order expires exactly once', async () => {
    await flushPending();
    const me = await login(t, 'cc-customer');
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await placeOrder(t, me)).id);
    t.clock.advance(ttl());
    expect(await count(t.db, 'orders', { status: 'pending' })).toBe(ids.length);

    const [a, b] = await Promise.all([t.c.services.orders.expireDue(), t.c.services.orders.expireDue()]);

    expect(a + b).toBe(ids.length);
    for (const id of ids) {
      expect(await orderRow(id)).toMatchObject({ status: 'expired', version: 1 });
      const expires = await eventsOf(id, 'expire');
      expect(expires).toHaveLength(1);
      expect(expires[0]).toMatchObject({ actor_role: 'system', actor_id: null, from_status: 'pending', to_status: 'expired' });
    }
    expect(await t.c.services.orders.expireDue()).toBe(0);
  }, 60_000);
});

describe('a transition chosen as a deadlock victim', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** InnoDB's answer to the victim of a deadlock (errno 1213); the transaction is already rolled back. */
  const deadlock = () =>
    Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
      code: 'ER_LOCK_DEADLOCK',
      errno: 1213,
    });

  it('when the database rolls a grab back as a deadlock victim, then it is run again from its first read and takes effect once', async () => {
    const customer = await login(t, 'victim-cust');
    const wang = await loginAsElectrician(t, 'victim-wang');
    const order = await placeOrder(t, customer);
    const claim = t.c.ordersRepository.claim.bind(t.c.ordersRepository);
    let calls = 0;
    const spy = vi.spyOn(t.c.ordersRepository, 'claim').mockImplementation(async (...args) => {
      calls += 1;
      if (calls === 1) throw deadlock();
      return claim(...args);
    });
    try {
      const res = await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'accepted', electricianId: wang.electricianId });
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(2);
    expect(await count(t.db, 'order_events', { order_id: order.id, action: 'grab' })).toBe(1);
    expect(Number((await t.db('electricians').where({ id: wang.electricianId }).first()).active_orders)).toBe(1);
  });

  it('when every attempt is a deadlock victim, then the request fails as a server error and changes nothing', async () => {
    const customer = await login(t, 'victim-cust-2');
    const wang = await loginAsElectrician(t, 'victim-wang-2');
    const order = await placeOrder(t, customer);
    const spy = vi.spyOn(t.c.ordersRepository, 'claim').mockRejectedValue(deadlock());
    try {
      const res = await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth);
      expect(res.status).toBe(500);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
    expect((await t.db('orders').where({ id: order.id }).first()).status).toBe('pending');
    expect(await count(t.db, 'order_events', { order_id: order.id, action: 'grab' })).toBe(0);
  });
});
