import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { createTestApp, login, loginAsAdmin, type TestApp } from '../../../../test/harness';
import { chinaDay, DAY, HOUR } from '../../../shared/clock';
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
    // Today's header: the share of today's payment net of its refund, and the order taken today.
    const today = chinaDay(t.clock.now()).date;
    expect(pending.body.data.today).toEqual({ date: today, income: 6300, accepted: 1 });
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
    // A week on, today has earned nothing yet.
    expect(settled.body.data.today).toEqual({ date: chinaDay(t.clock.now()).date, income: 0, accepted: 0 });
    expect(settled.body.data.today.date).not.toBe(today);
    expect(settled.body.data.items[0].settlementStatus).toBe('settled');
  });

  it("when CST midnight passes, then today's income and accepted count start again from zero", async () => {
    t.clock.set('2026-12-01T15:57:00.000Z'); // 23:57 in Beijing
    const o = await completedOrder(t, 'midnight', 5000); // 8000 paid: 7200 share
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    expect((await deliver('/api/payments/notify', fake.successNotify(created.body.data.paymentNo))).status).toBe(204);
    const before = await t.http.get('/api/electricians/me/earnings').set(o.electrician.auth);
    expect(before.body.data.today).toEqual({ date: '2026-12-01', income: 7200, accepted: 1 });

    t.clock.set('2026-12-01T16:00:00.000Z'); // 00:00 the next day
    const electrician = await login(t, 'midnight-e');
    const after = await t.http.get('/api/electricians/me/earnings').set(electrician.auth);
    expect(after.body.data.today).toEqual({ date: '2026-12-02', income: 0, accepted: 0 });
    expect(after.body.data.pendingSettlement).toBe(7200);
  });

  it('when someone who is not an electrician asks for earnings, then 404', async () => {
    const bob = await login(t, 'settle-bob');
    expect((await t.http.get('/api/electricians/me/earnings').set(bob.auth)).status).toBe(404);
  });
});
