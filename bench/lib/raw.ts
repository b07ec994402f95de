import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { orderRow } from './seed';

/** Order creation as the API writes it: the idempotency key, the order and its `create` event. */
export async function rawCreate(trx: Knex.Transaction, userId: number): Promise<number> {
  const now = new Date();
  await trx('idempotency_keys').insert({
    user_id: userId,
    scope: 'POST /api/orders',
    idem_key: randomUUID(),
    request_hash: 'x'.repeat(64),
    created_at: now,
    expires_at: now,
  });
  const [id] = await trx('orders').insert(orderRow(userId, 'pending', now, { created_at: now }));
  await trx('order_events').insert({
    order_id: id,
    action: 'create',
    from_status: null,
    to_status: 'pending',
    actor_id: userId,
    actor_role: 'customer',
    details: '{}',
    created_at: now,
  });
  return Number(id);
}

/**
 * One order transition as the API writes it, and nothing else: the update conditional on the
 * expected status (bumping the version) and its event row. The raw-knex ceilings are built from it.
 */
export async function rawTransition(
  trx: Knex.Transaction,
  t: {
    orderId: number;
    action: string;
    from: string;
    to: string;
    actor: { id: number; role: 'customer' | 'electrician' };
    set?: Record<string, unknown>;
  },
): Promise<boolean> {
  const now = new Date();
  const n = await trx('orders')
    .where({ id: t.orderId, status: t.from })
    .update({ ...t.set, status: t.to, version: trx.raw('version + 1'), updated_at: now });
  if (n !== 1) return false;
  await trx('order_events').insert({
    order_id: t.orderId,
    action: t.action,
    from_status: t.from,
    to_status: t.to,
    actor_id: t.actor.id,
    actor_role: t.actor.role,
    details: '{}',
    created_at: now,
  });
  return true;
}
