import type { FaultType } from '../../../config';
import type { Principal } from '../../../shared/auth';
import { notFound } from '../../../shared/errors';
import { roundKm, type Point } from '../../../shared/geo';
import { offsetOf, type Page, type PageQuery } from '../../../shared/pagination';
import type { OrderStatus } from '../order-states';
import type { HallOrder, Order, Priority } from '../orders.repository';
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
     * The order hall: pending orders within the radius, nearest first (then oldest, then lowest id),
     * served from the hall index (hall-index.ts): a box search in memory, exact great-circle
     * distances for membership and order, and only the page ranked, shown as the index holds it.
     */
    async hall(
      p: Principal,
      q: PageQuery & Point & { radiusKm: number; faultType?: FaultType; priority?: Priority },
    ): Promise<Page<{ order: HallOrder; distanceKm: number }>> {
      // The profile as this instance holds it: the hall only shows, a grab checks the row itself.
      const e = await r.electricians.heldByUserId(p.id);
      if (!eligible(e)) throw notEligible('仅已认证且在线的电工可以查看工单大厅');
      const { items, total } = await r.hall.page({
        center: { latitude: q.latitude, longitude: q.longitude },
        radiusKm: q.radiusKm,
        filter: { faultType: q.faultType, priority: q.priority, minEstimatedAmount: e.minOrderAmount, excludeUserId: p.id },
        offset: offsetOf(q),
        limit: q.limit,
      });
      // The page as the index holds it: what the hall shows of each order, read nothing more.
      const page = items.map((i) => ({ order: i.order, distanceKm: roundKm(i.km) }));
      return { items: page, total, page: q.page, limit: q.limit };
    },
  };
}
