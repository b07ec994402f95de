import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';
import { runSeeds } from '../../../../../seeds';
import { DEMO_COMPLAINT } from '../../../../../seeds/05_demo_complaints';

describe('demo complaint seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when the demo seeds run twice, then one open complaint exists on the completed demo order, visible to its customer and electrician', async () => {
    await runSeeds(t.db, t.clock, { idCardKey: t.config.idCardKey });
    await runSeeds(t.db, t.clock, { idCardKey: t.config.idCardKey });
    expect(await count(t.db, 'complaints')).toBe(1);
    expect(await count(t.db, 'complaint_events')).toBe(1);

    const alice = await login(t, 'alice');
    const mine = await t.http.get('/api/complaints').set(alice.auth);
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.data[0]).toMatchObject({ orderNo: DEMO_COMPLAINT.orderNo, status: 'open', type: 'quality' });
    const detail = await t.http.get(`/api/complaints/${mine.body.data[0].id}`).set((await login(t, 'wang')).auth);
    expect(detail.status).toBe(200);
    expect(detail.body.data.events).toHaveLength(1);
    // The seeded complaint holds the order like any other: a second one is refused.
    const second = await t.http
      .post(`/api/orders/${mine.body.data[0].orderId}/complaints`)
      .set(alice.auth)
      .send({ type: 'other', content: '再投诉一次试试看' });
    expect(second.status).toBe(409);
  });
});
