import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
  applyAs,
} from '../../../../test/harness';
import { placeOrder, snapshot, uploadImage } from './order-helpers';

type Electrician = Session & { electricianId: number };
interface Listed {
  id: number;
  status: string;
  address: string;
  contactPhone: string;
  electricianId: number | null;
}

function paths(body: { error?: { details?: { path: (string | number)[] }[] } }): string[] {
  return (body.error?.details ?? []).map((d) => d.path.join('.'));
}

describe('admin order list', () => {
  let t: TestApp;
  let admin: Session;
  let wang: Electrician;
  let li: Electrician;
  type Name = 'o1' | 'o2' | 'o3' | 'o4' | 'o5' | 'o6';
  const o = {} as Record<Name, { id: number; orderNo: string }>;

  /** Moves the clock, then logs everyone in again (access tokens are short-lived, and clocked). */
  async function at(iso: string) {
    t.clock.set(iso);
    admin = await loginAsAdmin(t);
    const [alice, bob] = [await login(t, 'list-alice'), await login(t, 'list-bob')];
    wang = { ...(await login(t, 'list-wang')), electricianId: wang.electricianId };
    li = { ...(await login(t, 'list-li')), electricianId: li.electricianId };
    return { alice, bob };
  }
  const post = (s: Session, path: string, body: object = {}) => t.http.post(path).set(s.auth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-20T00:00:00Z');
    wang = await loginAsElectrician(t, 'list-wang');
    li = await loginAsElectrician(t, 'list-li');

    let s = await at('2026-11-20T02:00:00Z');
    o.o1 = await placeOrder(t, s.alice, {
      contactName: '欧阳锋',
      contactPhone: '13911110001',
      address: '朝阳区幸福里 100% 小区 1 号',
    });
    s = await at('2026-11-20T05:00:00Z');
    o.o2 = await placeOrder(t, s.alice, { contactName: '黄蓉', contactPhone: '13911110002', address: '西湖区北山街 8 号' });
    await post(wang, `/api/orders/${o.o2.id}/grab`);
    s = await at('2026-11-21T03:00:00Z');
    o.o3 = await placeOrder(t, s.bob, { contactName: '郭靖', contactPhone: '13922220003', address: '滨江区江南大道 1000 号' });
    await post(li, `/api/orders/${o.o3.id}/grab`);
    await post(li, `/api/orders/${o.o3.id}/arrive`, { latitude: 30.2612, longitude: 120.1335 });
    s = await at('2026-11-21T10:00:00Z');
    o.o4 = await placeOrder(t, s.bob, { contactName: '黄药师', contactPhone: '13922220004', address: '上城区河坊街 5_号 后门' });
    await post(s.bob, `/api/orders/${o.o4.id}/cancel`, { reason: '自己修好了' });
    s = await at('2026-11-22T01:00:00Z');
    o.o5 = await placeOrder(t, s.alice, { contactName: '洪七公', contactPhone: '13911110005', address: '拱墅区大关路 66 号' });
    await post(wang, `/api/orders/${o.o5.id}/grab`);
    await post(wang, `/api/orders/${o.o5.id}/release`, { reason: '临时有急事去不了' });
    s = await at('2026-11-22T02:00:00Z');
    o.o6 = await placeOrder(t, s.bob, { contactName: '周伯通', contactPhone: '13922220006', address: '余杭区文一西路 969 号' });
  });
  afterAll(() => t.close());

  async function list(query: Record<string, string | number>) {
    const res = await t.http.get('/api/admin/orders').set(admin.auth).query(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { names: (res.body.data as Listed[]).map((x) => (Object.keys(o) as Name[]).find((k) => o[k].id === x.id)), res };
  }

  it('when an admin lists without filters, then every order comes newest first, in full, with the total', async () => {
    const { names, res } = await list({ limit: 100 });
    expect(names).toEqual(['o6', 'o5', 'o4', 'o3', 'o2', 'o1']);
    expect(res.body.pagination).toEqual({ page: 1, limit: 100, total: 6 });
    expect(res.body.data[0]).toMatchObject({
      address: '余杭区文一西路 969 号',
      contactPhone: '13922220006',
      contactName: '周伯通',
    });
  });

  it('when filtering by status, then only orders in that status are listed', async () => {
    expect((await list({ status: 'accepted' })).names).toEqual(['o2']);
    expect((await list({ status: 'arrived' })).names).toEqual(['o3']);
    expect((await list({ status: 'pending' })).names).toEqual(['o6', 'o5', 'o1']);
    expect((await list({ status: 'cancelled' })).names).toEqual(['o4']);
    const none = await list({ status: 'completed' });
    expect(none.names).toEqual([]);
    expect(none.res.body.pagination.total).toBe(0);
  });

  it('when filtering by electrician, then only the orders they hold now are listed (a released one is not)', async () => {
    expect((await list({ electricianId: wang.electricianId })).names).toEqual(['o2']);
    expect((await list({ electricianId: li.electricianId })).names).toEqual(['o3']);
    expect((await list({ electricianId: 999_999 })).names).toEqual([]);
  });

  it('when filtering by a date range, then from is inclusive and to exclusive, and offsets are honoured', async () => {
    expect((await list({ from: '2026-11-21T00:00:00Z', to: '2026-11-22T00:00:00Z' })).names).toEqual(['o4', 'o3']);
    expect((await list({ from: '2026-11-21T03:00:00Z', to: '2026-11-21T10:00:00Z' })).names).toEqual(['o3']);
    expect((await list({ from: '2026-11-21T03:00:00.001Z', to: '2026-11-21T10:00:00.001Z' })).names).toEqual(['o4']);
    // 2026-11-22 in China Standard Time is 2026-11-21T16:00Z to 2026-11-22T16:00Z.
    expect((await list({ from: '2026-11-22T00:00:00+08:00', to: '2026-11-23T00:00:00+08:00' })).names).toEqual(['o6', 'o5']);
    expect((await list({ from: '2026-11-22T00:00:00Z' })).names).toEqual(['o6', 'o5']);
    expect((await list({ to: '2026-11-20T05:00:00Z' })).names).toEqual(['o1']);
    expect((await list({ from: '2026-11-21T00:00:00Z', status: 'cancelled' })).names).toEqual(['o4']);
  });

  it('when searching by keyword, then order number, contact name, phone and address match by substring', async () => {
    expect((await list({ keyword: o.o3.orderNo })).names).toEqual(['o3']);
    expect((await list({ keyword: o.o3.orderNo.slice(-8) })).names).toEqual(['o3']);
    expect((await list({ keyword: '黄' })).names).toEqual(['o4', 'o2']);
    expect((await list({ keyword: '13922220' })).names).toEqual(['o6', 'o4', 'o3']);
    expect((await list({ keyword: '江南大道' })).names).toEqual(['o3']);
    expect((await list({ keyword: '周', status: 'pending' })).names).toEqual(['o6']);
    expect((await list({ keyword: '不存在的关键字' })).names).toEqual([]);
  });

  it("when the keyword holds LIKE wildcards such as '%' or '_', then they match literally", async () => {
    expect((await list({ keyword: '%' })).names).toEqual(['o1']);
    expect((await list({ keyword: '100%' })).names).toEqual(['o1']);
    expect((await list({ keyword: '_' })).names).toEqual(['o4']);
    expect((await list({ keyword: '5_号' })).names).toEqual(['o4']);
    expect((await list({ keyword: '!' })).names).toEqual([]);
  });

  it('when paging, then pages are consecutive slices of the newest-first list and the total stays the same', async () => {
    const pages = [];
    for (const page of [1, 2, 3, 4]) {
      const { names, res } = await list({ limit: 2, page });
      expect(res.body.pagination).toEqual({ page, limit: 2, total: 6 });
      pages.push(names);
    }
    expect(pages).toEqual([['o6', 'o5'], ['o4', 'o3'], ['o2', 'o1'], []]);
  });

  it('when the query is invalid, then 400 names the fields', async () => {
    const res = await t.http
      .get('/api/admin/orders')
      .set(admin.auth)
      .query({ status: 'lost', from: 'yesterday', electricianId: 'x', limit: 101 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(paths(res.body).sort()).toEqual(['query.electricianId', 'query.from', 'query.limit', 'query.status']);
  });

  it('when a customer or an electrician calls the admin API, then 403, and without a token 401', async () => {
    const alice = await login(t, 'list-alice');
    for (const s of [alice, wang]) {
      for (const [method, path] of [
        ['get', '/api/admin/orders'],
        ['get', `/api/admin/orders/${o.o1.id}`],
        ['get', '/api/admin/stats'],
        ['post', `/api/admin/orders/${o.o1.id}/assign`],
        ['post', `/api/admin/orders/${o.o6.id}/cancel`],
      ] as const) {
        const res = await t.http[method](path)
          .set(s.auth)
          .send(method === 'post' ? { electricianId: wang.electricianId, reason: '测试越权' } : undefined);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
    }
    expect((await t.http.get('/api/admin/orders')).status).toBe(401);
    expect((await t.http.get(`/api/orders/${o.o1.id}`).set(wang.auth)).body.data.address).toBeUndefined();
    expect(await snapshot(t, o.o1.id)).toMatchObject({ order: { status: 'pending' } });
    expect((await snapshot(t, o.o6.id)).order.status).toBe('pending');
  });
});

describe('admin assignment to an ineligible electrician', () => {
  let t: TestApp;
  let admin: Session;
  let alice: Session;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await loginAsAdmin(t);
    alice = await login(t, 'assign-alice');
  });
  afterAll(() => t.close());

  const assign = (orderId: number, electricianId: unknown) =>
    t.http.post(`/api/admin/orders/${orderId}/assign`).set(admin.auth).send({ electricianId });
  const electricianRow = (id: number) => t.db('electricians').where({ id }).first();

  /** Assigning fails with `status`/`code`, and neither the order nor the electrician changed. */
  async function expectRefused(orderId: number, electricianId: number, status: number, code: string) {
    const before = {
      order: await snapshot(t, orderId),
      electrician: await electricianRow(electricianId),
      offers: await count(t.db, 'dispatch_offers'),
    };
    const res = await assign(orderId, electricianId);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await snapshot(t, orderId)).toEqual(before.order);
    expect(await electricianRow(electricianId)).toEqual(before.electrician);
    expect(await count(t.db, 'dispatch_offers')).toBe(before.offers);
  }

  it('when the electrician is not approved yet, then 403 NOT_ELIGIBLE and nothing changes', async () => {
    const { res: applied } = await applyAs(t, 'assign-applicant', { realName: '待审电工' });
    expect(applied.status).toBe(201);
    const order = await placeOrder(t, alice);
    await expectRefused(order.id, applied.body.data.id, 403, 'NOT_ELIGIBLE');
  });

  it('when the electrician is offline, then 403 NOT_ELIGIBLE and nothing changes', async () => {
    const off = await loginAsElectrician(t, 'assign-offline', { workStatus: 'offline' });
    const order = await placeOrder(t, alice);
    await expectRefused(order.id, off.electricianId, 403, 'NOT_ELIGIBLE');
  });

  it('when the electrician placed the order themselves, then 403 NOT_ELIGIBLE and nothing changes', async () => {
    const self = await loginAsElectrician(t, 'assign-self');
    const order = await placeOrder(t, self);
    await expectRefused(order.id, self.electricianId, 403, 'NOT_ELIGIBLE');
  });

  it('when the electrician is at the active-order cap, then 409 ACTIVE_LIMIT_REACHED and nothing changes', async () => {
    const busy = await loginAsElectrician(t, 'assign-busy');
    for (let i = 0; i < 3; i++) {
      const held = await placeOrder(t, alice);
      expect((await assign(held.id, busy.electricianId)).status).toBe(200);
    }
    expect((await electricianRow(busy.electricianId)).active_orders).toBe(3);
    const order = await placeOrder(t, alice);
    await expectRefused(order.id, busy.electricianId, 409, 'ACTIVE_LIMIT_REACHED');
  });

  it('when the electrician does not exist or the order is taken, then 404 or 409 ORDER_TAKEN and nothing changes', async () => {
    const wang = await loginAsElectrician(t, 'assign-wang');
    const li = await loginAsElectrician(t, 'assign-li');
    const order = await placeOrder(t, alice);
    const before = await snapshot(t, order.id);
    const unknown = await assign(order.id, 999_999);
    expect(unknown.status).toBe(404);
    expect(await snapshot(t, order.id)).toEqual(before);
    const bad = await assign(order.id, 'wang');
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['body.electricianId']);

    expect((await assign(order.id, wang.electricianId)).status).toBe(200);
    await expectRefused(order.id, li.electricianId, 409, 'ORDER_TAKEN');
    const events = await t.db('order_events').where({ order_id: order.id }).orderBy('id');
    expect(events.map((e: { action: string; actor_role: string }) => `${e.action}:${e.actor_role}`)).toEqual([
      'create:customer',
      'assign:admin',
    ]);
  });
});

describe('admin dashboard stats', () => {
  let t: TestApp;
  let wangId: number;

  /** Moves the clock, then logs in again (tokens are checked against the same clock). */
  async function at(iso: string) {
    t.clock.set(iso);
    return { admin: await login(t, 'admin'), alice: await login(t, 'stats-alice'), wang: await login(t, 'stats-wang') };
  }
  const post = async (s: Session, path: string, body: object = {}) => {
    const res = await t.http.post(path).set(s.auth).send(body);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(path.endsWith('/api/orders') ? 201 : 200);
    return res.body.data;
  };
  const stats = async (admin: Session, query: Record<string, string> = {}) => {
    const res = await t.http.get('/api/admin/stats').set(admin.auth).query(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data;
  };
  const ids = {} as Record<'x0' | 'x1' | 'y1' | 'z1' | 'z2' | 'z3' | 'z4', number>;
  let quoted = 0;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-16T12:00:00Z');
    wangId = (await loginAsElectrician(t, 'stats-wang')).electricianId;

    // X0: Nov 16, 23:59 China time — outside the seven days that end on Nov 23.
    let s = await at('2026-11-16T15:59:00Z');
    ids.x0 = (await placeOrder(t, s.alice)).id;
    // X1: Nov 17, 00:01 China time — the first minute inside them; cancelled.
    s = await at('2026-11-16T16:01:00Z');
    ids.x1 = (await placeOrder(t, s.alice)).id;
    t.clock.set('2026-11-16T16:06:00Z');
    await post(s.alice, `/api/orders/${ids.x1}/cancel`, { reason: '不需要了' });
    // Y1: Nov 22, 23:59 China time; accepted ten minutes later, already on Nov 23.
    s = await at('2026-11-22T15:59:00Z');
    ids.y1 = (await placeOrder(t, s.alice)).id;
  });
  afterAll(() => t.close());

  it('when it is 23:59 China time, then "today" is that China calendar day, not the UTC one', async () => {
    const { admin } = await at('2026-11-22T15:59:30Z');
    const data = await stats(admin);
    expect(data.today).toMatchObject({ from: '2026-11-21T16:00:00.000Z', created: 1, byStatus: { pending: 1 } });
    expect(data.last7Days).toMatchObject({
      from: '2026-11-15T16:00:00.000Z',
      created: 3,
      byStatus: { pending: 2, cancelled: 1 },
    });
    expect(data).not.toHaveProperty('range');
  });

  it('when orders were created, accepted, completed and cancelled at known times, then today and the last seven days add up', async () => {
    // Z1: Nov 23, 00:01 China time; accepted after 20 minutes, then completed.
    let s = await at('2026-11-22T16:01:00Z');
    ids.z1 = (await placeOrder(t, s.alice)).id;
    t.clock.set('2026-11-22T16:09:00Z');
    await post(s.wang, `/api/orders/${ids.y1}/grab`);
    t.clock.set('2026-11-22T16:21:00Z');
    await post(s.wang, `/api/orders/${ids.z1}/grab`);
    t.clock.set('2026-11-22T16:40:00Z');
    await post(s.wang, `/api/orders/${ids.z1}/arrive`, { latitude: 30.2612, longitude: 120.1335 });
    quoted = (
      await post(s.wang, `/api/orders/${ids.z1}/quote`, {
        items: [{ name: '空气开关', quantity: 1, unitPrice: 4500 }],
        labourFee: 6000,
      })
    ).quotedAmount;
    await post(s.alice, `/api/orders/${ids.z1}/quote/accept`);
    const photo = await uploadImage(t, s.wang, 'repair');
    await post(s.wang, `/api/orders/${ids.z1}/complete`, {
      repairContent: '更换烧坏的空气开关，测试正常',
      repairImages: [photo],
    });
    // Z2: accepted after 10 minutes and still accepted.
    s = await at('2026-11-23T01:00:00Z');
    ids.z2 = (await placeOrder(t, s.alice)).id;
    t.clock.set('2026-11-23T01:10:00Z');
    await post(s.wang, `/api/orders/${ids.z2}/grab`);
    // Z3: cancelled a minute after it was placed; Z4: still waiting.
    s = await at('2026-11-23T02:00:00Z');
    ids.z3 = (await placeOrder(t, s.alice)).id;
    t.clock.set('2026-11-23T02:01:00Z');
    await post(s.alice, `/api/orders/${ids.z3}/cancel`, { reason: '打错电话了' });
    s = await at('2026-11-23T03:00:00Z');
    ids.z4 = (await placeOrder(t, s.alice)).id;
    // Paid within today (payment bookkeeping lives on the order).
    await t
      .db('orders')
      .where({ id: ids.z1 })
      .update({ payment_status: 'paid', paid_at: new Date('2026-11-23T03:30:00Z') });

    const { admin } = await at('2026-11-23T04:00:00Z');
    const data = await stats(admin);
    expect(quoted).toBe(10_500);
    expect(data.today).toEqual({
      from: '2026-11-22T16:00:00.000Z',
      to: '2026-11-23T04:00:00.001Z',
      created: 4,
      byStatus: { completed: 1, accepted: 1, cancelled: 1, pending: 1 },
      gmv: 10_500,
      avgMinutesToAccept: 15,
      completionRate: 0.25,
      cancellationRate: 0.25,
    });
    expect(data.last7Days).toEqual({
      from: '2026-11-16T16:00:00.000Z',
      to: '2026-11-23T04:00:00.001Z',
      created: 6,
      byStatus: { completed: 1, accepted: 2, cancelled: 2, pending: 1 },
      gmv: 10_500,
      avgMinutesToAccept: 13.3,
      completionRate: 0.1667,
      cancellationRate: 0.3333,
    });
    expect(data).not.toHaveProperty('range');
    expect((await t.db('electricians').where({ id: wangId }).first()).active_orders).toBe(2);
  });

  it('when from and to are given, then a range section covers exactly [from, to)', async () => {
    const { admin } = await at('2026-11-23T04:00:00Z');
    const day = await stats(admin, { from: '2026-11-22T00:00:00+08:00', to: '2026-11-23T00:00:00+08:00' });
    expect(day.range).toEqual({
      from: '2026-11-21T16:00:00.000Z',
      to: '2026-11-22T16:00:00.000Z',
      created: 1,
      byStatus: { accepted: 1 },
      gmv: 0,
      avgMinutesToAccept: 10,
      completionRate: 0,
      cancellationRate: 0,
    });
    expect(day.today.created).toBe(4);

    const since = await stats(admin, { from: '2026-11-16T15:59:00Z' });
    expect(since.range).toMatchObject({ from: '2026-11-16T15:59:00.000Z', to: '2026-11-23T04:00:00.001Z', created: 7 });
    expect(since.range.byStatus).toEqual({ completed: 1, accepted: 2, cancelled: 2, pending: 2 });

    const until = await stats(admin, { to: '2026-11-17T00:00:00+08:00' });
    expect(until.range).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '2026-11-16T16:00:00.000Z',
      created: 1,
      byStatus: { pending: 1 },
      gmv: 0,
      avgMinutesToAccept: null,
      completionRate: 0,
      cancellationRate: 0,
    });

    const empty = await stats(admin, { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' });
    expect(empty.range).toMatchObject({
      created: 0,
      byStatus: {},
      avgMinutesToAccept: null,
      completionRate: null,
      cancellationRate: null,
    });
  });

  it('when the stats query is malformed or the caller is not staff, then 400 or 403', async () => {
    const { admin, alice, wang } = await at('2026-11-23T04:00:00Z');
    const bad = await t.http.get('/api/admin/stats').set(admin.auth).query({ from: '2026-13-01', to: 'soon' });
    expect(bad.status).toBe(400);
    expect(paths(bad.body).sort()).toEqual(['query.from', 'query.to']);
    for (const s of [alice, wang]) expect((await t.http.get('/api/admin/stats').set(s.auth)).status).toBe(403);
  });
});
