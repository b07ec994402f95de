/**
 * Chat deliveries are durable (issue #22): a message or a read mark is staged in event_outbox in
 * the transaction that stores it, so what follows its commit — pushes, the offline recipient's
 * notification, the unread count in it — is redone by `events.redeliver` when the process died
 * first ("died" here: publish is stubbed, so no subscriber runs after the commit), and only once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { REDELIVER_AFTER_MS } from '../../../shared/event-outbox';
import { connect, record, useRealtimeApp } from '../../../realtime/__tests__/support';
import { placeOrder } from '../../orders/__tests__/order-helpers';

describe('durable chat deliveries', () => {
  let t: TestApp;
  let url: string;
  let n = 0;
  const name = (s: string) => `${s}-${++n}`;

  useRealtimeApp((app) => ({ t, url } = app));
  afterEach(async () => {
    vi.restoreAllMocks();
    await settled();
  });

  async function settled() {
    await t.c.bus.drain();
    await t.c.chatBus.drain();
  }
  const chatRows = () => count(t.db, 'event_outbox', { name: 'chat.message' });
  const redeliverLater = async () => {
    t.clock.advance(REDELIVER_AFTER_MS + 1);
    const handled = await t.c.chatBus.redeliver();
    await settled();
    return handled;
  };
  /** Runs `act` as if the process died right after its commit: no chat subscriber runs. */
  async function dying<T>(act: () => Promise<T>): Promise<T> {
    const publish = vi.spyOn(t.c.chatBus, 'publish').mockResolvedValue(false);
    try {
      const result = await act();
      await settled();
      return result;
    } finally {
      publish.mockRestore();
    }
  }

  /** An accepted order's conversation; the electrician stays offline throughout. */
  async function conversation() {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await settled();
    const id = (await t.db('conversations').where({ order_id: order.id }).first()).id as number;
    return { customer, electrician, id };
  }
  const send = (s: Session, id: number, content: string) =>
    t.http.post(`/api/chat/conversations/${id}/messages`).set(s.auth).send({ type: 'text', content });
  const notificationsOf = (userId: number, conversationId: number) =>
    t.db('notifications').where({ user_id: userId, conversation_id: conversationId, type: 'chat' }).orderBy('id');

  it('when the process dies right after a message is stored, then the redelivery notifies the offline recipient once, with the unread count, and pushes it late', async () => {
    const { customer, electrician, id } = await conversation();
    const first = await send(customer, id, '师傅您好');
    await settled();
    expect(await notificationsOf(electrician.userId, id)).toEqual([
      expect.objectContaining({ source_key: `chat:${first.body.data.id}:${electrician.userId}`, read_at: null }),
    ]);
    const socket = await connect(url, customer.token);
    const pushed = record([socket], 'new-message');

    const second = await dying(() => send(customer, id, '几点能到？'));
    expect(second.status).toBe(201);
    expect(await chatRows()).toBe(1);
    const [before] = await notificationsOf(electrician.userId, id);
    expect(before.content).toContain('有 2 条未读消息'); // the system line and the first message

    // Not yet due: its delivery may still be under way in the process that staged it. Nor is it
    // the domain bus's to redeliver.
    expect(await t.c.chatBus.redeliver()).toBe(0);
    t.clock.advance(REDELIVER_AFTER_MS + 1);
    expect(await t.c.bus.redeliver()).toBe(0);
    expect(await chatRows()).toBe(1);

    expect(await redeliverLater()).toBe(1);
    expect(await chatRows()).toBe(0);
    const after = await notificationsOf(electrician.userId, id);
    expect(after).toHaveLength(1);
    expect(after[0].content).toContain('有 3 条未读消息');
    await pushed.settle();
    expect(pushed.of(socket).map((m) => m.id)).toEqual([second.body.data.id]);

    // A later run finds nothing and adds nothing.
    expect(await redeliverLater()).toBe(0);
    expect(await notificationsOf(electrician.userId, id)).toEqual(after);
  });

  it('when the first message to an offline recipient is redelivered twice over (a subscriber failed), then they are notified exactly once', async () => {
    const { customer, electrician, id } = await conversation();
    // Reading the conversation reads its notification: the next message starts a new one.
    const last = (await t.db('chat_messages').where({ conversation_id: id }).max({ id: 'id' }).first())!.id as number;
    expect(
      (await t.http.post(`/api/chat/conversations/${id}/read`).set(electrician.auth).send({ upToMessageId: last })).status,
    ).toBe(200);
    await settled();
    let failures = 1;
    const off = t.c.chatBus.subscribe('chat.message', () => {
      if (failures-- > 0) throw new Error('push down');
    });
    const sent = await send(customer, id, '门口了吗');
    await settled();
    const key = `chat:${sent.body.data.id}:${electrician.userId}`;
    expect(await count(t.db, 'notifications', { source_key: key })).toBe(1);
    expect(await chatRows()).toBe(1);

    expect(await redeliverLater()).toBe(1);
    expect(await chatRows()).toBe(0);
    expect(await count(t.db, 'notifications', { source_key: key })).toBe(1);
    expect(await notificationsOf(electrician.userId, id)).toHaveLength(1);
    off();
  });

  it('when the process dies right after a read mark moves, then the redelivery reads the chat notification and tells the others', async () => {
    const { customer, electrician, id } = await conversation();
    const sent = await send(customer, id, '插座在厨房');
    await settled();
    expect((await notificationsOf(electrician.userId, id))[0].read_at).toBeNull();
    const socket = await connect(url, customer.token);
    const receipts = record([socket], 'message-read');

    const read = await dying(() =>
      t.http.post(`/api/chat/conversations/${id}/read`).set(electrician.auth).send({ upToMessageId: sent.body.data.id }),
    );
    expect(read.status).toBe(200);
    expect(await count(t.db, 'event_outbox', { name: 'chat.read' })).toBe(1);
    expect((await notificationsOf(electrician.userId, id))[0].read_at).toBeNull();

    expect(await redeliverLater()).toBe(1);
    expect(await count(t.db, 'event_outbox', { name: 'chat.read' })).toBe(0);
    expect((await notificationsOf(electrician.userId, id))[0].read_at).not.toBeNull();
    await receipts.settle();
    expect(receipts.of(socket)).toEqual([{ conversationId: id, userId: electrician.userId, upToMessageId: sent.body.data.id }]);
  });
});
