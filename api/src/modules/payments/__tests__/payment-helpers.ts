import { login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, uploadImage } from '../../orders/__tests__/order-helpers';

/**
 * An order driven through the real API to `completed` (final amount = labourFee + 2 × 1500) by a
 * fresh customer and electrician; returns both sessions and the order id.
 */
export async function completedOrder(t: TestApp, name: string, labourFee = 5000) {
  const customer = await login(t, `${name}-c`);
  const electrician = await loginAsElectrician(t, `${name}-e`);
  return completeOrderBetween(t, customer, electrician, labourFee);
}

/** The same, between a given customer and electrician (several orders of one electrician). */
export async function completeOrderBetween<E extends Session>(t: TestApp, customer: Session, electrician: E, labourFee = 5000) {
  const order = await placeOrder(t, customer);
  const step = async (path: string, s: Session, body: object = {}) => {
    const res = await t.http.post(`/api/orders/${order.id}/${path}`).set(s.auth).send(body);
    if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await step('grab', electrician);
  await step('arrive', electrician, { latitude: 30.2613, longitude: 120.1334 });
  await step('quote', electrician, { items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee });
  await step('quote/accept', customer);
  const photo = await uploadImage(t, electrician, 'repair');
  await step('complete', electrician, { repairContent: '更换插座，检查线路绝缘正常', repairImages: [photo] });
  return { customer, electrician, orderId: order.id, amount: labourFee + 3000 };
}

/** Rows a rejected notify must not change. */
export async function paymentState(t: Pick<TestApp, 'db'>, orderId: number) {
  return {
    order: await t.db('orders').where({ id: orderId }).first(),
    payments: await t.db('payments').where({ order_id: orderId }).orderBy('id'),
    events: await t.db('order_events').where({ order_id: orderId }).orderBy('id'),
    electricians: await t.db('electricians').select('id', 'total_earnings').orderBy('id'),
  };
}
