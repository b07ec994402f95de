import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, uploadImage } from '../../orders/__tests__/order-helpers';
import { completedOrder } from '../../payments/__tests__/payment-helpers';
import { REVIEW_TAGS } from '../reviews.schemas';
import { paidOrder, ratingOf, ratings, recordEvents, review } from './review-helpers';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t?.close();
});

/** What a rejected review must leave as it was. */
async function state(orderId: number, electricianId: number) {
  return {
    reviews: await count(t.db, 'reviews', { order_id: orderId }),
    orderRating: (await t.db('orders').where({ id: orderId }).first()).rating,
    electrician: await ratingOf(t, electricianId),
    attached: await t.db('uploads').where({ resource_type: 'review' }).count({ n: '*' }).first(),
  };
}

const post = (s: Session, orderId: number, body: object) => t.http.post(`/api/orders/${orderId}/review`).set(s.auth).send(body);

describe('POST /api/orders/:id/review', () => {
  it('when the customer reviews a completed, paid order, then the review is stored with the overall mean, signed images, and the rating is recomputed', async () => {
    const o = await paidOrder(t, 'rv-ok');
    const photo = await uploadImage(t, o.customer, 'review');
    const events = recordEvents(t, 'review.created');

    const res = await post(o.customer, o.orderId, {
      ...ratings(5, 4, 4),
      content: '师傅很专业，半小时就修好了',
      tags: ['技术专业', '准时上门'],
      images: [photo],
    });

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      orderId: o.orderId,
      electricianId: o.electrician.electricianId,
      serviceRating: 5,
      qualityRating: 4,
      speedRating: 4,
      overallRating: 4.33,
      content: '师傅很专业，半小时就修好了',
      tags: ['技术专业', '准时上门'],
      isAnonymous: false,
      reply: null,
      helpfulCount: 0,
      reportCount: 0,
      status: 'normal',
      reviewer: { userId: o.customer.userId },
    });
    expect(res.body.data.images).toEqual([{ id: photo, url: expect.stringMatching(/^\/api\/files\/\d+\?exp=\d+&sig=/) }]);
    expect((await t.http.get(res.body.data.images[0].url)).status).toBe(200);

    const row = await t.db('reviews').where({ order_id: o.orderId }).first();
    expect(Number(row.overall_rating)).toBe(4.33);
    expect(Number((await t.db('orders').where({ id: o.orderId }).first()).rating)).toBe(4.33);
    expect(await ratingOf(t, o.electrician.electricianId)).toEqual({ rating: 4.33, count: 1 });
    const upload = await t.db('uploads').where({ id: photo }).first();
    expect({ type: upload.resource_type, id: Number(upload.resource_id) }).toEqual({ type: 'review', id: row.id });

    await t.c.bus.drain();
    events.stop();
    expect(events.seen).toEqual([
      expect.objectContaining({
        name: 'review.created',
        reviewId: row.id,
        orderId: o.orderId,
        customerId: o.customer.userId,
        electricianId: o.electrician.electricianId,
        electricianUserId: o.electrician.userId,
        overallRating: 4.33,
      }),
    ]);
  });

  it('when the ratings are 5, 5 and 4, then the overall rating is 4.67 (mean rounded to 2 decimals)', async () => {
    const o = await paidOrder(t, 'rv-mean');
    expect((await review(t, o.customer, o.orderId, ratings(5, 5, 4))).overallRating).toBe(4.67);
  });

  it('when the order is not completed yet, then 409 INVALID_TRANSITION and nothing is stored', async () => {
    const customer = await login(t, 'rv-pending-c');
    const order = await placeOrder(t, customer);
    const res = await post(customer, order.id, ratings(5, 5, 5));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_TRANSITION');
    expect(await count(t.db, 'reviews', { order_id: order.id })).toBe(0);
  });

  it('when the order is completed but not paid, then 409 INVALID_TRANSITION and nothing changes', async () => {
    const o = await completedOrder(t, 'rv-unpaid');
    const before = await state(o.orderId, o.electrician.electricianId);
    const res = await post(o.customer, o.orderId, ratings(5, 5, 5));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'INVALID_TRANSITION', message: '工单支付后才能评价' });
    expect(await state(o.orderId, o.electrician.electricianId)).toEqual(before);
  });

  it("when someone other than the order's customer reviews it (a stranger, its electrician), then 404 and nothing changes", async () => {
    const o = await paidOrder(t, 'rv-owner');
    const stranger = await login(t, 'rv-owner-x');
    const before = await state(o.orderId, o.electrician.electricianId);
    for (const s of [stranger, o.electrician]) {
      const res = await post(s, o.orderId, ratings(1, 1, 1));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect(await state(o.orderId, o.electrician.electricianId)).toEqual(before);
  });

  it('when the customer reviews the same order twice, then the second gets 409 ALREADY_REVIEWED and the first stands', async () => {
    const o = await paidOrder(t, 'rv-twice');
    await review(t, o.customer, o.orderId, ratings(4, 4, 4));
    const before = await state(o.orderId, o.electrician.electricianId);
    const res = await post(o.customer, o.orderId, ratings(1, 1, 1));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ALREADY_REVIEWED');
    expect(await state(o.orderId, o.electrician.electricianId)).toEqual(before);
    expect(before.electrician).toEqual({ rating: 4, count: 1 });
  });

  it('when a rating is out of range, not an integer or missing, then 400 with the offending paths and nothing changes', async () => {
    const o = await paidOrder(t, 'rv-range');
    const before = await state(o.orderId, o.electrician.electricianId);
    const cases: [object, string][] = [
      [ratings(0, 5, 5), 'serviceRating'],
      [ratings(5, 6, 5), 'qualityRating'],
      [ratings(5, 5, 4.5), 'speedRating'],
      [{ serviceRating: 5, qualityRating: 5 }, 'speedRating'],
      [{ ...ratings(5, 5, '5' as unknown as number) }, 'speedRating'],
    ];
    for (const [body, field] of cases) {
      const res = await post(o.customer, o.orderId, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ['body', field] }));
    }
    expect(await state(o.orderId, o.electrician.electricianId)).toEqual(before);
  });

  it('when content is too long, a tag is not in the list or repeats, or a field is unknown, then 400 and nothing changes', async () => {
    const o = await paidOrder(t, 'rv-fields');
    const before = await state(o.orderId, o.electrician.electricianId);
    const cases: [object, (string | number)[]][] = [
      [{ ...ratings(5, 5, 5), content: '好'.repeat(501) }, ['body', 'content']],
      [{ ...ratings(5, 5, 5), tags: ['价格便宜'] }, ['body', 'tags', 0]],
      [{ ...ratings(5, 5, 5), tags: ['技术专业', '技术专业'] }, ['body', 'tags']],
      [{ ...ratings(5, 5, 5), isAnonymous: 'yes' }, ['body', 'isAnonymous']],
      [{ ...ratings(5, 5, 5), images: Array.from({ length: 10 }, (_, i) => i + 1) }, ['body', 'images']],
      [{ ...ratings(5, 5, 5), rating: 5 }, ['body']],
    ];
    for (const [body, path] of cases) {
      const res = await post(o.customer, o.orderId, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path }));
    }
    expect(await state(o.orderId, o.electrician.electricianId)).toEqual(before);
    const longest = await post(o.customer, o.orderId, { ...ratings(5, 5, 5), content: '好'.repeat(500), tags: [...REVIEW_TAGS] });
    expect(longest.status).toBe(201);
  });

  it("when the images are someone else's review uploads or the customer's uploads of another purpose, then 400 INVALID_UPLOAD and nothing changes", async () => {
    const o = await paidOrder(t, 'rv-images');
    const other = await login(t, 'rv-images-x');
    const foreign = await uploadImage(t, other, 'review');
    const orderPhoto = await uploadImage(t, o.customer, 'order');
    const before = await state(o.orderId, o.electrician.electricianId);

    for (const images of [[foreign], [orderPhoto]]) {
      const res = await post(o.customer, o.orderId, { ...ratings(5, 5, 5), images });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_UPLOAD');
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: ['body', 'images', 0], id: images[0] })]);
    }
    expect(await state(o.orderId, o.electrician.electricianId)).toEqual(before);
    expect((await t.db('uploads').where({ id: foreign }).first()).attached_at).toBeNull();
  });

  it('when an order id is not a positive integer, then 400', async () => {
    const s = await login(t, 'rv-badid');
    const res = await t.http
      .post('/api/orders/abc/review')
      .set(s.auth)
      .send(ratings(5, 5, 5));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ['params', 'id'] }));
  });
});

describe('GET /api/orders/:id/review', () => {
  it("when the order's customer, its electrician, staff and a stranger ask, then the parties get it (the reviewer masked for the electrician) and the stranger 404", async () => {
    const o = await paidOrder(t, 'rv-get');
    await t.db('users').where({ id: o.customer.userId }).update({ nickname: '王小明' });
    await review(t, o.customer, o.orderId, { ...ratings(5, 5, 5), isAnonymous: true });
    const admin = await loginAsAdmin(t);
    const stranger = await login(t, 'rv-get-x');
    const get = (s: Session) => t.http.get(`/api/orders/${o.orderId}/review`).set(s.auth);

    const mine = await get(o.customer);
    expect(mine.status).toBe(200);
    expect(mine.body.data.reviewer).toEqual({ userId: o.customer.userId, nickname: '王小明', avatarUrl: null });

    const electrician = await get(o.electrician);
    expect(electrician.status).toBe(200);
    expect(electrician.body.data.reviewer).toEqual({ userId: null, nickname: '匿名用户', avatarUrl: null });
    expect(JSON.stringify(electrician.body)).not.toContain('王小明');

    const staff = await get(admin);
    expect(staff.status).toBe(200);
    expect(staff.body.data.reviewer.userId).toBe(o.customer.userId);

    expect((await get(stranger)).status).toBe(404);
  });

  it('when the order has no review yet, then 404', async () => {
    const o = await paidOrder(t, 'rv-none');
    const res = await t.http.get(`/api/orders/${o.orderId}/review`).set(o.customer.auth);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('该工单还没有评价');
  });
});

describe('GET /api/reviews/tags', () => {
  it('when anyone asks, even without a token, then it is the fixed tag list', async () => {
    const res = await t.http.get('/api/reviews/tags');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([...REVIEW_TAGS]);
    expect(res.body.data).toContain('准时上门');
  });
});
