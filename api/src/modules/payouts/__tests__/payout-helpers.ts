import type { FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import type { Session, TestApp } from '../../../../test/harness';
import { completedOrder, completeOrderBetween } from '../../payments/__tests__/payment-helpers';

export type Notify = { headers: Record<string, string>; body: string };

/** Delivers a WeChat Pay callback as WeChat Pay would: the exact bytes with their signature headers. */
export const deliver = (t: Pick<TestApp, 'http'>, path: string, n: Notify) =>
  t.http.post(path).set(n.headers).set('Content-Type', 'application/json').send(n.body);

/**
 * Pays a completed order through the real payment flow (the fake's signed notify, or the dev pay
 * endpoint), then runs the settlement job and waits for the wallet to be credited. The app runs
 * with SETTLEMENT_DELAY_DAYS=0, so the share is due at once.
 */
export async function paySettle(t: TestApp, o: { customer: Session; orderId: number }, fake?: FakeWechatPay): Promise<void> {
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  if (created.status !== 200) throw new Error(`payment failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { paymentNo } = created.body.data as { paymentNo: string };
  const paid = fake
    ? await deliver(t, '/api/payments/notify', fake.successNotify(paymentNo))
    : await t.http.post(`/api/dev/payments/${paymentNo}/succeed`).set(o.customer.auth);
  if (paid.status !== 204 && paid.status !== 200) throw new Error(`paying failed: ${paid.status}`);
  await t.c.services.payments.settleDue();
  await t.c.bus.drain();
}

/**
 * A fresh approved electrician whose wallet holds the settled share of one order (labourFee + 3000
 * paid, 10% platform fee: labourFee 5000 → 7200 available).
 */
export async function electricianWithWallet(t: TestApp, name: string, o: { labourFee?: number; fake?: FakeWechatPay } = {}) {
  const order = await completedOrder(t, name, o.labourFee ?? 5000);
  await paySettle(t, order, o.fake);
  return order;
}

/** Another settled order for the same electrician. */
export async function settleAnother(
  t: TestApp,
  customer: Session,
  electrician: Session & { electricianId: number },
  o: { labourFee?: number; fake?: FakeWechatPay } = {},
) {
  const order = await completeOrderBetween(t, customer, electrician, o.labourFee ?? 5000);
  await paySettle(t, order, o.fake);
  return order;
}

let keys = 0;
/** A fresh Idempotency-Key. */
export const newKey = () => `withdraw-${Date.now()}-${++keys}`;

export const withdraw = (t: Pick<TestApp, 'http'>, s: Session, amount: number, key = newKey()) =>
  t.http.post('/api/electricians/me/withdrawals').set(s.auth).set('Idempotency-Key', key).send({ amount });

export const wallet = async (t: Pick<TestApp, 'http'>, s: Session) => {
  const res = await t.http.get('/api/electricians/me/wallet').set(s.auth);
  if (res.status !== 200) throw new Error(`wallet failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as {
    available: number;
    withdrawable: number;
    heldByComplaints: number;
    pendingSettlement: number;
    withdrawing: number;
    withdrawn: number;
    ledger: { id: number; type: string; amount: number; withdrawalNo?: string; orderId?: number; createdAt: string }[];
  };
};

/** The electrician's notifications' titles, newest first. */
export async function titles(t: TestApp, s: Session): Promise<string[]> {
  await t.c.bus.drain();
  const res = await t.http.get('/api/messages').query({ limit: 50 }).set(s.auth);
  return (res.body.data as { title: string }[]).map((m) => m.title);
}
