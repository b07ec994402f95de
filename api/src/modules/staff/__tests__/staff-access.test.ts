/**
 * Staff on the customer and electrician routes (issue #22): a staff member's powers there come
 * from their permissions, never from being staff, and every write of theirs is audited write-ahead
 * exactly like the /api/admin routes, whichever route it came through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, snapshot, uploadImage } from '../../orders/__tests__/order-helpers';
import { pay, ratings } from '../../reviews/__tests__/review-helpers';
import { loginAsStaff, type StaffSession } from './staff-helpers';

let t: TestApp;
let customer: Session;
let electrician: Awaited<ReturnType<typeof loginAsElectrician>>;
let finance: StaffSession;
let agent: StaffSession;
let ops: StaffSession;

beforeAll(async () => {
  t = await createTestApp();
  customer = await login(t, 'staff-access-customer');
  electrician = await loginAsElectrician(t, 'staff-access-electrician');
  [finance, agent, ops] = [
    await loginAsStaff(t, 'finance'),
    await loginAsStaff(t, 'agent'),
    await loginAsStaff(t, 'ops_manager'),
  ];
});
afterAll(() => t?.close());

const auditRows = (where: Record<string, unknown> = {}) => t.db('audit_logs').where(where).orderBy('id');

/** An order of the customer taken by the electrician up to `in_progress`. */
async function inProgressOrder(): Promise<number> {
  const order = await placeOrder(t, customer);
  const step = async (path: string, s: Session, body: object = {}) => {
    const res = await t.http.post(`/api/orders/${order.id}/${path}`).set(s.auth).send(body);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  };
  await step('grab', electrician);
  await step('arrive', electrician, { latitude: 30.2613, longitude: 120.1334 });
  await step('quote', electrician, { items: [{ name: '空气开关', quantity: 1, unitPrice: 4500 }], labourFee: 6000 });
  await step('quote/accept', customer);
  return order.id as number;
}

describe('cancelling through the customer route', () => {
  it('when finance or an agent (no orders.cancel) cancels an in-progress order through POST /api/orders/:id/cancel, then 403, the order and what the customer owes are unchanged, and nothing is audited as done', async () => {
    const id = await inProgressOrder();
    const before = await snapshot(t, id);
    const audits = (await auditRows()).length;
    for (const s of [finance, agent]) {
      const res = await t.http.post(`/api/orders/${id}/cancel`).set(s.auth).send({ reason: '客户要求取消' });
      expect(res.status, s.staffRole).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await snapshot(t, id)).toEqual(before);
    expect((await auditRows()).length).toBe(audits); // refused by the guard: they acted as nobody's staff
  });

  it('when an ops manager (orders.cancel) cancels an in-progress order there, then it is cancelled as by staff and exactly one audit row records it, written ahead and finished', async () => {
    const id = await inProgressOrder();
    const res = await t.http.post(`/api/orders/${id}/cancel`).set(ops.auth).send({ reason: '纠纷处理：双方同意取消' });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('cancelled');
    const order = await t.db('orders').where({ id }).first();
    expect(order.cancelled_by).toBe('admin');
    const event = await t.db('order_events').where({ order_id: id, action: 'cancel' }).first();
    expect(event.actor_id).toBe(ops.userId);
    expect(event.actor_role).toBe('admin');
    const rows = await auditRows({ route: '/api/orders/:id/cancel', target_id: String(id) });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: ops.userId,
      actor_role: 'ops_manager',
      action: 'orders.cancel',
      method: 'POST',
      target_type: 'orders',
      outcome: 'succeeded',
      status_code: 200,
    });
  });

  it('when the WeChat admin cancels a pending order through the customer route, then that is audited too (it was not before)', async () => {
    const order = await placeOrder(t, customer);
    const admin = await loginAsAdmin(t);
    const res = await t.http.post(`/api/orders/${order.id}/cancel`).set(admin.auth).send({ reason: '重复下单' });
    expect(res.status).toBe(200);
    const rows = await auditRows({ route: '/api/orders/:id/cancel', target_id: String(order.id) });
    expect(rows.map((r) => [r.actor_role, r.action, r.outcome])).toEqual([['admin', 'orders.cancel', 'succeeded']]);
  });

  it('when staff with orders.cancel are refused by the state machine (a completed order), then one failed audit row keeps the attempt and the order is unchanged', async () => {
    const id = await inProgressOrder();
    const photo = await uploadImage(t, electrician, 'repair');
    await t.http
      .post(`/api/orders/${id}/complete`)
      .set(electrician.auth)
      .send({ repairContent: '更换空气开关，测试正常', repairImages: [photo] })
      .expect(200);
    const before = await snapshot(t, id);
    const res = await t.http.post(`/api/orders/${id}/cancel`).set(ops.auth).send({ reason: '测试' });
    expect(res.status).toBe(409);
    expect(await snapshot(t, id)).toEqual(before);
    const rows = await auditRows({ route: '/api/orders/:id/cancel', target_id: String(id) });
    expect(rows.map((r) => [r.outcome, r.status_code, r.error_code])).toEqual([['failed', 409, 'INVALID_TRANSITION']]);
  });
});

describe('actions with no staff meaning', () => {
  it('when staff place an order, grab one, accept a quote or review, then 403 and nothing is written', async () => {
    const order = await placeOrder(t, customer);
    const orders = await t.db('orders').count({ c: '*' });
    for (const [path, body] of [
      ['/api/orders', { description: 'x' }],
      [`/api/orders/${order.id}/grab`, {}],
      [`/api/orders/${order.id}/quote/accept`, {}],
      [`/api/orders/${order.id}/review`, ratings(5, 5, 5)],
    ] as const) {
      const res = await t.http.post(path).set(ops.auth).send(body);
      expect(res.status, path).toBe(403);
    }
    expect(await t.db('orders').count({ c: '*' })).toEqual(orders);
  });

  it("when staff edit their own profile, then it works and is audited as acting on their own account ('self')", async () => {
    const res = await t.http.patch('/api/users/me').set(agent.auth).send({ nickname: '李客服' });
    expect(res.status).toBe(200);
    const rows = await auditRows({ actor_id: agent.userId, route: '/api/users/me' });
    expect(rows.map((r) => [r.action, r.method, r.target_type, r.outcome])).toEqual([['self', 'PATCH', 'users', 'succeeded']]);
  });
});

describe('reads by permission', () => {
  it('when staff read an electrician certificate upload, then only those with electricians.read see it', async () => {
    const applicant = await login(t, 'staff-access-applicant');
    const certificate = await uploadImage(t, applicant, 'certificate');
    expect((await t.http.get(`/api/uploads/${certificate}`).set(agent.auth)).status).toBe(200); // agent: electricians.read
    expect((await t.http.get(`/api/uploads/${certificate}`).set(finance.auth)).status).toBe(404); // finance: no
  });

  it('when staff read an anonymous review, then its author shows only to those with reviews.moderate', async () => {
    const order = await inProgressOrder();
    const photo = await uploadImage(t, electrician, 'repair');
    await t.http
      .post(`/api/orders/${order}/complete`)
      .set(electrician.auth)
      .send({ repairContent: '更换空气开关，测试正常', repairImages: [photo] })
      .expect(200);
    await pay(t, customer, order);
    await t.http
      .post(`/api/orders/${order}/review`)
      .set(customer.auth)
      .send({ ...ratings(4, 4, 4), isAnonymous: true })
      .expect(201);
    const seenBy = async (s: Session) =>
      (await t.http.get(`/api/orders/${order}/review`).set(s.auth).expect(200)).body.data.reviewer;
    expect((await seenBy(agent)).userId).toBe(customer.userId);
    expect(await seenBy(finance)).toMatchObject({ userId: null, nickname: '匿名用户' });
  });
});
