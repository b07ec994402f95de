import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { count, createTestApp, login, loginAsAdmin, loginAsElectrician, type TestApp } from '../../../../test/harness';
import { DEV_PAY_APPID } from '../../../integrations/wechatpay/wechatpay';
import { HOUR, MINUTE } from '../../../shared/clock';
import { fromJson } from '../../../shared/rows';
import type { DomainEvent } from '../../../shared/domain-events';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { completedOrder, paymentState } from './payment-helpers';

let fake: FakeWechatPay;
let t: TestApp;
const published: DomainEvent[] = [];

async function freshApp() {
  await t?.close();
  t = await createTestApp({ env: fake.env() });
  fake.now = () => t.clock.now();
  t.c.bus.subscribe('order.paid', (e) => {
    published.push(e);
  });
}

beforeAll(async () => {
  fake = await startFakeWechatPay();
  await freshApp();
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const notify = (n: { headers: Record<string, string>; body: string }) =>
  t.http.post('/api/payments/notify').set(n.headers).set('Content-Type', 'application/json').send(n.body);

async function startPayment(name: string) {
  const o = await completedOrder(t, name);
  const res = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId, amount: o.amount });
  expect(res.status).toBe(200);
  return { ...o, paymentNo: res.body.data.paymentNo as string, res };
}

describe('POST /api/payments', () => {
  it('when the customer pays a completed order, then a JSAPI prepay is made through the SDK and signed params come back', async () => {
    const { res, amount, orderId, paymentNo } = await startPayment('pay-ok');
    expect(res.body.data).toMatchObject({ amount, paymentParams: { signType: 'RSA' } });
    const params = res.body.data.paymentParams;
    const trade = fake.trades.get(paymentNo)!;
    expect(trade).toMatchObject({ amount, appid: DEV_PAY_APPID, mchid: fake.mchid, openid: 'dev-pay-ok-c', state: 'NOTPAY' });
    expect(params.package).toBe(`prepay_id=${trade.prepay_id}`);
    const message = [DEV_PAY_APPID, params.timeStamp, params.nonceStr, params.package, ''].join('\n');
    const merchantPublic = createPublicKey(fake.merchantPrivateKeyPem);
    expect(createVerify('RSA-SHA256').update(message).verify(merchantPublic, params.paySign, 'base64')).toBe(true);
    expect(fake.calls.filter((c) => c.path === '/v3/pay/transactions/jsapi').every((c) => c.verified)).toBe(true);
    const row = await t.db('payments').where({ payment_no: paymentNo }).first();
    expect(row).toMatchObject({ order_id: orderId, amount, status: 'pending', prepay_id: trade.prepay_id });
    expect(new Date(row.expire_time).getTime() - new Date(row.created_at).getTime()).toBe(2 * HOUR);
  });

  it('when the customer asks again while a payment is open, then the same payment is reused', async () => {
    const o = await completedOrder(t, 'pay-reuse');
    const first = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    const second = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    expect(second.status).toBe(200);
    expect(second.body.data.paymentNo).toBe(first.body.data.paymentNo);
    expect(second.body.data.paymentParams.package).toBe(first.body.data.paymentParams.package);
    expect(await count(t.db, 'payments', { order_id: o.orderId })).toBe(1);
  });

  it('when the customer asks five times at once, then one payment and one prepay', async () => {
    const o = await completedOrder(t, 'pay-burst');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(new Set(results.map((r) => r.body.data.paymentNo)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.data.paymentParams.package)).size).toBe(1);
    expect(await count(t.db, 'payments', { order_id: o.orderId })).toBe(1);
  });

  it('when an order is cancelled after the electrician arrived, then its visit fee is paid like any amount due', async () => {
    const alice = await login(t, 'pay-visit-c');
    const wang = await loginAsElectrician(t, 'pay-visit-e');
    const order = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth);
    await t.http.post(`/api/orders/${order.id}/arrive`).set(wang.auth).send({ latitude: 30.2613, longitude: 120.1334 });
    const cancelled = await t.http.post(`/api/orders/${order.id}/cancel`).set(alice.auth).send({ reason: '不修了' });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', amountDue: 3000 });
    const res = await t.http.post('/api/payments').set(alice.auth).send({ orderId: order.id, amount: 3000 });
    expect(res.status).toBe(200);
    expect((await notify(fake.successNotify(res.body.data.paymentNo))).status).toBe(204);
    expect(await t.db('payments').where({ payment_no: res.body.data.paymentNo }).first()).toMatchObject({
      status: 'paid',
      amount: 3000,
      platform_fee: 300,
      electrician_amount: 2700,
      electrician_id: wang.electricianId,
    });
    expect((await t.db('orders').where({ id: order.id }).first()).payment_status).toBe('paid');
  });

  it('when the client amount differs from the server amount, then 400 AMOUNT_MISMATCH and no payment', async () => {
    const o = await completedOrder(t, 'pay-mismatch');
    const res = await t.http
      .post('/api/payments')
      .set(o.customer.auth)
      .send({ orderId: o.orderId, amount: o.amount - 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('AMOUNT_MISMATCH');
    expect(await count(t.db, 'payments', { order_id: o.orderId })).toBe(0);
  });

  it("when someone pays another customer's order, then 404 and no payment", async () => {
    const o = await completedOrder(t, 'pay-other');
    const mallory = await login(t, 'pay-mallory');
    const res = await t.http.post('/api/payments').set(mallory.auth).send({ orderId: o.orderId });
    expect(res.status).toBe(404);
    expect(await count(t.db, 'payments', { order_id: o.orderId })).toBe(0);
  });

  it('when WeChat Pay is configured, then the dev succeed endpoint does not exist', async () => {
    const { paymentNo, customer } = await startPayment('pay-no-dev');
    const res = await t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(customer.auth);
    expect(res.status).toBe(404);
    expect((await t.db('payments').where({ payment_no: paymentNo }).first()).status).toBe('pending');
  });

  it('when the order is not finished, then 409 INVALID_TRANSITION', async () => {
    const alice = await login(t, 'pay-early');
    const order = await placeOrder(t, alice);
    const res = await t.http.post('/api/payments').set(alice.auth).send({ orderId: order.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect(await count(t.db, 'payments', { order_id: order.id })).toBe(0);
  });
});

describe('POST /api/payments/notify', () => {
  it('when a verified success notify arrives, then the order is paid once: split, event, earnings, bus; a duplicate changes nothing', async () => {
    const { paymentNo, orderId, amount, electrician } = await startPayment('notify-ok');
    const before = Number((await t.db('electricians').where({ id: electrician.electricianId }).first()).total_earnings);
    const n = fake.successNotify(paymentNo);
    const res = await notify(n);
    expect(res.status).toBe(204);

    const trade = fake.trades.get(paymentNo)!;
    const payment = await t.db('payments').where({ payment_no: paymentNo }).first();
    expect(payment).toMatchObject({
      status: 'paid',
      transaction_id: trade.transaction_id,
      platform_fee: Math.round(amount * 0.1),
      electrician_amount: amount - Math.round(amount * 0.1),
      settlement_status: 'pending',
      raw_callback: n.body,
    });
    expect(new Date(payment.settle_after).getTime() - new Date(payment.paid_at).getTime()).toBe(7 * 24 * HOUR);
    const order = await t.db('orders').where({ id: orderId }).first();
    expect(order).toMatchObject({ payment_status: 'paid', payment_method: 'wechat', transaction_id: trade.transaction_id });
    const events = await t.db('order_events').where({ order_id: orderId, action: 'pay' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from_status: 'completed', to_status: 'completed', actor_role: 'customer' });
    const after = Number((await t.db('electricians').where({ id: electrician.electricianId }).first()).total_earnings);
    expect(after - before).toBe(payment.electrician_amount);
    await t.c.bus.drain();
    expect(published.filter((e) => e.name === 'order.paid' && e.orderId === orderId)).toHaveLength(1);

    const snapshot = await paymentState(t, orderId);
    expect((await notify(n)).status).toBe(204);
    expect((await notify(fake.successNotify(paymentNo))).status).toBe(204);
    expect(await paymentState(t, orderId)).toEqual(snapshot);

    const detail = await t.http.get(`/api/orders/${orderId}`).set((await login(t, 'notify-ok-c')).auth);
    expect(detail.body.data).toMatchObject({ paymentStatus: 'paid', amountDue: 0 });
    const again = await t.http
      .post('/api/payments')
      .set((await login(t, 'notify-ok-c')).auth)
      .send({ orderId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_PAID');
  });

  it('when notifies are forged, replayed late, for an unknown key, tampered, for another amount or merchant, then 401/400 and nothing changes', async () => {
    const { paymentNo, orderId } = await startPayment('notify-bad');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const before = await paymentState(t, orderId);
    const cases: [string, { headers: Record<string, string>; body: string }, number, string][] = [
      ['forged signature', fake.successNotify(paymentNo, { signWith: stranger.privateKey }), 401, 'INVALID_SIGNATURE'],
      ['wrong serial', fake.successNotify(paymentNo, { serial: 'PUB_KEY_ID_UNKNOWN' }), 401, 'INVALID_SIGNATURE'],
      ['stale timestamp', fake.successNotify(paymentNo, { timestampOffset: -301 }), 401, 'INVALID_SIGNATURE'],
      ['future timestamp', fake.successNotify(paymentNo, { timestampOffset: 301 }), 401, 'INVALID_SIGNATURE'],
      ['tampered ciphertext', fake.successNotify(paymentNo, { tamperCiphertext: true }), 401, 'INVALID_SIGNATURE'],
      [
        'wrong amount',
        fake.successNotify(paymentNo, { transaction: { amount: { total: 1, currency: 'CNY' } } }),
        400,
        'AMOUNT_MISMATCH',
      ],
      ['wrong mchid', fake.successNotify(paymentNo, { transaction: { mchid: '1999999999' } }), 400, 'NOTIFY_MISMATCH'],
      ['wrong appid', fake.successNotify(paymentNo, { transaction: { appid: 'wx-someone-else' } }), 400, 'NOTIFY_MISMATCH'],
      [
        'unknown out_trade_no',
        fake.successNotify(paymentNo, { transaction: { out_trade_no: 'P00000000000000000000000' } }),
        400,
        'NOTIFY_MISMATCH',
      ],
    ];
    for (const [what, n, status, code] of cases) {
      const res = await notify(n);
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status, code });
    }
    const edited = fake.successNotify(paymentNo);
    const res = await notify({
      headers: edited.headers,
      body: edited.body.replace('"summary":"支付成功"', '"summary":"支付成功 "'),
    });
    expect(res.status).toBe(401);
    expect(await paymentState(t, orderId)).toEqual(before);
  });

  it('when 10 identical notifies arrive at once, then exactly one credit and one pay event', async () => {
    const { paymentNo, orderId, electrician } = await startPayment('notify-race');
    const before = Number((await t.db('electricians').where({ id: electrician.electricianId }).first()).total_earnings);
    const n = fake.successNotify(paymentNo);
    const results = await Promise.all(Array.from({ length: 10 }, () => notify(n)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(204));
    expect(await count(t.db, 'order_events', { order_id: orderId, action: 'pay' })).toBe(1);
    const payment = await t.db('payments').where({ payment_no: paymentNo }).first();
    const after = Number((await t.db('electricians').where({ id: electrician.electricianId }).first()).total_earnings);
    expect(after - before).toBe(payment.electrician_amount);
    await t.c.bus.drain();
    expect(published.filter((e) => e.name === 'order.paid' && e.orderId === orderId)).toHaveLength(1);
  });
});

describe('GET /api/payments/:paymentNo', () => {
  it('when the notify is lost, then querying the payment asks WeChat Pay and credits it', async () => {
    const { paymentNo, orderId, customer } = await startPayment('query-lost');
    const pending = await t.http.get(`/api/payments/${paymentNo}`).set(customer.auth);
    expect(pending.body.data).toMatchObject({ paymentNo, status: 'pending', orderId });
    fake.pay(paymentNo);
    const paid = await t.http.get(`/api/payments/${paymentNo}`).set(customer.auth);
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ status: 'paid', transactionId: fake.trades.get(paymentNo)!.transaction_id });
    expect(await count(t.db, 'order_events', { order_id: orderId, action: 'pay' })).toBe(1);
    expect((await t.db('orders').where({ id: orderId }).first()).payment_status).toBe('paid');
  });

  it('when someone else asks for a payment, then 404; an admin may see it', async () => {
    const { paymentNo } = await startPayment('query-other');
    const eve = await login(t, 'query-eve');
    expect((await t.http.get(`/api/payments/${paymentNo}`).set(eve.auth)).status).toBe(404);
    const admin = await loginAsAdmin(t);
    expect((await t.http.get(`/api/payments/${paymentNo}`).set(admin.auth)).body.data.paymentNo).toBe(paymentNo);
  });
});

describe('the pending-payments job', () => {
  // The job reads every pending payment: a database per test keeps the counts exact.
  beforeEach(freshApp);

  it('when a paid notify is late, then the job credits it; when a payment expires unpaid, then it is closed through the close API', async () => {
    const late = await startPayment('job-late');
    const expired = await startPayment('job-expired');
    fake.pay(late.paymentNo);
    t.clock.advance(2 * MINUTE);
    expect(await t.c.services.payments.syncPending()).toBe(1);
    expect((await t.db('payments').where({ payment_no: late.paymentNo }).first()).status).toBe('paid');
    expect((await t.db('payments').where({ payment_no: expired.paymentNo }).first()).status).toBe('pending');

    t.clock.advance(2 * HOUR);
    expect(await t.c.services.payments.syncPending()).toBe(1);
    expect((await t.db('payments').where({ payment_no: expired.paymentNo }).first()).status).toBe('closed');
    expect(fake.trades.get(expired.paymentNo)!.state).toBe('CLOSED');
    expect(fake.calls.some((c) => c.path === `/v3/pay/transactions/out-trade-no/${expired.paymentNo}/close` && c.verified)).toBe(
      true,
    );

    // Two hours later the access token has expired too: sign in again.
    const customer = await login(t, 'job-expired-c');
    const next = await t.http.post('/api/payments').set(customer.auth).send({ orderId: expired.orderId });
    expect(next.status).toBe(200);
    expect(next.body.data.paymentNo).not.toBe(expired.paymentNo);
  });

  it('when an expired payment turns out paid at WeChat Pay, then the close is refused and the payment is credited instead', async () => {
    const o = await startPayment('job-paid-late');
    t.clock.advance(2 * HOUR + MINUTE);
    // Paid between the job's query and its close: WeChat Pay refuses the close with ORDERPAID.
    const query = t.c.wxpay.query.bind(t.c.wxpay);
    t.c.wxpay.query = async (no) => {
      const tx = await query(no);
      fake.pay(no);
      t.c.wxpay.query = query;
      return tx;
    };
    expect(await t.c.services.payments.syncPending()).toBe(1);
    expect((await t.db('payments').where({ payment_no: o.paymentNo }).first()).status).toBe('paid');
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('paid');
    const pay = await t.db('order_events').where({ order_id: o.orderId, action: 'pay' }).first();
    expect(fromJson(pay.details, {})).toMatchObject({ source: 'close' });
  });

  it('when a success arrives for a payment closed locally, then it is credited if the order is unpaid, else kept for refund review without a second credit', async () => {
    const late = await startPayment('late-closed');
    const other = await startPayment('late-double');
    t.clock.advance(2 * HOUR + MINUTE);
    expect(await t.c.services.payments.syncPending()).toBe(2);
    const success = { trade_state: 'SUCCESS', transaction_id: '4200000000000000000001', trade_type: 'JSAPI' };

    expect((await notify(fake.successNotify(late.paymentNo, { transaction: success }))).status).toBe(204);
    expect((await t.db('payments').where({ payment_no: late.paymentNo }).first()).status).toBe('paid');
    expect((await t.db('orders').where({ id: late.orderId }).first()).payment_status).toBe('paid');

    const customer = await login(t, 'late-double-c');
    const second = await t.http.post('/api/payments').set(customer.auth).send({ orderId: other.orderId });
    expect((await notify(fake.successNotify(second.body.data.paymentNo))).status).toBe(204);
    const before = await paymentState(t, other.orderId);
    const res = await notify(
      fake.successNotify(other.paymentNo, { transaction: { ...success, transaction_id: '4200000000000000000002' } }),
    );
    expect(res.status).toBe(204);
    const after = await paymentState(t, other.orderId);
    expect(after.events).toEqual(before.events);
    expect(after.electricians).toEqual(before.electricians);
    expect(after.order).toEqual(before.order);
    expect(await t.db('payments').where({ payment_no: other.paymentNo }).first()).toMatchObject({
      status: 'paid',
      platform_fee: 0,
      electrician_amount: 0,
      settle_after: null,
      failed_reason: expect.stringMatching(/^REFUND_REVIEW/),
    });
  });
});
