import { randomUUID } from 'node:crypto';
import { cannon, type BenchContext } from '../lib/context';
import { orderRow } from '../lib/seed';
import { closedLoop, type Row } from '../lib/stats';

const BODY = JSON.stringify({
  contactName: '张丽',
  contactPhone: '13812345678',
  address: '西湖区文三路 90 号 3 幢 502',
  region: '杭州市西湖区',
  latitude: 30.2612,
  longitude: 120.1335,
  description: '客厅插座冒火花，总闸跳了两次',
  urgentType: 'normal',
  faultType: 'circuit',
});

/** POST /api/orders with a fresh Idempotency-Key per request, against the insert through raw knex. */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const { customers } = ctx.world;
  const raw = await closedLoop(
    async () => {
      const c = customers[Math.floor(Math.random() * customers.length)]!;
      const now = new Date();
      await ctx.db.transaction(async (trx) => {
        await trx('idempotency_keys').insert({
          user_id: c.userId,
          scope: 'POST /api/orders',
          idem_key: randomUUID(),
          request_hash: 'x'.repeat(64),
          created_at: now,
          expires_at: now,
        });
        const [id] = await trx('orders').insert(orderRow(c.userId, 'pending', now, { created_at: now }));
        await trx('order_events').insert({
          order_id: id,
          action: 'create',
          from_status: null,
          to_status: 'pending',
          actor_id: c.userId,
          actor_role: 'customer',
          details: '{}',
          created_at: now,
        });
      });
    },
    20,
    ctx.seconds * 1000,
  );
  const api = await cannon(ctx.url, 20, ctx.seconds, {
    method: 'POST',
    build: () => {
      const c = customers[Math.floor(Math.random() * customers.length)]!;
      return {
        path: '/api/orders',
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: BODY,
      };
    },
  });
  return [
    {
      scenario: 'create: raw knex insert (ceiling)',
      concurrency: 20,
      requests: raw.count,
      median: raw.median,
      p95: raw.p95,
      p99: raw.p99,
      throughput: raw.throughput,
    },
    {
      scenario: 'create: POST /api/orders',
      concurrency: 20,
      requests: api.requests,
      median: api.median,
      p95: api.p95,
      p99: api.p99,
      throughput: api.throughput,
      ceiling: raw.throughput,
      ratio: api.throughput / raw.throughput,
      note: api.non2xx ? `${api.non2xx} non-2xx` : '',
    },
  ];
}
