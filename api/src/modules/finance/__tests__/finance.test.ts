import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { completedOrder } from '../../payments/__tests__/payment-helpers';
import { loginAsStaff } from '../../staff/__tests__/staff-helpers';

let t: TestApp;
let finance: Session;
let order: { orderId: number; amount: number; paymentNo: string; electricianId: number };

beforeAll(async () => {
  t = await createTestApp();
  const o = await completedOrder(t, 'fin');
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  const paymentNo: string = created.body.data.paymentNo;
  const paid = await t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(o.customer.auth);
  expect(paid.status).toBe(200);
  const admin = await loginAsAdmin(t);
  const refunded = await t.http
    .post(`/api/admin/orders/${o.orderId}/refund`)
    .set(admin.auth)
    .send({ amount: 1000, reason: '部分退款' });
  expect(refunded.status).toBe(200);
  order = { orderId: o.orderId, amount: o.amount, paymentNo, electricianId: o.electrician.electricianId };
  finance = await loginAsStaff(t, 'finance');
});
afterAll(() => t.close());

describe('finance pages', () => {
  it('when finance lists payments, then each shows its order, split, refunds and settlement status', async () => {
    const res = await t.http.get('/api/admin/payments').query({ status: 'partial_refund' }).set(finance.auth);
    expect(res.status).toBe(200);
    expect(res.body.pagination.total).toBe(1);
    const [p] = res.body.data;
    expect(p).toMatchObject({
      paymentNo: order.paymentNo,
      orderId: order.orderId,
      amount: order.amount,
      settlementStatus: 'pending',
    });
    expect(p.platformFee + p.electricianAmount).toBe(order.amount);
    expect((await t.http.get('/api/admin/payments').query({ status: 'closed' }).set(finance.auth)).body.data).toEqual([]);
    const byKeyword = await t.http
      .get('/api/admin/payments')
      .query({ keyword: order.paymentNo.slice(-8) })
      .set(finance.auth);
    expect(byKeyword.body.data.map((x: { paymentNo: string }) => x.paymentNo)).toEqual([order.paymentNo]);
  });

  it('when finance searches payments and refunds by the order number, then the order’s rows show with it', async () => {
    const { orderNo } = (await t.http.get(`/api/admin/orders/${order.orderId}`).set(finance.auth)).body.data;
    expect(orderNo).toMatch(/\d{8}/);
    const payments = await t.http
      .get('/api/admin/payments')
      .query({ keyword: orderNo.slice(-8) })
      .set(finance.auth);
    expect(payments.body.data).toEqual([expect.objectContaining({ paymentNo: order.paymentNo, orderNo })]);
    const refunds = await t.http
      .get('/api/admin/refunds')
      .query({ keyword: orderNo.slice(-8) })
      .set(finance.auth);
    expect(refunds.body.data).toEqual([expect.objectContaining({ paymentNo: order.paymentNo, orderNo })]);
    const none = await t.http
      .get('/api/admin/refunds')
      .query({ keyword: `${orderNo}x` })
      .set(finance.auth);
    expect(none.body.pagination.total).toBe(0);
  });

  it('when finance lists refunds and an order’s money, then the partial refund is there', async () => {
    const refunds = await t.http.get('/api/admin/refunds').set(finance.auth);
    expect(refunds.status).toBe(200);
    expect(refunds.body.data).toEqual([
      expect.objectContaining({ orderId: order.orderId, paymentNo: order.paymentNo, amount: 1000, reason: '部分退款' }),
    ]);
    const ofOrder = await t.http.get(`/api/admin/orders/${order.orderId}/payments`).set(finance.auth);
    expect(ofOrder.body.data.payments).toHaveLength(1);
    expect(ofOrder.body.data.refunds).toHaveLength(1);
  });

  it('when the settlement summary is read, then the paid share is pending and nothing is due yet', async () => {
    const res = await t.http.get('/api/admin/finance/settlements').set(finance.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ pending: { count: 1 }, settled: { count: 0, electricianAmount: 0 }, dueNow: 0 });
  });

  it('when the reconciliation report is asked for as JSON and as CSV, then both carry the day', async () => {
    const today = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const json = await t.http.get('/api/admin/finance/reconciliation').query({ from: today, to: today }).set(finance.auth);
    expect(json.status).toBe(200);
    expect(json.body.data.totals).toMatchObject({ payments: 1, paid: order.amount });
    const csv = await t.http
      .get('/api/admin/finance/reconciliation')
      .query({ from: today, to: today, format: 'csv' })
      .set(finance.auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`reconciliation-${today}-${today}.csv`);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^日期,支付笔数,收款\(元\)/);
    expect(lines[1]).toContain(`${today},1,${(order.amount / 100).toFixed(2)}`);
    expect(lines).toHaveLength(3);
  });

  it('when the range is inverted, too long or not dates, then 400', async () => {
    for (const query of [
      { from: '2026-11-10', to: '2026-11-01' },
      { from: '2026-01-01', to: '2026-12-31' },
      { from: 'yesterday', to: '2026-11-01' },
    ]) {
      const res = await t.http.get('/api/admin/finance/reconciliation').query(query).set(finance.auth);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
