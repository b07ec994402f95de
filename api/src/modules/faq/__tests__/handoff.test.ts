import { beforeAll, describe, expect, it, vi } from 'vitest';
import { REDELIVER_AFTER_MS } from '../../../shared/event-outbox';
import { count, login, loginAsElectrician, snapshot, type Session, type TestApp } from '../../../../test/harness';
import { connect, useRealtimeApp, waitFor } from '../../../realtime/__tests__/support';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { completeOrderBetween } from '../../payments/__tests__/payment-helpers';
import { loginAsStaff, type StaffSession } from '../../staff/__tests__/staff-helpers';

let t: TestApp;
let url: string;
useRealtimeApp((app) => {
  t = app.t;
  url = app.url;
});

let agent: StaffSession;
let colleague: StaffSession;
let ops: StaffSession;
let finance: StaffSession;
let n = 0;
const name = (s: string) => `${s}-${++n}`;

beforeAll(async () => {
  agent = await loginAsStaff(t, 'agent');
  colleague = await loginAsStaff(t, 'agent');
  ops = await loginAsStaff(t, 'ops_manager');
  finance = await loginAsStaff(t, 'finance');
});

const serviceConversation = async (s: Session) => (await t.http.post('/api/chat/customer-service').set(s.auth)).body.data;
const notifications = (userId: number) => t.db('notifications').where({ user_id: userId, title: '客户请求人工客服' });

describe('the bot in the conversation', () => {
  it("when a customer asks over REST with a socket open, then the bot's reply reaches their socket like any chat message, and agents serving chat see it too", async () => {
    const customer = await login(t, name('live'));
    const mine = await connect(url, customer.token);
    const agentSocket = await connect(url, agent.token);
    const toMe = waitFor(mine, 'new-message', (m) => (m as { senderRole?: string }).senderRole === 'bot');
    const toAgent = waitFor(agentSocket, 'new-message', (m) => (m as { senderRole?: string }).senderRole === 'bot');

    const res = await t.http.post('/api/chat/customer-service/ask').set(customer.auth).send({ question: '修完的灯又坏了保修吗' });
    expect(res.status).toBe(200);
    const pushed = await toMe;
    expect(pushed).toEqual(res.body.data.message);
    expect(pushed).toMatchObject({ senderRole: 'bot', senderId: null, meta: { faqIds: expect.any(Array) } });
    expect((await toAgent).id).toBe(pushed.id);

    // The bot's reply is no news for the message center, even with no socket open: the asker has it in the answer.
    const offline = await login(t, name('offline'));
    expect((await t.http.post('/api/chat/customer-service/ask').set(offline.auth).send({ question: '怎么开发票' })).status).toBe(
      200,
    );
    await t.c.bus.drain();
    await t.c.chatBus.drain();
    expect(await count(t.db, 'notifications', { user_id: offline.userId, type: 'chat' })).toBe(0);
  });
});

describe('handing off to an agent', () => {
  it('when a customer asks for a person, then the conversation waits for an agent, a system line says so, and every staff member with chat.service is notified once', async () => {
    const customer = await login(t, name('esc'));
    await t.http.post('/api/chat/customer-service/ask').set(customer.auth).send({ question: '我要找人工' });

    const res = await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({ reason: '报价有争议' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      kind: 'service',
      customerId: customer.userId,
      status: 'waiting_agent',
      assigneeId: null,
      assigneeName: null,
      escalatedAt: expect.any(String),
      lastMessage: { type: 'system', senderRole: 'system', content: expect.stringContaining('报价有争议') },
    });
    const conversationId = res.body.data.id as number;
    // The agents' queue lists it.
    const queue = await t.http.get('/api/chat/conversations').set(agent.auth).query({ status: 'waiting_agent', limit: 100 });
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((c: { id: number }) => c.id)).toContain(conversationId);
    expect(queue.body.data.every((c: { status: string }) => c.status === 'waiting_agent')).toBe(true);
    await t.c.bus.drain();
    for (const s of [agent, colleague, ops]) {
      const rows = await notifications(s.userId);
      expect(rows.filter((r) => String(r.content).includes(`#${conversationId}`))).toHaveLength(1);
    }
    expect(await notifications(finance.userId)).toHaveLength(0);

    // Asking again while waiting changes nothing and notifies nobody again.
    const again = await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({});
    expect(again.body.data.status).toBe('waiting_agent');
    await t.c.bus.drain();
    expect((await notifications(agent.userId)).filter((r) => String(r.content).includes(`#${conversationId}`))).toHaveLength(1);
    expect(await count(t.db, 'chat_messages', { conversation_id: conversationId, type: 'system' })).toBe(1);
  });

  it('when a customer taps 转人工 several times at once, then the conversation waits once: one system line, one notification per agent', async () => {
    const customer = await login(t, name('tap'));
    const { id } = await serviceConversation(customer);
    const results = await Promise.all(
      [0, 1, 2].map(() => t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({})),
    );
    expect(results.map((r) => [r.status, r.body.data.status])).toEqual(Array(3).fill([200, 'waiting_agent']));
    await t.c.bus.drain();
    expect(await count(t.db, 'chat_messages', { conversation_id: id, type: 'system' })).toBe(1);
    expect((await notifications(agent.userId)).filter((r) => String(r.content).includes(`#${id}`))).toHaveLength(1);
  });

  it('when the process dies right after a customer asks for a person, then the redelivery notifies every agent, once', async () => {
    const customer = await login(t, name('crash'));
    await t.c.bus.drain();
    const publish = vi.spyOn(t.c.bus, 'publish').mockResolvedValue(false);
    let id: number;
    try {
      const res = await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({ reason: '急' });
      expect(res.status).toBe(200);
      id = res.body.data.id;
      await t.c.bus.drain();
    } finally {
      publish.mockRestore();
    }
    const mine = async () => (await notifications(agent.userId)).filter((r) => String(r.content).includes(`#${id}`));
    expect(await mine()).toHaveLength(0);
    expect(await count(t.db, 'event_outbox', { name: 'customer_service.escalated' })).toBe(1);

    t.clock.advance(REDELIVER_AFTER_MS + 1);
    await t.c.bus.redeliver();
    await t.c.bus.drain();
    expect(await mine()).toHaveLength(1);
    expect(await count(t.db, 'event_outbox', { name: 'customer_service.escalated' })).toBe(0);
    t.clock.advance(REDELIVER_AFTER_MS + 1);
    await t.c.bus.redeliver();
    await t.c.bus.drain();
    expect(await mine()).toHaveLength(1);
  });

  it('when an agent picks the conversation up, then it is with that agent, named in the conversation; a colleague cannot take it and staff without chat.service cannot claim', async () => {
    const customer = await login(t, name('claim'));
    const { id } = (await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({})).body.data;

    expect((await t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(finance.auth)).status).toBe(403);
    expect((await t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(customer.auth)).status).toBe(403);
    const claimed = await t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(agent.auth);
    expect(claimed.status).toBe(200);
    const waiting = await t.http.get('/api/chat/conversations').set(agent.auth).query({ status: 'waiting_agent', limit: 100 });
    expect(waiting.body.data.map((c: { id: number }) => c.id)).not.toContain(id);
    expect(claimed.body.data).toMatchObject({
      id,
      status: 'with_agent',
      assigneeId: agent.userId,
      assigneeName: '李客服',
      assignedAt: expect.any(String),
    });
    // Again by the same agent: nothing changes.
    expect((await t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(agent.auth)).status).toBe(200);

    const taken = await t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(colleague.auth);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('CONVERSATION_TAKEN');
    expect((await serviceConversation(customer)).assigneeId).toBe(agent.userId);

    // The customer sees who has it; asking for a person again changes nothing.
    const mine = await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({});
    expect(mine.body.data).toMatchObject({ status: 'with_agent', assigneeId: agent.userId, assigneeName: '李客服' });
    expect((await t.http.post('/api/admin/chat/conversations/999999/claim').set(agent.auth)).status).toBe(404);
  });

  it('when the agent ends the human service, then the bot has the conversation again, a system line says so, and asking for a person notifies the agents anew', async () => {
    const customer = await login(t, name('release'));
    const { id } = (await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({})).body.data;
    await t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(agent.auth);

    expect((await t.http.post(`/api/admin/chat/conversations/${id}/release`).set(finance.auth)).status).toBe(403);
    const released = await t.http.post(`/api/admin/chat/conversations/${id}/release`).set(agent.auth);
    expect(released.status).toBe(200);
    expect(released.body.data).toMatchObject({
      id,
      status: 'bot',
      assigneeId: null,
      assigneeName: null,
      lastMessage: { senderRole: 'system', content: expect.stringContaining('人工服务已结束') },
    });
    // Ending it again adds nothing.
    await t.http.post(`/api/admin/chat/conversations/${id}/release`).set(agent.auth);
    expect(await count(t.db, 'chat_messages', { conversation_id: id, type: 'system' })).toBe(2);

    const again = await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({});
    expect(again.body.data.status).toBe('waiting_agent');
    await t.c.bus.drain();
    expect((await notifications(colleague.userId)).filter((r) => String(r.content).includes(`#${id}`))).toHaveLength(2);
  });

  it('when two agents claim at once, then exactly one gets the conversation', async () => {
    const customer = await login(t, name('race'));
    const { id } = (await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({})).body.data;
    const results = await Promise.all(
      [agent, colleague].map((s) => t.http.post(`/api/admin/chat/conversations/${id}/claim`).set(s.auth)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body.data.assigneeId;
    expect((await t.db('conversations').where({ id }).first()).assignee_id).toBe(winner);
  });

  it("when an agent's first reply comes before any claim, then the reply picks the conversation up", async () => {
    const customer = await login(t, name('reply'));
    const { id } = (await t.http.post('/api/chat/customer-service/escalate').set(customer.auth).send({})).body.data;
    const sent = await t.http
      .post(`/api/chat/conversations/${id}/messages`)
      .set(colleague.auth)
      .send({ type: 'text', content: '您好，我来帮您处理' });
    expect(sent.status).toBe(201);
    expect(sent.body.data.senderRole).toBe('admin');
    expect(await serviceConversation(customer)).toMatchObject({ status: 'with_agent', assigneeId: colleague.userId });
    // A later reply by another agent leaves it with the first.
    await t.http.post(`/api/chat/conversations/${id}/messages`).set(agent.auth).send({ type: 'text', content: '补充一下' });
    expect((await serviceConversation(customer)).assigneeId).toBe(colleague.userId);
  });

  it('when staff ask for a person, or the reason is too long, then it is refused and nothing changes', async () => {
    const customer = await login(t, name('badesc'));
    await serviceConversation(customer);
    const before = await snapshot(t.db, ['audit_logs']);
    expect((await t.http.post('/api/chat/customer-service/escalate').set(agent.auth).send({})).status).toBe(403);
    const long = await t.http
      .post('/api/chat/customer-service/escalate')
      .set(customer.auth)
      .send({ reason: '长'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toEqual(['body', 'reason']);
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(before);
  });
});

describe('turning the conversation into a complaint', () => {
  it("when a customer complains about their completed order from the conversation, then the complaint is opened by complaints' rules and a system line links it", async () => {
    const customer = await login(t, name('cc'));
    const electrician = await loginAsElectrician(t, name('ce'));
    const { orderId } = await completeOrderBetween(t, customer, electrician);

    const res = await t.http
      .post('/api/chat/customer-service/complaint')
      .set(customer.auth)
      .send({ orderId, type: 'quality', content: '修好第二天插座又不通电了' });
    expect(res.status).toBe(201);
    const { complaint, message } = res.body.data;
    expect(complaint).toMatchObject({
      id: expect.any(Number),
      orderId,
      orderNo: expect.any(String),
      type: 'quality',
      status: 'open',
      level: 'normal',
    });
    expect(await t.db('complaints').where({ id: complaint.id }).first()).toMatchObject({
      order_id: orderId,
      customer_id: customer.userId,
    });
    expect(message).toMatchObject({ type: 'system', senderRole: 'system', meta: { complaintId: complaint.id } });
    expect(message.content).toContain(complaint.orderNo);
    expect(message.conversationId).toBe((await serviceConversation(customer)).id);

    // One open complaint per order, as complaints say.
    const again = await t.http
      .post('/api/chat/customer-service/complaint')
      .set(customer.auth)
      .send({ orderId, type: 'service', content: '还想再投诉一次服务' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('COMPLAINT_OPEN');
  });

  it("when the order is someone else's, not completed, or the body is bad, then complaints' error is answered and nothing is written", async () => {
    const customer = await login(t, name('cx'));
    const stranger = await login(t, name('cs'));
    const electrician = await loginAsElectrician(t, name('cxe'));
    const { orderId } = await completeOrderBetween(t, customer, electrician);
    const pending = await placeOrder(t, customer);
    await serviceConversation(stranger);
    await serviceConversation(customer);
    const before = await snapshot(t.db, ['audit_logs']);

    const notMine = await t.http
      .post('/api/chat/customer-service/complaint')
      .set(stranger.auth)
      .send({ orderId, type: 'quality', content: '不是我的订单也想投诉' });
    expect(notMine.status).toBe(404);
    const notDone = await t.http
      .post('/api/chat/customer-service/complaint')
      .set(customer.auth)
      .send({ orderId: pending.id, type: 'quality', content: '还没修就想投诉一下' });
    expect(notDone.status).toBe(409);
    expect(notDone.body.error.code).toBe('INVALID_TRANSITION');
    const bad = await t.http
      .post('/api/chat/customer-service/complaint')
      .set(customer.auth)
      .send({ orderId, type: 'angry', content: '短' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort()).toEqual(['body.content', 'body.type']);
    expect(
      (
        await t.http
          .post('/api/chat/customer-service/complaint')
          .set(agent.auth)
          .send({ orderId, type: 'quality', content: '员工代投诉一下' })
      ).status,
    ).toBe(403);
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(before);
  });
});
