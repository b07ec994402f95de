import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyAs,
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import { connect, record, waitFor, useRealtimeApp } from '../../../realtime/__tests__/support';
import type { ComplaintChanged, DomainEvent } from '../../../shared/domain-events';
import { orderBody, placeOrder } from '../../orders/__tests__/order-helpers';
import { completedOrder } from '../../payments/__tests__/payment-helpers';

interface Note {
  id: number;
  type: string;
  title: string;
  content: string;
  orderId: number | null;
  read: boolean;
}

describe('message center', () => {
  let t: TestApp;
  let url: string;
  let n = 0;
  const name = (s: string) => `${s}-${++n}`;

  useRealtimeApp((app) => ({ t, url } = app));

  const settled = async () => {
    await t.c.bus.drain();
    await t.c.chatBus.drain();
    await t.c.bus.drain();
  };
  const inbox = async (s: Session, query: Record<string, string | number> = {}) => {
    await settled();
    const res = await t.http
      .get('/api/messages')
      .set(s.auth)
      .query({ limit: 100, ...query });
    expect(res.status).toBe(200);
    return res.body.data as Note[];
  };
  const unread = async (s: Session) => {
    await settled();
    const res = await t.http.get('/api/messages/unread-count').set(s.auth);
    expect(res.status).toBe(200);
    return res.body.data as { total: number; byType: Record<string, number> };
  };
  const step = async (orderId: number, path: string, s: Session, body: object = {}) => {
    const res = await t.http.post(`/api/orders/${orderId}/${path}`).set(s.auth).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const everyNotification = async () =>
    (await t.db('notifications').select('title', 'content')) as { title: string; content: string }[];

  it('when an order is placed, grabbed, arrived and quoted, then the customer is told each step in Chinese and the electrician is not told of their own actions', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await step(order.id, 'grab', electrician);
    await step(order.id, 'arrive', electrician, { latitude: 30.2613, longitude: 120.1334 });
    await step(order.id, 'quote', electrician, { items: [{ name: '空气开关', quantity: 1, unitPrice: 4300 }], labourFee: 8000 });

    const mine = await inbox(customer);
    expect(mine.map((x) => x.title)).toEqual(['报价待确认', '师傅已上门', '师傅已接单', '工单已提交']);
    expect(mine[0]).toMatchObject({ type: 'order', orderId: order.id, read: false, content: expect.stringContaining('¥123.00') });
    expect(mine[2]!.content).toContain('测师傅');
    expect(await inbox(electrician, { type: 'order' })).toEqual([]);
    expect(await unread(customer)).toEqual({ total: 4, byType: { system: 0, order: 4, chat: 0, complaint: 0 } });
  });

  it('when the same events are delivered twice, then each party still has one notification per event', async () => {
    const seen: DomainEvent[] = [];
    const off = t.c.bus.subscribe('*', (e) => void seen.push(e));
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await step(order.id, 'grab', electrician);
    await step(order.id, 'release', electrician, { reason: '临时有急事' });
    await settled();
    off();
    const before = await t.db('notifications').whereIn('user_id', [customer.userId, electrician.userId]).orderBy('id');
    expect(before.length).toBeGreaterThanOrEqual(3);

    for (const e of [...seen, ...seen]) t.c.bus.publish(e);
    await settled();
    expect(await t.db('notifications').whereIn('user_id', [customer.userId, electrician.userId]).orderBy('id')).toEqual(before);
  });

  it('when the customer cancels an accepted order, then the electrician who held it is told with the reason, and no notification carries the phone or address', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await step(order.id, 'grab', electrician);
    await step(order.id, 'cancel', customer, { reason: '不需要了，可打 13812345678 联系' });

    const theirs = await inbox(electrician, { type: 'order' });
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ title: '工单已取消', orderId: order.id });
    expect(theirs[0]!.content).toContain('不需要了');
    expect(theirs[0]!.content).toContain('138****5678');
    expect((await inbox(customer)).map((x) => x.title)).toEqual(['师傅已接单', '工单已提交']);

    const body = orderBody();
    for (const x of await everyNotification()) {
      expect(x.content).not.toContain(body.contactPhone);
      expect(x.content).not.toContain(body.address);
    }
  });

  it('when staff unassign an order, then the customer and the electrician who held it are told', async () => {
    const admin = await loginAsAdmin(t);
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await step(order.id, 'grab', electrician);
    const res = await t.http.post(`/api/admin/orders/${order.id}/unassign`).set(admin.auth).send({ reason: '师傅无法按时上门' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await inbox(customer))[0]).toMatchObject({ title: '工单重新派单中' });
    expect((await inbox(electrician))[0]).toMatchObject({
      title: '工单已被收回',
      content: expect.stringContaining('师傅无法按时上门'),
    });
  });

  it('when a completed order is paid, then the customer and the electrician are told the amount', async () => {
    const o = await completedOrder(t, name('paid'));
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    expect(created.status).toBe(200);
    expect((await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(o.customer.auth)).status).toBe(200);
    expect((await inbox(o.customer))[0]).toMatchObject({ title: '支付成功', content: expect.stringContaining('¥80.00') });
    const theirs = await inbox(o.electrician);
    expect(theirs[0]).toMatchObject({ title: '客户已付款', content: expect.stringContaining('¥80.00') });
    expect(theirs.map((x) => x.title)).toContain('报价已确认');
    expect((await inbox(o.customer)).map((x) => x.title)).toContain('维修已完成');
  });

  it('when an application is rejected with a note, then the applicant is told why as a system message', async () => {
    const admin = await loginAsAdmin(t);
    const applicant = await applyAs(t, name('applicant'));
    expect(applicant.res.status).toBe(201);
    const res = await t.http
      .post(`/api/admin/electricians/${applicant.id}/verify`)
      .set(admin.auth)
      .send({ approved: false, note: '证书照片不清晰' });
    expect(res.status).toBe(200);
    expect(await inbox(applicant.s)).toEqual([
      expect.objectContaining({ type: 'system', title: '电工认证未通过', content: expect.stringContaining('证书照片不清晰') }),
    ]);
  });

  it('when a complaint is opened and escalated, then the customer, the electrician and the staff who handle complaints are told, and finance staff are not', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const agent = await login(t, name('agent'));
    const finance = await login(t, name('finance'));
    await t.db('users').where({ id: agent.userId }).update({ user_type: 'admin', staff_role: 'agent' });
    await t.db('users').where({ id: finance.userId }).update({ user_type: 'admin', staff_role: 'finance' });
    const order = await placeOrder(t, customer);
    const event = (name: ComplaintChanged['name'], eventId: number, actorId: number): ComplaintChanged => ({
      name,
      complaintId: 1,
      eventId,
      orderId: order.id,
      orderNo: order.orderNo,
      customerId: customer.userId,
      electricianUserId: electrician.userId,
      level: name === 'complaint.escalated' ? 'serious' : 'normal',
      status: 'processing',
      outcome: null,
      refundAmount: null,
      content: name === 'complaint.escalated' ? '客户多次投诉' : '插座又坏了',
      actor: { id: actorId, role: name === 'complaint.opened' ? 'customer' : 'admin' },
      at: t.clock.now(),
    });
    t.c.bus.publish(event('complaint.opened', 9001, customer.userId));
    await settled();
    t.c.bus.publish(event('complaint.escalated', 9002, agent.userId));
    t.c.bus.publish(event('complaint.escalated', 9002, agent.userId));

    const complaints = async (s: Session) => (await inbox(s, { type: 'complaint' })).map((x) => x.title);
    expect(await complaints(customer)).toEqual(['投诉已升级处理', '投诉已提交']);
    expect(await complaints(electrician)).toEqual(['投诉已升级', '收到客户投诉']);
    expect(await complaints(agent)).toEqual(['新投诉待处理']);
    expect(await complaints(finance)).toEqual([]);
    expect((await unread(customer)).byType.complaint).toBe(2);
  });

  it('when a review is created, replied to and hidden, then the electrician and the customer are told in turn', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await settled(); // the order's own notifications first, so the reply is the customer's newest
    const at = t.clock.now();
    const ids = { reviewId: 7001, orderId: order.id, customerId: customer.userId, electricianUserId: electrician.userId, at };
    t.c.bus.publish({
      name: 'review.created',
      ...ids,
      orderNo: order.orderNo,
      electricianId: electrician.electricianId,
      overallRating: 4.67,
    });
    t.c.bus.publish({ name: 'review.replied', ...ids });
    t.c.bus.publish({ name: 'review.hidden', ...ids, reason: '含有广告', actor: { id: null, role: 'admin' } });
    const theirs = await inbox(electrician, { type: 'order' });
    expect(theirs.map((x) => x.title).sort()).toEqual(['收到新评价', '评价已被隐藏']);
    expect(theirs.find((x) => x.title === '收到新评价')!.content).toBe(`工单 ${order.orderNo} 的客户给了你 4.67 分评价。`);
    expect((await inbox(customer))[0]).toMatchObject({
      title: '师傅回复了你的评价',
      content: expect.stringContaining(order.orderNo),
    });
  });

  it('when a user lists with filters, reads one and reads all, then only their own notifications change', async () => {
    const customer = await login(t, name('cust'));
    const other = await login(t, name('other'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const mine = await placeOrder(t, customer);
    await step(mine.id, 'grab', electrician);
    await placeOrder(t, other);
    const [accepted, submitted] = await inbox(customer);
    const [theirs] = await inbox(other);

    const page = await t.http.get('/api/messages').set(customer.auth).query({ page: 2, limit: 1 });
    expect(page.body.pagination).toEqual({ page: 2, limit: 1, total: 2 });
    expect(page.body.data.map((x: Note) => x.id)).toEqual([submitted!.id]);

    const stranger = await t.http.post(`/api/messages/${theirs!.id}/read`).set(customer.auth);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('NOT_FOUND');
    expect((await t.db('notifications').where({ id: theirs!.id }).first()).read_at).toBeNull();

    t.clock.advance(60_000);
    const read = await t.http.post(`/api/messages/${submitted!.id}/read`).set(customer.auth);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: submitted!.id, read: true, readAt: t.clock.now().toISOString() });
    // Reading does not move a notification up the list.
    expect((await inbox(customer)).map((x) => x.id)).toEqual([accepted!.id, submitted!.id]);
    expect((await inbox(customer, { readStatus: 'read' })).map((x) => x.id)).toEqual([submitted!.id]);
    expect((await inbox(customer, { readStatus: 'unread' })).map((x) => x.id)).toEqual([accepted!.id]);
    expect((await inbox(customer, { type: 'system' })).map((x) => x.id)).toEqual([]);
    expect(await unread(customer)).toMatchObject({ total: 1 });

    const all = await t.http.post('/api/messages/read-all').set(customer.auth);
    expect(all.status).toBe(200);
    expect(all.body.data).toEqual({ updated: 1 });
    expect(await unread(customer)).toEqual({ total: 0, byType: { system: 0, order: 0, chat: 0, complaint: 0 } });
    expect(await unread(other)).toMatchObject({ total: 1 });
  });

  it('when the list or read requests are malformed, then 400 with details and nothing is read', async () => {
    const customer = await login(t, name('cust'));
    await placeOrder(t, customer);
    await settled();
    const before = await t.db('notifications').where({ user_id: customer.userId });
    for (const [path, query] of [
      ['/api/messages', { type: 'sms' }],
      ['/api/messages', { readStatus: 'maybe' }],
      ['/api/messages', { limit: 101 }],
    ] as const) {
      const res = await t.http.get(path).set(customer.auth).query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    const bad = await t.http.post('/api/messages/abc/read').set(customer.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['params', 'id']);
    expect((await t.http.get('/api/messages')).status).toBe(401);
    expect(await t.db('notifications').where({ user_id: customer.userId })).toEqual(before);
  });

  it('when a notification is stored, then it is pushed live as `notification` with the new unread count, to that user only', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await settled();
    const [cs, es] = await Promise.all([connect(url, customer.token), connect(url, electrician.token)]);
    const onElectrician = record([es], 'notification');
    const pushed = waitFor(cs, 'notification', (p) => p.title === '师傅已接单');
    await step(order.id, 'grab', electrician);
    const push = await pushed;
    expect(push).toMatchObject({ type: 'order', orderId: order.id, read: false, unreadCount: 2 });
    expect(push.id).toBe((await t.db('notifications').where({ user_id: customer.userId }).orderBy('id', 'desc').first()).id);
    await settled();
    await onElectrician.settle();
    expect(onElectrician.of(es)).toEqual([]);
  });

  it('when a burst of notifications reaches two users, then the badge pushed last to each is their unread count, and one payment counts both badges in one query', async () => {
    const o = await completedOrder(t, name('burst'), 4000);
    // Some read, some not: the badge counts the unread ones only.
    await t.http.post('/api/messages/read-all').set(o.electrician.auth);
    await settled();
    const [cs, es] = await Promise.all([connect(url, o.customer.token), connect(url, o.electrician.token)]);
    const pushes = record([cs, es], 'notification');
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId, amount: o.amount });
    expect(created.status).toBe(200);
    const counts: string[] = [];
    const listener = (q: { sql: string }) => {
      if (/count\(\*\)/i.test(q.sql) && /[`"]notifications[`"]/.test(q.sql)) counts.push(q.sql);
    };
    t.db.on('query', listener);
    try {
      // The payment tells both; three orders placed at once tell the customer three times more.
      const results = await Promise.all([
        t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(o.customer.auth),
        ...[1, 2, 3].map(() => t.http.post('/api/orders').set(o.customer.auth).send(orderBody())),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 201, 201, 201]);
      await settled();
    } finally {
      t.db.removeListener('query', listener);
    }
    await pushes.settle();
    // One count per notification event: the payment's (both recipients) and each order's.
    expect(counts).toHaveLength(4);
    const badge = (socket: typeof cs) => Math.max(...pushes.of(socket).map((p) => p.unreadCount));
    expect(pushes.of(cs)).toHaveLength(4);
    expect(pushes.of(es)).toHaveLength(1);
    expect(badge(cs)).toBe((await unread(o.customer)).total);
    expect(badge(es)).toBe((await unread(o.electrician)).total);
    expect(badge(es)).toBe(1);
  });

  it('when chat messages reach an offline participant, then they coalesce into one unread chat notification, and reading the conversation reads it', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const order = await placeOrder(t, customer);
    await step(order.id, 'grab', electrician);
    await settled();
    const conversation = await t.db('conversations').where({ order_id: order.id }).first();
    const cs = await connect(url, customer.token);
    const onCustomer = record([cs], 'notification');
    const send = async (s: Session, content: string) => {
      const res = await t.http
        .post(`/api/chat/conversations/${conversation.id}/messages`)
        .set(s.auth)
        .send({ type: 'text', content });
      expect(res.status).toBe(201);
      return res.body.data.id as number;
    };
    await send(customer, '师傅几点到？');
    await settled();
    await send(customer, '我家电话 13812345678');
    await settled();
    const chats = await inbox(electrician, { type: 'chat' });
    expect(chats).toHaveLength(1);
    // The order's system line (已接单) and the two messages.
    expect(chats[0]).toMatchObject({
      title: '新消息',
      orderId: order.id,
      read: false,
      content: `工单 ${order.orderNo} 有 3 条未读消息`,
    });
    expect(chats[0]!.content).not.toContain('13812345678');

    // The customer is online: the electrician's reply is a live message, not a notification.
    await send(electrician, '半小时后到');
    await settled();
    await onCustomer.settle();
    expect(onCustomer.of(cs).filter((p) => p.type === 'chat')).toEqual([]);
    expect(await count(t.db, 'notifications', { user_id: customer.userId, type: 'chat' })).toBe(0);

    const last = await t.db('chat_messages').where({ conversation_id: conversation.id }).max({ id: 'id' }).first();
    const read = await t.http
      .post(`/api/chat/conversations/${conversation.id}/read`)
      .set(electrician.auth)
      .send({ upToMessageId: last!.id });
    expect(read.status).toBe(200);
    expect((await unread(electrician)).byType.chat).toBe(0);

    await send(customer, '好的');
    await settled();
    const again = await inbox(electrician, { type: 'chat' });
    expect(again).toHaveLength(2);
    expect(again[0]).toMatchObject({ read: false, content: `工单 ${order.orderNo} 有 1 条未读消息` });
  });
});

describe('notifications of timed and dispatched events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const titles = async (s: Session) => {
    await t.c.bus.drain();
    return ((await t.db('notifications').where({ user_id: s.userId }).orderBy('id')) as { title: string }[]).map((x) => x.title);
  };

  it('when an urgent order is offered to an electrician, then they are told where and until when, without the address', async () => {
    const customer = await login(t, 'dispatch-cust');
    const electrician = await loginAsElectrician(t, 'dispatch-elec', { emergencyAvailable: true });
    const order = await placeOrder(t, customer, { urgentType: 'urgent', faultType: 'emergency' });
    await t.c.bus.drain();
    const offer = await t.db('dispatch_offers').where({ order_id: order.id }).first();
    expect(offer.electrician_id).toBe(electrician.electricianId);
    const [note] = await t.db('notifications').where({ user_id: electrician.userId, type: 'order' });
    expect(note).toMatchObject({ title: '新的派单', order_id: order.id });
    expect(note.content).toContain('杭州市西湖区');
    expect(note.content).not.toContain(orderBody().address);
    await t.http.post(`/api/orders/${order.id}/cancel`).set(customer.auth).send({ reason: '已自行修好' });
  });

  it('when a pending order expires, then its customer is told; when an accepted one is not arrived in time, then the customer and the dispatching staff are told once', async () => {
    const admin = await loginAsAdmin(t);
    const customer = await login(t, 'timed-cust');
    const late = await login(t, 'timed-late');
    const electrician = await loginAsElectrician(t, 'timed-elec');
    await placeOrder(t, customer);
    const accepted = await placeOrder(t, late);
    expect((await t.http.post(`/api/orders/${accepted.id}/grab`).set(electrician.auth)).status).toBe(200);

    t.clock.advance(3 * 3_600_000);
    expect(await t.c.services.orders.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await t.c.services.orders.alertOverdueArrivals()).toBe(1);
    expect(await t.c.services.orders.alertOverdueArrivals()).toBe(0);
    expect(await titles(customer)).toEqual(['工单已提交', '工单已过期']);
    expect(await titles(late)).toEqual(['工单已提交', '师傅已接单', '师傅上门延迟']);
    expect((await titles(admin)).filter((x) => x === '上门超时')).toHaveLength(1);
  });
});
