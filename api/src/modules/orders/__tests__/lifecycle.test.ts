import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderChanged } from '../orders.events';
import { MINUTE } from '../../../shared/clock';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import { orderBody, placeOrder, snapshot, uploadImage } from './order-helpers';

describe('placing an order', () => {
  let t: TestApp;
  let alice: Session;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await login(t, 'alice');
  });
  afterAll(() => t.close());

  it('when a customer places an order, then it is pending with an order number, fees from the price table and a create event', async () => {
    const photo = await uploadImage(t, alice, 'order');
    const res = await t.http
      .post('/api/orders')
      .set(alice.auth)
      .send(orderBody({ images: [photo] }));
    expect(res.status).toBe(201);
    const o = res.body.data;
    expect(o).toMatchObject({
      status: 'pending',
      priority: 'medium',
      faultType: 'circuit',
      visitFee: 3000,
      estimatedAmount: 12000,
      title: '电路故障维修',
    });
    expect(o.orderNo).toMatch(/^E\d{16}$/);
    expect(o.contactPhone).toBe('13812345678');
    expect(o.images).toHaveLength(1);
    expect(o.images[0].url).toContain(`/api/files/${photo}?`);
    expect(o.cancelFee).toBe(0);
    const events = await t.http.get(`/api/orders/${o.id}/events`).set(alice.auth);
    expect(events.body.data).toEqual([
      expect.objectContaining({
        action: 'create',
        fromStatus: null,
        toStatus: 'pending',
        actorId: alice.userId,
        actorRole: 'customer',
      }),
    ]);
    expect((await t.db('uploads').where({ id: photo }).first()).attached_at).not.toBeNull();
  });

  it('when the order is urgent, then priority is urgent and the surcharge is added to both fees', async () => {
    const o = await placeOrder(t, alice, { urgentType: 'urgent', faultType: 'lighting' });
    expect(o).toMatchObject({ priority: 'urgent', visitFee: 2000 + 3000, estimatedAmount: 8000 + 3000 });
  });

  it('when the price table is asked for, then every fault type has its visit fee (public)', async () => {
    const res = await t.http.get('/api/orders/pricing');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(7);
    expect(res.body.data[0]).toEqual({
      faultType: 'circuit',
      name: '电路故障',
      visitFee: 3000,
      estimatedAmount: 12000,
      urgentSurcharge: 3000,
    });
  });

  it('when the body is invalid, then 400 names every bad field and no order exists', async () => {
    const before = await count(t.db, 'orders');
    const res = await t.http
      .post('/api/orders')
      .set(alice.auth)
      .send(
        orderBody({ contactPhone: '12345678901', latitude: 91, description: 'x', faultType: 'plumbing', urgentType: 'soon' }),
      );
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string[] }) => d.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['body.contactPhone', 'body.latitude', 'body.description', 'body.faultType', 'body.urgentType']),
    );
    expect(await count(t.db, 'orders')).toBe(before);
  });

  it("when the images are someone else's uploads, then 400 INVALID_UPLOAD and nothing is created", async () => {
    const bob = await login(t, 'bob');
    const bobs = await uploadImage(t, bob, 'order');
    const before = await count(t.db, 'orders');
    const res = await t.http
      .post('/api/orders')
      .set(alice.auth)
      .send(orderBody({ images: [bobs] }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_UPLOAD');
    expect(await count(t.db, 'orders')).toBe(before);
    expect(await count(t.db, 'order_events')).toBeGreaterThan(0);
  });

  it('when the same Idempotency-Key is retried, then the first order is returned and only one exists', async () => {
    const key = 'retry-key-0001';
    const first = await t.http
      .post('/api/orders')
      .set(alice.auth)
      .set('Idempotency-Key', key)
      .send(orderBody({ description: '卫生间灯不亮了，开关没反应' }));
    const again = await t.http
      .post('/api/orders')
      .set(alice.auth)
      .set('Idempotency-Key', key)
      .send(orderBody({ description: '卫生间灯不亮了，开关没反应' }));
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(await count(t.db, 'orders', { description: '卫生间灯不亮了，开关没反应' })).toBe(1);
    expect(await count(t.db, 'order_events', { order_id: first.body.data.id })).toBe(1);
  });

  it('when the same key comes with a different body, then 409 and nothing new is created', async () => {
    const key = 'retry-key-0002';
    await t.http.post('/api/orders').set(alice.auth).set('Idempotency-Key', key).send(orderBody());
    const before = await count(t.db, 'orders');
    const res = await t.http
      .post('/api/orders')
      .set(alice.auth)
      .set('Idempotency-Key', key)
      .send(orderBody({ region: '杭州市拱墅区' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(t.db, 'orders')).toBe(before);
  });

  it('when the same key is sent concurrently, then exactly one order is created', async () => {
    // Several rounds: on MariaDB the retries race for the customer's row and the key's unique index.
    for (let round = 0; round < 5; round++) {
      const key = `retry-key-0003-${round}`;
      const description = `同时重试的订单，不应重复 ${round}`;
      const body = orderBody({ description });
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => t.http.post('/api/orders').set(alice.auth).set('Idempotency-Key', key).send(body)),
      );
      const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.data.id));
      expect(ids.size, `round ${round}`).toBe(1);
      expect(
        results.map((r) => r.status).filter((s) => s !== 201 && s !== 409),
        `round ${round}`,
      ).toEqual([]);
      expect(await count(t.db, 'orders', { description }), `round ${round}`).toBe(1);
    }
  });

  it('when the same key is used after 24 hours, then a new order is created', async () => {
    const key = 'retry-key-0004';
    const first = await t.http.post('/api/orders').set(alice.auth).set('Idempotency-Key', key).send(orderBody());
    t.clock.advance(24 * 60 * MINUTE + 1000);
    // Access tokens last two hours: log in again, as the app would.
    alice = await login(t, 'alice');
    const later = await t.http.post('/api/orders').set(alice.auth).set('Idempotency-Key', key).send(orderBody());
    expect(later.status).toBe(201);
    expect(later.body.data.id).not.toBe(first.body.data.id);
  });

  it('when another user sends the same key, then it is their own request', async () => {
    const carol = await login(t, 'carol');
    const key = 'shared-key-0005';
    const a = await t.http.post('/api/orders').set(alice.auth).set('Idempotency-Key', key).send(orderBody());
    const c = await t.http.post('/api/orders').set(carol.auth).set('Idempotency-Key', key).send(orderBody());
    expect(c.status).toBe(201);
    expect(c.body.data.id).not.toBe(a.body.data.id);
  });
});

describe('an order from start to finish', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when it goes create → grab → arrive → quote → reject → re-quote → accept → complete, then every step is in the timeline', async () => {
    const events: OrderChanged[] = [];
    t.c.bus.subscribe('*', (e) => {
      if ('action' in e) events.push(e as OrderChanged);
    });
    const alice = await login(t, 'life-alice');
    const wang = await loginAsElectrician(t, 'life-wang');
    const order = await placeOrder(t, alice);

    const grab = await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth);
    expect(grab.status).toBe(200);
    expect(grab.body.data).toMatchObject({ status: 'accepted', electricianId: wang.electricianId });
    expect(grab.body.data.acceptedAt).not.toBeNull();
    expect((await t.db('electricians').where({ id: wang.electricianId }).first()).active_orders).toBe(1);

    const arrive = await t.http
      .post(`/api/orders/${order.id}/arrive`)
      .set(wang.auth)
      .send({ latitude: 30.2613, longitude: 120.1334 });
    expect(arrive.body.data).toMatchObject({ status: 'arrived', cancelFee: 3000 });

    const q1 = await t.http
      .post(`/api/orders/${order.id}/quote`)
      .set(wang.auth)
      .send({ items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee: 8000, note: '更换烧坏的插座' });
    expect(q1.status).toBe(200);
    expect(q1.body.data).toMatchObject({ status: 'quoted', quotedAmount: 11000, quoteVersion: 1 });

    const reject = await t.http.post(`/api/orders/${order.id}/quote/reject`).set(alice.auth).send({ reason: '人工费太贵' });
    expect(reject.body.data.status).toBe('arrived');

    const q2 = await t.http
      .post(`/api/orders/${order.id}/quote`)
      .set(wang.auth)
      .send({ items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee: 5000 });
    expect(q2.body.data).toMatchObject({ quotedAmount: 8000, quoteVersion: 2 });

    const accept = await t.http.post(`/api/orders/${order.id}/quote/accept`).set(alice.auth).send({});
    expect(accept.body.data).toMatchObject({ status: 'in_progress', finalAmount: 8000 });

    const noPhoto = await t.http
      .post(`/api/orders/${order.id}/complete`)
      .set(wang.auth)
      .send({ repairContent: '更换两个五孔插座，检查线路绝缘正常', repairImages: [] });
    expect(noPhoto.status).toBe(400);
    expect(noPhoto.body.error.details[0].path).toEqual(['body', 'repairImages']);

    const photo = await uploadImage(t, wang, 'repair');
    const done = await t.http
      .post(`/api/orders/${order.id}/complete`)
      .set(wang.auth)
      .send({ repairContent: '更换两个五孔插座，检查线路绝缘正常', repairImages: [photo] });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({
      status: 'completed',
      amountDue: 8000,
      paymentStatus: 'unpaid',
      repairContent: '更换两个五孔插座，检查线路绝缘正常',
    });
    expect(done.body.data.repairImages).toHaveLength(1);
    const elec = await t.db('electricians').where({ id: wang.electricianId }).first();
    expect(elec).toMatchObject({ active_orders: 0, completed_orders: 1, total_orders: 1 });

    const timeline = await t.http.get(`/api/orders/${order.id}/events`).set(alice.auth);
    expect(timeline.body.data.map((e: { action: string; toStatus: string }) => `${e.action}:${e.toStatus}`)).toEqual([
      'create:pending',
      'grab:accepted',
      'arrive:arrived',
      'quote:quoted',
      'quote_reject:arrived',
      'quote:quoted',
      'quote_accept:in_progress',
      'complete:completed',
    ]);
    expect(timeline.body.data[4].details).toMatchObject({ version: 1, reason: '人工费太贵' });

    const detail = await t.http.get(`/api/orders/${order.id}`).set(alice.auth);
    expect(
      detail.body.data.quotes.map((q: { version: number; status: string; amount: number }) => [q.version, q.status, q.amount]),
    ).toEqual([
      [1, 'rejected', 11000],
      [2, 'accepted', 8000],
    ]);
    expect(detail.body.data.electrician).toMatchObject({ id: wang.electricianId, name: '测***' });

    await t.c.bus.drain();
    expect(events.map((e) => e.name)).toEqual([
      'order.created',
      'order.accepted',
      'order.arrived',
      'order.quoted',
      'order.quote_rejected',
      'order.quoted',
      'order.quote_accepted',
      'order.completed',
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(8);
  });

  it('when a customer cancels before arrival, then nothing is owed; after arrival, the visit fee is owed and nothing more', async () => {
    const alice = await login(t, 'cancel-alice');
    const wang = await loginAsElectrician(t, 'cancel-wang');
    const early = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${early.id}/grab`).set(wang.auth);
    const c1 = await t.http.post(`/api/orders/${early.id}/cancel`).set(alice.auth).send({ reason: '自己修好了' });
    expect(c1.body.data).toMatchObject({
      status: 'cancelled',
      finalAmount: 0,
      amountDue: 0,
      cancelledBy: 'customer',
      cancelReason: '自己修好了',
    });
    expect((await t.db('electricians').where({ id: wang.electricianId }).first()).active_orders).toBe(0);

    const late = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${late.id}/grab`).set(wang.auth);
    await t.http.post(`/api/orders/${late.id}/arrive`).set(wang.auth).send({ latitude: 30.26, longitude: 120.13 });
    await t.http.post(`/api/orders/${late.id}/quote`).set(wang.auth).send({ items: [], labourFee: 50000 });
    const c2 = await t.http.post(`/api/orders/${late.id}/cancel`).set(alice.auth).send({ reason: '报价太高不修了' });
    expect(c2.body.data).toMatchObject({ status: 'cancelled', finalAmount: 3000, amountDue: 3000 });
    expect((await t.db('order_quotes').where({ order_id: late.id }).first()).status).toBe('cancelled');
  });

  it('when a customer lists owed orders, then only those with money due show, until they are paid', async () => {
    const alice = await login(t, 'owed-alice');
    const wang = await loginAsElectrician(t, 'owed-wang');
    const free = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${free.id}/grab`).set(wang.auth);
    await t.http.post(`/api/orders/${free.id}/cancel`).set(alice.auth).send({ reason: '自己修好了' });
    const owed = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${owed.id}/grab`).set(wang.auth);
    await t.http.post(`/api/orders/${owed.id}/arrive`).set(wang.auth).send({ latitude: 30.26, longitude: 120.13 });
    await t.http.post(`/api/orders/${owed.id}/cancel`).set(alice.auth).send({ reason: '不修了' });
    const open = await placeOrder(t, alice);
    const list = (query: string) => t.http.get(`/api/orders?${query}`).set(alice.auth);

    const res = await list('owed=true');
    expect(res.status).toBe(200);
    expect(res.body.data.map((o: { id: number }) => o.id)).toEqual([owed.id]);
    expect(res.body.data[0]).toMatchObject({ amountDue: 3000, paymentStatus: 'unpaid' });
    expect(res.body.pagination.total).toBe(1);
    const all = (await list('owed=false&limit=100')).body.data.map((o: { id: number }) => o.id);
    expect(all).toEqual([open.id, owed.id, free.id]);
    const electricianView = await t.http.get('/api/orders?owed=true').set(wang.auth);
    expect(electricianView.body.data.map((o: { id: number }) => o.id)).toEqual([owed.id]);
    expect((await list('owed=yes')).status).toBe(400);

    const payment = await t.http.post('/api/payments').set(alice.auth).send({ orderId: owed.id });
    expect((await t.http.post(`/api/dev/payments/${payment.body.data.paymentNo}/succeed`).set(alice.auth)).status).toBe(200);
    expect((await list('owed=true')).body).toMatchObject({ data: [], pagination: { total: 0 } });
  });

  it('when a cancel has no reason, then 400 and the order is unchanged', async () => {
    const alice = await login(t, 'noreason-alice');
    const o = await placeOrder(t, alice);
    const before = await snapshot(t, o.id);
    const res = await t.http.post(`/api/orders/${o.id}/cancel`).set(alice.auth).send({});
    expect(res.status).toBe(400);
    expect(await snapshot(t, o.id)).toEqual(before);
  });

  it('when the electrician releases the order, then it is back in the hall, the slot is freed and the release counts', async () => {
    const alice = await login(t, 'release-alice');
    const wang = await loginAsElectrician(t, 'release-wang');
    const o = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${o.id}/grab`).set(wang.auth);
    const res = await t.http.post(`/api/orders/${o.id}/release`).set(wang.auth).send({ reason: '临时有急事去不了' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'pending', electricianId: null, acceptedAt: null });
    expect(res.body.data.expiresAt).not.toBeNull();
    expect(await t.db('electricians').where({ id: wang.electricianId }).first()).toMatchObject({
      active_orders: 0,
      released_orders: 1,
    });
    // The releasing electrician no longer sees the full order.
    const seen = await t.http.get(`/api/orders/${o.id}`).set(wang.auth);
    expect(seen.body.data.address).toBeUndefined();
  });

  it('when a pending order outlives its TTL, then the job expires it once, with a system event', async () => {
    const alice = await login(t, 'expire-alice');
    const o = await placeOrder(t, alice);
    expect(await t.c.services.orders.expireDue()).toBe(0);
    t.clock.advance(30 * MINUTE + 1000);
    expect(await t.c.services.orders.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await t.c.services.orders.expireDue()).toBe(0);
    const row = await t.db('orders').where({ id: o.id }).first();
    expect(row.status).toBe('expired');
    const events = await t.db('order_events').where({ order_id: o.id, action: 'expire' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_role: 'system', actor_id: null, from_status: 'pending', to_status: 'expired' });
  });

  it('when an accepted order is not arrived by its due time, then ops are alerted exactly once', async () => {
    const alerts: number[] = [];
    t.c.bus.subscribe('order.arrival_overdue', (e) => {
      alerts.push(e.orderId);
    });
    const alice = await login(t, 'sla-alice');
    const wang = await loginAsElectrician(t, 'sla-wang');
    const o = await placeOrder(t, alice);
    await t.http.post(`/api/orders/${o.id}/grab`).set(wang.auth);
    expect(await t.c.services.orders.alertOverdueArrivals()).toBe(0);
    t.clock.advance(120 * MINUTE + 1000);
    expect(await t.c.services.orders.alertOverdueArrivals()).toBe(1);
    expect(await t.c.services.orders.alertOverdueArrivals()).toBe(0);
    await t.c.bus.drain();
    expect(alerts).toEqual([o.id]);
  });

  it('when an admin assigns, unassigns and cancels, then each is an admin event and the electrician slot follows', async () => {
    const admin = await loginAsAdmin(t);
    const alice = await login(t, 'admin-alice');
    const wang = await loginAsElectrician(t, 'admin-wang');
    const o = await placeOrder(t, alice);
    const assigned = await t.http
      .post(`/api/admin/orders/${o.id}/assign`)
      .set(admin.auth)
      .send({ electricianId: wang.electricianId });
    expect(assigned.body.data).toMatchObject({ status: 'accepted', electricianId: wang.electricianId });
    const unassigned = await t.http.post(`/api/admin/orders/${o.id}/unassign`).set(admin.auth).send({ reason: '电工联系不上' });
    expect(unassigned.body.data.status).toBe('pending');
    const cancelled = await t.http.post(`/api/admin/orders/${o.id}/cancel`).set(admin.auth).send({ reason: '用户电话要求取消' });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', cancelledBy: 'admin' });
    const actions = await t.db('order_events').where({ order_id: o.id }).orderBy('id').select('action', 'actor_role');
    expect(actions).toEqual([
      { action: 'create', actor_role: 'customer' },
      { action: 'assign', actor_role: 'admin' },
      { action: 'unassign', actor_role: 'admin' },
      { action: 'cancel', actor_role: 'admin' },
    ]);
    expect((await t.db('electricians').where({ id: wang.electricianId }).first()).active_orders).toBe(0);
    const detail = await t.http.get(`/api/admin/orders/${o.id}`).set(admin.auth);
    expect(detail.body.data.events).toHaveLength(4);
  });
});
