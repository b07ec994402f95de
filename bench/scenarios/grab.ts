import type { BenchContext } from '../lib/context';
import { rawTransition } from '../lib/raw';
import { pendingOrders } from '../lib/seed';
import { closedLoop, summarize, type Row } from '../lib/stats';

const RACE_ORDERS = 100;
const RACE_CONTENDERS = 200;
const THROUGHPUT_ORDERS = 1000;
const THROUGHPUT_CONTENDERS = 5;
const WAVE = 20;
/** Pending orders for the ceiling's claims, one each: over 5 seconds this machine made up to ~4,100 a second. */
const CEILING_ORDERS = 40_000;

const byFirstCustomer = (ctx: BenchContext, n: number) =>
  pendingOrders(ctx.db, Array<number>(n).fill(ctx.world.customers[0]!.userId));

function contenders(ctx: BenchContext, n: number) {
  const all = ctx.world.electricians;
  const start = Math.floor(Math.random() * all.length);
  return Array.from({ length: n }, (_, i) => all[(start + i) % all.length]!);
}

/**
 * The grab race: many electricians hit POST /api/orders/:id/grab on the same order at the same
 * moment. Exactly one may win each order; the figures are per request.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const grab = async (orderId: number, token: string) => {
    const t0 = performance.now();
    const res = await fetch(`${ctx.url}/api/orders/${orderId}/grab`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  };

  // 1. Races: 200 contenders per order, one order at a time.
  const raceIds = await byFirstCustomer(ctx, RACE_ORDERS);
  const raceSamples: number[] = [];
  const winnersPerOrder: number[] = [];
  const raceStart = performance.now();
  for (const id of raceIds) {
    const results = await Promise.all(contenders(ctx, RACE_CONTENDERS).map((e) => grab(id, e.token)));
    raceSamples.push(...results.map((r) => r.ms));
    winnersPerOrder.push(results.filter((r) => r.status === 200).length);
  }
  const raceSeconds = (performance.now() - raceStart) / 1000;
  // The database must agree: one grab event per raced order.
  const grabEvents = new Map(
    (
      await ctx
        .db('order_events')
        .whereIn('order_id', raceIds)
        .andWhere({ action: 'grab' })
        .groupBy('order_id')
        .select('order_id')
        .count({ n: '*' })
    ).map((r: Record<string, unknown>) => [Number(r.order_id), Number(r.n)]),
  );
  const exactlyOne = winnersPerOrder.every((w) => w === 1) && raceIds.every((id) => grabEvents.get(id) === 1);
  const race = summarize(raceSamples);

  // 2. Throughput: 1,000 orders x 5 contenders, 20 orders in flight.
  const ids = await byFirstCustomer(ctx, THROUGHPUT_ORDERS);
  const samples: number[] = [];
  let won = 0;
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += WAVE) {
    const wave = ids.slice(i, i + WAVE);
    const results = await Promise.all(wave.flatMap((id) => contenders(ctx, THROUGHPUT_CONTENDERS).map((e) => grab(id, e.token))));
    samples.push(...results.map((r) => r.ms));
    won += results.filter((r) => r.status === 200).length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const tp = summarize(samples);

  // Ceiling: the claim itself (conditional update + event row in a transaction) through raw knex.
  // Every claim takes a pending order of its own: one claimed before would match no row, and its
  // transaction would write nothing (cheaper than a claim, so the ceiling would be too high).
  const ceilingIds = await byFirstCustomer(ctx, CEILING_ORDERS);
  let next = 0;
  const e = ctx.world.electricians[0]!;
  const raw = await closedLoop(
    async () => {
      const id = ceilingIds[next++];
      if (id === undefined) throw new Error(`grab ceiling: more than ${CEILING_ORDERS} claims; raise CEILING_ORDERS`);
      const claimed = await ctx.db.transaction((trx) =>
        rawTransition(trx, {
          orderId: id,
          action: 'grab',
          from: 'pending',
          to: 'accepted',
          actor: { id: e.userId, role: 'electrician' },
          set: { electrician_id: e.electricianId },
        }),
      );
      if (!claimed) throw new Error(`grab ceiling: order ${id} was not pending`);
    },
    20,
    Math.min(ctx.seconds, 5) * 1000,
  );

  return [
    {
      scenario: `grab race: ${RACE_CONTENDERS} at once x ${RACE_ORDERS} orders`,
      concurrency: RACE_CONTENDERS,
      requests: raceSamples.length,
      median: race.median,
      p95: race.p95,
      p99: race.p99,
      throughput: raceSamples.length / raceSeconds,
      note: exactlyOne
        ? 'exactly 1 winner on every order'
        : `WINNERS NOT 1: ${JSON.stringify(winnersPerOrder.filter((w) => w !== 1))}`,
    },
    {
      scenario: 'grab claim: raw knex (ceiling)',
      concurrency: 20,
      requests: raw.count,
      median: raw.median,
      p95: raw.p95,
      p99: raw.p99,
      throughput: raw.throughput,
    },
    {
      scenario: `grab: ${THROUGHPUT_ORDERS} orders x ${THROUGHPUT_CONTENDERS} contenders`,
      concurrency: WAVE * THROUGHPUT_CONTENDERS,
      requests: samples.length,
      median: tp.median,
      p95: tp.p95,
      p99: tp.p99,
      throughput: won / seconds,
      ceiling: raw.throughput,
      ratio: won / seconds / raw.throughput,
      note: `orders settled/s; ${won}/${THROUGHPUT_ORDERS} won`,
    },
  ];
}
