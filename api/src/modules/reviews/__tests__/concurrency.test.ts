/**
 * Races on reviews. The requests go over real sockets to a listening server, so on MariaDB
 * (npm run test:mysql) they run in parallel transactions; on SQLite they serialise and the same
 * invariants must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type RunningServer } from '../../../server';
import { count, createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { paidOrder, paidOrderBetween, ratingOf, ratings, review } from './review-helpers';

interface Reply {
  status: number;
  code?: string;
  data?: Record<string, unknown>;
}

describe('concurrent reviews and reactions', () => {
  let t: TestApp;
  let server: RunningServer;

  async function post(s: Session, path: string, body: object = {}): Promise<Reply> {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...s.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data?: Reply['data']; error?: { code: string } };
    return { status: res.status, code: json.error?.code, data: json.data };
  }

  const tally = (replies: Reply[]) => {
    const out: Record<string, number> = {};
    for (const r of replies) {
      const key = r.code ? `${r.status} ${r.code}` : String(r.status);
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };

  beforeAll(async () => {
    t = await createTestApp();
    server = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
  });

  afterAll(async () => {
    await server?.stop();
    await t?.close();
  });

  it('when the customer submits the same review 6 times at once, then exactly one is stored and the others get ALREADY_REVIEWED', async () => {
    const o = await paidOrder(t, 'rc-dup');
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(o.customer, `/api/orders/${o.orderId}/review`, ratings(5, 4, (i % 5) + 1))),
    );
    expect(tally(replies)).toEqual({ '201': 1, '409 ALREADY_REVIEWED': 5 });
    expect(await count(t.db, 'reviews', { order_id: o.orderId })).toBe(1);
    const stored = replies.find((r) => r.status === 201)!.data!;
    expect(await ratingOf(t, o.electrician.electricianId)).toEqual({ rating: stored.overallRating, count: 1 });
  });

  it("when several customers review one electrician's orders at once, then every review counts and the rating is their exact mean", async () => {
    const electrician = await loginAsElectrician(t, 'rc-many-e');
    const customers = await Promise.all([1, 2, 3, 4].map((i) => login(t, `rc-many-c${i}`)));
    const orders = [];
    for (const c of customers) orders.push(await paidOrderBetween(t, c, electrician));
    const given = [ratings(5, 5, 5), ratings(4, 4, 5), ratings(3, 3, 3), ratings(2, 3, 3)];

    const replies = await Promise.all(orders.map((o, i) => post(o.customer, `/api/orders/${o.orderId}/review`, given[i]!)));

    expect(tally(replies)).toEqual({ '201': 4 });
    // 5.00 + 4.33 + 3.00 + 2.67 = 15.00 → 3.75
    expect(replies.map((r) => r.data!.overallRating)).toEqual([5, 4.33, 3, 2.67]);
    expect(await ratingOf(t, electrician.electricianId)).toEqual({ rating: 3.75, count: 4 });
  });

  it('when one user double-clicks helpful and report (8 requests each at once), then each counts once and each reaction is stored once', async () => {
    const o = await paidOrder(t, 'rc-click');
    const { id } = await review(t, o.customer, o.orderId);
    const reader = await login(t, 'rc-click-r');

    const helpful = await Promise.all(Array.from({ length: 8 }, () => post(reader, `/api/reviews/${id}/helpful`)));
    const reports = await Promise.all(
      Array.from({ length: 8 }, () => post(reader, `/api/reviews/${id}/report`, { reason: '广告' })),
    );

    expect(tally([...helpful, ...reports])).toEqual({ '200': 16 });
    expect(helpful.filter((r) => r.data!.created === true)).toHaveLength(1);
    expect(reports.filter((r) => r.data!.created === true)).toHaveLength(1);
    const row = await t.db('reviews').where({ id }).first();
    expect({ helpful: Number(row.helpful_count), reports: Number(row.report_count) }).toEqual({ helpful: 1, reports: 1 });
    expect(await count(t.db, 'review_reactions', { review_id: id })).toBe(2);
  });

  it('when 6 users mark one review helpful at once, then the count is 6', async () => {
    const o = await paidOrder(t, 'rc-crowd');
    const { id } = await review(t, o.customer, o.orderId);
    const readers = await Promise.all(Array.from({ length: 6 }, (_, i) => login(t, `rc-crowd-r${i}`)));

    const replies = await Promise.all(readers.map((r) => post(r, `/api/reviews/${id}/helpful`)));

    expect(tally(replies)).toEqual({ '200': 6 });
    expect(Number((await t.db('reviews').where({ id }).first()).helpful_count)).toBe(6);
    expect(await count(t.db, 'review_reactions', { review_id: id, kind: 'helpful' })).toBe(6);
  });
});
