import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, login, loginAsElectrician, type TestApp } from '../../../test/harness';
import { placeOrder } from '../../modules/orders/__tests__/order-helpers';
import { connect, expectNothing, useRealtimeApp } from '../../realtime/__tests__/support';
import type { SessionEnded } from '../domain-events';
import { MAX_DELIVERY_ATTEMPTS, parseEvent, REDELIVER_AFTER_MS, serializeEvent } from '../event-outbox';

describe('durable domain events (event_outbox)', () => {
  let t: TestApp;
  let url: string;
  let n = 0;
  const name = (s: string) => `${s}-${++n}`;

  useRealtimeApp((app) => ({ t, url } = app));
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.c.bus.drain();
  });

  const ended = (userId: number): SessionEnded => ({ name: 'session.ended', userId, sessionId: null, reason: 'banned' });
  const outbox = () => count(t.db, 'event_outbox');
  const redeliverLater = async () => {
    t.clock.advance(REDELIVER_AFTER_MS + 1);
    const handled = await t.c.bus.redeliver();
    await t.c.bus.drain();
    return handled;
  };

  /** Records the session.ended events the bus publishes for `userId`. */
  function recorder(userId: number) {
    const seen: SessionEnded[] = [];
    const off = t.c.bus.subscribe('session.ended', (e) => {
      if (e.userId === userId) seen.push(e);
    });
    return { seen, off };
  }

  it('when an event is serialized and read back, then its dates are dates again and its strings stay strings', () => {
    const at = new Date('2026-11-22T10:00:00.123Z');
    const event = { name: 'x', at, nested: { list: [at], text: '2026-11-22T10:00:00.123Z', none: null } };
    const back = parseEvent<typeof event>(serializeEvent(event));
    expect(back).toEqual(event);
    expect(back.at).toBeInstanceOf(Date);
    expect(back.nested.list[0]).toBeInstanceOf(Date);
    expect(typeof back.nested.text).toBe('string');
  });

  it('when the staging transaction commits, then the event is published once and its row is gone; when it rolls back, neither', async () => {
    const { seen, off } = recorder(90_001);
    await t.db.transaction((trx) => t.c.bus.stage(trx, ended(90_001)));
    await t.c.bus.drain();
    expect(seen).toHaveLength(1);
    expect(await outbox()).toBe(0);

    await expect(
      t.db.transaction(async (trx) => {
        await t.c.bus.stage(trx, ended(90_001));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await t.c.bus.drain();
    expect(seen).toHaveLength(1);
    expect(await outbox()).toBe(0);
    off();
  });

  it('when many events are delivered at once, then their rows go in a few deletes, never two at a time, and a drain waits for the last', async () => {
    const { seen, off } = recorder(90_003);
    const inFlight = new Set<string>();
    let deletes = 0;
    let overlapping = 0;
    const isDelete = (q: { sql: string }) => /^delete from [`"]event_outbox[`"]/i.test(q.sql);
    const started = (q: { sql: string; __knexQueryUid: string }) => {
      if (!isDelete(q)) return;
      deletes++;
      if (inFlight.size > 0) overlapping++;
      inFlight.add(q.__knexQueryUid);
    };
    const finished = (_r: unknown, q: { sql: string; __knexQueryUid: string }) => {
      if (isDelete(q)) inFlight.delete(q.__knexQueryUid);
    };
    t.db.on('query', started).on('query-response', finished).on('query-error', finished);
    try {
      // Each commits on its own: the deliveries end over many turns of the event loop.
      await Promise.all(Array.from({ length: 40 }, () => t.db.transaction((trx) => t.c.bus.stage(trx, ended(90_003)))));
      await t.c.bus.drain();
    } finally {
      t.db.off('query', started).off('query-response', finished).off('query-error', finished);
    }
    expect(seen).toHaveLength(40);
    expect(await outbox()).toBe(0);
    expect(overlapping).toBe(0);
    expect(deletes).toBeGreaterThan(0);
    expect(deletes).toBeLessThan(40);
    off();
  });

  it('when both buses stage in one transaction, then their rows go in one insert, and each row goes back to the bus that staged it, delivered or redelivered', async () => {
    const { seen, off } = recorder(90_004);
    let failures = 1;
    const reads: number[] = [];
    const offChat = t.c.chatBus.subscribe('chat.read', (e) => {
      if (e.userId !== 90_004) return;
      if (failures-- > 0) throw new Error('chat delivery down');
      reads.push(e.upToMessageId);
    });
    const read = { name: 'chat.read' as const, conversationId: 1, kind: 'order' as const, userId: 90_004, participants: [] };
    const inserts: string[] = [];
    const listener = (q: { sql: string }) => {
      if (/^insert into [`"]event_outbox[`"]/i.test(q.sql)) inserts.push(q.sql);
    };
    t.db.on('query', listener);
    try {
      await t.db.transaction(async (trx) => {
        await t.c.chatBus.stage(trx, { ...read, upToMessageId: 7 });
        await t.c.bus.stage(trx, ended(90_004));
      });
      await t.c.bus.drain();
      await t.c.chatBus.drain();
    } finally {
      t.db.removeListener('query', listener);
    }
    expect(inserts).toHaveLength(1);
    // The domain event went out; the chat delivery failed, and its row waits for the chat bus alone.
    expect(seen).toHaveLength(1);
    expect(reads).toEqual([]);
    expect(await t.db('event_outbox').pluck('name')).toEqual(['chat.read']);
    t.clock.advance(REDELIVER_AFTER_MS + 1);
    expect(await t.c.bus.redeliver()).toBe(0);
    expect(await t.c.chatBus.redeliver()).toBe(1);
    await t.c.chatBus.drain();
    expect(reads).toEqual([7]);
    expect(seen).toHaveLength(1);
    expect(await outbox()).toBe(0);
    offChat();
    off();
  });

  it('when a savepoint that staged an event rolls back and its transaction commits, then the event never goes out and leaves no row', async () => {
    const { seen, off } = recorder(90_005);
    await t.db.transaction(async (trx) => {
      await trx
        .transaction(async (inner) => {
          await t.c.bus.stage(inner, ended(90_005));
          throw new Error('savepoint rolled back');
        })
        .catch(() => undefined);
      await t.c.bus.stage(trx, { ...ended(90_005), reason: 'logout' });
    });
    await t.c.bus.drain();
    expect(seen.map((e) => e.reason)).toEqual(['logout']);
    expect(await outbox()).toBe(0);
    off();
  });

  it('when an event is staged in a savepoint, then it goes out only when the outer transaction commits', async () => {
    const { seen, off } = recorder(90_002);
    await t.db.transaction(async (trx) => {
      await trx.transaction((inner) => t.c.bus.stage(inner, ended(90_002)));
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toHaveLength(0);
    });
    await t.c.bus.drain();
    expect(seen).toHaveLength(1);
    off();
  });

  it('when the process dies right after an order is accepted, then the redelivery tells everyone once, and pushes nothing stale', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await t.c.bus.drain();
    const socket = await connect(url, customer.token);

    // Nothing runs after the commit, as when the process is killed at that moment.
    const publish = vi.spyOn(t.c.bus, 'publish').mockResolvedValue(false);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await t.c.bus.drain();
    publish.mockRestore();
    const accepted = { user_id: customer.userId, order_id: order.id, title: '师傅已接单' };
    // The notification and the chat's status line committed with the grab itself: nothing of them
    // waited for the delivery that never ran (only the pushes did, and they are not made late).
    expect(await count(t.db, 'notifications', accepted)).toBe(1);
    const opened = await t.db('conversations').where({ order_id: order.id }).first();
    expect(await count(t.db, 'chat_messages', { conversation_id: opened.id, type: 'system' })).toBe(1);
    expect(await outbox()).toBe(1);

    // Not yet due: a delivery may still be under way in the process that staged it.
    expect(await t.c.bus.redeliver()).toBe(0);
    expect(await outbox()).toBe(1);

    const stale = expectNothing(socket, 'order-status-update', 300);
    expect(await redeliverLater()).toBe(1);
    await stale;
    expect(await outbox()).toBe(0);
    expect(await count(t.db, 'notifications', accepted)).toBe(1);
    const conversation = await t.db('conversations').where({ order_id: order.id }).first();
    expect(await count(t.db, 'chat_messages', { conversation_id: conversation.id, type: 'system' })).toBe(1);

    // Nothing is left to deliver, and a later run adds nothing.
    expect(await redeliverLater()).toBe(0);
    expect(await count(t.db, 'notifications', accepted)).toBe(1);
  });

  it('when a subscriber fails, then the event is delivered again later and the others (notifications, chat lines) add nothing twice', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await t.c.bus.drain();
    let failures = 1;
    const off = t.c.bus.subscribe('order.accepted', () => {
      if (failures-- > 0) throw new Error('subscriber down');
    });
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await t.c.bus.drain();
    const accepted = { user_id: customer.userId, order_id: order.id, title: '师傅已接单' };
    const conversation = await t.db('conversations').where({ order_id: order.id }).first();
    const lines = () => count(t.db, 'chat_messages', { conversation_id: conversation.id, type: 'system' });
    expect(await count(t.db, 'notifications', accepted)).toBe(1);
    expect(await lines()).toBe(1);
    expect(await outbox()).toBe(1);

    expect(await redeliverLater()).toBe(1);
    expect(await outbox()).toBe(0);
    expect(await count(t.db, 'notifications', accepted)).toBe(1);
    expect(await lines()).toBe(1);
    off();
  });

  it(`when a subscriber keeps failing, then the event is tried ${MAX_DELIVERY_ATTEMPTS} times with growing delays and then left in the table`, async () => {
    const off = t.c.bus.subscribe('session.ended', (e) => {
      if (e.userId === 90_003) throw new Error('always down');
    });
    await t.db.transaction((trx) => t.c.bus.stage(trx, ended(90_003)));
    await t.c.bus.drain();
    const row = async () => (await t.db('event_outbox').where({ name: 'session.ended' }).orderBy('id', 'desc').first())!;
    const delays: number[] = [];
    for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) {
      t.clock.set((await row()).available_at);
      expect(await t.c.bus.redeliver()).toBe(0);
      await t.c.bus.drain();
      const r = await row();
      expect(Number(r.attempts)).toBe(i);
      delays.push(new Date(r.available_at).getTime() - t.clock.now().getTime());
    }
    expect(delays.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 64].map((k) => k * REDELIVER_AFTER_MS));
    t.clock.advance(365 * 24 * 3600_000);
    expect(await t.c.bus.redeliver()).toBe(0);
    expect(Number((await row()).attempts)).toBe(MAX_DELIVERY_ATTEMPTS);
    // Ops see it on /metrics.
    const metrics = (await t.http.get('/metrics')).text;
    expect(metrics).toMatch(/^domain_events_undelivered\{state="gave_up"\} 1$/m);
    expect(metrics).toMatch(/^domain_events_undelivered\{state="waiting"\} 0$/m);
    await t.db('event_outbox').delete();
    off();
  });
});
