import { randomUUID } from 'node:crypto';
import { jpeg } from '../../api/test/fixtures/images';
import { createAuthRepository } from '../../api/src/modules/auth/auth.repository';
import { createElectriciansRepository } from '../../api/src/modules/electricians/electricians.repository';
import { createOrdersRepository } from '../../api/src/modules/orders/orders.repository';
import { createUsersRepository } from '../../api/src/modules/users/users.repository';
import type { BenchContext } from '../lib/context';
import { ApiError, call } from '../lib/http';
import { rawCreate, rawTransition } from '../lib/raw';
import { ORDER_BODY, type BenchElectrician, type Actor } from '../lib/seed';
import { closedLoop, type Row } from '../lib/stats';

const WORKERS = 10;
const QUOTE = { items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee: 5000 };
const AMOUNT = 2 * 1500 + 5000;
const REVIEW = {
  serviceRating: 5,
  qualityRating: 5,
  speedRating: 4,
  content: '师傅很专业，准时上门',
  tags: ['准时上门', '技术专业'],
};

/** A route that is not there at all answers 404 with this message (api/src/shared/errors.ts). */
const noSuchRoute = (err: unknown) =>
  err instanceof ApiError && err.status === 404 && !!err.body.error?.message?.startsWith('接口不存在');

/** The electrician's repair photo, a distinct JPEG each time (the same bytes would be stored once). */
async function upload(url: string, e: Actor): Promise<number> {
  const form = new FormData();
  form.append('purpose', 'repair');
  form.append('file', new Blob([jpeg(randomUUID())], { type: 'image/jpeg' }), 'repair.jpg');
  const res = await fetch(`${url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${e.token}` }, body: form });
  const body = (await res.json()) as { data: { id: number }; error?: { code?: string; message?: string } };
  if (res.status !== 201) throw new ApiError(res.status, body, 'POST /api/uploads');
  return body.data.id;
}

/**
 * Whole orders, one after another per worker, through the API exactly as the apps drive them:
 * create → grab → arrive → quote → accept quote → upload photo → complete → pay (dev pay: create the
 * payment, then the signed success notify) → review. The ceiling is the same writes through raw knex.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  // One customer and one electrician per worker: each goes through one order at a time, as people do.
  const pairs = Array.from({ length: WORKERS }, (_, i) => ({
    customer: ctx.world.customers[i % ctx.world.customers.length]!,
    electrician: ctx.world.electricians[(ctx.world.electricians.length >> 1) + i]!,
  }));

  const raw = await closedLoop(
    async (worker) => {
      const { customer, electrician } = pairs[worker]!;
      await rawLifecycle(ctx, customer, electrician);
    },
    WORKERS,
    ctx.seconds * 1000,
  );

  let reviewRoute = true;
  const once = async ({ customer: c, electrician: e }: (typeof pairs)[number]) => {
    const { id } = await call<{ id: number }>(ctx.url, c.token, 'POST', '/api/orders', ORDER_BODY, {
      'idempotency-key': randomUUID(),
    });
    const step = (who: Actor, path: string, body: object = {}) =>
      call(ctx.url, who.token, 'POST', `/api/orders/${id}/${path}`, body);
    await step(e, 'grab');
    await step(e, 'arrive', { latitude: ORDER_BODY.latitude, longitude: ORDER_BODY.longitude });
    await step(e, 'quote', QUOTE);
    await step(c, 'quote/accept');
    const photo = await upload(ctx.url, e);
    await step(e, 'complete', { repairContent: '更换插座，检查线路绝缘正常', repairImages: [photo] });
    const { paymentNo } = await call<{ paymentNo: string }>(ctx.url, c.token, 'POST', '/api/payments', {
      orderId: id,
      amount: AMOUNT,
    });
    await call(ctx.url, c.token, 'POST', `/api/dev/payments/${paymentNo}/succeed`);
    if (!reviewRoute) return;
    try {
      await step(c, 'review', REVIEW);
    } catch (err) {
      if (!noSuchRoute(err)) throw err;
      reviewRoute = false;
    }
  };

  // One untimed order per worker first: the first payment, upload and review warm their code paths up.
  await Promise.all(pairs.map(once));
  let failed = 0;
  let firstError = '';
  const api = await closedLoop(
    async (worker) => {
      try {
        await once(pairs[worker]!);
      } catch (err) {
        failed++;
        firstError ||= err instanceof Error ? err.message : String(err);
      }
    },
    WORKERS,
    ctx.seconds * 1000,
  );

  const done = api.count - failed;
  const steps = reviewRoute ? 'create → reviewed' : 'create → paid (no review route yet)';
  return [
    {
      scenario: 'lifecycle: raw knex (ceiling)',
      concurrency: WORKERS,
      requests: raw.count,
      median: raw.median,
      p95: raw.p95,
      p99: raw.p99,
      throughput: raw.throughput,
      note: 'orders/s',
    },
    {
      scenario: `lifecycle: ${steps}`,
      concurrency: WORKERS,
      requests: api.count,
      median: api.median,
      p95: api.p95,
      p99: api.p99,
      throughput: (api.throughput * done) / Math.max(1, api.count),
      ceiling: raw.throughput,
      ratio: (api.throughput * done) / Math.max(1, api.count) / raw.throughput,
      note: `whole orders/s, ${reviewRoute ? 11 : 10} requests each` + (failed ? `; ${failed} FAILED (${firstError})` : ''),
    },
  ];
}

/** The same order's writes, each step in its own transaction like the API's, with nothing around them. */
async function rawLifecycle(ctx: BenchContext, c: Actor, e: BenchElectrician): Promise<void> {
  const orders = createOrdersRepository(ctx.db);
  const electricians = createElectriciansRepository(ctx.db, createUsersRepository(ctx.db, createAuthRepository(ctx.db)));
  const customer = { id: c.userId, role: 'customer' as const };
  const electrician = { id: e.userId, role: 'electrician' as const };
  const now = () => new Date();
  const orderId = await ctx.db.transaction((trx) => rawCreate(trx, c.userId));
  const move = (action: string, from: string, to: string, actor: typeof customer | typeof electrician, set = {}) =>
    ctx.db.transaction(async (trx) => {
      if (action === 'grab') await electricians.takeSlot(e.electricianId, 1_000_000, now(), trx);
      await rawTransition(trx, { orderId, action, from, to, actor, set });
      if (action === 'quote')
        await orders.insertQuote(
          {
            orderId,
            version: 1,
            electricianId: e.electricianId,
            ...QUOTE,
            materialsFee: 3000,
            amount: AMOUNT,
            note: null,
            createdAt: now(),
          },
          trx,
        );
      if (action === 'quote_accept') await orders.decideQuote(orderId, 1, 'accepted', null, now(), trx);
      if (action === 'complete') await electricians.freeSlot(e.electricianId, 'completed', now(), trx);
    });
  await move('grab', 'pending', 'accepted', electrician, { electrician_id: e.electricianId, accepted_at: now() });
  await move('arrive', 'accepted', 'arrived', electrician, { arrived_at: now() });
  await move('quote', 'arrived', 'quoted', electrician, { quoted_amount: AMOUNT, quote_version: 1, quoted_at: now() });
  await move('quote_accept', 'quoted', 'in_progress', customer, { final_amount: AMOUNT, started_at: now() });
  const [photo] = await ctx.db('uploads').insert({
    owner_id: e.userId,
    purpose: 'repair',
    storage: 'local',
    storage_key: `bench/${randomUUID()}.jpg`,
    mime: 'image/jpeg',
    size: 1000,
    sha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
    created_at: now(),
  });
  await ctx.db('uploads').where({ id: photo }).update({ resource_type: 'order', resource_id: orderId, attached_at: now() });
  await move('complete', 'in_progress', 'completed', electrician, {
    completed_at: now(),
    repair_images: JSON.stringify([photo]),
  });
  const [paymentId] = await ctx.db('payments').insert({
    payment_no: `P${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    order_id: orderId,
    user_id: c.userId,
    electrician_id: e.electricianId,
    amount: AMOUNT,
    platform_fee: AMOUNT / 10,
    electrician_amount: AMOUNT - AMOUNT / 10,
    status: 'pending',
    openid: 'bench',
    expire_time: new Date(Date.now() + 3600_000),
    created_at: now(),
    updated_at: now(),
  });
  await ctx.db.transaction(async (trx) => {
    await trx('payments')
      .where({ id: paymentId, status: 'pending' })
      .update({ status: 'paid', paid_at: now(), updated_at: now() });
    await trx('orders').where({ id: orderId, payment_status: 'unpaid' }).update({ payment_status: 'paid', paid_at: now() });
    await trx('order_events').insert({
      order_id: orderId,
      action: 'pay',
      from_status: 'completed',
      to_status: 'completed',
      actor_id: null,
      actor_role: 'system',
      details: '{}',
      created_at: now(),
    });
  });
  await ctx.db.transaction(async (trx) => {
    await trx('orders').where({ id: orderId, status: 'completed' }).update({ rating: 4.67 });
    await trx('reviews').insert({
      order_id: orderId,
      user_id: c.userId,
      electrician_id: e.electricianId,
      service_rating: REVIEW.serviceRating,
      quality_rating: REVIEW.qualityRating,
      speed_rating: REVIEW.speedRating,
      overall_rating: 4.67,
      content: REVIEW.content,
      tags: JSON.stringify(REVIEW.tags),
      images: '[]',
      is_anonymous: false,
      status: 'normal',
      created_at: now(),
      updated_at: now(),
    });
    const agg = await trx('reviews')
      .where({ electrician_id: e.electricianId, status: 'normal' })
      .avg({ r: 'overall_rating' })
      .first();
    await trx('electricians')
      .where({ id: e.electricianId })
      .update({ rating: Math.round(Number(agg?.r ?? 5) * 100) / 100 });
  });
}
