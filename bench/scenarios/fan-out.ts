import { randomUUID } from 'node:crypto';
import { startServer } from '../lib/api';
import type { BenchContext } from '../lib/context';
import { call } from '../lib/http';
import { around, ORDER_BODY } from '../lib/seed';
import { closeAll, connectAll, type BenchSocket } from '../lib/sockets';
import { summarize, type Row } from '../lib/stats';

const SOCKETS = 1000;
const ROUND_TIMEOUT_MS = 30_000;

/**
 * Rounds of "something creates an order, every socket must hear `new-order`": each delivery's time is
 * taken from just before the trigger; a round ends when all sockets have it.
 */
async function measure(sockets: BenchSocket[], rounds: number, trigger: (round: number) => Promise<number>) {
  const arrivals = new Map<number, number[]>();
  const waiters = new Map<number, () => void>();
  for (const s of sockets) {
    s.on('new-order', ({ orderId }) => {
      const at = performance.now();
      const list = arrivals.get(orderId) ?? [];
      list.push(at);
      arrivals.set(orderId, list);
      if (list.length === sockets.length) waiters.get(orderId)?.();
    });
  }
  const samples: number[] = [];
  let busyMs = 0;
  let missing = 0;
  let payload: Record<string, unknown> | undefined;
  sockets[0]!.on('new-order', (p) => (payload ??= p.orderInfo));
  // Round -1 is a warm-up, not recorded: the first push of a process pays for compiling its code.
  for (let round = -1; round < rounds; round++) {
    const t0 = performance.now();
    const orderId = await trigger(round);
    await new Promise<void>((resolve) => {
      if ((arrivals.get(orderId)?.length ?? 0) >= sockets.length) return resolve();
      const timer = setTimeout(resolve, ROUND_TIMEOUT_MS);
      waiters.set(orderId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const got = arrivals.get(orderId) ?? [];
    if (round < 0) continue;
    missing += sockets.length - got.length;
    samples.push(...got.map((at) => at - t0));
    busyMs += Math.max(0, ...got) - t0;
  }
  for (const s of sockets) s.removeAllListeners('new-order');
  return { ...summarize(samples), deliveries: samples.length, throughput: samples.length / (busyMs / 1000), missing, payload };
}

/**
 * 1,000 connected electricians all within range of a new order: the time until each receives
 * `new-order`, and the API's memory before and after they connect. The ceiling is a bare
 * Socket.IO server sending the same payload to the same number of sockets, one room each.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const electricians = ctx.world.electricians.slice(0, SOCKETS);
  const customer = ctx.world.customers[0]!;
  const rounds = Math.max(5, ctx.seconds);

  // Everyone within range: inside the dispatch radius (10 km) of the orders placed at the center.
  await ctx.db.transaction(async (trx) => {
    for (const e of electricians) {
      Object.assign(e, around(8));
      await trx('electricians')
        .where({ id: e.electricianId })
        .update({ current_latitude: e.latitude, current_longitude: e.longitude, work_status: 'available' });
    }
  });

  const rssBefore = ctx.apiRssMb();
  const sockets = await connectAll(
    ctx.url,
    electricians.map((e) => e.token),
  );
  await new Promise((r) => setTimeout(r, 500));
  const rssAfter = ctx.apiRssMb();
  let api: Awaited<ReturnType<typeof measure>>;
  try {
    api = await measure(sockets, rounds, async () => {
      const order = await call<{ id: number }>(ctx.url, customer.token, 'POST', '/api/orders', ORDER_BODY, {
        'idempotency-key': randomUUID(),
      });
      return order.id;
    });
  } finally {
    closeAll(sockets);
  }

  const bare = await startServer('bench/lib/bare-socketio.ts');
  let ceiling: Awaited<ReturnType<typeof measure>>;
  try {
    const bareSockets = await connectAll(
      bare.url,
      electricians.map((e) => String(e.userId)),
    );
    try {
      ceiling = await measure(bareSockets, rounds, async (round) => {
        const res = await fetch(`${bare.url}/emit`, {
          method: 'POST',
          body: JSON.stringify({ orderId: round, orderInfo: api.payload }),
        });
        await res.arrayBuffer();
        return round;
      });
    } finally {
      closeAll(bareSockets);
    }
  } finally {
    await bare.stop();
  }

  const row = (scenario: string, r: typeof api, extra: Partial<Row> = {}): Row => ({
    scenario,
    concurrency: electricians.length,
    requests: r.deliveries,
    median: r.median,
    p95: r.p95,
    p99: r.p99,
    throughput: r.throughput,
    ...extra,
  });
  return [
    row('fan-out: bare Socket.IO (ceiling)', ceiling, { note: `max ${ceiling.max.toFixed(1)} ms; deliveries/s` }),
    row(`fan-out: new-order to ${electricians.length} sockets`, api, {
      ceiling: ceiling.throughput,
      ratio: api.throughput / ceiling.throughput,
      note:
        `max ${api.max.toFixed(1)} ms; deliveries/s; API RSS ${rssBefore ?? '?'} → ${rssAfter ?? '?'} MB` +
        (api.missing ? `; ${api.missing} NOT DELIVERED` : ''),
    }),
  ];
}
