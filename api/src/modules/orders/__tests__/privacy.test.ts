import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
  applyAs,
} from '../../../../test/harness';
import { placeOrder, WEST_LAKE } from './order-helpers';

/*
 * SPEC 3.2 privacy: the full address, the full phone and the exact coordinates go only to the
 * owner, the assigned electrician and admins. Every answer to anybody else is checked as text.
 */

const PRIVATE_KEYS = [
  'address',
  'latitude',
  'longitude',
  'userId',
  'electricianId',
  'electrician',
  'arriveLatitude',
  'arriveLongitude',
];

type Electrician = Session & { electricianId: number };
interface Res {
  status: number;
  body: { data?: unknown; error?: { code: string } };
}

/** What one order keeps private: unique per order, so a leak is traced to the order it came from. */
interface Secrets {
  address: string;
  contactPhone: string;
  latitude: number;
  longitude: number;
}

let serial = 0;
function secrets(): Secrets {
  serial++;
  return {
    address: `西湖区文三路 ${90 + serial} 号 3 幢 ${500 + serial} 室`,
    contactPhone: `138${String(90217654 + serial * 7919).padStart(8, '0')}`,
    latitude: 30.2612345 + serial * 1e-7 * 37,
    longitude: 120.1335678 - serial * 1e-7 * 41,
  };
}
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/** Nothing private, anywhere in the body (text search, so nested or renamed fields count too). */
function expectNoLeak(res: Res, s: Secrets, label: string) {
  const text = JSON.stringify(res.body);
  for (const secret of [s.address, s.contactPhone, String(s.latitude), String(s.longitude)]) {
    expect(text, `${label} leaks ${secret}`).not.toContain(secret);
  }
}

function expectMasked(view: Record<string, unknown>, s: Secrets, label: string) {
  for (const key of PRIVATE_KEYS) expect(view, `${label}: ${key}`).not.toHaveProperty(key);
  expect(view.contactName, label).toBe('张*');
  expect(view.contactPhone, label).toBe(`${s.contactPhone.slice(0, 3)}****${s.contactPhone.slice(-4)}`);
  expect(view.region, label).toBe('杭州市西湖区');
}

function expectFull(view: Record<string, unknown>, s: Secrets, label: string) {
  expect(view, label).toMatchObject({ ...s, contactName: '张丽' });
}

describe('order privacy', () => {
  let t: TestApp;
  let alice: Session;
  let bob: Session;
  let admin: Session;
  let wang: Electrician;
  let li: Electrician;

  /** Places an order with fresh secrets; the coordinates are the ones every database stores exactly. */
  const place = async (owner: Session = alice, overrides: Record<string, unknown> = {}) => {
    const raw = secrets();
    const s = { ...raw, latitude: round7(raw.latitude), longitude: round7(raw.longitude) };
    const order = await placeOrder(t, owner, { ...s, contactName: '张丽', ...overrides });
    return { order, s };
  };
  const get = (s: Session, path: string) => t.http.get(path).set(s.auth);
  const ids = (res: Res) => (res.body.data as { id: number }[]).map((o) => o.id);
  const find = (res: Res, id: number) => (res.body.data as Record<string, unknown>[]).find((o) => o.id === id)!;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await login(t, 'privacy-alice');
    bob = await login(t, 'privacy-bob');
    admin = await loginAsAdmin(t);
    wang = await loginAsElectrician(t, 'privacy-wang', WEST_LAKE);
    li = await loginAsElectrician(t, 'privacy-li', WEST_LAKE);
  });
  afterAll(() => t.close());

  it('when a stranger electrician looks at a pending order, then hall and detail are masked and the timeline and their lists hold nothing', async () => {
    const { order, s } = await place();

    const hall = await get(li, '/api/orders/hall?latitude=30.259&longitude=120.13&limit=100');
    expect(hall.status).toBe(200);
    expect(find(hall, order.id)).toBeDefined();
    expectMasked(find(hall, order.id), s, 'hall');
    expectNoLeak(hall, s, 'hall');
    // A map position rounded to 0.01° (about 1 km), never the exact coordinates.
    const row = await t.db('orders').where({ id: order.id }).first();
    expect(find(hall, order.id).approxLocation).toEqual({
      latitude: Math.round(row.latitude * 100) / 100,
      longitude: Math.round(row.longitude * 100) / 100,
    });
    expect(JSON.stringify(hall.body)).not.toContain(String(row.latitude));
    expect(JSON.stringify(hall.body)).not.toContain(String(row.longitude));

    const detail = await get(li, `/api/orders/${order.id}`);
    expect(detail.status).toBe(200);
    expectMasked(detail.body.data, s, 'detail');
    expect(detail.body.data.distanceKm).toBeGreaterThan(0);
    expectNoLeak(detail, s, 'detail');

    const events = await get(li, `/api/orders/${order.id}/events`);
    expect(events.status).toBe(404);
    expectNoLeak(events, s, 'events');

    for (const path of ['/api/orders?as=electrician', '/api/orders', '/api/orders?as=customer']) {
      const list = await get(li, path);
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([]);
      expectNoLeak(list, s, path);
    }
  });

  it('when the owner, an admin and the electrician who took it read the order, then they see address, phone and coordinates', async () => {
    const { order, s } = await place();
    const grab = await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth);
    expect(grab.status).toBe(200);
    expectFull(grab.body.data, s, 'grab answer');

    for (const [who, session] of [
      ['electrician', wang],
      ['owner', alice],
      ['admin', admin],
    ] as const) {
      const detail = await get(session, `/api/orders/${order.id}`);
      expect(detail.status, who).toBe(200);
      expectFull(detail.body.data, s, who);
      expect(detail.body.data.electricianId, who).toBe(wang.electricianId);
      const events = await get(session, `/api/orders/${order.id}/events`);
      expect(events.status, who).toBe(200);
      expect(events.body.data.map((e: { action: string }) => e.action)).toEqual(['create', 'grab']);
    }

    expectFull(find(await get(wang, '/api/orders?as=electrician&limit=100'), order.id), s, 'electrician list');
    expectFull(find(await get(wang, '/api/orders?limit=100'), order.id), s, 'electrician list by default');
    expectFull(find(await get(alice, '/api/orders?limit=100'), order.id), s, 'owner list');
    const staff = await get(admin, `/api/admin/orders/${order.id}`);
    expect(staff.status).toBe(200);
    expectFull(staff.body.data, s, 'admin detail');
    expectFull(find(await get(admin, `/api/admin/orders?keyword=${order.orderNo}`), order.id), s, 'admin list');
  });

  it('when someone else has taken the order, then a stranger electrician gets 404 on detail and events and it has left the hall', async () => {
    const { order, s } = await place();
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth)).status).toBe(200);

    for (const path of [`/api/orders/${order.id}`, `/api/orders/${order.id}/events`]) {
      const res = await get(li, path);
      expect(res.status, path).toBe(404);
      expect(res.body.error!.code).toBe('NOT_FOUND');
      expectNoLeak(res, s, path);
    }
    const hall = await get(li, '/api/orders/hall?latitude=30.259&longitude=120.13&limit=100');
    expect(ids(hall)).not.toContain(order.id);
    expectNoLeak(hall, s, 'hall');
    const list = await get(li, '/api/orders?as=electrician');
    expect(ids(list)).not.toContain(order.id);
    expectNoLeak(list, s, 'list');
  });

  it('when the electrician releases the order, then they are back to the masked view and lose the timeline', async () => {
    const { order, s } = await place();
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(wang.auth)).status).toBe(200);
    expectFull((await get(wang, `/api/orders/${order.id}`)).body.data, s, 'before release');

    // The release itself is answered to the electrician who held the order when asking; from then on
    // they are a stranger to it.
    const released = await t.http.post(`/api/orders/${order.id}/release`).set(wang.auth).send({ reason: '临时有急事去不了' });
    expect(released.status).toBe(200);
    expect(released.body.data).toMatchObject({ status: 'pending', electricianId: null });

    const detail = await get(wang, `/api/orders/${order.id}`);
    expect(detail.status).toBe(200);
    expectMasked(detail.body.data, s, 'detail after release');
    expectNoLeak(detail, s, 'detail after release');
    const events = await get(wang, `/api/orders/${order.id}/events`);
    expect(events.status).toBe(404);
    expectNoLeak(events, s, 'events after release');
    for (const path of ['/api/orders?as=electrician&limit=100', '/api/orders/hall?latitude=30.259&longitude=120.13&limit=100']) {
      const res = await get(wang, path);
      expectNoLeak(res, s, `${path} after release`);
    }
    expect(ids(await get(wang, '/api/orders?as=electrician&limit=100'))).not.toContain(order.id);

    // Whoever takes it next sees it in full; the former electrician still does not.
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(li.auth)).status).toBe(200);
    expectFull((await get(li, `/api/orders/${order.id}`)).body.data, s, 'new electrician');
    const gone = await get(wang, `/api/orders/${order.id}`);
    expect(gone.status).toBe(404);
    expectNoLeak(gone, s, 'former electrician after someone else took it');
  });

  it("when a customer reads another customer's order, then 404 on detail and events, and their own list holds only their orders", async () => {
    const { order, s } = await place();
    const { order: bobs } = await place(bob);
    for (const path of [`/api/orders/${order.id}`, `/api/orders/${order.id}/events`]) {
      const res = await get(bob, path);
      expect(res.status, path).toBe(404);
      expectNoLeak(res, s, path);
    }
    const list = await get(bob, '/api/orders?limit=100');
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual([bobs.id]);
    expect((list.body.data as { userId: number }[]).every((o) => o.userId === bob.userId)).toBe(true);
    expectNoLeak(list, s, "bob's list");
    const asElectrician = await get(bob, '/api/orders?as=electrician');
    expect(asElectrician.status).toBe(403);
    expectNoLeak(asElectrician, s, 'bob as electrician');

    const alices = await get(alice, '/api/orders?limit=100');
    expect(ids(alices)).not.toContain(bobs.id);
    expect((alices.body.data as { userId: number }[]).every((o) => o.userId === alice.userId)).toBe(true);

    // The same once the order is taken: a customer is never a party to someone else's order.
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(li.auth)).status).toBe(200);
    for (const path of [
      `/api/orders/${order.id}`,
      `/api/orders/${order.id}/events`,
      '/api/admin/orders',
      `/api/admin/orders/${order.id}`,
    ]) {
      const res = await get(bob, path);
      expect(res.status, path).toBe(path.startsWith('/api/admin') ? 403 : 404);
      expectNoLeak(res, s, path);
    }
  });

  it('when an electrician is offered an urgent order, then until they accept it they see only the masked view', async () => {
    const near = secrets();
    const zhao = await loginAsElectrician(t, 'privacy-zhao', {
      latitude: round7(near.latitude),
      longitude: round7(near.longitude),
      emergencyAvailable: true,
    });
    const { order, s } = await place(alice, { urgentType: 'urgent' });
    await t.c.bus.drain();
    const offer = await t.db('dispatch_offers').where({ order_id: order.id, status: 'offered' }).first();
    expect(Number(offer.electrician_id)).toBe(zhao.electricianId);

    const before = await get(zhao, `/api/orders/${order.id}`);
    expect(before.status).toBe(200);
    expectMasked(before.body.data, s, 'offered, not accepted');
    expectNoLeak(before, s, 'offered, not accepted');
    const events = await get(zhao, `/api/orders/${order.id}/events`);
    expect(events.status).toBe(404);
    expectNoLeak(events, s, 'offered, events');

    const accepted = await t.http.post(`/api/orders/${order.id}/dispatch/accept`).set(zhao.auth);
    expect(accepted.status).toBe(200);
    expectFull(accepted.body.data, s, 'accepted');
    expectFull((await get(zhao, `/api/orders/${order.id}`)).body.data, s, 'detail after accepting');
  });

  it('when an electrician is not approved yet or offline, then a pending order shows nothing private', async () => {
    const { order, s } = await place();
    const { s: applicant, res: applied } = await applyAs(t, 'privacy-applicant', { realName: '待审电工' });
    expect(applied.status).toBe(201);
    for (const path of [`/api/orders/${order.id}`, `/api/orders/${order.id}/events`]) {
      const res = await get(applicant, path);
      expect(res.status, path).toBe(404);
      expectNoLeak(res, s, `applicant ${path}`);
    }
    const pendingHall = await get(applicant, '/api/orders/hall?latitude=30.259&longitude=120.13');
    expect(pendingHall.status).toBe(403);
    expectNoLeak(pendingHall, s, 'applicant hall');

    const offline = await loginAsElectrician(t, 'privacy-offline', { workStatus: 'offline' });
    const seen = await get(offline, `/api/orders/${order.id}`);
    expectNoLeak(seen, s, 'offline electrician');
    expect([200, 404]).toContain(seen.status);
    if (seen.status === 200) expectMasked(seen.body.data, s, 'offline electrician');
    const events = await get(offline, `/api/orders/${order.id}/events`);
    expect(events.status).toBe(404);
    expectNoLeak(events, s, 'offline electrician events');
  });

  it('when an electrician orders for their own home, then as a customer they see it in full and as an electrician it is not theirs', async () => {
    const { order: own, s } = await place(wang);
    const asCustomer = await get(wang, '/api/orders?as=customer&limit=100');
    expect(ids(asCustomer)).toEqual([own.id]);
    expectFull(asCustomer.body.data[0], s, 'own order as customer');
    expect(ids(await get(wang, '/api/orders?as=electrician&limit=100'))).not.toContain(own.id);
    expectFull((await get(wang, `/api/orders/${own.id}`)).body.data, s, 'own order detail');
    // Nobody else's view of it shows anything private, and it is not in the owner's own hall.
    const hall = await get(wang, '/api/orders/hall?latitude=30.259&longitude=120.13&limit=100');
    expect(ids(hall)).not.toContain(own.id);
    const other = await get(li, `/api/orders/${own.id}`);
    expectMasked(other.body.data, s, 'stranger');
    expectNoLeak(other, s, 'stranger');
  });
});
