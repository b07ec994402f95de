import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../../../container';
import { start, type RunningServer } from '../../../server';
import type { DispatchOffered } from '../dispatch.events';
import { createLogger } from '../../../shared/logger';
import { fromJson, toDate } from '../../../shared/rows';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, snapshot, WEST_LAKE } from '../../orders/__tests__/order-helpers';

/*
 * Auto-dispatch of urgent orders (SPEC 3.2). Electricians stand at known distances from the order
 * (West Lake); the ranking is distance, then fewest active orders, then highest rating.
 */

const EARTH_RADIUS_KM = 6371.0088;
const OFFER_MS = 60_000;
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;
const seven = (x: number) => Math.round(x * 1e7) / 1e7;

/** The point `km` from West Lake on the great-circle bearing `bearingDeg`, as stored (seven decimals). */
function around(km: number, bearingDeg: number) {
  const d = km / EARTH_RADIUS_KM;
  const t = rad(bearingDeg);
  const p1 = rad(WEST_LAKE.latitude);
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 =
    rad(WEST_LAKE.longitude) + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { latitude: seven(deg(p2)), longitude: seven(deg(l2)) };
}

type Electrician = Session & { electricianId: number };

interface OfferRow {
  id: number;
  electricianId: number;
  rank: number;
  status: string;
  distanceKm: number;
  reason: string | null;
  offeredAt: Date;
  expiresAt: Date;
  respondedAt: Date | null;
}

async function offersOf(t: TestApp, orderId: number): Promise<OfferRow[]> {
  const rows = await t.db('dispatch_offers').where({ order_id: orderId }).orderBy('id');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    electricianId: Number(r.electrician_id),
    rank: Number(r.rank),
    status: String(r.status),
    distanceKm: Number(r.distance_km),
    reason: (r.reason as string | null) ?? null,
    offeredAt: toDate(r.offered_at)!,
    expiresAt: toDate(r.expires_at)!,
    respondedAt: toDate(r.responded_at),
  }));
}

/** Open offers per order: never more than one. */
async function openOffersByOrder(t: TestApp): Promise<Map<number, number>> {
  const rows = await t.db('dispatch_offers').where({ status: 'offered' }).select('order_id');
  const byOrder = new Map<number, number>();
  for (const r of rows) byOrder.set(Number(r.order_id), (byOrder.get(Number(r.order_id)) ?? 0) + 1);
  return byOrder;
}

/** The first element, which the test expects to be there. */
function firstOf<T>(xs: T[]): T {
  expect(xs.length).toBeGreaterThan(0);
  return xs[0]!;
}

const orderRow = (t: TestApp, id: number) => t.db('orders').where({ id }).first();

/** Collects `dispatch.offered` events published on a container's bus. */
function recordOffers(c: Container) {
  const events: DispatchOffered[] = [];
  c.bus.subscribe('dispatch.offered', (e) => {
    events.push(e);
  });
  return {
    events,
    forOrder: (orderId: number) => events.filter((e) => e.orderId === orderId),
  };
}

/** An urgent order as create() writes it, committed but never announced: the process died right after. */
async function insertWaitingOrder(t: TestApp, userId: number, n: number): Promise<number> {
  const now = t.clock.now();
  const [id] = await t.db('orders').insert({
    order_no: `W${String(now.getTime()).slice(-8)}${String(n).padStart(6, '0')}`,
    user_id: userId,
    title: '紧急抢修维修',
    description: '配电箱冒烟，闻到焦味',
    fault_type: 'emergency',
    priority: 'urgent',
    contact_name: '张丽',
    contact_phone: '13812345678',
    region: '杭州市西湖区',
    address: '西湖区文三路 90 号',
    latitude: WEST_LAKE.latitude,
    longitude: WEST_LAKE.longitude,
    images: '[]',
    scheduled_at: null,
    visit_fee: 8000,
    estimated_amount: 18000,
    status: 'pending',
    expires_at: new Date(now.getTime() + 30 * 60_000),
    dispatch_status: 'pending',
    payment_status: 'unpaid',
    created_at: now,
    updated_at: now,
  });
  return Number(id);
}

const URGENT = { urgentType: 'urgent', faultType: 'emergency', ...WEST_LAKE };

describe('choosing whom to offer an urgent order', () => {
  let t: TestApp;
  let customer: Session;
  let self: Electrician;
  let a: Electrician;
  let b: Electrician;
  let c: Electrician;
  let d: Electrician;
  let edge: Electrician;
  let ineligible: Record<'offline' | 'busy' | 'noEmergency' | 'atCap' | 'far', Electrician>;
  let recorded: ReturnType<typeof recordOffers>;

  beforeAll(async () => {
    t = await createTestApp();
    recorded = recordOffers(t.c);
    customer = await login(t, 'rank-customer');
    const em = (km: number, bearing: number, extra: object = {}) => ({
      ...around(km, bearing),
      emergencyAvailable: true,
      ...extra,
    });
    // The nearest of all, but it is their own order in most tests below.
    self = await loginAsElectrician(t, 'rank-self', em(0.2, 10));
    ineligible = {
      offline: await loginAsElectrician(t, 'rank-offline', em(0.3, 20, { workStatus: 'offline' })),
      busy: await loginAsElectrician(t, 'rank-busy', em(0.35, 30, { workStatus: 'busy' })),
      noEmergency: await loginAsElectrician(t, 'rank-noem', { ...around(0.5, 40), emergencyAvailable: false }),
      atCap: await loginAsElectrician(t, 'rank-cap', em(0.6, 50)),
      far: await loginAsElectrician(t, 'rank-far', em(10.05, 60)),
    };
    await t.db('electricians').where({ id: ineligible.atCap.electricianId }).update({ active_orders: 3 });
    a = await loginAsElectrician(t, 'rank-a', em(1, 70));
    // b, c and d stand on the same spot: equally far, so active orders and then rating decide.
    b = await loginAsElectrician(t, 'rank-b', em(2, 120));
    c = await loginAsElectrician(t, 'rank-c', em(2, 120));
    d = await loginAsElectrician(t, 'rank-d', em(2, 120));
    await t.db('electricians').where({ id: b.electricianId }).update({ active_orders: 1, rating: 4.9 });
    await t.db('electricians').where({ id: c.electricianId }).update({ active_orders: 0, rating: 4.0 });
    await t.db('electricians').where({ id: d.electricianId }).update({ active_orders: 0, rating: 4.8 });
    edge = await loginAsElectrician(t, 'rank-edge', em(9.95, 200));
  });
  afterAll(() => t.close());

  /** An urgent order by `owner`, with dispatch under way; cancelled again by `done()` so that it leaves no open offer. */
  async function urgent(owner: Session = self) {
    const order = await placeOrder(t, owner, URGENT);
    await t.c.bus.drain();
    return {
      id: order.id,
      offers: () => offersOf(t, order.id),
      done: async () => {
        await t.http.post(`/api/orders/${order.id}/cancel`).set(owner.auth).send({ reason: '测试结束取消' });
        await t.c.bus.drain();
      },
    };
  }
  const reject = (s: Session, id: number, reason?: string) =>
    t.http
      .post(`/api/orders/${id}/dispatch/reject`)
      .set(s.auth)
      .send(reason ? { reason } : {});

  it('when an urgent order is placed, then the nearest eligible electrician gets the first offer, valid for 60 s, announced once', async () => {
    const o = await urgent();
    const offers = await o.offers();
    expect(offers).toHaveLength(1);
    const first = firstOf(offers);
    expect(first).toMatchObject({ electricianId: a.electricianId, rank: 1, status: 'offered' });
    expect(first.distanceKm).toBeCloseTo(1, 2);
    expect(first.expiresAt.getTime() - first.offeredAt.getTime()).toBe(OFFER_MS);
    expect(first.offeredAt.getTime()).toBe(t.clock.now().getTime());
    expect((await orderRow(t, o.id)).dispatch_status).toBe('offering');
    expect(recorded.forOrder(o.id).map((e) => [e.offerId, e.electricianId, e.electricianUserId])).toEqual([
      [first.id, a.electricianId, a.userId],
    ]);
    await o.done();
  });

  it('when the customer is themselves an electrician, then they are never offered their own order, though they are nearest for others', async () => {
    const own = await urgent(self);
    expect((await own.offers()).map((x) => x.electricianId)).toEqual([a.electricianId]);
    await own.done();
    const theirs = await urgent(customer);
    expect((await theirs.offers()).map((x) => x.electricianId)).toEqual([self.electricianId]);
    await theirs.done();
  });

  it('when the offered electrician rejects, then the next is offered: equal distances go to fewer active orders, then higher rating', async () => {
    const o = await urgent();
    const res = await reject(a, o.id, '手上有活走不开');
    expect(res.status).toBe(200);
    await t.c.bus.drain();
    const offers = await o.offers();
    expect(offers.map((x) => [x.electricianId, x.status, x.rank])).toEqual([
      [a.electricianId, 'rejected', 1],
      [d.electricianId, 'offered', 2],
    ]);
    expect(offers[0]?.reason).toBe('手上有活走不开');
    expect(offers[0]?.respondedAt).not.toBeNull();
    expect(recorded.forOrder(o.id).map((e) => e.electricianId)).toEqual([a.electricianId, d.electricianId]);
    await o.done();
  });

  it('when an offer times out, then expireDue offers the next candidate, and not a moment before the deadline', async () => {
    const o = await urgent();
    await reject(a, o.id);
    t.clock.advance(OFFER_MS - 1);
    expect(await t.c.services.dispatch.expireDue()).toBe(0);
    expect((await o.offers()).map((x) => x.status)).toEqual(['rejected', 'offered']);
    t.clock.advance(2);
    expect(await t.c.services.dispatch.expireDue()).toBe(1);
    await t.c.bus.drain();
    expect((await o.offers()).map((x) => [x.electricianId, x.status, x.rank])).toEqual([
      [a.electricianId, 'rejected', 1],
      [d.electricianId, 'expired', 2],
      [c.electricianId, 'offered', 3],
    ]);
    expect(await t.c.services.dispatch.expireDue()).toBe(0);
    await o.done();
  });

  it('when every candidate declines, then dispatch is exhausted and the order stays pending in the hall; the ineligible were never offered', async () => {
    const o = await urgent();
    await reject(a, o.id);
    t.clock.advance(OFFER_MS + 1);
    await t.c.services.dispatch.expireDue();
    await reject(c, o.id);
    await reject(b, o.id);
    await reject(edge, o.id);
    await t.c.bus.drain();

    const offers = await o.offers();
    expect(offers.map((x) => [x.electricianId, x.status, x.rank])).toEqual([
      [a.electricianId, 'rejected', 1],
      [d.electricianId, 'expired', 2],
      [c.electricianId, 'rejected', 3],
      [b.electricianId, 'rejected', 4],
      [edge.electricianId, 'rejected', 5],
    ]);
    expect(offers[4]?.distanceKm).toBeCloseTo(9.95, 2);
    const offeredIds = new Set(offers.map((x) => x.electricianId));
    for (const [why, e] of Object.entries({ ...ineligible, self })) expect(offeredIds.has(e.electricianId), why).toBe(false);
    // One announcement per offer, no more.
    expect(recorded.forOrder(o.id).map((e) => e.offerId)).toEqual(offers.map((x) => x.id));

    const row = await orderRow(t, o.id);
    expect(row).toMatchObject({ status: 'pending', dispatch_status: 'exhausted' });
    expect(row.electrician_id).toBeNull();
    expect(await t.c.services.dispatch.expireDue()).toBe(0);
    expect(await t.c.services.dispatch.startWaiting()).toBe(0);
    expect(await o.offers()).toHaveLength(5);
    const hall = await t.http
      .get('/api/orders/hall')
      .set(a.auth)
      .query({ ...WEST_LAKE, limit: 100 });
    expect((hall.body.data as { id: number }[]).map((x) => x.id)).toContain(o.id);
    // Anyone may still grab it from the hall, including those who declined.
    expect((await t.http.post(`/api/orders/${o.id}/grab`).set(c.auth)).status).toBe(200);
    await t.http.post(`/api/orders/${o.id}/release`).set(c.auth).send({ reason: '测试结束放回' });
    await t.c.bus.drain();
    await o.done();
  });

  it('when the candidate who timed out is no longer offered, then a reject of that stale offer is 404 and changes nothing', async () => {
    const o = await urgent();
    t.clock.advance(OFFER_MS + 1);
    await t.c.services.dispatch.expireDue();
    const before = await o.offers();
    const res = await reject(a, o.id);
    expect(res.status).toBe(404);
    expect(await o.offers()).toEqual(before);
    await o.done();
  });

  it('when an order is not urgent, then it is never dispatched', async () => {
    const order = await placeOrder(t, customer, { ...WEST_LAKE, urgentType: 'normal' });
    await t.c.bus.drain();
    expect(await t.c.services.dispatch.startWaiting()).toBe(0);
    t.clock.advance(OFFER_MS + 1);
    await t.c.services.dispatch.expireDue();
    expect(await offersOf(t, order.id)).toEqual([]);
    expect((await orderRow(t, order.id)).dispatch_status).toBeNull();
    expect(recorded.forOrder(order.id)).toEqual([]);
  });
});

describe('accepting a dispatch offer', () => {
  let t: TestApp;
  let alice: Session;
  let a: Electrician;
  let b: Electrician;
  let g: Electrician;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await login(t, 'accept-alice');
    a = await loginAsElectrician(t, 'accept-a', { ...around(1, 0), emergencyAvailable: true });
    b = await loginAsElectrician(t, 'accept-b', { ...around(2, 90), emergencyAvailable: true });
    // Near, but not available for emergencies: never offered, may grab from the hall.
    g = await loginAsElectrician(t, 'accept-g', { ...around(0.5, 180), emergencyAvailable: false });
  });
  afterAll(() => t.close());

  async function urgent() {
    const order = await placeOrder(t, alice, URGENT);
    await t.c.bus.drain();
    return order.id;
  }
  const accept = (s: Session, id: number) => t.http.post(`/api/orders/${id}/dispatch/accept`).set(s.auth);
  const cancel = async (id: number) => {
    await t.http.post(`/api/orders/${id}/cancel`).set(alice.auth).send({ reason: '测试结束取消' });
    await t.c.bus.drain();
  };
  const activeOf = async (e: Electrician) =>
    Number((await t.db('electricians').where({ id: e.electricianId }).first()).active_orders);

  it('when the offered electrician accepts, then the order is theirs with a dispatch_accept event and the offer is accepted', async () => {
    const id = await urgent();
    const offer = firstOf(await offersOf(t, id));
    expect(offer.electricianId).toBe(a.electricianId);
    t.clock.advance(OFFER_MS - 1000);
    const res = await accept(a, id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'accepted', electricianId: a.electricianId, dispatchStatus: 'accepted' });
    const after = firstOf(await offersOf(t, id));
    expect(after).toMatchObject({ id: offer.id, status: 'accepted' });
    expect(after.respondedAt?.getTime()).toBe(t.clock.now().getTime());
    const events = await t.db('order_events').where({ order_id: id }).orderBy('id');
    expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'dispatch_accept']);
    expect(events[1]).toMatchObject({
      from_status: 'pending',
      to_status: 'accepted',
      actor_role: 'electrician',
      actor_id: a.userId,
    });
    expect(fromJson(events[1].details, {})).toEqual({ electricianId: a.electricianId, offerId: offer.id });
    expect(await activeOf(a)).toBe(1);
    // Nothing is left to time out.
    t.clock.advance(OFFER_MS);
    expect(await t.c.services.dispatch.expireDue()).toBe(0);
    expect(await offersOf(t, id)).toHaveLength(1);
    await cancel(id);
  });

  it('when the offer has expired, then accepting it is 409 OFFER_EXPIRED and changes nothing, before and after the job has run', async () => {
    const id = await urgent();
    t.clock.advance(OFFER_MS);
    const before = await snapshot(t, id);
    const offers = await offersOf(t, id);
    const active = await activeOf(a);

    const late = await accept(a, id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('OFFER_EXPIRED');
    expect(await snapshot(t, id)).toEqual(before);
    expect(await offersOf(t, id)).toEqual(offers);
    expect(await activeOf(a)).toBe(active);

    expect(await t.c.services.dispatch.expireDue()).toBe(1);
    await t.c.bus.drain();
    expect((await offersOf(t, id)).map((x) => [x.electricianId, x.status])).toEqual([
      [a.electricianId, 'expired'],
      [b.electricianId, 'offered'],
    ]);
    const later = await accept(a, id);
    expect(later.status).toBe(409);
    expect(later.body.error.code).toBe('OFFER_EXPIRED');
    expect((await orderRow(t, id)).status).toBe('pending');
    expect(await activeOf(a)).toBe(active);
    // b's offer is untouched and still good.
    expect((await accept(b, id)).status).toBe(200);
    await cancel(id);
  });

  it("when an electrician accepts or rejects someone else's offer, then 404 and nothing changes", async () => {
    const id = await urgent();
    const before = await snapshot(t, id);
    const offers = await offersOf(t, id);
    for (const path of ['accept', 'reject']) {
      const res = await t.http.post(`/api/orders/${id}/dispatch/${path}`).set(g.auth).send({});
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    const customer = await t.http.post(`/api/orders/${id}/dispatch/accept`).set(alice.auth);
    expect(customer.status).toBe(403);
    expect(await snapshot(t, id)).toEqual(before);
    expect(await offersOf(t, id)).toEqual(offers);
    await cancel(id);
  });

  it('when the offered electrician is at the active-order cap, then accepting is 409 ACTIVE_LIMIT_REACHED and the offer stays open', async () => {
    const id = await urgent();
    const active = await activeOf(a);
    await t.db('electricians').where({ id: a.electricianId }).update({ active_orders: 3 });
    const before = await snapshot(t, id);
    const offers = await offersOf(t, id);
    const res = await accept(a, id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ACTIVE_LIMIT_REACHED');
    expect(await snapshot(t, id)).toEqual(before);
    expect(await offersOf(t, id)).toEqual(offers);
    await t.db('electricians').where({ id: a.electricianId }).update({ active_orders: active });
    await cancel(id);
  });

  it('when the customer cancels while an offer is open, then the offer is cancelled and nobody else is offered', async () => {
    const id = await urgent();
    await cancel(id);
    expect((await offersOf(t, id)).map((x) => x.status)).toEqual(['cancelled']);
    expect((await orderRow(t, id)).dispatch_status).toBe('exhausted');
    t.clock.advance(OFFER_MS + 1);
    expect(await t.c.services.dispatch.expireDue()).toBe(0);
    expect(await t.c.services.dispatch.startWaiting()).toBe(0);
    expect(await offersOf(t, id)).toHaveLength(1);
    const late = await accept(a, id);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_TRANSITION');
  });

  it('when an accepted urgent order is released, then it is dispatched again, skipping everyone already offered', async () => {
    const id = await urgent();
    expect((await accept(a, id)).status).toBe(200);
    const released = await t.http.post(`/api/orders/${id}/release`).set(a.auth).send({ reason: '车坏了去不了' });
    expect(released.status).toBe(200);
    await t.c.bus.drain();
    expect((await offersOf(t, id)).map((x) => [x.electricianId, x.status, x.rank])).toEqual([
      [a.electricianId, 'accepted', 1],
      [b.electricianId, 'offered', 2],
    ]);
    expect((await orderRow(t, id)).dispatch_status).toBe('offering');
    await t.http.post(`/api/orders/${id}/dispatch/reject`).set(b.auth).send({});
    await t.c.bus.drain();
    expect((await offersOf(t, id)).map((x) => x.status)).toEqual(['accepted', 'rejected']);
    expect(await orderRow(t, id)).toMatchObject({ status: 'pending', dispatch_status: 'exhausted' });
    await cancel(id);
  });

  it('when an electrician who grabbed an urgent order from the hall releases it, then the re-dispatch does not offer it back to them', async () => {
    const id = await urgent();
    expect((await offersOf(t, id)).map((x) => x.electricianId)).toEqual([a.electricianId]);
    expect((await t.http.post(`/api/orders/${id}/grab`).set(b.auth)).status).toBe(200);
    expect((await offersOf(t, id)).map((x) => x.status)).toEqual(['lost']);
    const released = await t.http.post(`/api/orders/${id}/release`).set(b.auth).send({ reason: '材料不够，去不了' });
    expect(released.status).toBe(200);
    await t.c.bus.drain();
    // a was offered already and b has just given it back: nobody is left to offer.
    expect((await offersOf(t, id)).map((x) => [x.electricianId, x.status])).toEqual([[a.electricianId, 'lost']]);
    expect(await orderRow(t, id)).toMatchObject({ status: 'pending', dispatch_status: 'exhausted' });
    // It is still in the hall for anyone, b included.
    const hall = await t.http
      .get('/api/orders/hall')
      .set(b.auth)
      .query({ ...WEST_LAKE, limit: 100 });
    expect((hall.body.data as { id: number }[]).map((x) => x.id)).toContain(id);
    await cancel(id);
  });
});

describe('dispatch across processes and under concurrency', () => {
  let t: TestApp;
  let running: RunningServer;
  let alice: Session;
  let a: Electrician;
  let b: Electrician;
  let g: Electrician;
  let second: Container;

  beforeAll(async () => {
    // A generous cap so that repeated races never run into it.
    t = await createTestApp({ env: { MAX_ACTIVE_ORDERS: '50' } });
    running = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
    alice = await login(t, 'race-alice');
    a = await loginAsElectrician(t, 'race-a', { ...around(1, 0), emergencyAvailable: true });
    b = await loginAsElectrician(t, 'race-b', { ...around(2, 90), emergencyAvailable: true });
    g = await loginAsElectrician(t, 'race-g', { ...around(0.5, 180), emergencyAvailable: false });
    // A second process on the same database: it shares nothing with the first but the rows.
    second = createContainer(t.config, { db: t.db, clock: t.clock, logger: createLogger(t.config.logLevel) });
  });
  afterAll(async () => {
    // Only the HTTP server: the database pool belongs to the test app and is closed with it.
    running.server.closeAllConnections();
    await new Promise<void>((resolve) => running.server.close(() => resolve()));
    await second.bus.drain();
    await t.c.bus.drain();
    await t.close();
  });

  const post = (s: Session, path: string, body: object = {}) =>
    fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: { ...s.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string } } }));

  async function urgent(): Promise<number> {
    const order = await placeOrder(t, alice, URGENT);
    await t.c.bus.drain();
    return order.id;
  }
  const activeOf = async (e: Electrician) =>
    Number((await t.db('electricians').where({ id: e.electricianId }).first()).active_orders);

  it('when accepting an offer races a hall grab, then exactly one wins, the other gets 409, and the offer ends accepted or lost to match', async () => {
    const wins = { offer: 0, grab: 0 };
    for (let round = 0; round < 8; round++) {
      const id = await urgent();
      const offer = firstOf(await offersOf(t, id));
      expect(offer).toMatchObject({ electricianId: a.electricianId, status: 'offered' });
      const [activeA, activeG] = [await activeOf(a), await activeOf(g)];

      const [accepted, grabbed] = await Promise.all([
        post(a, `/api/orders/${id}/dispatch/accept`),
        post(g, `/api/orders/${id}/grab`),
      ]);
      const statuses = [accepted.status, grabbed.status].sort();
      expect(statuses, `round ${round}`).toEqual([200, 409]);
      const loser = accepted.status === 409 ? accepted : grabbed;
      expect(loser.body.error!.code, `round ${round}`).toBe('ORDER_TAKEN');

      const row = await orderRow(t, id);
      const events = await t.db('order_events').where({ order_id: id }).orderBy('id');
      const after = firstOf(await offersOf(t, id));
      if (accepted.status === 200) {
        wins.offer++;
        expect(row).toMatchObject({ status: 'accepted', electrician_id: a.electricianId, dispatch_status: 'accepted' });
        expect(after.status).toBe('accepted');
        expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'dispatch_accept']);
        expect([await activeOf(a), await activeOf(g)]).toEqual([activeA + 1, activeG]);
      } else {
        wins.grab++;
        expect(row).toMatchObject({ status: 'accepted', electrician_id: g.electricianId });
        expect(after.status).toBe('lost');
        expect(events.map((e: { action: string }) => e.action)).toEqual(['create', 'grab']);
        expect([await activeOf(a), await activeOf(g)]).toEqual([activeA, activeG + 1]);
      }
      expect(await offersOf(t, id)).toHaveLength(1);
    }
    expect(wins.offer + wins.grab).toBe(8);
  });

  it('when the process restarts, then a second container resumes from the database: startWaiting opens the first offer, expireDue passes it on', async () => {
    const recorded = recordOffers(second);
    // Committed, then the process died before announcing it: no offer, no event.
    const id = await insertWaitingOrder(t, alice.userId, 1);
    expect(await offersOf(t, id)).toEqual([]);

    expect(await second.services.dispatch.startWaiting()).toBeGreaterThanOrEqual(1);
    await second.bus.drain();
    const first = firstOf(await offersOf(t, id));
    expect(first).toMatchObject({ electricianId: a.electricianId, status: 'offered', rank: 1 });
    expect((await orderRow(t, id)).dispatch_status).toBe('offering');
    expect(recorded.forOrder(id).map((e) => e.offerId)).toEqual([first.id]);
    // Already under way: starting again does nothing.
    expect(await second.services.dispatch.startWaiting()).toBe(0);

    // An offer made by the first process times out; the second process moves it on.
    const made = await urgent();
    t.clock.advance(OFFER_MS + 1);
    expect(await second.services.dispatch.expireDue()).toBe(2);
    await second.bus.drain();
    for (const orderId of [id, made]) {
      expect((await offersOf(t, orderId)).map((x) => [x.electricianId, x.status])).toEqual([
        [a.electricianId, 'expired'],
        [b.electricianId, 'offered'],
      ]);
    }
    // The first process finds nothing left to do.
    expect(await t.c.services.dispatch.expireDue()).toBe(0);
    for (const orderId of [id, made]) await post(alice, `/api/orders/${orderId}/cancel`, { reason: '测试结束取消' });
  });

  it('when two processes start waiting dispatches at once, then each order gets exactly one first offer', async () => {
    const ids = [];
    for (let n = 10; n < 14; n++) ids.push(await insertWaitingOrder(t, alice.userId, n));
    await Promise.all([
      t.c.services.dispatch.startWaiting(),
      second.services.dispatch.startWaiting(),
      t.c.services.dispatch.startWaiting(),
    ]);
    await Promise.all([t.c.bus.drain(), second.bus.drain()]);
    for (const id of ids) {
      expect((await offersOf(t, id)).map((x) => [x.electricianId, x.status])).toEqual([[a.electricianId, 'offered']]);
    }
    for (const id of ids) await post(alice, `/api/orders/${id}/cancel`, { reason: '测试结束取消' });
  });

  it('when expireDue runs several times at once, then every due offer is passed on once and no order ever has two open offers', async () => {
    const offeredFirst = recordOffers(t.c);
    const offeredSecond = recordOffers(second);
    const ids: number[] = [];
    for (let n = 0; n < 5; n++) ids.push(await urgent());
    expect([...(await openOffersByOrder(t)).values()].every((n) => n <= 1)).toBe(true);
    t.clock.advance(OFFER_MS + 1);

    const counts = await Promise.all([
      t.c.services.dispatch.expireDue(),
      second.services.dispatch.expireDue(),
      t.c.services.dispatch.expireDue(),
      second.services.dispatch.expireDue(),
    ]);
    await Promise.all([t.c.bus.drain(), second.bus.drain()]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(ids.length);
    const open = await openOffersByOrder(t);
    for (const id of ids) {
      expect(open.get(id), `order ${id}`).toBe(1);
      expect((await offersOf(t, id)).map((x) => [x.electricianId, x.status])).toEqual([
        [a.electricianId, 'expired'],
        [b.electricianId, 'offered'],
      ]);
      // Created → a, then exactly one process offered b.
      const announced = [...offeredFirst.forOrder(id), ...offeredSecond.forOrder(id)].map((e) => e.electricianId);
      expect(announced).toEqual([a.electricianId, b.electricianId]);
    }
    expect([...open.values()].every((n) => n <= 1)).toBe(true);

    // And again when those run out: the orders end exhausted, still with at most one open offer each.
    t.clock.advance(OFFER_MS + 1);
    await Promise.all([t.c.services.dispatch.expireDue(), second.services.dispatch.expireDue()]);
    await Promise.all([t.c.bus.drain(), second.bus.drain()]);
    expect([...(await openOffersByOrder(t)).values()].every((n) => n <= 1)).toBe(true);
    for (const id of ids) expect(await orderRow(t, id)).toMatchObject({ status: 'pending', dispatch_status: 'exhausted' });
  });
});
