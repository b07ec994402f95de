import type { Session, TestApp } from '../../../../test/harness';

/** Opens a complaint through the API as `s`; returns the response whatever its status. */
export function openComplaint(t: Pick<TestApp, 'http'>, s: Session, orderId: number, body: Record<string, unknown> = {}) {
  return t.http
    .post(`/api/orders/${orderId}/complaints`)
    .set(s.auth)
    .send({ type: 'quality', content: '维修后插座又不通电了，请处理', ...body });
}

/** The complaint, its events, the order and its events: what a refused request must leave unchanged. */
export async function complaintState(t: Pick<TestApp, 'db'>, orderId: number) {
  const complaints = await t.db('complaints').where({ order_id: orderId }).orderBy('id');
  return {
    complaints,
    events: await t
      .db('complaint_events')
      .whereIn(
        'complaint_id',
        complaints.map((c) => c.id),
      )
      .orderBy('id'),
    order: await t.db('orders').where({ id: orderId }).first(),
    orderEvents: await t.db('order_events').where({ order_id: orderId }).orderBy('id'),
    refunds: await t.db('refunds').where({ order_id: orderId }).orderBy('id'),
  };
}
