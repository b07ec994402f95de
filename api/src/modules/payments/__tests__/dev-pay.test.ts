import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { count, createTestApp, login, loginAsAdmin, type TestApp } from '../../../../test/harness';
import { completedOrder } from './payment-helpers';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('dev pay mode', () => {
  it('when the customer pays and the dev endpoint succeeds it, then the signed notify goes through the real handler and the order is paid once', async () => {
    expect(t.c.wxpay.mode).toBe('dev');
    const o = await completedOrder(t, 'dev-pay');
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId, amount: o.amount });
    expect(created.status).toBe(200);
    expect(created.body.data.paymentParams).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
    const { paymentNo } = created.body.data;

    const verify = vi.spyOn(t.c.wxpay, 'verifyNotify');
    const res = await t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(o.customer.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ paymentNo, status: 'paid', amount: o.amount });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.results[0]?.value).toBe(true);
    verify.mockRestore();
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('paid');
    expect(await count(t.db, 'order_events', { order_id: o.orderId, action: 'pay' })).toBe(1);

    const again = await t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(o.customer.auth);
    expect(again.status).toBe(200);
    expect(await count(t.db, 'order_events', { order_id: o.orderId, action: 'pay' })).toBe(1);
  });

  it('when a notify is not signed by the dev platform key, then 401 even in dev mode', async () => {
    const res = await t.http
      .post('/api/payments/notify')
      .set({
        'Wechatpay-Serial': 'DEV0',
        'Wechatpay-Timestamp': String(Math.floor(Date.now() / 1000)),
        'Wechatpay-Nonce': 'n',
        'Wechatpay-Signature': 'x',
      })
      .set('Content-Type', 'application/json')
      .send('{"resource":{}}');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
  });

  it("when someone else triggers another customer's payment, then 404", async () => {
    const o = await completedOrder(t, 'dev-other');
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    const eve = await login(t, 'dev-eve');
    const res = await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(eve.auth);
    expect(res.status).toBe(404);
    expect((await t.db('payments').where({ payment_no: created.body.data.paymentNo }).first()).status).toBe('pending');
  });

  it('when an admin refunds in dev pay mode, then the sandbox refunds at once and the order is refunded', async () => {
    const o = await completedOrder(t, 'dev-refund');
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(o.customer.auth);
    const admin = await loginAsAdmin(t);
    const res = await t.http
      .post(`/api/admin/orders/${o.orderId}/refund`)
      .set(admin.auth)
      .send({ amount: o.amount, reason: '演示退款' });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('success');
    expect((await t.db('orders').where({ id: o.orderId }).first()).payment_status).toBe('refunded');
    expect(await count(t.db, 'order_events', { order_id: o.orderId, action: 'refund' })).toBe(1);
  });
});
