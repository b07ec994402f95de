import type { FaultType } from '../../../config';
import type { Principal } from '../../../shared/auth';
import { notFound } from '../../../shared/errors';
import { boundingBox, distanceKm, roundKm, withinKm, type Point } from '../../../shared/geo';
import { offsetOf, type Page, type PageQuery } from '../../../shared/pagination';
import type { OrderStatus } from '../order-states';
import type { Order, Priority } from '../orders.repository';
import { eligible, notEligible, type OrdersRunner } from './runner';

type Ranked = { order: Order; km: number };
/** The hall's order: nearest first, then the oldest, then the lowest id. */
const before = (a: Ranked, b: Ranked) =>
  a.km - b.km < 0 ||
  (a.km === b.km &&
    (a.order.createdAt.getTime() < b.order.createdAt.getTime() ||
      (a.order.createdAt.getTime() === b.order.createdAt.getTime() && a.order.id < b.order.id)));

/** Reading orders: one order's visibility, events and quotes, the lists and the hall. */
export function createOrderQueries(r: OrdersRunner) {
  const { orders, me, visibility } = r;
  return {
    visibility,

    async events(p: Principal, id: number) {
      const { view } = await visibility(p, id);
      if (view !== 'full') throw notFound('工单不存在');
      return orders.events(id);
    },

    quotes: (id: number) => orders.quotes(id),

    async list(
      p: Principal,
      q: PageQuery & { status?: OrderStatus; as?: 'customer' | 'electrician'; owed?: boolean },
    ): Promise<Page<Order>> {
      const as = q.as ?? (p.userType === 'electrician' ? 'electrician' : 'customer');
      let filter: { userId?: number; electricianId?: number } = { userId: p.id };
      if (as === 'electrician') {
        const e = await me(p);
        if (!e) throw notEligible('你还不是认证电工');
        filter = { electricianId: e.id };
      }
      const { items, total } = await orders.list({
        ...filter,
        status: q.status,
        owed: q.owed,
        offset: offsetOf(q),
        limit: q.limit,
      });
      return { items, total, page: q.page, limit: q.limit };
    },

    async adminList(
      q: PageQuery & { status?: OrderStatus; electricianId?: number; from?: Date; to?: Date; keyword?: string },
    ): Promise<Page<Order>> {
      const { items, total } = await orders.list({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    /**
     * The order hall: pending orders within the radius, nearest first (then oldest, then lowest id).
     * The hall index (hall-index.ts) narrows to a latitude/longitude box in memory; exact
     * great-circle distances decide membership and order. Only the page is sorted: a bounded
     * insertion keeps the first `offset + limit`, so the work is one pass over the orders in range.
     */
    async hall(
      p: Principal,
      q: PageQuery & Point & { radiusKm: number; faultType?: FaultType; priority?: Priority },
    ): Promise<Page<{ order: Order; distanceKm: number }>> {
      const e = await me(p);
      if (!eligible(e)) throw notEligible('仅已认证且在线的电工可以查看工单大厅');
      const center = { latitude: q.latitude, longitude: q.longitude };
      const candidates = await r.hall.candidates({
        box: boundingBox(center, q.radiusKm),
        faultType: q.faultType,
        priority: q.priority,
        minEstimatedAmount: e.minOrderAmount,
        excludeUserId: p.id,
      });
      const offset = offsetOf(q);
      const keep = offset + q.limit;
      const first: { order: Order; km: number }[] = [];
      let total = 0;
      for (const order of candidates) {
        const km = distanceKm(center, order);
        if (!withinKm(km, q.radiusKm)) continue;
        total++;
        const c = { order, km };
        if (first.length === keep && !before(c, first[keep - 1]!)) continue;
        let i = first.length === keep ? keep - 1 : first.length;
        while (i > 0 && before(c, first[i - 1]!)) {
          first[i] = first[i - 1]!;
          i--;
        }
        first[i] = c;
      }
      const items = first.slice(offset).map((c) => ({ order: c.order, distanceKm: roundKm(c.km) }));
      return { items, total, page: q.page, limit: q.limit };
    },
  };
}
