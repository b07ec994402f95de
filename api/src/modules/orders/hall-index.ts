import { boundingBox, distanceKm, EARTH_RADIUS_KM, withinKm, type Point } from '../../shared/geo';
import type { Logger } from '../../shared/logger';
import { EVENT_OF } from './order-states';
import type { OrderChanged } from './orders.events';
import { hallOrderOf } from './order-queries.repository';
import { HallGrid, type GridPoint } from './hall-grid';
import type { HallFilter, HallOrder, OrdersRepository } from './orders.repository';

/**
 * The order hall served from memory: every pending order, in a grid of small cells on its
 * coordinates (`hall-grid.ts`), so that a hall page costs the cells near the electrician instead of
 * a database query reading thousands of rows. The page is read ring by ring of cells outward until
 * no further ring can come nearer; its `total` from the cells' counts, looking point by point only
 * where the circle's edge crosses a cell. Orders enter and leave one at a time all day: a cell
 * takes or gives up one in constant time.
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

interface Entry extends GridPoint {
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

/** Totals and pages of recent questions kept (maps cleared when full): a page holds its items, a total a number. */
const TOTALS_KEPT = 20_000;
const PAGES_KEPT = 5_000;
/** Entries and removals remembered to bring a kept total up to date; a total older than them is counted again. */
const CHANGES_KEPT = 1_024;

/** Every `OrderChanged` name: any of them may move an order into or out of the hall. */
export const ORDER_CHANGED_NAMES: OrderChanged['name'][] = ['order.created', ...new Set(Object.values(EVENT_OF))];

const rad = (deg: number) => (deg * Math.PI) / 180;

function unit(p: Point): { x: number; y: number; z: number } {
  const lat = rad(p.latitude);
  const lng = rad(p.longitude);
  return { x: Math.cos(lat) * Math.cos(lng), y: Math.cos(lat) * Math.sin(lng), z: Math.sin(lat) };
}

const entryOf = (order: HallOrder): Entry => ({
  cellRow: 0,
  cellCol: 0,
  cellSlot: 0,
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
  const faultOf = (e: Entry) => e.faultType;
  let grid = new HallGrid<Entry>(faultOf);
  let byId = new Map<number, Entry>();
  /** The pending orders of each customer who has any: a hall leaves out the caller's own. */
  let byUser = new Map<number, Set<Entry>>();
  /**
   * Every entry put in or taken out, numbered (`changed`), the last CHANGES_KEPT of them by number,
   * and page totals by question with the number they were counted at: an electrician paging on or
   * asking again from where they stand gets the total kept, brought up to date by the few orders that
   * came or went since, each put to the same exact test; the grid counts it again only when more
   * than CHANGES_KEPT went by, or after a reload.
   */
  let changed = 0;
  const changes: { e: Entry; by: 1 | -1 }[] = new Array(CHANGES_KEPT);
  const totals = new Map<string, { at: number; total: number }>();
  const hold = (e: Entry) => {
    grid.insert(e);
    byId.set(e.id, e);
    let mine = byUser.get(e.userId);
    if (!mine) byUser.set(e.userId, (mine = new Set()));
    mine.add(e);
    changes[++changed % CHANGES_KEPT] = { e, by: 1 };
  };
  const drop = (e: Entry) => {
    grid.remove(e);
    byId.delete(e.id);
    const mine = byUser.get(e.userId)!;
    mine.delete(e);
    if (mine.size === 0) byUser.delete(e.userId);
    changes[++changed % CHANGES_KEPT] = { e, by: -1 };
  };
  /**
   * Pages by question, with the change they were made at: asked again (an electrician's app asks
   * every few seconds from where they stand), a page is the one kept while no order that came or
   * went since passes the same exact test; any that does, or more than CHANGES_KEPT changes, or a
   * reload, and it is made again. Orders changing elsewhere in the city leave it as it is.
   */
  const pages = new Map<string, { at: number; page: HallPage }>();
  /** Whether an order that came or went after change `at` passes `inHall` (also true when too long ago to tell). */
  const touchedSince = (at: number, inHall: (e: Entry) => boolean, excluded: number | undefined) => {
    if (changed - at > CHANGES_KEPT) return true;
    for (let n = at + 1; n <= changed; n++) {
      const { e } = changes[n % CHANGES_KEPT]!;
      if (e.userId !== excluded && inHall(e)) return true;
    }
    return false;
  };
  /** The total of a page whose filters the cells count (see `changes`): `count` when nothing kept will do. */
  const totalOf = (question: string, inHall: (e: Entry) => boolean, excluded: number | undefined, count: () => number) => {
    const kept = totals.get(question);
    let total: number;
    if (kept && changed - kept.at <= CHANGES_KEPT) {
      total = kept.total;
      for (let n = kept.at + 1; n <= changed; n++) {
        const { e, by } = changes[n % CHANGES_KEPT]!;
        if (e.userId !== excluded && inHall(e)) total += by;
      }
      if (kept.at === changed) return total;
    } else total = count();
    if (totals.size >= TOTALS_KEPT) totals.clear();
    totals.set(question, { at: changed, total });
    return total;
  };
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
    if (held) drop(held);
    if (o.status === 'pending') {
      hold(entryOf(o));
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
      grid = new HallGrid<Entry>(faultOf);
      byId = new Map();
      byUser = new Map();
      // The old entries go without a removal each: no kept total or page can be brought up to date past this.
      totals.clear();
      pages.clear();
      for (const e of entries) hold(e);
      // Departures stay known unless the load read the order back in the hall at a later version.
      for (const [id, gone] of left) {
        const held = byId.get(id);
        if (!held) continue;
        if (held.version > gone.version) left.delete(id);
        else drop(held);
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
      const c = unit(center);
      // Membership and order are decided by exact distances (`distanceKm`, `withinKm`), as the SQL
      // path did. The chord only spares computing them where it cannot change the answer: far from
      // the radius for membership, far behind the page's last order for the page.
      const hMax = Math.sin((radiusKm + 1e-9) / (2 * EARTH_RADIUS_KM)) ** 2;
      const hIn = hMax - slack(hMax);
      const hOut = hMax + slack(hMax);
      const chord = (e: Entry) => {
        const dx = e.x - c.x;
        const dy = e.y - c.y;
        const dz = e.z - c.z;
        return (dx * dx + dy * dy + dz * dz) / 4;
      };
      // The same box and filters as the SQL prefilter (`hallCandidates`), in the same way.
      const matches = (e: Entry) =>
        e.latitude >= box.minLat &&
        e.latitude <= box.maxLat &&
        e.longitude >= box.minLng &&
        e.longitude <= box.maxLng &&
        (!f.faultType || e.faultType === f.faultType) &&
        (!f.priority || e.priority === f.priority) &&
        (!f.minEstimatedAmount || e.estimatedAmount >= f.minEstimatedAmount);
      const inHall = (e: Entry) => {
        if (!matches(e)) return false;
        const h = chord(e);
        return h < hIn || (h <= hOut && withinKm(distanceKm(center, e), radiusKm));
      };
      const question = `${center.latitude},${center.longitude},${radiusKm},${f.faultType ?? ''},${f.excludeUserId ?? ''}`;
      const pageQuestion = `${question},${f.priority ?? ''},${f.minEstimatedAmount ?? ''},${q.offset},${q.limit}`;
      const kept = pages.get(pageQuestion);
      if (kept && !touchedSince(kept.at, inHall, f.excludeUserId)) return kept.page;
      // The cells count orders by fault type: with no other filter the total comes from the counts
      // (less the caller's own orders), else it is counted on the way, all rings walked.
      const counted = !f.priority && !f.minEstimatedAmount;
      let total = 0;
      if (counted) {
        total = totalOf(question, inHall, f.excludeUserId, () => {
          let n = grid.countWithin({ center, radiusKm, box, key: f.faultType || undefined }, inHall);
          if (f.excludeUserId !== undefined) for (const e of byUser.get(f.excludeUserId) ?? []) if (inHall(e)) n--;
          return n;
        });
      }
      const keep = q.offset + q.limit;
      const first: Ranked[] = [];
      const consider = (e: Entry) => {
        if (f.excludeUserId !== undefined && e.userId === f.excludeUserId) return;
        if (!matches(e)) return;
        const h = chord(e);
        if (h > hOut) return;
        let km = -1;
        if (h >= hIn) {
          km = distanceKm(center, e);
          if (!withinKm(km, radiusKm)) return;
        }
        if (!counted) total++;
        const last = first.length === keep ? first[keep - 1]! : undefined;
        if (last && h > last.h + slack(last.h)) return;
        if (km < 0) km = distanceKm(center, e);
        const r: Ranked = { e, km, h };
        if (last && !before(r, last)) return;
        let i = last ? keep - 1 : first.length;
        while (i > 0 && before(r, first[i - 1]!)) {
          first[i] = first[i - 1]!;
          i--;
        }
        first[i] = r;
      };
      // Nearest first: a ring that cannot come nearer than the page's last order ends the walk.
      grid.rings(center, box, consider, (nearestKm) => counted && first.length === keep && nearestKm > first[keep - 1]!.km);
      const page = { items: first.slice(q.offset).map(({ e, km }) => ({ id: e.id, km, order: e.order })), total };
      if (pages.size >= PAGES_KEPT) pages.clear();
      pages.set(pageQuestion, { at: changed, page });
      return page;
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
