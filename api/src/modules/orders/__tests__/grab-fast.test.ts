/**
 * What a grab costs the database. A grab of an order this instance knows is taken is refused from
 * memory; a loser that reaches the database reads the order once, outside any transaction; a race
 * on one instance settles in one transaction. The SQL each grab issues is observed through knex's
 * `query` event on the app's own connection pool (the session check's statements are left out:
 * they are the same for every route).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../../container';
import { createDb } from '../../../db';
import { start, type RunningServer } from '../../../server';
import type { Principal, Role } from '../../../shared/auth';
import { createLogger } from '../../../shared/logger';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder } from './order-helpers';

type Electrician = Session & { electricianId: number };

interface Reply {
  status: number;
  code?: string;
  message?: string;
}

/** The statements of the session check (every authenticated route runs them), not the grab's. */
const SESSION_CHECK = /^select .* from [`"](users|sessions)[`"]/i;

describe('what a grab costs the database', () => {
  let t: TestApp;
  let other: Container;
  let server: RunningServer;
  let customer: Session;
  let seen: string[] = [];
  const listener = (q: { sql: string }) => {
    if (!SESSION_CHECK.test(q.sql)) seen.push(q.sql);
  };

  /** One grab over its own request to the listening server. */
  async function grab(s: Session, id: number, url = server.url): Promise<Reply> {
    const res = await fetch(`${url}/api/orders/${id}/grab`, { method: 'POST', headers: s.auth });
    const json = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, code: json.error?.code, message: json.error?.message };
  }

  /** The statements this instance's pool ran while `fn` ran (the session check's left out). */
  async function statementsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    await t.c.bus.drain();
    seen = [];
    t.db.on('query', listener);
    try {
      const result = await fn();
      return { result, sql: seen };
    } finally {
      t.db.removeListener('query', listener);
    }
  }

  const readsOfOrder = (sql: string[]) => sql.filter((s) => /^select \* from [`"]orders[`"] where [`"]id[`"] = \?/i.test(s));
  const transactions = (sql: string[]) => sql.filter((s) => /^(begin|start transaction|savepoint)/i.test(s));
  /** The conditional claims (`orders.claim`): one per transaction that tried to take the order. */
  const claims = (sql: string[]) =>
    sql.filter((s) =>
      /^update [`"]orders[`"] set .* where [`"]id[`"] = \? and [`"]status[`"] = \? and [`"]version[`"] = \?$/i.test(s),
    );

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_ACTIVE_ORDERS: '50' } });
    // A second instance on the same database: its commits reach this one's memory only by the
    // follow job, which these tests do not run.
    other = createContainer(t.config, {
      db: createDb(t.config.databaseUrl),
      clock: t.clock,
      logger: createLogger(t.config.logLevel),
    });
    server = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
    customer = await login(t, 'gf-customer');
  });
  afterEach(async () => {
    await t.c.bus.drain();
    await other.bus.drain();
  });
  afterAll(async () => {
    await server?.stop(1000);
    await other?.db.destroy();
    await t?.close();
  });

  it('when an electrician wins a grab, then the grab and everything after its commit read the electrician once: the event carries who they are', async () => {
    const winner = await loginAsElectrician(t, 'gf-once');
    const { id } = await placeOrder(t, customer);
    const { result, sql } = await statementsDuring(async () => {
      const r = await grab(winner, id);
      await t.c.bus.drain();
      return r;
    });
    expect(result.status).toBe(200);
    // findById / findByUserId (the pushes' and notifications' own reads before); cards are another query.
    const profileReads = sql.filter((q) => /^select \* from [`"]electricians[`"] where [`"](id|user_id)[`"] = \?/i.test(q));
    expect(profileReads).toHaveLength(1);
    const notified = await t.db('notifications').where({ user_id: customer.userId, order_id: id }).pluck('content');
    expect(notified.some((c: string) => c.includes('测师傅已接下工单'))).toBe(true);
  });

  it('when an electrician grabs an order this instance saw taken, then 409 ORDER_TAKEN and not one statement', async () => {
    const [winner, late] = await Promise.all([loginAsElectrician(t, 'gf-known-w'), loginAsElectrician(t, 'gf-known-l')]);
    const { id } = await placeOrder(t, customer);
    expect((await grab(winner, id)).status).toBe(200);

    const { result, sql } = await statementsDuring(() => grab(late, id));
    expect(result).toMatchObject({ status: 409, code: 'ORDER_TAKEN' });
    expect(sql).toEqual([]);
    const row = await t.db('orders').where({ id }).first();
    expect(row).toMatchObject({ status: 'accepted', electrician_id: winner.electricianId });
  });

  it('when the winner grabs their order again, then 409 INVALID_TRANSITION 你已接下该工单 from memory, and the order is theirs still', async () => {
    const winner = await loginAsElectrician(t, 'gf-again');
    const { id } = await placeOrder(t, customer);
    expect((await grab(winner, id)).status).toBe(200);

    const { result, sql } = await statementsDuring(() => grab(winner, id));
    expect(result).toEqual({ status: 409, code: 'INVALID_TRANSITION', message: '你已接下该工单' });
    expect(sql).toEqual([]);
    expect(await t.db('order_events').where({ order_id: id, action: 'grab' })).toHaveLength(1);
  });

  it('when the order was taken on another instance, then a loser here costs one statement (the order, no transaction), and the next one none', async () => {
    const [first, second, holder] = await Promise.all([
      loginAsElectrician(t, 'gf-far-1'),
      loginAsElectrician(t, 'gf-far-2'),
      loginAsElectrician(t, 'gf-far-h'),
    ]);
    // This instance has met both losers (they grabbed here before); it has never seen the holder.
    for (const s of [first, second]) expect((await grab(s, (await placeOrder(t, customer)).id)).status).toBe(200);
    const { id } = await placeOrder(t, customer);
    const taken = await other.services.orders.grab(await principalOf(holder), id);
    expect(taken.electricianId).toBe(holder.electricianId);

    const one = await statementsDuring(() => grab(first, id));
    expect(one.result).toMatchObject({ status: 409, code: 'ORDER_TAKEN' });
    expect(one.sql).toHaveLength(1);
    expect(readsOfOrder(one.sql)).toHaveLength(1);
    expect(transactions(one.sql)).toEqual([]);

    const none = await statementsDuring(() => grab(second, id));
    expect(none.result).toMatchObject({ status: 409, code: 'ORDER_TAKEN' });
    expect(none.sql).toEqual([]);

    // The holder, unknown here until now, is told it is theirs: the database path reads their profile.
    const own = await grab(holder, id);
    expect(own).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', message: '你已接下该工单' });
  });

  it('when 30 electricians grab one order at once on this instance, then one wins, 29 get ORDER_TAKEN, and the order is read and claimed once', async () => {
    const crew: Electrician[] = await Promise.all(Array.from({ length: 30 }, (_, i) => loginAsElectrician(t, `gf-race-${i}`)));
    const { id } = await placeOrder(t, customer);

    const { result: replies, sql } = await statementsDuring(() => Promise.all(crew.map((s) => grab(s, id))));
    const winners = replies.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409 && r.code === 'ORDER_TAKEN')).toHaveLength(29);
    expect(readsOfOrder(sql)).toHaveLength(1);
    expect(claims(sql)).toHaveLength(1);
    const row = await t.db('orders').where({ id }).first();
    expect(row.electrician_id).toBe(crew[replies.findIndex((r) => r.status === 200)]!.electricianId);
    expect(await t.db('order_events').where({ order_id: id, action: 'grab' })).toHaveLength(1);
  });

  it('when the holder releases the order, then it is grabbed again at once: memory never refuses an order it saw come back', async () => {
    const [first, next] = await Promise.all([loginAsElectrician(t, 'gf-back-1'), loginAsElectrician(t, 'gf-back-2')]);
    const { id } = await placeOrder(t, customer);
    expect((await grab(first, id)).status).toBe(200);
    expect((await grab(next, id)).code).toBe('ORDER_TAKEN');
    const released = await t.http.post(`/api/orders/${id}/release`).set(first.auth).send({ reason: '临时有急事去不了' });
    expect(released.status).toBe(200);

    expect(await grab(next, id)).toMatchObject({ status: 200 });
    expect((await t.db('orders').where({ id }).first()).electrician_id).toBe(next.electricianId);
  });

  it('when the hall index reloads, then a taken order is still refused from memory', async () => {
    const [winner, late] = await Promise.all([loginAsElectrician(t, 'gf-reload-w'), loginAsElectrician(t, 'gf-reload-l')]);
    const { id } = await placeOrder(t, customer);
    expect((await grab(winner, id)).status).toBe(200);
    await t.c.jobs.find((j) => j.name === 'orders.hall-reload')!.run();

    const { result, sql } = await statementsDuring(() => grab(late, id));
    expect(result).toMatchObject({ status: 409, code: 'ORDER_TAKEN' });
    expect(sql).toEqual([]);
  });

  it('when grabs that fail for reasons of their own (no free slot) take their turns first, then the one that can still wins', async () => {
    const busy = await Promise.all(Array.from({ length: 4 }, (_, i) => loginAsElectrician(t, `gf-busy-${i}`)));
    const free = await loginAsElectrician(t, 'gf-free');
    await t
      .db('electricians')
      .whereIn(
        'id',
        busy.map((b) => b.electricianId),
      )
      .update({ active_orders: 50 });
    const { id } = await placeOrder(t, customer);

    const replies = await Promise.all([...busy, free].map((s) => grab(s, id)));
    expect(replies[busy.length]).toMatchObject({ status: 200 });
    // Each busy one is refused for its cap, or, once the free one has won, as too late.
    for (const r of replies.slice(0, busy.length))
      expect(['409 ACTIVE_LIMIT_REACHED', '409 ORDER_TAKEN']).toContain(`${r.status} ${r.code}`);
    expect((await t.db('orders').where({ id }).first()).electrician_id).toBe(free.electricianId);
    expect(await t.db('order_events').where({ order_id: id, action: 'grab' })).toHaveLength(1);
  });

  /** The principal the session check builds for `s` (the other instance's service is called directly). */
  async function principalOf(s: Session): Promise<Principal> {
    const user = await t.db('users').where({ id: s.userId }).first();
    return { id: s.userId, openid: String(user.openid), userType: user.user_type as Role, staffRole: null, sessionId: 'direct' };
  }
});
