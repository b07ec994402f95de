import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { createTestApp, login, loginAsAdmin, type TestApp } from '../../../../test/harness';
import { DAY, HOUR } from '../../../shared/clock';
import { completedOrder } from './payment-helpers';

let fake: FakeWechatPay;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeWechatPay();
  t = await createTestApp({ env: { ...fake.env(), SETTLEMENT_DELAY_DAYS: '7' } });
  fake.now = () => t.clock.now();
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const deliver = (path: string, n: { headers: Record<string, string>; body: string }) =>
  t.http.post(path).set(n.headers).set('Content-Type', 'application/json').send(n.body);

describe('settlement and earnings', () => {
  it('when the settlement delay passes, then the share is settled once; earnings show pending, settled and refunds taken back', async () => {
    const o = await completedOrder(t, 'settle', 5000); // 8000 paid: 800 fee, 7200 share
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    const { paymentNo } = created.body.data;
    expect((await deliver('/api/payments/notify', fake.successNotify(paymentNo))).status).toBe(204);
    const admin = await loginAsAdmin(t);
    const refund = await t.http
      .post(`/api/admin/orders/${o.orderId}/refund`)
      .set(admin.auth)
      .send({ amount: 1000, reason: '部分退款' });
    expect((await deliver('/api/payments/refund-notify', fake.refundNotify(refund.body.data.refundNo))).status).toBe(204);

    const pending = await t.http.get('/api/electricians/me/earnings').set(o.electrician.auth);
    expect(pending.status).toBe(200);
    expect(pending.body.data).toMatchObject({ totalEarnings: 7200 - 900, pendingSettlement: 6300, settled: 0, total: 1 });
    expect(pending.body.data.items[0]).toMatchObject({
      paymentNo,
      orderId: o.orderId,
      amount: 8000,
      platformFee: 800,
      electricianAmount: 6300,
      refundedFromShare: 900,
      status: 'partial_refund',
      settlementStatus: 'pending',
      settledAt: null,
    });

    t.clock.advance(7 * DAY - HOUR);
    expect(await t.c.services.payments.settleDue()).toBe(0);
    t.clock.advance(HOUR);
    expect(await t.c.services.payments.settleDue()).toBe(1);
    expect(await t.c.services.payments.settleDue()).toBe(0);
    const row = await t.db('payments').where({ payment_no: paymentNo }).first();
    expect(row.settlement_status).toBe('settled');
    expect(new Date(row.settled_at).getTime()).toBe(t.clock.now().getTime());

    const electrician = await login(t, 'settle-e'); // seven days on, a fresh token
    const settled = await t.http.get('/api/electricians/me/earnings').set(electrician.auth);
    expect(settled.body.data).toMatchObject({ totalEarnings: 6300, pendingSettlement: 0, settled: 6300 });
    expect(settled.body.data.items[0].settlementStatus).toBe('settled');
  });

  it('when someone who is not an electrician asks for earnings, then 404', async () => {
    const bob = await login(t, 'settle-bob');
    expect((await t.http.get('/api/electricians/me/earnings').set(bob.auth)).status).toBe(404);
  });
});
