import { EARTH_RADIUS_KM, type Box, type Point } from '../../shared/geo';

/**
 * A grid of latitude/longitude cells over points, each cell holding its points, each row of cells
 * counting them by column (in all, and by a key such as the fault type). What it buys the hall:
 * - **how many points lie within a circle** costs the circle's rows, not its points: the cells
 *   wholly inside the circle are counted from their counts, and only the cells its edge crosses are
 *   looked at point by point (`countWithin`);
 * - **the points nearest a center** are found ring by ring of cells around it, stopping once no
 *   further ring can come nearer than the last point wanted (`rings`).
 * Either way the work follows the circle's edge and the page, not how many points the city holds.
 *
 * Membership stays the caller's exact test (`distanceKm`, `withinKm`, the bounding box): the grid
 * only decides which cells cannot change its answer, with margins far wider than rounding.
 */
export interface GridPoint extends Point {
  /** Where the grid keeps the point: set by `insert`, read by `remove`. */
  cellRow: number;
  cellCol: number;
  cellSlot: number;
}

interface Cell<P> {
  points: P[];
}
/**
 * A row of cells: its cells by column, and how many points each column holds, in all and by key,
 * as Fenwick trees over the columns the row has spanned, so any run of columns is counted in
 * O(log columns).
 */
interface Row<P> {
  /** The row's cells by column less `base` (a page looks at hundreds of them: an array, not a map). */
  cells: (Cell<P> | undefined)[];
  /** How many of them hold points. */
  live: number;
  /** The first column the cells and trees cover, and how many they cover. */
  base: number;
  span: number;
  /** '' for all points, else by key. */
  sums: Map<string, Int32Array>;
}

/** Adds `by` at index `i` of a Fenwick tree. */
function fenwickAdd(tree: Int32Array, i: number, by: number): void {
  for (let j = i + 1; j <= tree.length; j += j & -j) tree[j - 1]! += by;
}
/** The sum of indexes [0, i) of a Fenwick tree. */
function fenwickPrefix(tree: Int32Array, i: number): number {
  let sum = 0;
  for (let j = Math.min(i, tree.length); j > 0; j -= j & -j) sum += tree[j - 1]!;
  return sum;
}

/** A cell's side in degrees: about 280 m north–south, 240 m east–west at Hangzhou. */
const CELL_DEG = 0.0025;
/** Columns a row's trees reach beyond its points when they grow (a city's rows are a few hundred columns). */
const SPAN_PAD = 128;
/** How much nearer (km) than the circle a cell must lie to count as inside, and how much beyond it to count as outside. */
const MARGIN_KM = 1e-6;
/** A grid step is at least this share of its planar estimate as a great-circle distance (small angles; see `rings`). */
const STEP_SAFETY = 0.99;

const rad = (deg: number) => (deg * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;
export const rowOf = (latitude: number) => Math.floor((latitude + 90) / CELL_DEG);
export const colOf = (longitude: number) => Math.floor((longitude + 180) / CELL_DEG);
const latOfRow = (row: number) => row * CELL_DEG - 90;
function cellAt<P>(row: Row<P>, col: number): Cell<P> | undefined {
  const i = col - row.base;
  return i >= 0 && i < row.span ? row.cells[i] : undefined;
}

/**
 * How far (degrees of longitude) from the center's meridian the circle of angular radius `r`
 * reaches at latitude `lat` (radians): -1 where it does not reach that latitude, 180 where it
 * holds the whole parallel.
 */
function halfWidth(center: { sin: number; cos: number }, cosR: number, lat: number): number {
  const den = center.cos * Math.cos(lat);
  const num = cosR - center.sin * Math.sin(lat);
  if (den <= 1e-12) return num <= 0 ? 180 : -1;
  const v = num / den;
  if (v > 1) return -1;
  if (v <= -1) return 180;
  return deg(Math.acos(v));
}

export interface CountQuery {
  center: Point;
  radiusKm: number;
  box: Box;
  /** Count only points with this key (undefined: all). */
  key: string | undefined;
}

export class HallGrid<P extends GridPoint> {
  private rows = new Map<number, Row<P>>();
  private held = 0;

  constructor(private readonly keyOf: (p: P) => string) {}

  size(): number {
    return this.held;
  }

  insert(p: P): void {
    const r = rowOf(p.latitude);
    const c = colOf(p.longitude);
    let row = this.rows.get(r);
    if (!row) {
      row = { cells: new Array(2 * SPAN_PAD).fill(undefined), live: 0, base: c - SPAN_PAD, span: 2 * SPAN_PAD, sums: new Map() };
      this.rows.set(r, row);
    }
    const within = c >= row.base && c < row.base + row.span;
    if (!within) this.respan(row, c);
    let cell = cellAt(row, c);
    if (!cell) {
      row.cells[c - row.base] = cell = { points: [] };
      row.live++;
    }
    p.cellRow = r;
    p.cellCol = c;
    p.cellSlot = cell.points.length;
    cell.points.push(p);
    this.tally(row, p, 1);
    this.held++;
  }

  remove(p: P): void {
    const row = this.rows.get(p.cellRow);
    const cell = row && cellAt(row, p.cellCol);
    if (!row || !cell || cell.points[p.cellSlot] !== p) throw new Error('hall grid: removing a point it does not hold');
    const last = cell.points.pop()!;
    if (last !== p) {
      cell.points[p.cellSlot] = last;
      last.cellSlot = p.cellSlot;
    }
    if (cell.points.length === 0) {
      row.cells[p.cellCol - row.base] = undefined;
      row.live--;
    }
    if (row.live === 0) this.rows.delete(p.cellRow);
    else this.tally(row, p, -1);
    this.held--;
  }

  private tally(row: Row<P>, p: P, by: number): void {
    const i = p.cellCol - row.base;
    for (const key of ['', this.keyOf(p)]) {
      let tree = row.sums.get(key);
      if (!tree) row.sums.set(key, (tree = new Int32Array(row.span)));
      fenwickAdd(tree, i, by);
    }
  }

  /** Widens a row's cells and trees to cover its columns and `col`, counting its points again. */
  private respan(row: Row<P>, col: number): void {
    let min = col;
    let max = col;
    row.cells.forEach((cell, i) => {
      if (!cell) return;
      min = Math.min(min, row.base + i);
      max = Math.max(max, row.base + i);
    });
    const cells = row.cells;
    const base = row.base;
    row.base = min - SPAN_PAD;
    row.span = max - min + 1 + 2 * SPAN_PAD;
    row.cells = new Array(row.span).fill(undefined);
    row.sums = new Map();
    cells.forEach((cell, i) => {
      if (!cell) return;
      row.cells[base + i - row.base] = cell;
      for (const p of cell.points) this.tally(row, p, 1);
    });
  }

  /** How many points with the key (all if undefined) a row holds in columns [from, to]. */
  private countRun(row: Row<P>, key: string | undefined, from: number, to: number): number {
    const tree = row.sums.get(key ?? '');
    if (!tree) return 0;
    return fenwickPrefix(tree, Math.max(0, to + 1 - row.base)) - fenwickPrefix(tree, Math.max(0, from - row.base));
  }

  /**
   * How many points lie within the circle and the box, with the key if one is given: the cells
   * wholly inside both are counted, each point of the others that may reach in is put to `exact`
   * (which must test the same circle and box, and the key).
   */
  countWithin(q: CountQuery, exact: (p: P) => boolean): number {
    const { center, box } = q;
    const c = { sin: Math.sin(rad(center.latitude)), cos: Math.cos(rad(center.latitude)) };
    const cosIn = Math.cos(Math.max(0, q.radiusKm - MARGIN_KM) / EARTH_RADIUS_KM);
    const rOut = (q.radiusKm + MARGIN_KM) / EARTH_RADIUS_KM;
    const cosOut = Math.cos(rOut);
    // The latitude at which the circle reaches farthest east and west.
    const sinWidest = c.sin / Math.cos(rOut);
    const widest = Math.abs(sinWidest) <= 1 ? Math.asin(sinWidest) : undefined;
    const boxColIn0 = Math.ceil((box.minLng + 180) / CELL_DEG);
    const boxColIn1 = Math.floor((box.maxLng + 180) / CELL_DEG) - 1;
    let total = 0;
    for (let r = rowOf(box.minLat), r1 = rowOf(box.maxLat); r <= r1; r++) {
      const row = this.rows.get(r);
      if (!row) continue;
      const south = latOfRow(r);
      const north = latOfRow(r + 1);
      // Beyond this reach no point of the row is in the circle (the reach is widest at `widest` or an edge).
      let reach = Math.max(halfWidth(c, cosOut, rad(south)), halfWidth(c, cosOut, rad(north)));
      if (widest !== undefined && widest > rad(south) && widest < rad(north))
        reach = Math.max(reach, halfWidth(c, cosOut, widest));
      else if (widest === undefined) reach = 180;
      if (reach < 0) continue;
      const co0 = colOf(Math.max(box.minLng, center.longitude - reach));
      const co1 = colOf(Math.min(box.maxLng, center.longitude + reach));
      // Within this reach every point of the row is in the circle (narrowest at an edge of the row).
      const inner =
        south >= box.minLat && north <= box.maxLat
          ? Math.min(halfWidth(c, cosIn, rad(south)), halfWidth(c, cosIn, rad(north)))
          : -1;
      let ci0 = inner < 0 ? 0 : Math.max(boxColIn0, Math.ceil((center.longitude - inner + 180) / CELL_DEG), co0);
      let ci1 = inner < 0 ? -1 : Math.min(boxColIn1, Math.floor((center.longitude + inner + 180) / CELL_DEG) - 1, co1);
      if (ci0 > ci1) {
        ci0 = co1 + 1;
        ci1 = co1;
      }
      for (let col = co0; col < ci0; col++) total += this.countCell(cellAt(row, col), exact);
      for (let col = ci1 + 1; col <= co1; col++) total += this.countCell(cellAt(row, col), exact);
      if (ci0 <= ci1) total += this.countRun(row, q.key, ci0, ci1);
    }
    return total;
  }

  private countCell(cell: Cell<P> | undefined, exact: (p: P) => boolean): number {
    if (!cell) return 0;
    let n = 0;
    for (const p of cell.points) if (exact(p)) n++;
    return n;
  }

  /**
   * The points of the box's cells, ring by ring of cells around the center's cell (ring k: the
   * cells k steps away in rows or columns). Before each ring after the first, `stop` is asked with
   * a distance (km) that no point of that ring or any later one comes nearer than; it ends the
   * walk by answering true. Ends by itself after the last ring that touches the box.
   */
  rings(center: Point, box: Box, visit: (p: P) => void, stop: (nearestKm: number) => boolean): void {
    const rc = rowOf(center.latitude);
    const cc = colOf(center.longitude);
    const r0 = rowOf(box.minLat);
    const r1 = rowOf(box.maxLat);
    const c0 = colOf(box.minLng);
    const c1 = colOf(box.maxLng);
    // One step of ring k+1 lies at least k whole cells from the center, in latitude or in longitude.
    const farthestLat = Math.max(Math.abs(box.minLat), Math.abs(box.maxLat));
    const stepKm = rad(CELL_DEG) * EARTH_RADIUS_KM * Math.min(1, Math.cos(rad(Math.min(90, farthestLat)))) * STEP_SAFETY;
    const scan = (row: Row<P> | undefined, col: number) => {
      const cell = col >= c0 && col <= c1 && row ? cellAt(row, col) : undefined;
      if (cell) for (const p of cell.points) visit(p);
    };
    for (let k = 0; rc - k >= r0 || rc + k <= r1 || cc - k >= c0 || cc + k <= c1; k++) {
      if (k > 0 && stop((k - 1) * stepKm)) return;
      for (let r = Math.max(r0, rc - k); r <= Math.min(r1, rc + k); r++) {
        const row = this.rows.get(r);
        if (!row) continue;
        if (r === rc - k || r === rc + k) for (let col = cc - k; col <= cc + k; col++) scan(row, col);
        else {
          scan(row, cc - k);
          if (k > 0) scan(row, cc + k);
        }
      }
    }
  }
}
