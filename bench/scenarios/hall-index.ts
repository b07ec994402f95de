import { createHallIndex } from '../../api/src/modules/orders/hall-index';
import type { Order } from '../../api/src/modules/orders/orders.repository';
import { createLogger } from '../../api/src/shared/logger';
import type { BenchContext } from '../lib/context';
import { around } from '../lib/seed';
import { summarize, type Row } from '../lib/stats';

const FAULT_TYPES = ['circuit', 'appliance', 'lighting', 'installation', 'maintenance', 'emergency', 'other'] as const;
const SIZES = [20_000, 100_000];
const PAGES = 3_000;

/**
 * The hall index alone, in this process: a page of 20 at a 10 km radius (leaving out the caller's
 * own orders) from random positions, among 20,000 and 100,000 pending orders spread as in the bench's
 * world. What the city's size costs the index itself, apart from HTTP, sessions and the database.
 */
export async function run(_ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of SIZES) {
    const created = new Date();
    const orders = Array.from(
      { length: size },
      (_, i) =>
        ({
          id: i + 1,
          version: 1,
          status: 'pending',
          userId: 1 + (i % 500),
          faultType: FAULT_TYPES[i % FAULT_TYPES.length],
          priority: 'medium',
          estimatedAmount: 12_000,
          createdAt: new Date(created.getTime() - i * 1000),
          electricianId: null,
          ...around(30),
        }) as unknown as Order,
    );
    const index = createHallIndex(
      {
        lastEventId: () => Promise.resolve(0),
        pendingAfter: (after, limit) => Promise.resolve(orders.slice(after, after + limit)),
        eventsAfter: () => Promise.resolve([]),
        findByIds: () => Promise.resolve([]),
      },
      createLogger('silent'),
    );
    const page = (i: number) =>
      index.page({ center: around(15), radiusKm: 10, filter: { excludeUserId: 1 + (i % 500) }, offset: 0, limit: 20 });
    for (let i = 0; i < 300; i++) await page(i); // loads the index and warms the code up
    const samples: number[] = [];
    const began = performance.now();
    for (let i = 0; i < PAGES; i++) {
      const t0 = performance.now();
      await page(i);
      samples.push(performance.now() - t0);
    }
    const s = summarize(samples);
    rows.push({
      scenario: `hall index: a page among ${size.toLocaleString('en-US')} pending`,
      concurrency: 1,
      requests: s.count,
      median: s.median,
      p95: s.p95,
      p99: s.p99,
      throughput: PAGES / ((performance.now() - began) / 1000),
    });
  }
  return rows;
}
