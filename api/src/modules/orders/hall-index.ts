import RBush from 'rbush';
import type { Logger } from '../../shared/logger';
import type { OrderChanged } from './orders.events';
import type { HallFilter, Order, OrdersRepository } from './orders.repository';

/**
 * The order hall served from memory: every pending order, in an R-tree on its coordinates, so that
 * a hall page costs a box search among the orders near the electrician instead of a database query
 * reading thousands of rows. `rbush` because orders enter and leave the hall one at a time all day:
 * it inserts and removes single points in O(log n), where a static kd-tree (`kdbush`) would be
 * rebuilt from all 20,000 on every grab.
 *
 * The database stays the truth (a grab is still the conditional update: a stale entry costs a 409).
 * The index is kept current
 * - by this instance's commits at once: `order.*` domain events carry the order as committed;
 * - by every instance's commits within a second: `follow()` (the `orders.hall-follow` job, twice a second) reads the
 *   order events after its cursor and reloads those orders by id;
 * - and from scratch by `reload()`: on the first hall request, at start and every minute (the
 *   `orders.hall-reload` job).
 *
 * Each entry keeps the order's version (every transition bumps it), and each removal leaves the
 * version it saw, so an older state never overwrites a newer one however the three paths interleave.
 */
export interface HallIndex {
  /** The hall's candidates: pending orders inside `f.box` passing its filters, exactly as the SQL prefilter (`hallCandidates`). */
  candidates(f: HallFilter): Promise<Order[]>;
  /** Applies an order's committed state: pending orders are in the hall, any other status is not. */
  apply(order: Order): void;
  /** Catches up with the order events committed since the last look (any instance's). */
  follow(): Promise<number>;
  /** Loads every pending order again and replaces the index with them. */
  reload(): Promise<number>;
  /** Entries held (tests, metrics). */
  size(): number;
}

type Source = Pick<OrdersRepository, 'pendingAfter' | 'lastEventId' | 'eventsAfter' | 'findByIds'>;

interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  order: Order;
}

const LOAD_BATCH = 2_000;
const FOLLOW_BATCH = 1_000;
/** How long an event id skipped by `follow` is looked for again: its transaction may still commit (MariaDB assigns ids before commit). */
const GAP_TTL_MS = 30_000;

/** Every `OrderChanged` name: any of them may move an order into or out of the hall. */
export const ORDER_CHANGED_NAMES: OrderChanged['name'][] = [
  'order.created',
  'order.accepted',
  'order.released',
  'order.arrived',
  'order.quoted',
  'order.quote_rejected',
  'order.quote_accepted',
  'order.completed',
  'order.cancelled',
  'order.expired',
  'order.reworked',
];

const entryOf = (order: Order): Entry => ({
  minX: order.longitude,
  minY: order.latitude,
  maxX: order.longitude,
  maxY: order.latitude,
  order,
});

export function createHallIndex(source: Source, logger: Logger): HallIndex {
  let tree = new RBush<Entry>();
  let byId = new Map<number, Entry>();
  /** Orders seen leaving the hall, with the version they left at (cleared by each reload). */
  let left = new Map<number, number>();
  let cursor = 0;
  const gaps = new Map<number, number>();
  /** The states applied while a reload reads the database, applied again on top of what it read. */
  let duringLoad: Order[] | null = null;
  let loaded: Promise<void> | null = null;
  /** follow and reload run one at a time. */
  let lane: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = lane.then(f, f);
    lane = run.catch(() => undefined);
    return run;
  };

  function applyTo(o: Order): void {
    const held = byId.get(o.id);
    if (held && held.order.version > o.version) return;
    const gone = left.get(o.id);
    if (gone !== undefined && gone >= o.version) return;
    if (held) {
      tree.remove(held);
      byId.delete(o.id);
    }
    if (o.status === 'pending') {
      const e = entryOf(o);
      tree.insert(e);
      byId.set(o.id, e);
      left.delete(o.id);
    } else {
      left.set(o.id, o.version);
    }
  }

  function apply(o: Order): void {
    if (duringLoad) duringLoad.push(o);
    // Before the first load nothing is held: the load reads this order's state from the database.
    if (loaded) applyTo(o);
  }

  async function load(): Promise<number> {
    const from = await source.lastEventId();
    duringLoad = [];
    try {
      const all: Order[] = [];
      for (let after = 0; ;) {
        const batch = await source.pendingAfter(after, LOAD_BATCH);
        all.push(...batch);
        if (batch.length < LOAD_BATCH) break;
        after = batch[batch.length - 1]!.id;
      }
      const entries = all.map(entryOf);
      const next = new RBush<Entry>();
      next.load(entries);
      tree = next;
      byId = new Map(entries.map((e) => [e.order.id, e]));
      left = new Map();
      for (const o of duringLoad) applyTo(o);
      // Whatever committed while the orders were read is read again by the next follow.
      cursor = Math.min(cursor, from) || from;
      return entries.length;
    } finally {
      duringLoad = null;
    }
  }

  const reload = () =>
    serial(async () => {
      const n = await load();
      loaded ??= Promise.resolve();
      return n;
    });

  function ensureLoaded(): Promise<void> {
    loaded ??= reload().then(
      () => undefined,
      (err: unknown) => {
        loaded = null;
        throw err;
      },
    );
    return loaded;
  }

  const follow = () =>
    serial(async () => {
      if (!loaded) return 0;
      const now = Date.now();
      for (const [id, since] of gaps) if (now - since > GAP_TTL_MS) gaps.delete(id);
      const events = await source.eventsAfter(cursor, [...gaps.keys()], FOLLOW_BATCH);
      if (events.length === 0) return 0;
      let expected = cursor + 1;
      for (const e of events) {
        gaps.delete(e.id);
        if (e.id <= cursor) continue;
        for (let id = expected; id < e.id; id++) gaps.set(id, now);
        expected = e.id + 1;
        cursor = e.id;
      }
      const ids = [...new Set(events.map((e) => e.orderId))];
      const orders = await source.findByIds(ids);
      for (const o of orders) applyTo(o);
      if (orders.length < ids.length) logger.warn({ ids }, 'hall index: changed orders not found');
      return ids.length;
    });

  return {
    async candidates(f) {
      await ensureLoaded();
      const hits = tree.search({ minX: f.box.minLng, minY: f.box.minLat, maxX: f.box.maxLng, maxY: f.box.maxLat });
      const out: Order[] = [];
      for (const { order: o } of hits) {
        // The same filters as the SQL prefilter (`hallCandidates`), in the same way.
        if (f.faultType && o.faultType !== f.faultType) continue;
        if (f.priority && o.priority !== f.priority) continue;
        if (f.minEstimatedAmount && !(o.estimatedAmount >= f.minEstimatedAmount)) continue;
        if (f.excludeUserId !== undefined && o.userId === f.excludeUserId) continue;
        out.push(o);
      }
      return out;
    },
    apply,
    follow,
    reload,
    size: () => byId.size,
  };
}
