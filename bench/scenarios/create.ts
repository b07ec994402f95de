import { randomUUID } from 'node:crypto';
import { cannon, loadRow, type BenchContext } from '../lib/context';
import { rawCreate } from '../lib/raw';
import { ORDER_BODY } from '../lib/seed';
import { closedLoop, type Row } from '../lib/stats';

const BODY = JSON.stringify(ORDER_BODY);

/** POST /api/orders with a fresh Idempotency-Key per request, against the insert through raw knex. */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const { customers } = ctx.world;
  const raw = await closedLoop(
    async () => {
      const c = customers[Math.floor(Math.random() * customers.length)]!;
      await ctx.db.transaction((trx) => rawCreate(trx, c.userId));
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
    loadRow('create: POST /api/orders', api, 20, raw.throughput),
  ];
}
