import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { count, createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { DAY, HOUR } from '../../../shared/clock';
import type { DomainEvent } from '../../../shared/domain-events';
import { fromJson } from '../../../shared/rows';
import { uploadImage } from '../../orders/__tests__/order-helpers';
import { completedOrder } from '../../payments/__tests__/payment-helpers';
import { complaintState, openComplaint } from './complaint-helpers';

let fake: FakeWechatPay;
let t: TestApp;
let admin: Session;
let n = 0;
const name = (s: string) => `${s}-${++n}`;

beforeAll(async () => {
  fake = await startFakeWechatPay();
  t = await createTestApp({ env: { ...fake.env(), SETTLEMENT_DELAY_DAYS: '7' } });
  fake.now = () => t.clock.now();
});

// A fresh staff token per test: the settlement test moves the clock past the token's lifetime.
beforeEach(async () => {
  admin = await loginAsAdmin(t);
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const deliver = (path: string, notify: { headers: Record<string, string>; body: string }) =>
  t.http.post(path).set(notify.headers).set('Content-Type', 'application/json').send(notify.body);

const resolve = (id: number, body: object) => t.http.post(`/api/admin/complaints/${id}/resolve`).set(admin.auth).send(body);

/** A completed order paid through the fake WeChat Pay, with a complaint opened on it. */
async function paidWithComplaint(label: string, labourFee = 5000) {
  const nm = name(label);
  const o = await completedOrder(t, nm, labourFee);
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  expect(created.status).toBe(200);
  const paymentNo: string = created.body.data.paymentNo;
  expect((await deliver('/api/payments/notify', fake.successNotify(paymentNo))).status).toBe(204);
  const complaint = await openComplaint(t, o.customer, o.orderId);
  expect(complaint.status).toBe(201);
  return { ...o, name: nm, paymentNo, complaintId: complaint.body.data.id as number };
}

const electricianRow = async (id: number) => t.db('electricians').where({ id }).first();

describe('resolving with rework', () => {
  it('when a complaint is resolved with rework, then the order returns to its electrician, who completes it again with nothing more to pay', async () => {
    const o = await paidWithComplaint('rework');
    const before = await electricianRow(o.electrician.electricianId);
    const firstCompletion = (await t.db('orders').where({ id: o.orderId }).first()).completed_at;
    const seen: DomainEvent[] = [];
    const off = t.c.bus.subscribe('*', (e) => {
      seen.push(e);
    });
    t.clock.advance(HOUR);

    const res = await resolve(o.complaintId, { outcome: 'rework', note: '安排原电工免费返修' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'resolved', outcome: 'rework', refundAmount: null });
    const order = await t.db('orders').where({ id: o.orderId }).first();
    expect(order).toMatchObject({ status: 'in_progress', electrician_id: o.electrician.electricianId, payment_status: 'paid' });
    const reworks = await t.db('order_events').where({ order_id: o.orderId, action: 'rework' });
    expect(reworks).toHaveLength(1);
    expect(reworks[0]).toMatchObject({
      from_status: 'completed',
      to_status: 'in_progress',
      actor_id: admin.userId,
      actor_role: 'admin',
    });
    expect(fromJson(reworks[0].details, {})).toMatchObject({
      complaintId: o.complaintId,
      electricianId: o.electrician.electricianId,
    });
    const after = await electricianRow(o.electrician.electricianId);
    expect([after.active_orders, after.completed_orders]).toEqual([before.active_orders + 1, before.completed_orders - 1]);
    await t.c.bus.drain();
    off();
    expect(seen.map((e) => e.name)).toEqual(['order.reworked', 'complaint.resolved']);
    expect(seen[0]).toMatchObject({ action: 'rework', from: 'completed', to: 'in_progress', eventId: reworks[0].id });
    expect(seen[1]).toMatchObject({
      complaintId: o.complaintId,
      status: 'resolved',
      outcome: 'rework',
      content: '安排原电工免费返修',
    });

    // The customer sees the order in progress and owes nothing.
    const view = await t.http.get(`/api/orders/${o.orderId}`).set(o.customer.auth);
    expect(view.body.data).toMatchObject({ status: 'in_progress', amountDue: 0, paymentStatus: 'paid' });
    const electrician = await login(t, `${o.name}-e`);
    const photo = await uploadImage(t, electrician, 'repair');
    t.clock.advance(HOUR);
    const done = await t.http
      .post(`/api/orders/${o.orderId}/complete`)
      .set(electrician.auth)
      .send({ repairContent: '返修：重新压接端子', repairImages: [photo] });
    expect(done.status).toBe(200);
    const completed = await t.db('orders').where({ id: o.orderId }).first();
    expect(completed.status).toBe('completed');
    expect(new Date(completed.completed_at).getTime()).toBe(t.clock.now().getTime());
    expect(new Date(completed.completed_at).getTime()).toBeGreaterThan(new Date(firstCompletion).getTime());
    const final = await electricianRow(o.electrician.electricianId);
    expect([final.active_orders, final.completed_orders]).toEqual([before.active_orders, before.completed_orders]);
    const customer = await login(t, `${o.name}-c`);
    const pay = await t.http.post('/api/payments').set(customer.auth).send({ orderId: o.orderId });
    expect(pay.status).toBe(409);
    expect(pay.body.error.code).toBe('ALREADY_PAID');
    expect(await count(t.db, 'payments', { order_id: o.orderId })).toBe(1);
    expect((await t.http.get(`/api/orders/${o.orderId}`).set(customer.auth)).body.data.amountDue).toBe(0);
  });

  it('when the order can no longer be sent back (its state changed meanwhile), then 409 and neither the complaint nor the order changes', async () => {
    const o = await paidWithComplaint('norework');
    // Another transition took the order out of `completed` after the complaint was opened.
    await t.db('orders').where({ id: o.orderId }).update({ status: 'in_progress' });
    const before = await complaintState(t, o.orderId);
    const res = await resolve(o.complaintId, { outcome: 'rework', note: '返修' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect(await complaintState(t, o.orderId)).toEqual(before);
  });
});

describe('resolving with a refund', () => {
  it('when a complaint is resolved with a partial refund, then a refund ledger row is recorded, sent, and credited by its notify', async () => {
    const o = await paidWithComplaint('refund', 5000); // 8000 paid
    const res = await resolve(o.complaintId, { outcome: 'refund', refundAmount: 3000, note: '材料质量问题，退还部分费用' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'resolved', outcome: 'refund', refundAmount: 3000 });
    const refunds = await t.db('refunds').where({ order_id: o.orderId });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 3000, status: 'processing' });
    expect(res.body.data.refundNo).toBe(refunds[0].out_refund_no);
    expect((await t.db('complaints').where({ id: o.complaintId }).first()).refund_id).toBe(refunds[0].id);
    expect(fake.refunds.get(refunds[0].out_refund_no)).toMatchObject({ amount: 3000, total: 8000, out_trade_no: o.paymentNo });
    const events = await t.db('complaint_events').where({ complaint_id: o.complaintId, action: 'resolve' });
    expect(fromJson(events[0].details, {})).toMatchObject({
      outcome: 'refund',
      refundAmount: 3000,
      refundNo: refunds[0].out_refund_no,
    });

    expect((await deliver('/api/payments/refund-notify', fake.refundNotify(refunds[0].out_refund_no))).status).toBe(204);
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('partial_refund');
    expect((await t.db('refunds').where({ id: refunds[0].id }).first()).status).toBe('success');
  });

  it('when the refund is more than what is left of the payment, then 400 and the complaint stays unresolved with no refund recorded', async () => {
    const o = await paidWithComplaint('toomuch', 5000); // 8000 paid
    const first = await resolve(o.complaintId, { outcome: 'refund', refundAmount: 5000, note: '先退一部分' });
    expect(first.status).toBe(200);
    const second = await openComplaint(t, o.customer, o.orderId, { content: '返修后仍有问题，要求继续退款' });
    expect(second.status).toBe(201);
    const id = second.body.data.id as number;
    await t.http.post(`/api/admin/complaints/${id}/reply`).set(admin.auth).send({ content: '正在核实' });
    const before = await complaintState(t, o.orderId);

    const refused = await resolve(id, { outcome: 'refund', refundAmount: 3001, note: '全额退款' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('REFUND_EXCEEDS_PAID');
    expect(await complaintState(t, o.orderId)).toEqual(before);
    expect((await t.db('complaints').where({ id }).first()).status).toBe('processing');
    expect(fake.refunds.size).toBe(await count(t.db, 'refunds'));

    const rest = await resolve(id, { outcome: 'refund', refundAmount: 3000, note: '退还剩余费用' });
    expect(rest.status).toBe(200);
    const total = await t.db('refunds').where({ order_id: o.orderId }).sum({ s: 'amount' }).first();
    expect(Number(total?.s)).toBe(8000);
  });

  it('when the order was never paid, then a refund resolution is refused (409) and nothing changes', async () => {
    const o = await completedOrder(t, name('unpaid'));
    const { id } = (await openComplaint(t, o.customer, o.orderId)).body.data;
    const before = await complaintState(t, o.orderId);
    const res = await resolve(id, { outcome: 'refund', refundAmount: 100, note: '退款' });
    expect(res.status).toBe(409);
    expect(await complaintState(t, o.orderId)).toEqual(before);
  });
});

describe('concurrent resolutions', () => {
  it('when two staff resolve the same complaint with refunds at the same time, then exactly one wins and one refund is recorded', async () => {
    const o = await paidWithComplaint('double');
    const results = await Promise.all([
      resolve(o.complaintId, { outcome: 'refund', refundAmount: 2000, note: '退款甲' }),
      resolve(o.complaintId, { outcome: 'refund', refundAmount: 2000, note: '退款乙' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('COMPLAINT_CLOSED');
    expect(await count(t.db, 'refunds', { order_id: o.orderId })).toBe(1);
    expect(await count(t.db, 'complaint_events', { complaint_id: o.complaintId, action: 'resolve' })).toBe(1);
  });

  it('when a complaint refund and an admin refund that together exceed the payment race, then exactly one is accepted', async () => {
    const o = await paidWithComplaint('race-admin'); // 8000 paid
    const [byComplaint, byAdmin] = await Promise.all([
      resolve(o.complaintId, { outcome: 'refund', refundAmount: 5000, note: '投诉退款' }),
      t.http.post(`/api/admin/orders/${o.orderId}/refund`).set(admin.auth).send({ amount: 5000, reason: '后台退款' }),
    ]);
    expect([byComplaint.status, byAdmin.status].sort()).toEqual([200, 400]);
    const refunds = await t.db('refunds').where({ order_id: o.orderId });
    expect(refunds.map((r) => r.amount)).toEqual([5000]);
    const complaint = await t.db('complaints').where({ id: o.complaintId }).first();
    if (byComplaint.status === 200) expect(complaint).toMatchObject({ status: 'resolved', refund_id: refunds[0].id });
    else expect(complaint).toMatchObject({ status: 'open', refund_id: null, outcome: null });
  });
});

describe('settlement while a complaint is open', () => {
  it('when a complaint is open past the settlement delay, then the share waits and is settled once the complaint is resolved', async () => {
    const o = await paidWithComplaint('hold');
    const held = await t.db('payments').where({ payment_no: o.paymentNo }).first();
    t.clock.advance(7 * DAY + HOUR);
    await t.c.services.payments.settleDue();
    expect((await t.db('payments').where({ id: held.id }).first()).settlement_status).toBe('pending');

    admin = await loginAsAdmin(t);
    expect(
      (await t.http.post(`/api/admin/complaints/${o.complaintId}/escalate`).set(admin.auth).send({ reason: '升级' })).status,
    ).toBe(200);
    await t.c.services.payments.settleDue();
    expect((await t.db('payments').where({ id: held.id }).first()).settlement_status).toBe('pending');

    expect((await resolve(o.complaintId, { outcome: 'compensate', note: '赠送保养一次' })).status).toBe(200);
    await t.c.services.payments.settleDue();
    const settled = await t.db('payments').where({ id: held.id }).first();
    expect(settled.settlement_status).toBe('settled');
    expect(new Date(settled.settled_at).getTime()).toBe(t.clock.now().getTime());
  });
});
