import type { Session, TestApp } from '../../../../test/harness';
import { completeOrderBetween, completedOrder } from '../../payments/__tests__/payment-helpers';
import type { DomainEvent } from '../../../shared/domain-events';

/** Pays a completed order through the real payment flow (dev WeChat Pay's signed notify). */
export async function pay(t: TestApp, customer: Session, orderId: number): Promise<void> {
  const created = await t.http.post('/api/payments').set(customer.auth).send({ orderId });
  if (created.status !== 200) throw new Error(`pay failed: ${created.status} ${JSON.stringify(created.body)}`);
  const paid = await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(customer.auth);
  if (paid.status !== 200) throw new Error(`notify failed: ${paid.status} ${JSON.stringify(paid.body)}`);
}

/** A completed, paid order of a fresh customer and electrician. */
export async function paidOrder(t: TestApp, name: string) {
  const o = await completedOrder(t, name);
  await pay(t, o.customer, o.orderId);
  return o;
}

/** Another completed, paid order between the given customer and electrician. */
export async function paidOrderBetween<E extends Session>(t: TestApp, customer: Session, electrician: E) {
  const o = await completeOrderBetween(t, customer, electrician);
  await pay(t, customer, o.orderId);
  return o;
}

export const ratings = (service: number, quality: number, speed: number) => ({
  serviceRating: service,
  qualityRating: quality,
  speedRating: speed,
});

/** Reviews an order as `s`, failing loudly: for tests whose subject comes after the review. */
export async function review(t: TestApp, s: Session, orderId: number, body: object = ratings(5, 5, 5)) {
  const res = await t.http.post(`/api/orders/${orderId}/review`).set(s.auth).send(body);
  if (res.status !== 201) throw new Error(`review failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; overallRating: number } & Record<string, unknown>;
}

/** The electrician's stored rating and count. */
export async function ratingOf(t: TestApp, electricianId: number) {
  const row = await t.db('electricians').where({ id: electricianId }).first();
  return { rating: Number(row.rating), count: Number(row.rating_count) };
}

/** Collects the domain events of the given names published from now on. */
export function recordEvents(t: TestApp, ...names: DomainEvent['name'][]) {
  const seen: DomainEvent[] = [];
  const offs = names.map((n) => t.c.bus.subscribe(n, (e) => void seen.push(e)));
  return { seen, stop: () => offs.forEach((off) => off()) };
}
