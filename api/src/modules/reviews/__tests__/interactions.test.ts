import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../shared/clock';
import {
  count,
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  type Session,
  type TestApp,
} from '../../../../test/harness';
import { uploadImage } from '../../orders/__tests__/order-helpers';
import { paidOrder, paidOrderBetween, ratings, recordEvents, review } from './review-helpers';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

const reply = (s: Session, id: number, body: object) => t.http.post(`/api/reviews/${id}/reply`).set(s.auth).send(body);
const react = (s: Session, id: number, kind: 'helpful' | 'report', body: object = {}) =>
  t.http.post(`/api/reviews/${id}/${kind}`).set(s.auth).send(body);
const replyRow = async (id: number) => {
  const r = await t.db('reviews').where({ id }).first();
  return { content: r.reply_content, at: r.replied_at };
};

describe('POST /api/reviews/:id/reply', () => {
  it("when the order's electrician replies, then the reply is stored with its time and published; a second reply is 409 ALREADY_REPLIED", async () => {
    const o = await paidOrder(t, 'ri-reply');
    const { id } = await review(t, o.customer, o.orderId);
    const events = recordEvents(t, 'review.replied');

    const res = await reply(o.electrician, id, { content: '感谢您的认可，有问题随时联系' });
    expect(res.status).toBe(200);
    expect(res.body.data.reply).toEqual({ content: '感谢您的认可，有问题随时联系', repliedAt: t.clock.now().toISOString() });

    const before = await replyRow(id);
    const again = await reply(o.electrician, id, { content: '改一下回复' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REPLIED');
    expect(await replyRow(id)).toEqual(before);

    await t.c.bus.drain();
    events.stop();
    expect(events.seen).toEqual([
      expect.objectContaining({
        name: 'review.replied',
        reviewId: id,
        orderId: o.orderId,
        customerId: o.customer.userId,
        electricianUserId: o.electrician.userId,
      }),
    ]);
  });

  it("when anyone but the order's electrician replies (the customer, another electrician, staff), then 403 and nothing is stored", async () => {
    const o = await paidOrder(t, 'ri-who');
    const { id } = await review(t, o.customer, o.orderId);
    const other = await loginAsElectrician(t, 'ri-who-e2');
    const admin = await loginAsAdmin(t);
    for (const s of [o.customer, other, admin]) {
      const res = await reply(s, id, { content: '冒充回复' });
      expect(res.status).toBe(403);
    }
    expect(await replyRow(id)).toEqual({ content: null, at: null });
    expect((await reply(o.electrician, 999_999, { content: '回复' })).status).toBe(404);
  });

  it('when the reply is empty, blank or too long, then 400 and nothing is stored', async () => {
    const o = await paidOrder(t, 'ri-bad');
    const { id } = await review(t, o.customer, o.orderId);
    for (const body of [{}, { content: '   ' }, { content: '谢'.repeat(501) }, { content: 5 }]) {
      const res = await reply(o.electrician, id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ['body', 'content'] }));
    }
    expect(await replyRow(id)).toEqual({ content: null, at: null });
  });
});

describe('POST /api/reviews/:id/helpful and /report', () => {
  it('when a user marks helpful or reports twice, then each counts once; other users add to the counts', async () => {
    const o = await paidOrder(t, 'ri-react');
    const { id } = await review(t, o.customer, o.orderId);
    const a = await login(t, 'ri-react-a');
    const b = await login(t, 'ri-react-b');

    expect((await react(a, id, 'helpful')).body.data).toEqual({
      reviewId: id,
      kind: 'helpful',
      created: true,
      helpfulCount: 1,
      reportCount: 0,
    });
    expect((await react(a, id, 'helpful')).body.data).toMatchObject({ created: false, helpfulCount: 1 });
    expect((await react(b, id, 'helpful')).body.data).toMatchObject({ created: true, helpfulCount: 2 });
    expect((await react(a, id, 'report', { reason: '内容不实' })).body.data).toMatchObject({
      created: true,
      helpfulCount: 2,
      reportCount: 1,
    });
    expect((await react(a, id, 'report', { reason: '再举报一次' })).body.data).toMatchObject({ created: false, reportCount: 1 });

    const reportRow = await t.db('review_reactions').where({ review_id: id, user_id: a.userId, kind: 'report' }).first();
    expect(reportRow.reason).toBe('内容不实');
    expect(await count(t.db, 'review_reactions', { review_id: id })).toBe(3);
    const list = await t.http.get(`/api/electricians/${o.electrician.electricianId}/reviews`).set(b.auth);
    expect(list.body.data[0]).toMatchObject({ id, helpfulCount: 2, reportCount: 1 });
  });

  it('when the review is hidden or does not exist, then 404 and nothing is stored', async () => {
    const o = await paidOrder(t, 'ri-hidden');
    const { id } = await review(t, o.customer, o.orderId);
    const admin = await loginAsAdmin(t);
    await t.http.post(`/api/admin/reviews/${id}/hide`).set(admin.auth).send({ reason: '违规内容' });
    const a = await login(t, 'ri-hidden-a');
    expect((await react(a, id, 'helpful')).status).toBe(404);
    expect((await react(a, 999_999, 'report')).status).toBe(404);
    expect(await count(t.db, 'review_reactions', { review_id: id })).toBe(0);
    expect(Number((await t.db('reviews').where({ id }).first()).helpful_count)).toBe(0);
  });

  it('when the reason is too long or not text, then 400 and nothing is stored', async () => {
    const o = await paidOrder(t, 'ri-reason');
    const { id } = await review(t, o.customer, o.orderId);
    const a = await login(t, 'ri-reason-a');
    for (const body of [{ reason: 'x'.repeat(201) }, { reason: 1 }, { reason: '' }]) {
      const res = await react(a, id, 'report', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ['body', 'reason'] }));
    }
    expect(await count(t.db, 'review_reactions', { review_id: id })).toBe(0);
  });
});

describe('GET /api/electricians/:id/reviews', () => {
  it('when reviews are listed, then they are visible ones, newest first, paginated, with reply, tags, signed images and masked reviewers (匿名用户 when anonymous)', async () => {
    const electrician = await loginAsElectrician(t, 'ri-list-e');
    const named = await login(t, 'ri-list-named');
    const hidden = await login(t, 'ri-list-anon');
    await t.db('users').where({ id: named.userId }).update({ nickname: '李雷雷', avatar: 'https://example.com/li.png' });
    await t.db('users').where({ id: hidden.userId }).update({ nickname: '韩梅梅', avatar: 'https://example.com/han.png' });

    const first = await paidOrderBetween(t, named, electrician);
    const photo = await uploadImage(t, named, 'review');
    const older = await review(t, named, first.orderId, { ...ratings(5, 5, 5), tags: ['态度热情'], images: [photo] });
    await reply(electrician, older.id, { content: '谢谢' });
    t.clock.advance(MINUTE);
    const second = await paidOrderBetween(t, hidden, electrician);
    const newer = await review(t, hidden, second.orderId, { ...ratings(4, 4, 4), content: '不错', isAnonymous: true });
    const reader = await login(t, 'ri-list-reader');

    const res = await t.http.get(`/api/electricians/${electrician.electricianId}/reviews`).set(reader.auth);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ page: 1, limit: 10, total: 2 });
    expect(res.body.data.map((r: { id: number }) => r.id)).toEqual([newer.id, older.id]);
    expect(res.body.data[0]).toMatchObject({
      isAnonymous: true,
      reviewer: { userId: null, nickname: '匿名用户', avatarUrl: null },
      content: '不错',
      overallRating: 4,
      hiddenReason: null,
    });
    expect(res.body.data[1]).toMatchObject({
      reviewer: { userId: null, nickname: '李**', avatarUrl: 'https://example.com/li.png' },
      tags: ['态度热情'],
      reply: { content: '谢谢' },
      images: [{ id: photo, url: expect.stringMatching(/^\/api\/files\//) }],
    });
    const body = JSON.stringify(res.body);
    for (const secret of ['韩梅梅', 'han.png', '李雷雷', `"userId":${hidden.userId}`]) expect(body).not.toContain(secret);

    const page2 = await t.http.get(`/api/electricians/${electrician.electricianId}/reviews?page=2&limit=1`).set(reader.auth);
    expect(page2.body.data.map((r: { id: number }) => r.id)).toEqual([older.id]);
    expect(page2.body.pagination).toEqual({ page: 2, limit: 1, total: 2 });
  });

  it('when the electrician replies to an anonymous review, then the reply response masks the reviewer too', async () => {
    const o = await paidOrder(t, 'ri-anon-reply');
    await t.db('users').where({ id: o.customer.userId }).update({ nickname: '周杰' });
    const { id } = await review(t, o.customer, o.orderId, { ...ratings(3, 3, 3), isAnonymous: true });
    const res = await reply(o.electrician, id, { content: '我们会改进' });
    expect(res.body.data.reviewer).toEqual({ userId: null, nickname: '匿名用户', avatarUrl: null });
    expect(JSON.stringify(res.body)).not.toContain('周杰');
  });

  it('when the electrician is unknown or the page is malformed, then 404 / 400', async () => {
    const reader = await login(t, 'ri-list-bad');
    expect((await t.http.get('/api/electricians/999999/reviews').set(reader.auth)).status).toBe(404);
    const bad = await t.http.get('/api/electricians/1/reviews?page=0&limit=101').set(reader.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['query.page', 'query.limit']);
    expect((await t.http.get('/api/electricians/1/reviews')).status).toBe(401);
  });
});
