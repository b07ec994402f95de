import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { jpeg } from '../../../../test/fixtures/images';
import { count, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { connect, record, waitFor, type ClientSocket, useRealtimeApp } from '../../../realtime/__tests__/support';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { loginAsStaff } from '../../staff/__tests__/staff-helpers';
import { fromJson } from '../../../shared/rows';

describe('chat', () => {
  let t: TestApp;
  let url: string;
  let n = 0;
  const name = (s: string) => `${s}-${++n}`;

  useRealtimeApp((app) => ({ t, url } = app));

  async function settled(...recorders: { settle(): Promise<void> }[]) {
    await t.c.bus.drain();
    await t.c.chatBus.drain();
    for (const r of recorders) await r.settle();
  }

  /** An accepted order: its conversation exists with the customer and the electrician. */
  async function acceptedOrder() {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await settled();
    const list = await t.http.get('/api/chat/conversations').set(customer.auth);
    const conversation = (list.body.data as { id: number; orderId: number }[]).find((c) => c.orderId === order.id)!;
    return { customer, electrician, order, conversationId: conversation.id };
  }

  const send = (s: Session, conversationId: number, body: Record<string, unknown>) =>
    t.http.post(`/api/chat/conversations/${conversationId}/messages`).set(s.auth).send(body);

  it('when an order is accepted, then its conversation holds the customer and the electrician and a system line', async () => {
    const { customer, electrician, order, conversationId } = await acceptedOrder();
    const mine = await t.http.get('/api/chat/conversations').set(electrician.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual([
      expect.objectContaining({
        id: conversationId,
        kind: 'order',
        orderId: order.id,
        customerId: customer.userId,
        unreadCount: 1,
      }),
    ]);
    expect(mine.body.data[0].lastMessage).toMatchObject({
      type: 'system',
      senderId: null,
      content: expect.stringContaining('已接单'),
    });
    expect(await count(t.db, 'conversation_participants', { conversation_id: conversationId })).toBe(2);
  });

  it('when the process dies right after an order is accepted, then its conversation is there all the same', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    // No subscriber runs after the commit, as when the process is killed at that moment.
    const publish = vi.spyOn(t.c.bus, 'publish').mockResolvedValue(false);
    try {
      expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    } finally {
      publish.mockRestore();
    }
    for (const s of [customer, electrician]) {
      const list = await t.http.get('/api/chat/conversations').set(s.auth);
      expect(list.body.data).toEqual([
        expect.objectContaining({ kind: 'order', orderId: order.id, customerId: customer.userId }),
      ]);
      const sent = await send(s, list.body.data[0].id, { type: 'text', content: '在吗' });
      expect(sent.status).toBe(201);
    }
  });

  it('when a message is sent over REST, then it is stored and delivered as new-message to both participants only', async () => {
    const { customer, electrician, conversationId } = await acceptedOrder();
    const stranger = await login(t, name('stranger'));
    const [sCustomer, sElectrician, sStranger] = (await Promise.all(
      [customer, electrician, stranger].map((s) => connect(url, s.token)),
    )) as [ClientSocket, ClientSocket, ClientSocket];
    const messages = record([sCustomer, sElectrician, sStranger], 'new-message');
    const arrived = waitFor(sElectrician, 'new-message', (m) => m.type === 'text');
    const res = await send(customer, conversationId, { type: 'text', content: '师傅大概几点到？' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ conversationId, senderId: customer.userId, type: 'text', content: '师傅大概几点到？' });
    expect(await arrived).toEqual(res.body.data);
    await settled(messages);
    expect(messages.of(sCustomer)).toHaveLength(1);
    expect(messages.of(sStranger)).toEqual([]);
  });

  it('when a message is sent over the socket by orderId, then the ack carries the stored message', async () => {
    const { customer, electrician, order, conversationId } = await acceptedOrder();
    const sElectrician = await connect(url, electrician.token);
    const sCustomer = await connect(url, customer.token);
    const arrived = waitFor(sCustomer, 'new-message', (m) => m.type === 'text');
    const ack = await sElectrician.emitWithAck('send_message', { orderId: order.id, type: 'text', content: '二十分钟后到' });
    expect(ack).toMatchObject({ ok: true, data: { conversationId, senderId: electrician.userId, content: '二十分钟后到' } });
    expect((await arrived).id).toBe(ack.ok ? ack.data.id : -1);
  });

  it('when the same clientId is sent twice, then one message is stored and the first is returned', async () => {
    const { customer, conversationId } = await acceptedOrder();
    const first = await send(customer, conversationId, { type: 'text', content: '在吗', clientId: 'c-1' });
    const again = await send(customer, conversationId, { type: 'text', content: '在吗', clientId: 'c-1' });
    expect(again.status).toBe(201);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(await count(t.db, 'chat_messages', { client_id: 'c-1', sender_id: customer.userId })).toBe(1);
    const socket = await connect(url, customer.token);
    const ack = await socket.emitWithAck('send_message', { conversationId, type: 'text', content: '在吗', clientId: 'c-1' });
    expect(ack).toMatchObject({ ok: true, data: { id: first.body.data.id } });
  });

  it('when someone outside the conversation reads or writes, then they get 403 and unknown conversations 404', async () => {
    const { conversationId } = await acceptedOrder();
    const stranger = await login(t, name('stranger'));
    expect((await t.http.get(`/api/chat/conversations/${conversationId}/messages`).set(stranger.auth)).status).toBe(403);
    const res = await send(stranger, conversationId, { type: 'text', content: '你好' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await t.http.get('/api/chat/conversations/999999/messages').set(stranger.auth)).status).toBe(404);
    const socket = await connect(url, stranger.token);
    expect(await socket.emitWithAck('send_message', { conversationId, type: 'text', content: '你好' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await socket.emitWithAck('typing', { conversationId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('when a text is too long or the type unknown, then it is refused as VALIDATION_FAILED and nothing is stored', async () => {
    const { customer, conversationId } = await acceptedOrder();
    const before = await count(t.db, 'chat_messages', { conversation_id: conversationId });
    expect((await send(customer, conversationId, { type: 'text', content: '长'.repeat(1001) })).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await send(customer, conversationId, { type: 'video', content: 'x' })).status).toBe(400);
    const socket = await connect(url, customer.token);
    expect(await socket.emitWithAck('send_message', { conversationId, type: 'text', content: '' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await count(t.db, 'chat_messages', { conversation_id: conversationId })).toBe(before);
  });

  it('when an image message names a chat upload of the sender, then it carries a signed URL; a foreign upload is refused', async () => {
    const { customer, electrician, conversationId } = await acceptedOrder();
    const upload = async (s: Session) =>
      (
        await t.http
          .post('/api/uploads')
          .set(s.auth)
          .field('purpose', 'chat')
          .attach('file', jpeg(randomBytes(8).toString('hex')), { filename: 'a.jpg', contentType: 'image/jpeg' })
      ).body.data.id as number;
    const mine = await upload(customer);
    const res = await send(customer, conversationId, { type: 'image', content: String(mine) });
    expect(res.status).toBe(201);
    expect(res.body.data.image).toMatchObject({ id: mine, url: expect.stringContaining(`/api/files/${mine}`) });
    const theirs = await upload(electrician);
    const foreign = await send(customer, conversationId, { type: 'image', content: String(theirs) });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('INVALID_UPLOAD');
  });

  it('when a participant types, then only the others receive typing', async () => {
    const { customer, electrician, conversationId } = await acceptedOrder();
    const sCustomer = await connect(url, customer.token);
    const sElectrician = await connect(url, electrician.token);
    const typing = record([sCustomer, sElectrician], 'typing');
    const seen = waitFor(sElectrician, 'typing');
    expect(await sCustomer.emitWithAck('typing', { conversationId })).toEqual({ ok: true, data: {} });
    expect(await seen).toEqual({ conversationId, userId: customer.userId });
    await settled(typing);
    expect(typing.of(sCustomer)).toEqual([]);
  });

  it('when a participant reads, then the others get message-read and the unread count drops', async () => {
    const { customer, electrician, conversationId } = await acceptedOrder();
    const sent = await send(customer, conversationId, { type: 'text', content: '插座在厨房' });
    const unread = async () =>
      (
        (await t.http.get('/api/chat/conversations').set(electrician.auth)).body.data as { id: number; unreadCount: number }[]
      ).find((c) => c.id === conversationId)!.unreadCount;
    expect(await unread()).toBe(2);
    const sCustomer = await connect(url, customer.token);
    const sElectrician = await connect(url, electrician.token);
    const reads = record([sCustomer, sElectrician], 'message-read');
    const receipt = waitFor(sCustomer, 'message-read');
    const res = await t.http
      .post(`/api/chat/conversations/${conversationId}/read`)
      .set(electrician.auth)
      .send({ upToMessageId: sent.body.data.id });
    expect(res.status).toBe(200);
    expect(await receipt).toEqual({ conversationId, userId: electrician.userId, upToMessageId: sent.body.data.id });
    expect(await unread()).toBe(0);
    await settled(reads);
    expect(reads.of(sElectrician)).toEqual([]);
    const ack = await sCustomer.emitWithAck('read', { conversationId, upToMessageId: sent.body.data.id });
    expect(ack.ok).toBe(true);
  });

  it('when history is paged while new messages arrive, then the id cursor neither repeats nor skips', async () => {
    const { customer, electrician, conversationId } = await acceptedOrder();
    for (let i = 1; i <= 5; i++)
      await send(i % 2 ? customer : electrician, conversationId, { type: 'text', content: `第${i}条` });
    const page = (before?: number) =>
      t.http
        .get(`/api/chat/conversations/${conversationId}/messages`)
        .query({ limit: 2, ...(before ? { before } : {}) })
        .set(customer.auth);
    const first = await page();
    expect(first.body.data.map((m: { content: string }) => m.content)).toEqual(['第5条', '第4条']);
    await send(electrician, conversationId, { type: 'text', content: '第6条' });
    const seen: string[] = first.body.data.map((m: { content: string }) => m.content);
    let cursor: number | null = first.body.nextCursor;
    while (cursor) {
      const next = await page(cursor);
      seen.push(...next.body.data.map((m: { content: string }) => m.content));
      cursor = next.body.nextCursor;
    }
    expect(seen.filter((c) => c.startsWith('第'))).toEqual(['第5条', '第4条', '第3条', '第2条', '第1条']);
    expect(seen.at(-1)).toContain('已接单');
  });

  it('when a customer opens customer service twice, then one conversation exists and staff see and answer it', async () => {
    const customer = await login(t, name('cs-cust'));
    const admin = await loginAsAdmin(t);
    const a = await t.http.post('/api/chat/customer-service').set(customer.auth);
    const b = await t.http.post('/api/chat/customer-service').set(customer.auth);
    expect(a.status).toBe(200);
    expect(b.body.data.id).toBe(a.body.data.id);
    const id = a.body.data.id as number;
    const sAdmin = await connect(url, admin.token);
    const sCustomer = await connect(url, customer.token);
    const staffSee = waitFor(sAdmin, 'new-message', (m) => m.conversationId === id);
    await send(customer, id, { type: 'text', content: '我要投诉' });
    expect((await staffSee).content).toBe('我要投诉');
    const listed = await t.http.get('/api/chat/conversations').set(admin.auth).query({ limit: 100 });
    expect((listed.body.data as { id: number }[]).map((c) => c.id)).toContain(id);
    const reply = waitFor(sCustomer, 'new-message', (m) => m.senderId === admin.userId);
    expect((await send(admin, id, { type: 'text', content: '您好，请讲' })).status).toBe(201);
    expect((await reply).content).toBe('您好，请讲');
    const other = await login(t, name('cs-other'));
    expect((await t.http.get(`/api/chat/conversations/${id}/messages`).set(other.auth)).status).toBe(403);
  });

  it('when a user sends too fast, then further messages are RATE_LIMITED', async () => {
    const { customer, conversationId } = await acceptedOrder();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await send(customer, conversationId, { type: 'text', content: `${i}` })).status);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('when another electrician accepts the order after a release, then they join the conversation and its history is kept', async () => {
    const { customer, electrician, order, conversationId } = await acceptedOrder();
    await send(customer, conversationId, { type: 'text', content: '之前的消息' });
    expect((await t.http.post(`/api/orders/${order.id}/release`).set(electrician.auth).send({ reason: '临时有事' })).status).toBe(
      200,
    );
    const second = await loginAsElectrician(t, name('second'));
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(second.auth)).status).toBe(200);
    await settled();
    const history = await t.http.get(`/api/chat/conversations/${conversationId}/messages`).query({ limit: 50 }).set(second.auth);
    expect(history.status).toBe(200);
    expect((history.body.data as { content: string }[]).map((m) => m.content)).toContain('之前的消息');
    expect(await count(t.db, 'conversations', { order_id: order.id })).toBe(1);
  });

  /** A customer's customer-service conversation with a first message in it. */
  async function serviceConversation() {
    const customer = await login(t, name('cs-cust'));
    const id = (await t.http.post('/api/chat/customer-service').set(customer.auth)).body.data.id as number;
    const first = await send(customer, id, { type: 'text', content: '有人吗？' });
    expect(first.status).toBe(201);
    await settled();
    return { customer, id, firstId: first.body.data.id as number };
  }

  const auditRows = (actorId: number) => t.db('audit_logs').where({ actor_id: actorId, action: 'chat.service' }).orderBy('id');

  it('when a finance staff member (no chat.service) lists, reads or writes support chat over REST, then each is refused and nothing is seen or changed; an agent serves it', async () => {
    const { id, firstId } = await serviceConversation();
    const finance = await loginAsStaff(t, 'finance');
    const agent = await loginAsStaff(t, 'agent');
    const refused = [
      await t.http.get('/api/chat/conversations').set(finance.auth),
      await t.http.get(`/api/chat/conversations/${id}/messages`).set(finance.auth),
      await send(finance, id, { type: 'text', content: '财务来看看' }),
      await t.http.post(`/api/chat/conversations/${id}/read`).set(finance.auth).send({ upToMessageId: firstId }),
      // Not even whether a conversation exists.
      await t.http.get('/api/chat/conversations/999999/messages').set(finance.auth),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(refused.every((r) => r.body.data === undefined)).toBe(true);
    expect(await count(t.db, 'chat_messages', { conversation_id: id })).toBe(1);
    expect(await count(t.db, 'conversation_participants', { user_id: finance.userId })).toBe(0);

    const listed = await t.http.get('/api/chat/conversations').set(agent.auth).query({ limit: 100 });
    expect(listed.status).toBe(200);
    expect((listed.body.data as { id: number }[]).map((c) => c.id)).toContain(id);
    expect((await t.http.get(`/api/chat/conversations/${id}/messages`).set(agent.auth)).body.data).toEqual([
      expect.objectContaining({ id: firstId, content: '有人吗？' }),
    ]);
    expect((await send(agent, id, { type: 'text', content: '您好，请讲' })).status).toBe(201);
    expect(
      (await t.http.post(`/api/chat/conversations/${id}/read`).set(agent.auth).send({ upToMessageId: firstId })).status,
    ).toBe(200);
    // An order's conversation is its customer's and electrician's, even for staff who serve chat.
    const { conversationId } = await acceptedOrder();
    expect((await t.http.get(`/api/chat/conversations/${conversationId}/messages`).set(agent.auth)).status).toBe(403);
  });

  it('when a finance staff member has a socket open, then it receives no support chat and its send, read and typing are refused; an agent receives and answers', async () => {
    const { customer, id, firstId } = await serviceConversation();
    const finance = await loginAsStaff(t, 'finance');
    const agent = await loginAsStaff(t, 'agent');
    const [sFinance, sAgent, sCustomer] = (await Promise.all([finance, agent, customer].map((s) => connect(url, s.token)))) as [
      ClientSocket,
      ClientSocket,
      ClientSocket,
    ];
    const seen = record([sFinance], 'new-message');
    const typing = record([sFinance], 'typing');
    const atAgent = waitFor(sAgent, 'new-message', (m) => m.conversationId === id);
    const typed = waitFor(sAgent, 'typing', (e) => e.conversationId === id);
    expect((await send(customer, id, { type: 'text', content: '我的订单呢' })).status).toBe(201);
    expect(await sCustomer.emitWithAck('typing', { conversationId: id })).toEqual({ ok: true, data: {} });
    expect((await atAgent).content).toBe('我的订单呢');
    await typed;

    for (const [event, payload] of [
      ['send_message', { conversationId: id, type: 'text', content: '财务插话' }],
      ['read', { conversationId: id, upToMessageId: firstId }],
      ['typing', { conversationId: id }],
    ] as const)
      expect(await (sFinance.emitWithAck as (e: string, p: unknown) => Promise<unknown>)(event, payload)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    await settled(seen, typing);
    expect(seen.of(sFinance)).toEqual([]);
    expect(typing.of(sFinance)).toEqual([]);
    expect(await count(t.db, 'chat_messages', { conversation_id: id })).toBe(2);

    const reply = waitFor(sCustomer, 'new-message', (m) => m.senderId === agent.userId);
    const ack = await sAgent.emitWithAck('send_message', { conversationId: id, type: 'text', content: '马上为您查询' });
    expect(ack).toMatchObject({ ok: true, data: { conversationId: id, senderId: agent.userId } });
    expect((await reply).content).toBe('马上为您查询');
  });

  it('when staff write into support chat over the socket, then each send and read leaves one audit row, pending while it runs; typing and refused callers leave none', async () => {
    const { id, firstId } = await serviceConversation();
    const agent = await loginAsStaff(t, 'agent');
    const finance = await loginAsStaff(t, 'finance');
    const sAgent = await connect(url, agent.token);
    const sFinance = await connect(url, finance.token);

    // While the message is being stored, its row is already committed as pending.
    const realSend = t.c.services.chat.send;
    let during: unknown[] = [];
    const spy = vi.spyOn(t.c.services.chat, 'send').mockImplementation(async (...args) => {
      during = await auditRows(agent.userId).select('outcome');
      return realSend(...args);
    });
    const sent = await sAgent.emitWithAck('send_message', { conversationId: id, type: 'text', content: '您好', clientId: 'a-1' });
    spy.mockRestore();
    expect(sent.ok).toBe(true);
    expect(during).toEqual([{ outcome: 'pending' }]);
    expect((await sAgent.emitWithAck('read', { conversationId: id, upToMessageId: firstId })).ok).toBe(true);
    expect((await sAgent.emitWithAck('typing', { conversationId: id })).ok).toBe(true);
    const { conversationId: orderConversation } = await acceptedOrder();
    expect(
      await sAgent.emitWithAck('send_message', { conversationId: orderConversation, type: 'text', content: '客服插话' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await sFinance.emitWithAck('send_message', { conversationId: id, type: 'text', content: '财务' })).ok).toBe(false);

    const rows = await auditRows(agent.userId);
    expect(rows).toEqual([
      expect.objectContaining({
        actor_role: 'agent',
        action: 'chat.service',
        method: 'SOCKET',
        route: 'send_message',
        target_type: 'chat',
        target_id: String(id),
        outcome: 'succeeded',
        status_code: 201,
      }),
      expect.objectContaining({
        action: 'chat.service',
        route: 'read',
        target_id: String(id),
        outcome: 'succeeded',
        status_code: 200,
      }),
      expect.objectContaining({
        route: 'send_message',
        target_id: String(orderConversation),
        outcome: 'failed',
        status_code: 403,
        error_code: 'FORBIDDEN',
      }),
    ]);
    expect(fromJson(rows[0].details, {})).toMatchObject({ conversationId: id, content: '您好', clientId: 'a-1' });
    expect(await auditRows(finance.userId)).toEqual([]);

    // If the row cannot be written, the message is not sent.
    const before = await count(t.db, 'chat_messages', { conversation_id: id });
    const failing = vi.spyOn(t.c.services.staff, 'beginSocketAction').mockRejectedValue(new Error('audit table gone'));
    const unaudited = await sAgent.emitWithAck('send_message', { conversationId: id, type: 'text', content: '不留痕' });
    failing.mockRestore();
    expect(unaudited).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await count(t.db, 'chat_messages', { conversation_id: id })).toBe(before);
  });

  it('when a connected agent is demoted to finance, then their sockets stop receiving support chat at once and their events are refused; promoted back, they receive it again', async () => {
    const { customer, id } = await serviceConversation();
    const agent = await loginAsStaff(t, 'agent');
    const admin = await loginAsAdmin(t);
    // The agent has joined the conversation: being a participant gives nothing without chat.service.
    expect((await send(agent, id, { type: 'text', content: '您好' })).status).toBe(201);
    const sAgent = await connect(url, agent.token);
    const seen = record([sAgent], 'new-message');
    const role = async (staffRole: string) => {
      expect((await t.http.patch(`/api/admin/staff/${agent.userId}`).set(admin.auth).send({ staffRole })).status).toBe(200);
      await settled();
    };

    await role('finance');
    expect((await send(customer, id, { type: 'text', content: '降级之后' })).status).toBe(201);
    await settled(seen);
    expect(seen.of(sAgent)).toEqual([]);
    expect(await sAgent.emitWithAck('send_message', { conversationId: id, type: 'text', content: '还能发吗' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    await role('agent');
    const back = waitFor(sAgent, 'new-message', (m) => m.content === '恢复之后');
    expect((await send(customer, id, { type: 'text', content: '恢复之后' })).status).toBe(201);
    await back;

    // A change the realtime layer was never told of (made in the database, as a script would) holds at the next push.
    await t.db('users').where({ id: agent.userId }).update({ staff_role: 'finance' });
    expect((await send(customer, id, { type: 'text', content: '直接改库之后' })).status).toBe(201);
    await settled(seen);
    expect(seen.of(sAgent).map((m) => m.content)).toEqual(['恢复之后']);
  });
});
