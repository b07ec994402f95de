import RBush from 'rbush';
import { boundingBox, distanceKm, EARTH_RADIUS_KM, withinKm, type Point } from '../../shared/geo';
import type { Logger } from '../../shared/logger';
import { EVENT_OF } from './order-states';
import type { OrderChanged } from './orders.events';
import { hallOrderOf } from './order-queries.repository';
import type { HallFilter, HallOrder, OrdersRepository } from './orders.repository';

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
 *
 * What left the hall is kept too (`departed`), with whose order it is and who holds it, from the
 * first commit this instance sees on (before the first load as well) and across reloads, the most
 * recent `DEPARTED_KEPT`: a grab of an order this instance knows is taken is refused without the
 * database. Only ever a refusal: nothing is accepted on the index's word.
 */
export interface HallQuery {
  center: Point;
  radiusKm: number;
  filter: Omit<HallFilter, 'box'>;
  offset: number;
  limit: number;
}

export interface HallPage {
  /** The page: nearest first, then the oldest, then the lowest id; `km` exactly as `distanceKm` computes it. */
  items: { id: number; km: number; order: HallOrder }[];
  /** How many orders pass the filters within the radius. */
  total: number;
}

export interface HallIndex {
  /**
   * One page of the hall: the pending orders in the radius's bounding box (`boundingBox`, as the
   * SQL prefilter `hallCandidates` had it) that pass `filter`, within `radiusKm` by `distanceKm`.
   */
  page(q: HallQuery): Promise<HallPage>;
  /** Applies an order's committed state: pending orders are in the hall, any other status is not. */
  apply(order: HallOrder): void;
  /**
   * The newest state this instance has seen an order leave the hall with, unless it has seen it
   * come back since (then undefined, as for an order it knows nothing of). A hint for refusing.
   */
  departed(id: number): Departed | undefined;
  /** Catches up with the order events committed since the last look (any instance's). */
  follow(): Promise<number>;
  /** Loads every pending order again and replaces the index with them. */
  reload(): Promise<number>;
  /** Entries held (tests, metrics). */
  size(): number;
}

/** An order's state when it left the hall (see `departed`). */
export type Departed = Pick<HallOrder, 'id' | 'version' | 'status' | 'userId' | 'electricianId'>;

type Source = Pick<OrdersRepository, 'pendingAfter' | 'lastEventId' | 'eventsAfter' | 'findByIds'>;

interface Entry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** The point on the unit sphere: the squared chord to another point is four times its haversine term, with no trigonometry. */
  x: number;
  y: number;
  z: number;
  /** What the filters, the distance, the order and the versions read, copied flat for the search. */
  id: number;
  version: number;
  latitude: number;
  longitude: number;
  createdAt: number;
  userId: number;
  faultType: HallOrder['faultType'];
  priority: HallOrder['priority'];
  estimatedAmount: number;
  /** The hall's fields of the order (`hallOrderOf`; not the whole order: 20,000 of those would hold 30 MB). */
  order: HallOrder;
}

const LOAD_BATCH = 2_000;
const FOLLOW_BATCH = 1_000;
/** How long an event id skipped by `follow` is looked for again: its transaction may still commit (MariaDB assigns ids before commit). */
const GAP_TTL_MS = 30_000;
/** Departures remembered (a few MB): the hottest are the last minutes' grabs, the oldest go first. */
const DEPARTED_KEPT = 50_000;

/** Every `OrderChanged` name: any of them may move an order into or out of the hall. */
export const ORDER_CHANGED_NAMES: OrderChanged['name'][] = ['order.created', ...new Set(Object.values(EVENT_OF))];

const rad = (deg: number) => (deg * Math.PI) / 180;

function unit(p: Point): { x: number; y: number; z: number } {
  const lat = rad(p.latitude);
  const lng = rad(p.longitude);
  return { x: Math.cos(lat) * Math.cos(lng), y: Math.cos(lat) * Math.sin(lng), z: Math.sin(lat) };
}

const entryOf = (order: HallOrder): Entry => ({
  minX: order.longitude,
  minY: order.latitude,
  maxX: order.longitude,
  maxY: order.latitude,
  ...unit(order),
  id: order.id,
  version: order.version,
  latitude: order.latitude,
  longitude: order.longitude,
  createdAt: order.createdAt.getTime(),
  userId: order.userId,
  faultType: order.faultType,
  priority: order.priority,
  estimatedAmount: order.estimatedAmount,
  order: hallOrderOf(order),
});

/**
 * How far a haversine term from the chord may be from `distanceKm`'s own: both are within about
 * 1e-13 of the true value (relative, plus 1e-16 absolute from the cancellation); this is far wider.
 */
const slack = (h: number) => h * 1e-9 + 1e-15;

type Ranked = { e: Entry; km: number; h: number };
/** The hall's order: nearest first (exact distances), then the oldest, then the lowest id. */
const before = (a: Ranked, b: Ranked) =>
  a.km < b.km || (a.km === b.km && (a.e.createdAt < b.e.createdAt || (a.e.createdAt === b.e.createdAt && a.e.id < b.e.id)));

export function createHallIndex(source: Source, logger: Logger): HallIndex {
  let tree = new RBush<Entry>();
  let byId = new Map<number, Entry>();
  /** Orders seen leaving the hall, as they left it (oldest first: a Map keeps insertion order). */
  const left = new Map<number, Departed>();
  let cursor = 0;
  const gaps = new Map<number, number>();
  /** The states applied while a reload reads the database, applied again on top of what it read. */
  let duringLoad: HallOrder[] | null = null;
  let loaded: Promise<void> | null = null;
  /** follow and reload run one at a time. */
  let lane: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = lane.then(f, f);
    lane = run.catch(() => undefined);
    return run;
  };

  function applyTo(o: HallOrder): void {
    const held = byId.get(o.id);
    if (held && held.version > o.version) return;
    const gone = left.get(o.id);
    if (gone !== undefined && gone.version >= o.version) return;
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
      left.delete(o.id);
      left.set(o.id, { id: o.id, version: o.version, status: o.status, userId: o.userId, electricianId: o.electricianId });
      if (left.size > DEPARTED_KEPT) left.delete(left.keys().next().value!);
    }
  }

  function apply(o: HallOrder): void {
    if (duringLoad) duringLoad.push(o);
    // Before the first load this only records departures (what the load reads replaces the rest).
    applyTo(o);
  }

  async function load(): Promise<number> {
    const from = await source.lastEventId();
    duringLoad = [];
    try {
      const all: HallOrder[] = [];
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
      byId = new Map(entries.map((e) => [e.id, e]));
      // Departures stay known unless the load read the order back in the hall at a later version.
      for (const [id, gone] of left) {
        const held = byId.get(id);
        if (!held) continue;
        if (held.version > gone.version) left.delete(id);
        else {
          tree.remove(held);
          byId.delete(id);
        }
      }
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
    async page(q) {
      await ensureLoaded();
      const { center, radiusKm, filter: f } = q;
      const box = boundingBox(center, radiusKm);
      const hits = tree.search({ minX: box.minLng, minY: box.minLat, maxX: box.maxLng, maxY: box.maxLat });
      const c = unit(center);
      // Membership and order are decided by exact distances (`distanceKm`, `withinKm`), as the SQL
      // path did. The chord only spares computing them where it cannot change the answer: far from
      // the radius for membership, far behind the page's last order for the page.
      const hMax = Math.sin((radiusKm + 1e-9) / (2 * EARTH_RADIUS_KM)) ** 2;
      const hIn = hMax - slack(hMax);
      const hOut = hMax + slack(hMax);
      const keep = q.offset + q.limit;
      const first: Ranked[] = [];
      let total = 0;
      for (const e of hits) {
        // The same filters as the SQL prefilter (`hallCandidates`), in the same way.
        if (f.faultType && e.faultType !== f.faultType) continue;
        if (f.priority && e.priority !== f.priority) continue;
        if (f.minEstimatedAmount && !(e.estimatedAmount >= f.minEstimatedAmount)) continue;
        if (f.excludeUserId !== undefined && e.userId === f.excludeUserId) continue;
        const dx = e.x - c.x;
        const dy = e.y - c.y;
        const dz = e.z - c.z;
        const h = (dx * dx + dy * dy + dz * dz) / 4;
        if (h > hOut) continue;
        let km = -1;
        if (h >= hIn) {
          km = distanceKm(center, e);
          if (!withinKm(km, radiusKm)) continue;
        }
        total++;
        const last = first.length === keep ? first[keep - 1]! : undefined;
        if (last && h > last.h + slack(last.h)) continue;
        if (km < 0) km = distanceKm(center, e);
        const r: Ranked = { e, km, h };
        if (last && !before(r, last)) continue;
        let i = last ? keep - 1 : first.length;
        while (i > 0 && before(r, first[i - 1]!)) {
          first[i] = first[i - 1]!;
          i--;
        }
        first[i] = r;
      }
      return { items: first.slice(q.offset).map(({ e, km }) => ({ id: e.id, km, order: e.order })), total };
    },
    apply,
    departed(id) {
      const gone = left.get(id);
      return gone && !byId.has(id) ? gone : undefined;
    },
    follow,
    reload,
    size: () => byId.size,
  };
}
