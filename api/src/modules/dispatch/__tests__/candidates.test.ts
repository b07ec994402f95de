import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsElectrician, type TestApp } from '../../../../test/harness';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { loginAsStaff } from '../../staff/__tests__/staff-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('assignment candidates', () => {
  it('when staff ask whom to assign an order to, then approved online electricians come nearest first', async () => {
    const near = await loginAsElectrician(t, 'cand-near', { latitude: 30.26, longitude: 120.131 });
    const far = await loginAsElectrician(t, 'cand-far', { latitude: 30.3, longitude: 120.2 });
    await loginAsElectrician(t, 'cand-off', { workStatus: 'offline' });
    const customer = await login(t, 'cand-customer');
    const o = await placeOrder(t, customer);
    const ops = await loginAsStaff(t, 'ops_manager');
    const res = await t.http.get(`/api/admin/orders/${o.id}/candidates`).set(ops.auth);
    expect(res.status).toBe(200);
    const ids = res.body.data.map((c: { electricianId: number }) => c.electricianId);
    expect(ids.indexOf(near.electricianId)).toBeLessThan(ids.indexOf(far.electricianId));
    expect(ids.indexOf(near.electricianId)).toBeGreaterThanOrEqual(0);
    expect(res.body.data.every((c: { workStatus: string }) => c.workStatus !== 'offline')).toBe(true);
    expect((await t.http.get('/api/admin/orders/999999/candidates').set(ops.auth)).status).toBe(404);
  });

  it('when the chosen candidate is assigned, then the order is theirs and the action is audited with its target', async () => {
    const e = await loginAsElectrician(t, 'cand-pick');
    const o = await placeOrder(t, await login(t, 'cand-customer-2'));
    const ops = await loginAsStaff(t, 'ops_manager');
    const res = await t.http.post(`/api/admin/orders/${o.id}/assign`).set(ops.auth).send({ electricianId: e.electricianId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'accepted', electricianId: e.electricianId });
    const audit = await t.db('audit_logs').where({ action: 'orders.assign', target_id: String(o.id) });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: ops.userId, actor_role: 'ops_manager', target_type: 'orders' });
  });
});
