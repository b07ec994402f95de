import { chinaDay, DAY, MINUTE } from '../../../shared/clock';
import type { OrdersRunner } from './runner';

/** The dashboard's order figures. */
export function createOrderStats(r: OrdersRunner) {
  const { orders, clock } = r;
  return {
    async stats(range?: { from?: Date; to?: Date }) {
      const now = clock.now();
      // "Today" is the calendar day in China Standard Time.
      const cstMidnight = chinaDay(now).start;
      const summarize = async (from: Date, to: Date) => {
        const byStatus = await orders.countByStatus(from, to);
        const created = Object.values(byStatus).reduce((a, b) => a + b, 0);
        const accepts = await orders.acceptTimes(from, to);
        const avg = accepts.length
          ? accepts.reduce((sum, a) => sum + (a.acceptedAt.getTime() - a.createdAt.getTime()), 0) / accepts.length / MINUTE
          : null;
        const rate = (n: number) => (created ? Math.round((n / created) * 10_000) / 10_000 : null);
        return {
          from: from.toISOString(),
          to: to.toISOString(),
          created,
          byStatus,
          gmv: await orders.paidTotal(from, to),
          avgMinutesToAccept: avg === null ? null : Math.round(avg * 10) / 10,
          completionRate: rate(byStatus.completed ?? 0),
          cancellationRate: rate(byStatus.cancelled ?? 0),
        };
      };
      const end = new Date(now.getTime() + 1);
      return {
        today: await summarize(cstMidnight, end),
        last7Days: await summarize(new Date(cstMidnight.getTime() - 6 * DAY), end),
        ...(range?.from || range?.to ? { range: await summarize(range.from ?? new Date(0), range.to ?? end) } : {}),
      };
    },
  };
}
