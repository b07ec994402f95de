import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../app';
import { createContainer, type Container } from '../../../container';
import { createDb, type Db } from '../../../db';
import { start, type RunningServer } from '../../../server';
import { MINUTE } from '../../../shared/clock';
import { boundingBox, distanceKm, withinKm, type Point } from '../../../shared/geo';
import { createLogger } from '../../../shared/logger';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { createHallIndex } from '../hall-index';
import type { Order } from '../orders.repository';
import { placeOrder, WEST_LAKE } from './order-helpers';

/*
 * The hall is served from memory (hall-index.ts). These tests change orders in every way that moves
 * them into or out of the hall and compare the hall, page by page, with the pending orders read
 * back from the database; then two instances on one database follow each other's commits.
 */

type Http = ReturnType<typeof request>;

/** A hall index over orders held in memory: it loads the pending ones and hears of changes through `apply`. */
const memoryIndex = (orders: Order[]) =>
  createHallIndex(
    {
      lastEventId: () => Promise.resolve(0),
      pendingAfter: (after, limit) =>
        Promise.resolve(orders.filter((o) => o.id > after && o.status === 'pending').slice(0, limit)),
      eventsAfter: () => Promise.resolve([]),
      findByIds: () => Promise.resolve([]),
    },
    createLogger('silent'),
  );

/** Every id in `s`'s hall around West Lake (50 km), page by page, in the hall's order. */
async function hallIds(http: Http, s: Session): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const res = await http
      .get('/api/orders/hall')
      .query({ ...WEST_LAKE, radiusKm: 50, limit: 100, page })
      .set(s.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    ids.push(...res.body.data.map((i: { id: number }) => i.id));
    expect(res.body.pagination.total).toBeGreaterThanOrEqual(ids.length);
    if (ids.length >= res.body.pagination.total) return ids;
  }
}

/** The pending orders the database holds that are not `s`'s own (all are within 50 km of West Lake here). */
async function pendingIds(db: Db, s: Session): Promise<number[]> {
  const rows = await db('orders').where('status', 'pending').whereNot('user_id', s.userId).select('id');
  return rows.map((r: { id: number }) => Number(r.id)).sort((a, b) => a - b);
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

async function expectHallMatchesDatabase(http: Http, db: Db, s: Session): Promise<number[]> {
  const ids = await hallIds(http, s);
  expect(sorted(ids)).toEqual(await pendingIds(db, s));
  return ids;
}

/** Polls `check` every 25 ms until it holds; returns how long that took (ms), or throws after `withinMs`. */
async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const began = Date.now();
  for (;;) {
    if (await check()) return Date.now() - began;
    if (Date.now() - began > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the hall index’s page against the SQL path’s arithmetic', () => {
  it('when thousands of orders lie around, on and just beyond the circle, with ties, then every page, total and distance is what the box, distanceKm and a full sort give', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const seven = (x: number) => Math.round(x * 1e7) / 1e7;
    const at = (c: Point, km: number, bearing: number): Point => ({
      latitude: seven(c.latitude + (km / 111.2) * Math.cos(bearing)),
      longitude: seven(c.longitude + (km / (111.2 * Math.cos((c.latitude * Math.PI) / 180))) * Math.sin(bearing)),
    });
    const created = [new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:01Z')];
    const orders: Order[] = [];
    const add = (p: Point, i: number) =>
      orders.push({
        id: orders.length + 1,
        version: 1,
        status: 'pending',
        userId: 1 + (i % 3),
        faultType: i % 2 ? 'circuit' : 'lighting',
        priority: i % 4 ? 'medium' : 'urgent',
        estimatedAmount: 5000 + (i % 5) * 1000,
        createdAt: created[i % 2]!,
        ...p,
      } as unknown as Order);
    // The last lies 80 km east: orders placed there later widen the rows' counts (`respan`).
    const east = { latitude: 30.26, longitude: 121.0 };
    const centers = [WEST_LAKE, { latitude: 30.3, longitude: 120.2 }, { latitude: 30.2, longitude: 120.06 }, east];
    for (let i = 0; i < 3000; i++) add(at(WEST_LAKE, 15 * Math.sqrt(rnd()), 2 * Math.PI * rnd()), i);
    // On the circle of radius 5 km (as stored: it lands a hair inside or outside), and twins at the same point.
    for (let i = 0; i < 200; i++) add(at(WEST_LAKE, 5, 2 * Math.PI * rnd()), i);
    for (let i = 0; i < 100; i++) add({ latitude: orders[i]!.latitude, longitude: orders[i]!.longitude }, i + 1);
    const index = memoryIndex(orders);
    const expectEveryPage = async () => {
      const pending = orders.filter((o) => o.status === 'pending');
      for (const center of centers) {
        for (const radiusKm of [0.5, 5, 10, 50]) {
          for (const filter of [
            {},
            { excludeUserId: 2 },
            { faultType: 'lighting' as const },
            { faultType: 'circuit' as const, excludeUserId: 1 },
            { faultType: 'circuit' as const, minEstimatedAmount: 7000 },
            { priority: 'urgent' as const },
          ]) {
            const box = boundingBox(center, radiusKm);
            const expected = pending
              .filter(
                (o) =>
                  o.latitude >= box.minLat && o.latitude <= box.maxLat && o.longitude >= box.minLng && o.longitude <= box.maxLng,
              )
              .filter(
                (o) =>
                  (!filter.faultType || o.faultType === filter.faultType) && (!filter.priority || o.priority === filter.priority),
              )
              .filter((o) => !filter.minEstimatedAmount || o.estimatedAmount >= filter.minEstimatedAmount)
              .filter((o) => filter.excludeUserId === undefined || o.userId !== filter.excludeUserId)
              .map((o) => ({ id: o.id, km: distanceKm(center, o), at: o.createdAt.getTime() }))
              .filter((c) => withinKm(c.km, radiusKm))
              .sort((a, b) => a.km - b.km || a.at - b.at || a.id - b.id);
            for (const [offset, limit] of [
              [0, 20],
              [20, 20],
              [0, 100],
              [expected.length - 3, 10],
            ] as const) {
              const page = await index.page({ center, radiusKm, filter, offset: Math.max(0, offset), limit });
              expect(page.total).toBe(expected.length);
              expect(page.items.map(({ id, km }) => ({ id, km }))).toEqual(
                expected.slice(Math.max(0, offset), Math.max(0, offset) + limit).map(({ id, km }) => ({ id, km })),
              );
              expect(page.items.every((i) => i.order.id === i.id)).toBe(true);
            }
          }
        }
      }
    };
    await expectEveryPage();
    // Asked again with nothing changed: the pages kept.
    await expectEveryPage();
    // A few orders come and go: each total asked again is the one kept, brought up to date order by
    // order (twins, orders on the circle and the excluded customers' among them); a page is kept only
    // where none of them passes its filters within its circle.
    const fewChanges = () => {
      for (const o of orders.filter((x) => x.status === 'pending' && x.id % 97 === 1).slice(0, 20)) {
        Object.assign(o, { status: 'accepted', version: o.version + 1 });
        index.apply(o);
      }
      for (let i = 0; i < 20; i++) {
        add(i % 4 ? at(centers[i % centers.length]!, 10 * rnd(), 2 * Math.PI * rnd()) : at(WEST_LAKE, 5, 2 * Math.PI * rnd()), i);
        index.apply(orders[orders.length - 1]!);
      }
    };
    fewChanges();
    await expectEveryPage();
    // Orders leave the hall (a third of them, among them twins and orders on the circle) and new ones come.
    for (const o of orders) {
      if (o.id % 3 !== 0) continue;
      Object.assign(o, { status: 'accepted', version: 2 });
      index.apply(o);
    }
    for (let i = 0; i < 500; i++) {
      add(at(i % 5 ? WEST_LAKE : east, 12 * Math.sqrt(rnd()), 2 * Math.PI * rnd()), i);
      index.apply(orders[orders.length - 1]!);
    }
    expect(index.size()).toBe(orders.filter((o) => o.status === 'pending').length);
    await expectEveryPage();
    // A reload replaces every entry at once: no total kept from before it may be brought up to date past it.
    fewChanges();
    await index.reload();
    fewChanges();
    await expectEveryPage();
  });
});

describe('the hall index, totals and pages kept between asks', () => {
  it('when a small hall is reloaded, then a total asked before and after is the same, not counted twice', async () => {
    const orders = Array.from(
      { length: 30 },
      (_, i) =>
        ({
          id: i + 1,
          version: 1,
          status: 'pending',
          userId: 100 + i,
          faultType: 'circuit',
          priority: 'medium',
          estimatedAmount: 8000,
          createdAt: new Date('2026-01-01T00:00:00Z'),
          latitude: WEST_LAKE.latitude + i * 0.001,
          longitude: WEST_LAKE.longitude,
        }) as unknown as Order,
    );
    const index = memoryIndex(orders);
    const total = async () => (await index.page({ center: WEST_LAKE, radiusKm: 10, filter: {}, offset: 0, limit: 5 })).total;
    expect(await total()).toBe(30);
    await index.reload();
    expect(await total()).toBe(30);
    Object.assign(orders[0]!, { status: 'accepted', version: 2 });
    index.apply(orders[0]!);
    expect(await total()).toBe(29);

    // The last order alone in a small circle; it leaves without this instance being told (another
    // instance's commit, its event not followed yet): the reload, not the kept page, has the last word.
    const last = orders[29]!;
    const alone = async () =>
      (await index.page({ center: last, radiusKm: 0.05, filter: {}, offset: 0, limit: 5 })).items.map((i) => i.id);
    expect(await alone()).toEqual([30]);
    expect(await alone()).toEqual([30]);
    Object.assign(last, { status: 'accepted', version: 2 });
    await index.reload();
    expect(await alone()).toEqual([]);
  });
});

describe('the hall index on one instance', () => {
  let t: TestApp;
  let viewer: Session & { electricianId: number };
  let grabber: Session & { electricianId: number };
  let customer: Session;

  beforeAll(async () => {
    t = await createTestApp();
    viewer = await loginAsElectrician(t, 'hi-viewer');
    grabber = await loginAsElectrician(t, 'hi-grabber');
    customer = await login(t, 'hi-customer');
  });
  afterAll(() => t?.close());

  it('when orders are placed, grabbed, released, cancelled, expired, assigned and unassigned, then after each step the hall holds exactly the pending orders', async () => {
    const [a, b, c] = [await placeOrder(t, customer), await placeOrder(t, customer), await placeOrder(t, customer)];
    // The first hall request loads the index; everything after must reach it through the order events.
    expect(sorted(await expectHallMatchesDatabase(t.http, t.db, viewer))).toEqual([a.id, b.id, c.id]);

    const d = await placeOrder(t, customer, { latitude: 30.2, longitude: 120.2 });
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toContain(d.id);

    expect((await t.http.post(`/api/orders/${a.id}/grab`).set(grabber.auth)).status).toBe(200);
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).not.toContain(a.id);

    expect((await t.http.post(`/api/orders/${a.id}/release`).set(grabber.auth).send({ reason: '临时有事去不了' })).status).toBe(
      200,
    );
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toContain(a.id);

    expect((await t.http.post(`/api/orders/${b.id}/cancel`).set(customer.auth).send({ reason: '不需要维修了' })).status).toBe(
      200,
    );
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).not.toContain(b.id);

    const admin = await loginAsAdmin(t);
    const assigned = await t.http
      .post(`/api/admin/orders/${c.id}/assign`)
      .set(admin.auth)
      .send({ electricianId: grabber.electricianId });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).not.toContain(c.id);
    const unassigned = await t.http.post(`/api/admin/orders/${c.id}/unassign`).set(admin.auth).send({ reason: '电工联系不上' });
    expect(unassigned.status).toBe(200);
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toContain(c.id);

    t.clock.advance(t.config.business.orderPendingTtlMinutes * MINUTE + 1000);
    expect(await t.c.services.orders.expireDue()).toBeGreaterThanOrEqual(3);
    await t.c.bus.drain();
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toEqual([]);
  });

  it("when the hall is served again, then it reads no order row nor the caller's profile, and each item shows what the order itself shows the same electrician", async () => {
    const placed = [await placeOrder(t, customer), await placeOrder(t, customer, { latitude: 30.27, longitude: 120.15 })];
    await hallIds(t.http, viewer);
    const tables: string[] = [];
    const listener = (q: { sql: string }) => tables.push(...[...q.sql.matchAll(/from [`"](\w+)[`"]/gi)].map((m) => m[1]!));
    t.db.on('query', listener);
    let res;
    try {
      res = await t.http
        .get('/api/orders/hall')
        .query({ ...WEST_LAKE, radiusKm: 50, limit: 100 })
        .set(viewer.auth);
    } finally {
      t.db.removeListener('query', listener);
    }
    expect(res.status).toBe(200);
    // Nor the caller's profile: this instance holds it since the hall before (SESSION_CACHE_MS).
    expect(tables).not.toContain('orders');
    expect(tables).not.toContain('electricians');
    for (const o of placed) {
      const shown = res.body.data.find((i: { id: number }) => i.id === o.id);
      const own = await t.http.get(`/api/orders/${o.id}`).set(viewer.auth);
      expect(own.status).toBe(200);
      const { distanceKm: _a, ...fromHall } = shown;
      const { distanceKm: _b, ...fromOrder } = own.body.data;
      expect(fromHall).toEqual(fromOrder);
    }
  });

  it('when an urgent order is offered by dispatch and the offer is accepted, then it is in the hall while offered and leaves it on acceptance', async () => {
    const rescuer = await loginAsElectrician(t, 'hi-rescuer', { ...WEST_LAKE, emergencyAvailable: true });
    const o = await placeOrder(t, customer, { urgentType: 'urgent' });
    await t.c.bus.drain();
    const offers = await t.db('dispatch_offers').where({ order_id: o.id, status: 'offered' });
    expect(offers.map((x) => Number(x.electrician_id))).toContain(rescuer.electricianId);
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toContain(o.id);

    const accepted = await t.http.post(`/api/orders/${o.id}/dispatch/accept`).set(rescuer.auth);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).not.toContain(o.id);
  });

  it('when another process changes an order, then the hall sees it after the follow job, and the minute reload agrees too', async () => {
    const b: Container = createContainer(t.config, {
      db: createDb(t.config.databaseUrl),
      clock: t.clock,
      logger: createLogger(t.config.logLevel),
    });
    try {
      const httpB = request(createApp(b));
      const o = await placeOrder({ http: httpB }, customer);
      const follow = t.c.jobs.find((j) => j.name === 'orders.hall-follow')!;
      const reload = t.c.jobs.find((j) => j.name === 'orders.hall-reload')!;
      expect(await hallIds(t.http, viewer)).not.toContain(o.id);
      await follow.run();
      expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toContain(o.id);

      expect((await httpB.post(`/api/orders/${o.id}/grab`).set(grabber.auth)).status).toBe(200);
      expect(await hallIds(t.http, viewer)).toContain(o.id);
      // A stale entry costs a 409, never a second winner: the grab is still the conditional update.
      expect((await t.http.post(`/api/orders/${o.id}/grab`).set(viewer.auth)).status).toBe(409);
      await follow.run();
      expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).not.toContain(o.id);

      const again = await placeOrder({ http: httpB }, customer);
      await reload.run();
      expect(await expectHallMatchesDatabase(t.http, t.db, viewer)).toContain(again.id);
      await b.bus.drain();
    } finally {
      await b.db.destroy();
    }
  });
});

describe('the hall on two running instances (one database, no Redis)', () => {
  let t: TestApp;
  let b: Container;
  let serverA: RunningServer;
  let serverB: RunningServer;
  let httpA: Http;
  let httpB: Http;

  beforeAll(async () => {
    t = await createTestApp();
    b = createContainer(t.config, {
      db: createDb(t.config.databaseUrl),
      clock: t.clock,
      logger: createLogger(t.config.logLevel),
    });
    // Both with their jobs: each follows the other's commits through the order events.
    serverA = await start(t.c, { port: 0, host: '127.0.0.1' });
    serverB = await start(b, { port: 0, host: '127.0.0.1' });
    httpA = request(serverA.url);
    httpB = request(serverB.url);
  });
  afterAll(async () => {
    await serverB?.stop(1000);
    await serverA?.stop(1000);
    await b?.bus.drain();
    await t?.close().catch(() => undefined);
  });

  it('when an order is placed on A, then it is in B’s hall within a second; grabbed on B, it leaves A’s hall within a second', async () => {
    const viewer = await loginAsElectrician(t, 'two-viewer');
    const grabber = await loginAsElectrician(t, 'two-grabber');
    const customer = await login(t, 'two-customer');
    await hallIds(httpA, viewer);
    await hallIds(httpB, viewer);

    const o = await placeOrder({ http: httpA }, customer);
    const appeared = await eventually(async () => (await hallIds(httpB, viewer)).includes(o.id), 1000);
    expect(appeared).toBeLessThan(1000);

    expect((await httpB.post(`/api/orders/${o.id}/grab`).set(grabber.auth)).status).toBe(200);
    expect(await hallIds(httpB, viewer)).not.toContain(o.id);
    const left = await eventually(async () => !(await hallIds(httpA, viewer)).includes(o.id), 1000);
    expect(left).toBeLessThan(1000);
    expect(sorted(await hallIds(httpA, viewer))).toEqual(await pendingIds(t.db, viewer));
  });

  it('when a grab race is split across both instances, then exactly one wins, by the answers and by the database, and the order leaves both halls', async () => {
    const customer = await login(t, 'race-customer');
    const contenders = await Promise.all(Array.from({ length: 8 }, (_, i) => loginAsElectrician(t, `race-${i}`)));
    const o = await placeOrder({ http: httpA }, customer);
    await eventually(async () => (await hallIds(httpB, contenders[0]!)).includes(o.id), 1000);

    const answers = await Promise.all(
      contenders.map((s, i) => (i % 2 === 0 ? httpA : httpB).post(`/api/orders/${o.id}/grab`).set(s.auth)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(contenders.length - 1);
    const winner = contenders[statuses.indexOf(200)]!;
    const row = await t.db('orders').where({ id: o.id }).first();
    expect(row).toMatchObject({ status: 'accepted', electrician_id: winner.electricianId });
    expect(await t.db('order_events').where({ order_id: o.id, action: 'grab' })).toHaveLength(1);

    const viewer = contenders[statuses.indexOf(409)]!;
    await eventually(
      async () => !(await hallIds(httpA, viewer)).includes(o.id) && !(await hallIds(httpB, viewer)).includes(o.id),
      1000,
    );
  });
});
