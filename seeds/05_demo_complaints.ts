import type { Knex } from 'knex';

/**
 * A demo complaint on the demo order that is completed (seed 03), opened by its customer, so the
 * complaint pages of the mini-program and the console have something true to show. Idempotent:
 * nothing is added when the order is missing or already has a complaint.
 */
export const DEMO_COMPLAINT = {
  orderNo: 'E2026112200000006',
  type: 'quality',
  content: '空调线路改造后第二天空开又跳了一次，希望师傅回来再检查一下。',
} as const;

export async function seed(knex: Knex, now: Date = new Date()): Promise<void> {
  const order = await knex('orders').where({ order_no: DEMO_COMPLAINT.orderNo, status: 'completed' }).first();
  if (!order) return;
  if (await knex('complaints').where({ order_id: order.id }).first()) return;
  await knex.transaction(async (trx) => {
    const [id] = await trx('complaints').insert({
      order_id: order.id,
      customer_id: order.user_id,
      electrician_id: order.electrician_id,
      type: DEMO_COMPLAINT.type,
      content: DEMO_COMPLAINT.content,
      images: JSON.stringify([]),
      level: 'normal',
      status: 'open',
      open_order_id: order.id,
      created_at: now,
      updated_at: now,
    });
    await trx('complaint_events').insert({
      complaint_id: id,
      action: 'open',
      from_status: null,
      to_status: 'open',
      level: 'normal',
      actor_id: order.user_id,
      actor_role: 'customer',
      content: DEMO_COMPLAINT.content,
      images: JSON.stringify([]),
      details: JSON.stringify({ type: DEMO_COMPLAINT.type }),
      created_at: now,
    });
  });
}
