import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_TYPES } from '../../../config';
import { toDate } from '../../../shared/rows';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp, applyAs } from '../../../../test/harness';
import { placeOrder, WEST_LAKE } from './order-helpers';

/*
 * The hall against a brute force of our own: the expected result is computed here with an
 * independent great-circle formula over every row read back from the database, so a mistake in the
 * service, the repository's box prefilter or shared/geo.ts shows up as a difference.
 */

const EARTH_RADIUS_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

interface Point {
  latitude: number;
  longitude: number;
}

/** Haversine in its atan2 form (a different evaluation from the service's asin form). */
function greatCircleKm(a: Point, b: Point): number {
  const s1 = Math.sin(rad(b.latitude - a.latitude) / 2);
  const s2 = Math.sin(rad(b.longitude - a.longitude) / 2);
  const h = s1 * s1 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

/** The point `km` away from `from` on the initial great-circle bearing `bearingDeg`. */
function destination(from: Point, km: number, bearingDeg: number): Point {
  const d = km / EARTH_RADIUS_KM;
  const t = rad(bearingDeg);
  const p1 = rad(from.latitude);
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
  const l2 =
    rad(from.longitude) + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return { latitude: deg(p2), longitude: deg(l2) };
}

/** Coordinates as both databases store them (DECIMAL(10,7)), so SQLite and MariaDB hold the same values. */
const seven = (x: number) => Math.round(x * 1e7) / 1e7;

/** A small seeded generator (mulberry32): a failing run can be replayed with HALL_SEED. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const NAMES = ['张丽', '李强', '王芳芳', '赵四', '陈静', '欧阳娜娜'];
const ADDRESS_MARK = '私密门牌';

interface HallItem {
  id: number;
  distanceKm: number;
  [key: string]: unknown;
}

interface StoredOrder extends Point {
  id: number;
  userId: number;
  status: string;
  faultType: string;
  priority: string;
  estimatedAmount: number;
  createdAt: number;
  contactPhone: string;
  address: string;
}

async function readAllOrders(t: TestApp): Promise<StoredOrder[]> {
  const rows = await t.db('orders').select();
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    status: String(r.status),
    faultType: String(r.fault_type),
    priority: String(r.priority),
    estimatedAmount: Number(r.estimated_amount),
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    createdAt: toDate(r.created_at)!.getTime(),
    contactPhone: String(r.contact_phone),
    address: String(r.address),
  }));
}

interface HallQuery {
  latitude: number;
  longitude: number;
  radiusKm?: number;
  faultType?: string;
  priority?: string;
}

/** What the hall must answer, by brute force over every stored order. */
function bruteForce(rows: StoredOrder[], viewer: { userId: number; minOrderAmount?: number }, q: HallQuery) {
  const radius = q.radiusKm ?? 10;
  return rows
    .filter(
      (r) =>
        r.status === 'pending' &&
        r.userId !== viewer.userId &&
        r.estimatedAmount >= (viewer.minOrderAmount ?? 0) &&
        (!q.faultType || r.faultType === q.faultType) &&
        (!q.priority || r.priority === q.priority),
    )
    .map((r) => ({ ...r, km: greatCircleKm(q, r) }))
    .filter((r) => r.km <= radius)
    .sort((a, b) => a.km - b.km || a.createdAt - b.createdAt || a.id - b.id);
}

/** Pages through the whole hall with limit 100, checking the pagination block of every page. */
async function hallAll(t: TestApp, s: Session, q: HallQuery): Promise<{ items: HallItem[]; total: number }> {
  const items: HallItem[] = [];
  let total = -1;
  for (let page = 1; page <= 100; page++) {
    const res = await t.http
      .get('/api/orders/hall')
      .set(s.auth)
      .query({ ...q, page, limit: 100 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.pagination).toMatchObject({ page, limit: 100 });
    if (total < 0) total = res.body.pagination.total;
    expect(res.body.pagination.total).toBe(total);
    items.push(...(res.body.data as HallItem[]));
    if (res.body.data.length < 100) break;
  }
  expect(items).toHaveLength(total);
  return { items, total };
}

/** Compares the hall with the brute force: ids in the same order, the total, and distances to the metre. */
async function expectHallMatches(
  t: TestApp,
  s: Session,
  viewer: { userId: number; minOrderAmount?: number },
  q: HallQuery,
  label: string,
) {
  const expected = bruteForce(await readAllOrders(t), viewer, q);
  const { items, total } = await hallAll(t, s, q);
  expect(
    items.map((i) => i.id),
    label,
  ).toEqual(expected.map((e) => e.id));
  expect(total, label).toBe(expected.length);
  const off = items.filter((item, i) => Math.abs(item.distanceKm - expected[i]!.km) > 0.001);
  expect(off, label).toEqual([]);
  return { items, expected };
}

function hallPaths(body: { error?: { details?: { path: (string | number)[] }[] } }): string[] {
  return (body.error?.details ?? []).map((d) => d.path.join('.'));
}

describe('the order hall against a brute-force great-circle filter', () => {
  const seed = Number(process.env.HALL_SEED ?? Date.now() % 1_000_000_007);
  const random = seeded(seed);
  let t: TestApp;
  let viewer: Session & { electricianId: number };
  let customers: Session[];

  beforeAll(async () => {
    t = await createTestApp();
    viewer = await loginAsElectrician(t, 'hall-viewer', WEST_LAKE);
    const holder = await loginAsElectrician(t, 'hall-holder', WEST_LAKE);
    customers = [await login(t, 'hall-c1'), await login(t, 'hall-c2'), await login(t, 'hall-c3')];
    const now = t.clock.now().getTime();
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

    const rows: Record<string, unknown>[] = [];
    const add = (i: number, at: Point, overrides: Record<string, unknown> = {}) => {
      const faultType = pick(FAULT_TYPES);
      const priority = pick(PRIORITIES);
      const createdAt = new Date(now - Math.floor(random() * 25 * 60_000));
      rows.push({
        order_no: `H${String(seed).slice(-6)}${String(i).padStart(6, '0')}`,
        // One order in twenty is the viewer's own: an electrician who is also a customer.
        user_id: random() < 0.05 ? viewer.userId : pick(customers).userId,
        title: '随机工单',
        description: '批量插入的大厅测试工单',
        fault_type: faultType,
        priority,
        contact_name: pick(NAMES),
        contact_phone: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
        region: '杭州市西湖区',
        address: `${ADDRESS_MARK}${i} 号 ${Math.floor(random() * 30)} 幢`,
        latitude: seven(at.latitude),
        longitude: seven(at.longitude),
        images: '[]',
        scheduled_at: null,
        visit_fee: 3000,
        estimated_amount: 1000 + Math.floor(random() * 49_000),
        status: 'pending',
        expires_at: new Date(now + 30 * 60_000),
        dispatch_status: priority === 'urgent' ? 'exhausted' : null,
        payment_status: 'unpaid',
        created_at: createdAt,
        updated_at: createdAt,
        ...overrides,
      });
    };
    // Uniform over a disc of 60 km around West Lake.
    const randomPoint = () => destination(WEST_LAKE, 60 * Math.sqrt(random()), random() * 360);
    let i = 0;
    for (; i < 2000; i++) add(i, randomPoint());
    // Ties: same place and same time (broken by id), same place and different times (by created_at).
    const spot = destination(WEST_LAKE, 3.21, 77);
    const sameTime = new Date(now - 5 * 60_000);
    const spotOwner = customers[0]!.userId;
    for (let k = 0; k < 15; k++, i++) add(i, spot, { user_id: spotOwner, created_at: sameTime, updated_at: sameTime });
    for (let k = 0; k < 10; k++, i++) add(i, spot, { user_id: spotOwner });
    // Orders that are not pending never appear, wherever they are.
    const others = [
      { status: 'accepted', electrician_id: holder.electricianId, accepted_at: new Date(now), expires_at: null },
      { status: 'arrived', electrician_id: holder.electricianId, accepted_at: new Date(now), expires_at: null },
      { status: 'cancelled', cancelled_at: new Date(now), cancel_reason: '不修了', cancelled_by: 'customer', expires_at: null },
      { status: 'expired', expired_at: new Date(now), expires_at: null },
      { status: 'completed', electrician_id: holder.electricianId, completed_at: new Date(now), expires_at: null },
    ];
    for (let k = 0; k < 300; k++, i++) add(i, randomPoint(), pick(others));
    for (let k = 0; k < 5; k++, i++) add(i, spot, { ...others[k]!, created_at: sameTime });
    await t.db.batchInsert('orders', rows, 200);
  }, 120_000);
  afterAll(() => t.close());

  it('when the hall is paged through at several positions and radii, then it matches the brute force: ids, order, total and distances', async () => {
    const positions: [HallQuery, string][] = [
      [{ ...WEST_LAKE }, 'West Lake, default radius'],
      [{ ...WEST_LAKE, radiusKm: 10 }, 'West Lake, 10 km'],
      [{ ...WEST_LAKE, radiusKm: 50 }, 'West Lake, 50 km'],
      [{ ...WEST_LAKE, radiusKm: 3.21 }, 'West Lake, exactly as far as the tie spot'],
      [{ ...destination(WEST_LAKE, 35, 40), radiusKm: 25 }, '35 km north-east, 25 km'],
      [{ ...destination(WEST_LAKE, 70, 200), radiusKm: 50 }, 'outside the cloud, 50 km'],
      [{ ...destination(WEST_LAKE, 3.21, 77), radiusKm: 0.5 }, 'on the tie spot, 0.5 km'],
      [{ latitude: 39.9042, longitude: 116.4074, radiusKm: 50 }, 'Beijing, nothing near'],
    ];
    for (const [q, where] of positions) {
      const { expected } = await expectHallMatches(t, viewer, viewer, q, `seed ${seed}: ${where}`);
      if (where.startsWith('West Lake, 50')) expect(expected.length).toBeGreaterThan(1000);
      if (where.startsWith('on the tie spot')) expect(expected.length).toBeGreaterThanOrEqual(25);
    }
    // The data really holds what must be left out: other statuses and the viewer's own orders, in range.
    const rows = await readAllOrders(t);
    const inRange = rows.filter((r) => greatCircleKm(WEST_LAKE, r) <= 50);
    expect(inRange.filter((r) => r.status !== 'pending').length).toBeGreaterThan(100);
    expect(inRange.filter((r) => r.status === 'pending' && r.userId === viewer.userId).length).toBeGreaterThan(20);
  });

  it('when faultType and priority filters are given, then only matching orders are listed, as in the brute force', async () => {
    const filters: HallQuery[] = [
      { ...WEST_LAKE, radiusKm: 30, faultType: 'circuit' },
      { ...WEST_LAKE, radiusKm: 30, priority: 'urgent' },
      { ...WEST_LAKE, radiusKm: 50, faultType: 'lighting', priority: 'low' },
    ];
    for (const q of filters) {
      const { items, expected } = await expectHallMatches(t, viewer, viewer, q, `seed ${seed}: ${JSON.stringify(q)}`);
      expect(expected.length).toBeGreaterThan(0);
      for (const item of items) {
        if (q.faultType) expect(item.faultType).toBe(q.faultType);
        if (q.priority) expect(item.priority).toBe(q.priority);
      }
    }
  });

  it('when the electrician has a minimum order amount, then cheaper orders are hidden from their hall', async () => {
    const picky = await loginAsElectrician(t, 'hall-picky', { ...WEST_LAKE, minOrderAmount: 30_000 });
    const { items } = await expectHallMatches(
      t,
      picky,
      { userId: picky.userId, minOrderAmount: 30_000 },
      { ...WEST_LAKE, radiusKm: 50 },
      `seed ${seed}: minOrderAmount`,
    );
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => (i.estimatedAmount as number) >= 30_000)).toBe(true);
    const cheaper = bruteForce(await readAllOrders(t), { userId: picky.userId }, { ...WEST_LAKE, radiusKm: 50 });
    expect(cheaper.length).toBeGreaterThan(items.length);
  });

  it('when an electrician has placed orders themselves, then none of them is in their hall and the total leaves them out', async () => {
    const own = await placeOrder(t, viewer, { latitude: WEST_LAKE.latitude, longitude: WEST_LAKE.longitude });
    const mine = new Set(
      (await readAllOrders(t)).filter((r) => r.userId === viewer.userId && r.status === 'pending').map((r) => r.id),
    );
    expect(mine.size).toBeGreaterThan(20);
    const { items } = await expectHallMatches(t, viewer, viewer, { ...WEST_LAKE, radiusKm: 50 }, `seed ${seed}: own orders`);
    expect(items.filter((i) => mine.has(i.id))).toEqual([]);
    // Another electrician sees them, the one just placed first of all (it is at their position).
    const other = await loginAsElectrician(t, 'hall-other', WEST_LAKE);
    const first = await t.http
      .get('/api/orders/hall')
      .set(other.auth)
      .query({ ...WEST_LAKE, radiusKm: 50, limit: 1 });
    expect(first.body.data[0]).toMatchObject({ id: own.id, distanceKm: 0 });
  });

  it('when the radius is tiny and no order is that close, then the hall is empty with total 0', async () => {
    const q = { latitude: WEST_LAKE.latitude + 0.0001234, longitude: WEST_LAKE.longitude - 0.0004321, radiusKm: 0.001 };
    expect(bruteForce(await readAllOrders(t), viewer, q)).toEqual([]);
    const res = await t.http.get('/api/orders/hall').set(viewer.auth).query(q);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.pagination).toMatchObject({ page: 1, limit: 10, total: 0 });
  });

  it('when a page beyond the end is asked for, then it is empty and the total is unchanged', async () => {
    const q = { ...WEST_LAKE, radiusKm: 10 };
    const total = bruteForce(await readAllOrders(t), viewer, q).length;
    const res = await t.http
      .get('/api/orders/hall')
      .set(viewer.auth)
      .query({ ...q, page: Math.ceil(total / 100) + 1, limit: 100 });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.pagination.total).toBe(total);
  });

  it('when hall items are listed, then they are masked: no address, coordinates or full phone, and the name keeps only the family name', async () => {
    const res = await t.http
      .get('/api/orders/hall')
      .set(viewer.auth)
      .query({ ...WEST_LAKE, radiusKm: 50, limit: 100 });
    expect(res.status).toBe(200);
    const rows = new Map((await readAllOrders(t)).map((r) => [r.id, r]));
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(ADDRESS_MARK);
    for (const item of res.body.data as HallItem[]) {
      for (const key of ['address', 'latitude', 'longitude', 'userId', 'electricianId', 'electrician', 'arriveLatitude']) {
        expect(item).not.toHaveProperty(key);
      }
      expect(item.contactName).toMatch(/^[\u4e00-\u9fa5]\*+$/u);
      expect(item.contactPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      const row = rows.get(item.id)!;
      expect(item.contactPhone).toBe(`${row.contactPhone.slice(0, 3)}****${row.contactPhone.slice(-4)}`);
      expect(text).not.toContain(row.contactPhone);
      // A coordinate already on the 0.01° grid (one row in 100,000 of the random ones) is its own approximation.
      for (const exact of [row.latitude, row.longitude])
        if (Math.round(exact * 100) / 100 !== exact) expect(text).not.toContain(String(exact));
      expect(item).toEqual(
        expect.objectContaining({
          region: '杭州市西湖区',
          status: 'pending',
          estimatedAmount: row.estimatedAmount,
          faultType: row.faultType,
        }),
      );
    }
  });
});

describe('the hall at the edge of the radius', () => {
  let t: TestApp;
  let viewer: Session & { electricianId: number };
  let customer: Session;
  beforeAll(async () => {
    t = await createTestApp();
    viewer = await loginAsElectrician(t, 'edge-viewer');
    customer = await login(t, 'edge-customer');
  });
  afterAll(() => t.close());

  /*
   * The order sits at a stored point (seven decimals, exact on every database); the electrician's
   * query position, which is never stored, is computed to be exactly R km away from it, so the
   * order lies on the circle of radius R around the electrician. Bearings name where the order is
   * as seen from the electrician.
   */
  const cases: { city: string; at: Point; radii: number[] }[] = [
    { city: 'Beijing', at: { latitude: 39.9042, longitude: 116.4074 }, radii: [10, 50, 2.5] },
    { city: 'Helsinki (60°N)', at: { latitude: 60.1699, longitude: 24.9384 }, radii: [10, 50] },
    { city: 'Nuuk (64°N)', at: { latitude: 64.1814, longitude: -51.6941 }, radii: [50] },
  ];
  const directions = [
    { name: 'north', bearing: 0 },
    { name: 'east', bearing: 90 },
    { name: 'south-west', bearing: 225 },
    { name: 'north-west', bearing: 315 },
  ];

  for (const { city, at, radii } of cases) {
    it(`when an order in ${city} is exactly R km north, east, south-west or north-west, then radiusKm=R includes it and a hair less excludes it`, async () => {
      const order = await placeOrder(t, customer, { ...at, region: city });
      for (const R of radii) {
        for (const { name, bearing } of directions) {
          const from = destination(at, R, bearing + 180);
          expect(greatCircleKm(from, at)).toBeCloseTo(R, 9);
          const label = `${city}: ${R} km ${name}`;
          const onEdge = await t.http
            .get('/api/orders/hall')
            .set(viewer.auth)
            .query({ ...from, radiusKm: R });
          expect(onEdge.status).toBe(200);
          const item = (onEdge.body.data as HallItem[]).find((i) => i.id === order.id);
          expect(item, label).toBeDefined();
          expect(item!.distanceKm, label).toBeCloseTo(R, 3);
          expect(onEdge.body.pagination.total, label).toBe(1);

          const inside = await t.http
            .get('/api/orders/hall')
            .set(viewer.auth)
            .query({ ...from, radiusKm: R - 0.001 });
          expect(inside.body.data, label).toEqual([]);
          expect(inside.body.pagination.total, label).toBe(0);
        }
      }
    });
  }
});

describe('who may see the hall, and what it accepts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const query = { ...WEST_LAKE, radiusKm: 10 };

  it('when a customer who is not an electrician asks for the hall, then 403 NOT_ELIGIBLE', async () => {
    const alice = await login(t, 'who-alice');
    const res = await t.http.get('/api/orders/hall').set(alice.auth).query(query);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('when an electrician is still pending verification, then 403 NOT_ELIGIBLE', async () => {
    const { s: s, res: applied } = await applyAs(t, 'who-pending', { realName: '待审电工' });
    expect(applied.status).toBe(201);
    const res = await t.http.get('/api/orders/hall').set(s.auth).query(query);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_ELIGIBLE');
  });

  it('when an approved electrician is offline, then 403 NOT_ELIGIBLE; busy still sees the hall', async () => {
    const off = await loginAsElectrician(t, 'who-offline', { workStatus: 'offline' });
    const res = await t.http.get('/api/orders/hall').set(off.auth).query(query);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_ELIGIBLE');
    const busy = await loginAsElectrician(t, 'who-busy', { workStatus: 'busy' });
    expect((await t.http.get('/api/orders/hall').set(busy.auth).query(query)).status).toBe(200);
  });

  it('when not logged in, then 401', async () => {
    const res = await t.http.get('/api/orders/hall').query(query);
    expect(res.status).toBe(401);
  });

  it('when the query is out of range or incomplete, then 400 VALIDATION_FAILED naming each field', async () => {
    const wang = await loginAsElectrician(t, 'who-wang');
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...query, radiusKm: 51 }, ['query.radiusKm']],
      [{ ...query, latitude: 91 }, ['query.latitude']],
      [{ latitude: WEST_LAKE.latitude }, ['query.longitude']],
      [{ ...query, radiusKm: 0 }, ['query.radiusKm']],
      [{ ...query, longitude: -181, limit: 101 }, ['query.longitude', 'query.limit']],
      [{ ...query, faultType: 'plumbing', priority: 'asap' }, ['query.faultType', 'query.priority']],
      [{ radiusKm: 51, latitude: 91 }, ['query.radiusKm', 'query.latitude', 'query.longitude']],
    ];
    for (const [q, paths] of cases) {
      const res = await t.http.get('/api/orders/hall').set(wang.auth).query(q);
      expect(res.status, JSON.stringify(q)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(hallPaths(res.body).sort(), JSON.stringify(q)).toEqual([...paths].sort());
    }
  });
});
