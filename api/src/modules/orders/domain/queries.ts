import type { FaultType } from '../../../config';
import type { Principal } from '../../../shared/auth';
import { notFound } from '../../../shared/errors';
import { boundingBox, distanceKm, roundKm, withinKm, type Point } from '../../../shared/geo';
import { offsetOf, type Page, type PageQuery } from '../../../shared/pagination';
import type { OrderStatus } from '../order-states';
import type { Order, Priority } from '../orders.repository';
import { eligible, notEligible, type OrdersRunner } from './runner';

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
     * The order hall: pending orders within the radius, nearest first. The database narrows to a
     * latitude/longitude box on an index; exact great-circle distances decide membership and order.
     */
    async hall(
      p: Principal,
      q: PageQuery & Point & { radiusKm: number; faultType?: FaultType; priority?: Priority },
    ): Promise<Page<{ order: Order; distanceKm: number }>> {
      const e = await me(p);
      if (!eligible(e)) throw notEligible('仅已认证且在线的电工可以查看工单大厅');
      const center = { latitude: q.latitude, longitude: q.longitude };
      const candidates = await orders.hallCandidates({
        box: boundingBox(center, q.radiusKm),
        faultType: q.faultType,
        priority: q.priority,
        minEstimatedAmount: e.minOrderAmount,
        excludeUserId: p.id,
      });
      const inRange = candidates
        .map((c) => ({ ...c, distanceKm: distanceKm(center, c) }))
        .filter((c) => withinKm(c.distanceKm, q.radiusKm))
        .sort((a, b) => a.distanceKm - b.distanceKm || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
      const pageIds = inRange.slice(offsetOf(q), offsetOf(q) + q.limit);
      const byId = new Map((await orders.findByIds(pageIds.map((c) => c.id))).map((o) => [o.id, o]));
      const items = pageIds
        .map((c) => ({ order: byId.get(c.id), distanceKm: roundKm(c.distanceKm) }))
        .filter((x): x is { order: Order; distanceKm: number } => !!x.order);
      return { items, total: inRange.length, page: q.page, limit: q.limit };
    },
  };
}
