/**
 * What the write path costs the database: the statements and transactions of placing an order, of a
 * won grab and of each step of an order's life, everything after their commits included (the
 * notifications, the chat's status line and its delivery, the pushes, the outbox). Observed through
 * knex's `query` event on the app's own pool; the session check is left out (every route runs it).
 *
 * The budgets are what the path costs now: a row read back after its insert, a notification or a
 * status line in a transaction of its own, one outbox insert or delete per event, or the push's
 * electrician card reading its account in a statement of its own would each break one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDate } from '../../../shared/rows';
import { jpeg } from '../../../../test/fixtures/images';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { completeOrderBetween } from '../../payments/__tests__/payment-helpers';
import { orderBody } from './order-helpers';

/** The session check: the caller's user row with whether their session is live. */
const SESSION_CHECK = /live_session/;

type Reply = { status: number; body: { data?: Record<string, unknown>; error?: unknown } };

const transactions = (sql: string[]) => sql.filter((s) => /^(begin|start transaction)/i.test(s));
const matching = (sql: string[], re: RegExp) => sql.filter((s) => re.test(s));
/** Reads of a row just inserted (the notification pushed, the chat line delivered): built from the insert instead. */
const readBacks = (sql: string[]) =>
  matching(sql, /^select \* from [`"](notifications|chat_messages)[`"] where [`"](id|client_id)[`"] = \?/i);
/** The domain event's and the chat delivery's rows go in one insert at the commit, and in one delete once both are delivered. */
const outboxInserts = (sql: string[]) => matching(sql, /^insert into [`"]event_outbox[`"]/i);
const outboxDeletes = (sql: string[]) => matching(sql, /^delete from [`"]event_outbox[`"]/i);
/** What is written after the transaction's commit: nothing but the delivered events' outbox rows going. */
const writesAfterCommit = (sql: string[]) =>
  sql
    .slice(sql.findLastIndex((s) => /^commit/i.test(s)) + 1)
    .filter((s) => /^(insert|update|delete)/i.test(s) && !/^delete from [`"]event_outbox[`"]/i.test(s));
const readsOfOrder = (sql: string[]) => matching(sql, /^select \* from [`"]orders[`"] where [`"]id[`"] = \?/i);
/** Accounts read on their own (the push's electrician card reads its account joined to the electrician). */
const readsOfUsers = (sql: string[]) => matching(sql, /^select .* from [`"]users[`"]/i);
const readsOfPayment = (sql: string[]) => matching(sql, /^select \* from [`"]payments[`"] where [`"](id|payment_no)[`"] = \?/i);
const readsOfElectrician = (sql: string[]) =>
  matching(sql, /^select \* from [`"]electricians[`"] where [`"](id|user_id)[`"] = \?/i);

describe('what the write path costs the database', () => {
  let t: TestApp;
  let customer: Session;
  let electrician: Session & { electricianId: number };
  let seen: string[] = [];
  const listener = (q: { sql: string }) => {
    if (!SESSION_CHECK.test(q.sql)) seen.push(q.sql);
  };

  /** The statements of one request and of everything its commit set off (both buses drained). */
  async function cost(fn: () => PromiseLike<Reply>, status = 200): Promise<{ res: Reply; sql: string[] }> {
    await t.c.bus.drain();
    await t.c.chatBus.drain();
    seen = [];
    t.db.on('query', listener);
    try {
      const res = await fn();
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      await t.c.bus.drain();
      await t.c.chatBus.drain();
      return { res, sql: [...seen] };
    } finally {
      t.db.removeListener('query', listener);
    }
  }

  const create = () =>
    cost(() => t.http.post('/api/orders').set(customer.auth).set('idempotency-key', randomUUID()).send(orderBody()), 201);
  const step = (who: Session, id: number, path: string, body: object = {}) =>
    cost(() => t.http.post(`/api/orders/${id}/${path}`).set(who.auth).send(body));
  const QUOTE = { items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee: 5000 };

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_ACTIVE_ORDERS: '50' } });
    customer = await login(t, 'wb-customer');
    electrician = await loginAsElectrician(t, 'wb-electrician');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('when a customer places an order, then it costs at most 12 statements in one transaction, and the order is read once', async () => {
    const { res, sql } = await create();
    // Idempotency key (2: its insert, its answer), the customer's lock, the order, its event, its
    // read, the notification, the outbox row, begin/commit; after: the badge, the outbox delete.
    expect(sql.length, sql.join('\n')).toBeLessThanOrEqual(12);
    // A new key is not looked for first: its insert would find it taken.
    expect(matching(sql, /^select .* from [`"]idempotency_keys[`"]/i)).toEqual([]);
    expect(transactions(sql)).toHaveLength(1);
    expect(readsOfOrder(sql)).toHaveLength(1);
    expect(readBacks(sql)).toEqual([]);
    expect(writesAfterCommit(sql)).toEqual([]);
    const id = Number(res.body.data!.id);
    expect(await t.db('notifications').where({ user_id: customer.userId, order_id: id })).toHaveLength(1);
    expect(await t.db('event_outbox')).toEqual([]);
  });

  it('when an electrician wins a grab, then it costs at most 16 statements in one transaction, with the chat line, the notification and their deliveries in it, and its new conversation is not read back', async () => {
    const { res: placed } = await create();
    const id = Number(placed.body.data!.id);
    const { sql } = await step(electrician, id, 'grab');
    expect(sql.length, sql.join('\n')).toBeLessThanOrEqual(16);
    expect(transactions(sql)).toHaveLength(1);
    // The conversation is new: its insert gives its id, and it is born with its last message's time.
    expect(matching(sql, /^select .* from [`"]conversations[`"]/i)).toEqual([]);
    expect(matching(sql, /^update [`"]conversations[`"]/i)).toEqual([]);
    expect(readBacks(sql)).toEqual([]);
    expect(writesAfterCommit(sql)).toEqual([]);
    expect(readsOfOrder(sql)).toHaveLength(1);
    expect(readsOfElectrician(sql)).toHaveLength(1);
    expect(readsOfUsers(sql)).toEqual([]);
    expect(outboxInserts(sql)).toHaveLength(1);
    expect(outboxDeletes(sql)).toHaveLength(1);
    // Everything the after-commit work used to write is there: the line, the notification, no outbox row.
    const lines = await t
      .db('chat_messages as m')
      .join('conversations as c', 'c.id', 'm.conversation_id')
      .where({ 'c.order_id': id, 'm.sender_role': 'system' })
      .pluck('m.content');
    expect(lines).toEqual(['工单状态更新：已接单']);
    // The conversation as a read would have found it: both parties in it, its last message the line.
    const conversation = await t.db('conversations').where({ order_id: id }).first();
    const line = await t.db('chat_messages').where({ conversation_id: conversation.id }).first();
    expect(toDate(conversation.last_message_at)).toEqual(toDate(line.created_at));
    const parties = await t.db('conversation_participants').where({ conversation_id: conversation.id }).orderBy('user_id');
    expect(parties.map((p: { user_id: unknown; role: unknown }) => [Number(p.user_id), p.role])).toEqual(
      (
        [
          [customer.userId, 'customer'],
          [electrician.userId, 'electrician'],
        ] as const
      ).toSorted((a, b) => a[0] - b[0]),
    );
    expect(await t.db('notifications').where({ user_id: customer.userId, order_id: id })).toHaveLength(2);
    expect(await t.db('event_outbox')).toEqual([]);
  });

  it('when an order goes through its life, then each step costs its budget in one transaction, and none reads back what it inserted', async () => {
    const { res: placed } = await create();
    const id = Number(placed.body.data!.id);
    await step(electrician, id, 'grab');
    const arrive = await step(electrician, id, 'arrive', { latitude: 30.2612, longitude: 120.1335 });
    const quote = await step(electrician, id, 'quote', QUOTE);
    const accept = await step(customer, id, 'quote/accept');
    const photo = await t.http
      .post('/api/uploads')
      .set(electrician.auth)
      .field('purpose', 'repair')
      .attach('file', jpeg(randomBytes(8).toString('hex')), { filename: 'p.jpg', contentType: 'image/jpeg' });
    const complete = await step(electrician, id, 'complete', {
      repairContent: '更换插座，检查线路绝缘正常',
      repairImages: [photo.body.data.id],
    });
    const budgets: [string, { sql: string[] }, number][] = [
      ['arrive', arrive, 14],
      ['quote', quote, 15],
      ['quote/accept', accept, 15],
      ['complete', complete, 19],
    ];
    for (const [name, { sql }, budget] of budgets) {
      expect(sql.length, `${name}:\n${sql.join('\n')}`).toBeLessThanOrEqual(budget);
      expect(transactions(sql), name).toHaveLength(1);
      expect(readBacks(sql), name).toEqual([]);
      expect(writesAfterCommit(sql), name).toEqual([]);
      // The order is read once, in the transaction: the event carries it as the claim left it.
      expect(readsOfOrder(sql), name).toHaveLength(1);
      expect(readsOfUsers(sql), name).toEqual([]);
      expect(outboxInserts(sql), name).toHaveLength(1);
      expect(outboxDeletes(sql), name).toHaveLength(1);
    }
    // The electrician's steps name the holder from the caller's own profile; the customer's reads no profile of theirs.
    for (const [name, { sql }] of budgets.filter(([n]) => n !== 'quote/accept'))
      expect(readsOfElectrician(sql), name).toHaveLength(1);
    expect(matching(accept.sql, /^select \* from [`"]electricians[`"] where [`"]user_id[`"] = \?/i)).toEqual([]);
    const lines = await t
      .db('chat_messages as m')
      .join('conversations as c', 'c.id', 'm.conversation_id')
      .where({ 'c.order_id': id, 'm.sender_role': 'system' })
      .orderBy('m.id')
      .pluck('m.content');
    expect(lines).toEqual([
      '工单状态更新：已接单',
      '工单状态更新：已上门',
      '工单状态更新：待确认报价',
      '工单状态更新：维修中',
      '工单状态更新：已完成',
    ]);
  });

  it('when the customer pays an order (dev pay), then the payment costs at most 8 statements and its success 14, each in one transaction, the payment read once by number and nothing read back', async () => {
    const { orderId, amount } = await completeOrderBetween(t, customer, electrician);
    const pay = await cost(() => t.http.post('/api/payments').set(customer.auth).send({ orderId, amount }));
    // The order, the payer's openid; the order's lock, the open payment, the insert, begin/commit; the prepay id.
    expect(pay.sql.length, pay.sql.join('\n')).toBeLessThanOrEqual(8);
    expect(transactions(pay.sql)).toHaveLength(1);
    expect(readsOfPayment(pay.sql)).toEqual([]);
    const paymentNo = String(pay.res.body.data!.paymentNo);

    const { res, sql } = await cost(() => t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(customer.auth));
    // The payment (the caller's own), then in one transaction the order, the payment's and the
    // order's updates, the order's event, the earnings, the outbox row; after it the electrician's
    // account, two notifications, one count for both badges, the outbox delete.
    expect(sql.length, sql.join('\n')).toBeLessThanOrEqual(14);
    expect(transactions(sql)).toHaveLength(1);
    expect(readsOfPayment(sql)).toHaveLength(1);
    expect(readsOfOrder(sql)).toHaveLength(1);
    expect(matching(sql, /count\(\*\)/i)).toHaveLength(1);
    expect(writesAfterCommit(sql).filter((s) => !/^insert into [`"]notifications[`"]/i.test(s))).toEqual([]);
    // What it answers is what is stored.
    const stored = await t.http.get(`/api/payments/${paymentNo}`).set(customer.auth);
    expect(res.body.data).toEqual(stored.body.data);
    expect(res.body.data).toMatchObject({ status: 'paid', amount });
    expect(await t.db('event_outbox')).toEqual([]);
  });
});
