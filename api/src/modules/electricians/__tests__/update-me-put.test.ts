import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAsElectrician, type TestApp } from '../../../../test/harness';

/** PUT /api/electricians/me exists because wx.request cannot send PATCH; it is the same update. */
describe("PUT /api/electricians/me (the mini-program's PATCH)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when an electrician sends a partial update with PUT, then only those fields change, as with PATCH', async () => {
    const e = await loginAsElectrician(t, 'put-me');
    const before = await t.db('electricians').where({ id: e.electricianId }).first();
    const res = await t.http.put('/api/electricians/me').set(e.auth).send({ workStatus: 'offline', minOrderAmount: 5050 });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ workStatus: 'offline', minOrderAmount: 5050 });
    const after = await t.db('electricians').where({ id: e.electricianId }).first();
    expect([after.work_status, Number(after.min_order_amount), after.real_name]).toEqual(['offline', 5050, before.real_name]);
  });

  it('when the PUT body is invalid, then it is 400 VALIDATION_FAILED with details and nothing changes', async () => {
    const e = await loginAsElectrician(t, 'put-bad');
    const before = await t.db('electricians').where({ id: e.electricianId }).first();
    const res = await t.http.put('/api/electricians/me').set(e.auth).send({ workStatus: 'sleeping', latitude: 30 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['body.workStatus']),
    );
    expect(await t.db('electricians').where({ id: e.electricianId }).first()).toEqual(before);
  });
});
