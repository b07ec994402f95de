import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { count, createTestApp, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { completedOrder, paymentState } from './payment-helpers';

let fake: FakeWechatPay;
let t: TestApp;
let admin: Session;

beforeAll(async () => {
  fake = await startFakeWechatPay();
  t = await createTestApp({ env: fake.env() });
  fake.now = () => t.clock.now();
  admin = await loginAsAdmin(t);
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const deliver = (path: string, n: { headers: Record<string, string>; body: string }) =>
  t.http.post(path).set(n.headers).set('Content-Type', 'application/json').send(n.body);

const earnings = async (electricianId: number) =>
  Number((await t.db('electricians').where({ id: electricianId }).first()).total_earnings);

/** A completed order paid through the fake; returns the order, the payment and the earnings before payment. */
async function paidOrder(name: string, labourFee = 5000) {
  const o = await completedOrder(t, name, labourFee);
  const before = await earnings(o.electrician.electricianId);
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  const paymentNo: string = created.body.data.paymentNo;
  expect((await deliver('/api/payments/notify', fake.successNotify(paymentNo))).status).toBe(204);
  const payment = await t.db('payments').where({ payment_no: paymentNo }).first();
  return { ...o, paymentNo, payment, earningsBefore: before };
}

const refund = (orderId: number, amount: number, reason = '客户投诉，协商退款') =>
  t.http.post(`/api/admin/orders/${orderId}/refund`).set(admin.auth).send({ amount, reason });

describe('refunds', () => {
  it('when an admin refunds the whole payment and WeChat Pay notifies success, then the order is refunded and the electrician share is taken back', async () => {
    const o = await paidOrder('refund-full');
    const res = await refund(o.orderId, o.amount);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ orderId: o.orderId, paymentNo: o.paymentNo, amount: o.amount, status: 'processing' });
    const { refundNo } = res.body.data;
    expect(fake.refunds.get(refundNo)).toMatchObject({ amount: o.amount, total: o.amount, out_trade_no: o.paymentNo });
    expect(fake.refunds.get(refundNo)!.notify_url).toBe('https://repair.example.com/api/payments/refund-notify');

    const n = fake.refundNotify(refundNo);
    expect((await deliver('/api/payments/refund-notify', n)).status).toBe(204);
    expect(await t.db('refunds').where({ out_refund_no: refundNo }).first()).toMatchObject({
      status: 'success',
      refund_id: fake.refunds.get(refundNo)!.refund_id,
      electrician_amount: o.payment.electrician_amount,
    });
    expect(await t.db('payments').where({ payment_no: o.paymentNo }).first()).toMatchObject({
      status: 'refunded',
      refund_amount: o.amount,
    });
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('refunded');
    const events = await t.db('order_events').where({ order_id: o.orderId, action: 'refund' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from_status: 'completed', to_status: 'completed', actor_role: 'system' });
    expect(await earnings(o.electrician.electricianId)).toBe(o.earningsBefore);

    const snapshot = await paymentState(t, o.orderId);
    expect((await deliver('/api/payments/refund-notify', n)).status).toBe(204);
    expect(await paymentState(t, o.orderId)).toEqual(snapshot);
    const more = await refund(o.orderId, 1);
    expect(more.status).toBe(409);
  });

  it('when refunds are partial, then each has its own number, the electrician gives back proportionally, and refunding more than paid is refused', async () => {
    const o = await paidOrder('refund-partial', 5000); // 8000 paid, 7200 to the electrician
    const first = await refund(o.orderId, 3333);
    expect(first.status).toBe(200);
    expect((await deliver('/api/payments/refund-notify', fake.refundNotify(first.body.data.refundNo))).status).toBe(204);
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('partial_refund');
    expect(await earnings(o.electrician.electricianId)).toBe(o.earningsBefore + 7200 - 3000);

    const before = await paymentState(t, o.orderId);
    const tooMuch = await refund(o.orderId, 8000 - 3333 + 1);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('REFUND_EXCEEDS_PAID');
    expect(await paymentState(t, o.orderId)).toEqual(before);
    expect(await count(t.db, 'refunds', { order_id: o.orderId })).toBe(1);

    const rest = await refund(o.orderId, 8000 - 3333);
    expect(rest.body.data.refundNo).not.toBe(first.body.data.refundNo);
    expect((await deliver('/api/payments/refund-notify', fake.refundNotify(rest.body.data.refundNo))).status).toBe(204);
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('refunded');
    expect(await earnings(o.electrician.electricianId)).toBe(o.earningsBefore);
    expect(await count(t.db, 'order_events', { order_id: o.orderId, action: 'refund' })).toBe(2);
  });

  it('when the refund call fails, then the refund stays processing and the job retries it with the same number', async () => {
    const o = await paidOrder('refund-retry');
    fake.failNextRefunds = 1;
    const res = await refund(o.orderId, 1000);
    expect(res.status).toBe(200);
    const { refundNo } = res.body.data;
    expect(res.body.data.status).toBe('processing');
    expect(await t.db('refunds').where({ out_refund_no: refundNo }).first()).toMatchObject({ retry_count: 1, refund_id: null });
    expect(fake.refunds.has(refundNo)).toBe(false);

    expect(await t.c.services.payments.retryRefunds()).toBe(1);
    expect(fake.refunds.get(refundNo)).toMatchObject({ amount: 1000 });
    expect((await t.db('refunds').where({ out_refund_no: refundNo }).first()).refund_id).toBe(
      fake.refunds.get(refundNo)!.refund_id,
    );
    expect(await t.c.services.payments.retryRefunds()).toBe(0);
    expect((await deliver('/api/payments/refund-notify', fake.refundNotify(refundNo))).status).toBe(204);
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('partial_refund');
  });

  it('when a refund notify is forged or tampered, then 401 and nothing changes', async () => {
    const o = await paidOrder('refund-forged');
    const res = await refund(o.orderId, 500);
    const before = await paymentState(t, o.orderId);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const n of [
      fake.refundNotify(res.body.data.refundNo, { signWith: stranger.privateKey }),
      fake.refundNotify(res.body.data.refundNo, { tamperCiphertext: true }),
      fake.refundNotify(res.body.data.refundNo, { timestampOffset: -600 }),
    ]) {
      expect((await deliver('/api/payments/refund-notify', n)).status).toBe(401);
    }
    const wrongAmount = await deliver(
      '/api/payments/refund-notify',
      fake.refundNotify(res.body.data.refundNo, { transaction: { amount: { total: o.amount, refund: 499 } } }),
    );
    expect(wrongAmount.status).toBe(400);
    expect(await paymentState(t, o.orderId)).toEqual(before);
  });

  it('when two refunds that together exceed the payment race, then exactly one is accepted', async () => {
    const o = await paidOrder('refund-race');
    const share = Math.ceil(o.amount * 0.6);
    const results = await Promise.all([refund(o.orderId, share), refund(o.orderId, share)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(await count(t.db, 'refunds', { order_id: o.orderId })).toBe(1);
    expect([...fake.refunds.values()].filter((r) => r.out_trade_no === o.paymentNo)).toHaveLength(1);
  });

  it('when WeChat Pay reports a refund closed, then it is marked closed and its amount can be refunded again', async () => {
    const o = await paidOrder('refund-closed');
    const first = await refund(o.orderId, o.amount);
    const closed = fake.refundNotify(first.body.data.refundNo, { transaction: { refund_status: 'CLOSED' } });
    expect((await deliver('/api/payments/refund-notify', closed)).status).toBe(204);
    expect((await t.db('refunds').where({ out_refund_no: first.body.data.refundNo }).first()).status).toBe('closed');
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('paid');
    expect(await earnings(o.electrician.electricianId)).toBe(o.earningsBefore + o.payment.electrician_amount);
    const again = await refund(o.orderId, o.amount);
    expect(again.status).toBe(200);
    expect(again.body.data.refundNo).not.toBe(first.body.data.refundNo);
  });

  it('when the order is unpaid, or the caller is not an admin, then no refund', async () => {
    const o = await completedOrder(t, 'refund-unpaid');
    const res = await refund(o.orderId, 100);
    expect(res.status).toBe(409);
    const paid = await paidOrder('refund-not-admin');
    const denied = await t.http
      .post(`/api/admin/orders/${paid.orderId}/refund`)
      .set(paid.customer.auth)
      .send({ amount: 100, reason: '想退' });
    expect(denied.status).toBe(403);
    expect(await count(t.db, 'refunds', { order_id: paid.orderId })).toBe(0);
  });
});
