import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { paidOrderBetween, ratingOf, ratings, recordEvents, review } from './review-helpers';

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAsAdmin(t);
});

afterAll(async () => {
  await t?.close();
});

/** One electrician with three reviews: 5.00, 3.00 and 4.33 (mean 4.11). */
async function electricianWithThreeReviews(name: string) {
  const electrician = await loginAsElectrician(t, `${name}-e`);
  const ids: number[] = [];
  const customers: Session[] = [];
  for (const [i, r] of [ratings(5, 5, 5), ratings(3, 3, 3), ratings(4, 4, 5)].entries()) {
    const customer = await login(t, `${name}-c${i}`);
    const o = await paidOrderBetween(t, customer, electrician);
    ids.push((await review(t, customer, o.orderId, r)).id);
    customers.push(customer);
  }
  return { electrician, ids, customers };
}

/** A staff member of the given role, through a real login then a role change in the database. */
async function staffAs(name: string, role: 'agent' | 'finance') {
  const s = await login(t, name);
  await t.db('users').where({ id: s.userId }).update({ user_type: 'admin', staff_role: role });
  return s;
}

const hide = (s: Session, id: number, body: object = { reason: '含有广告内容' }) =>
  t.http.post(`/api/admin/reviews/${id}/hide`).set(s.auth).send(body);
const publicIds = async (electricianId: number, s: Session) =>
  (await t.http.get(`/api/electricians/${electricianId}/reviews`).set(s.auth)).body.data.map((r: { id: number }) => r.id);

describe('rating recomputation and hiding', () => {
  it('when reviews arrive, then the rating is the mean of their overall ratings; hiding one drops it from the mean, showing it again restores it', async () => {
    const { electrician, ids, customers } = await electricianWithThreeReviews('md-mean');
    const id = electrician.electricianId;
    // (5.00 + 3.00 + 4.33) / 3 = 4.11
    expect(await ratingOf(t, id)).toEqual({ rating: 4.11, count: 3 });
    expect((await t.http.get(`/api/electricians/${id}`).set(customers[0]!.auth)).body.data.rating).toBe(4.11);

    const events = recordEvents(t, 'review.hidden');
    const res = await hide(admin, ids[1]!);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: ids[1], status: 'hidden', hiddenReason: '含有广告内容' });
    // (5.00 + 4.33) / 2 = 4.665 → 4.67 (half up, the same on every database)
    expect(await ratingOf(t, id)).toEqual({ rating: 4.67, count: 2 });
    expect(await publicIds(id, customers[0]!)).toEqual([ids[2], ids[0]]);

    const again = await hide(admin, ids[1]!, { reason: '再次隐藏' });
    expect(again.status).toBe(200);
    expect(again.body.data.hiddenReason).toBe('含有广告内容');
    expect(await ratingOf(t, id)).toEqual({ rating: 4.67, count: 2 });
    await t.c.bus.drain();
    events.stop();
    expect(events.seen).toEqual([
      expect.objectContaining({
        name: 'review.hidden',
        reviewId: ids[1],
        customerId: customers[1]!.userId,
        electricianUserId: electrician.userId,
        reason: '含有广告内容',
        actor: { id: admin.userId, role: 'admin' },
      }),
    ]);

    const own = await t.http.get(`/api/orders/${res.body.data.orderId}/review`).set(customers[1]!.auth);
    expect(own.body.data).toMatchObject({ status: 'hidden', hiddenReason: null });

    const shown = await t.http.post(`/api/admin/reviews/${ids[1]}/unhide`).set(admin.auth);
    expect(shown.status).toBe(200);
    expect(shown.body.data).toMatchObject({ status: 'normal', hiddenReason: null });
    expect(await ratingOf(t, id)).toEqual({ rating: 4.11, count: 3 });
  });

  it('when every review of an electrician is hidden, then the rating returns to the default 5 with no count', async () => {
    const electrician = await loginAsElectrician(t, 'md-all-e');
    const customer = await login(t, 'md-all-c');
    const o = await paidOrderBetween(t, customer, electrician);
    const { id } = await review(t, customer, o.orderId, ratings(1, 2, 2));
    expect(await ratingOf(t, electrician.electricianId)).toEqual({ rating: 1.67, count: 1 });
    expect((await hide(admin, id)).status).toBe(200);
    expect(await ratingOf(t, electrician.electricianId)).toEqual({ rating: 5, count: 0 });
  });

  it('when a customer or a finance staff member hides a review, then 403 and nothing changes; an agent may', async () => {
    const { electrician, ids, customers } = await electricianWithThreeReviews('md-perm');
    const finance = await staffAs('md-perm-finance', 'finance');
    const agent = await staffAs('md-perm-agent', 'agent');
    for (const s of [customers[0]!, electrician, finance]) {
      const res = await hide(s, ids[0]!);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.db('reviews').where({ id: ids[0] }).first()).status).toBe('normal');
    expect(await ratingOf(t, electrician.electricianId)).toEqual({ rating: 4.11, count: 3 });
    expect((await hide(agent, ids[0]!)).status).toBe(200);
  });

  it('when the reason is missing or too short, then 400 and nothing changes; an unknown review is 404', async () => {
    const { electrician, ids } = await electricianWithThreeReviews('md-bad');
    for (const body of [{}, { reason: '' }, { reason: '广' }, { reason: 'x'.repeat(201) }]) {
      const res = await hide(admin, ids[0]!, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ['body', 'reason'] }));
    }
    expect((await t.db('reviews').where({ id: ids[0] }).first()).status).toBe('normal');
    expect(await ratingOf(t, electrician.electricianId)).toEqual({ rating: 4.11, count: 3 });
    expect((await hide(admin, 999_999)).status).toBe(404);
  });
});

describe('GET /api/admin/reviews', () => {
  it('when staff filter by electrician, status and reported only, then they get those reviews newest first, with the real reviewer', async () => {
    const { electrician, ids, customers } = await electricianWithThreeReviews('md-list');
    await hide(admin, ids[0]!);
    const reader = await login(t, 'md-list-r');
    await t.http.post(`/api/reviews/${ids[2]}/report`).set(reader.auth).send({ reason: '辱骂' });
    const list = (query: string) =>
      t.http.get(`/api/admin/reviews?electricianId=${electrician.electricianId}&${query}`).set(admin.auth);

    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.body.data.map((r: { id: number }) => r.id)).toEqual([...ids].reverse());
    expect(all.body.pagination).toEqual({ page: 1, limit: 10, total: 3 });
    expect(all.body.data[2].reviewer.userId).toBe(customers[0]!.userId);

    expect((await list('status=hidden')).body.data.map((r: { id: number }) => r.id)).toEqual([ids[0]]);
    expect((await list('status=normal')).body.data.map((r: { id: number }) => r.id)).toEqual([ids[2], ids[1]]);
    const reported = await list('reportedOnly=true');
    expect(reported.body.data.map((r: { id: number }) => r.id)).toEqual([ids[2]]);
    expect(reported.body.data[0].reportCount).toBe(1);
    const paged = await list('limit=2&page=2');
    expect(paged.body.data.map((r: { id: number }) => r.id)).toEqual([ids[0]]);
    expect(paged.body.pagination).toEqual({ page: 2, limit: 2, total: 3 });
  });

  it('when the filters are malformed or the caller is not staff, then 400 / 403', async () => {
    const bad = await t.http.get('/api/admin/reviews?status=deleted&reportedOnly=maybe&limit=101').set(admin.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['query.status', 'query.reportedOnly', 'query.limit']),
    );
    const user = await login(t, 'md-list-user');
    expect((await t.http.get('/api/admin/reviews').set(user.auth)).status).toBe(403);
  });
});
