import { createOrdersRepository } from '../../api/src/modules/orders/orders.repository';
import { boundingBox, distanceKm, withinKm } from '../../api/src/shared/geo';
import { cannon, loadRow, type BenchContext, type Load } from '../lib/context';
import { around } from '../lib/seed';
import { bareHttp, CONNECTIONS } from './ceiling-http';
import { inPool } from '../lib/http';
import { closedLoop, summarize, type Row } from '../lib/stats';

const RADIUS_KM = 10;
const LIMIT = 20;
/** The electricians of the scale-1 world. */
const CALLERS = 1_000;
const mb = (x: number | null) => (x === null ? '?' : x.toFixed(0));

/** The hall page an electrician's app asks for from `at`. */
const hallPath = (at: { latitude: number; longitude: number }) =>
  `/api/orders/hall?latitude=${at.latitude.toFixed(6)}&longitude=${at.longitude.toFixed(6)}&radiusKm=${RADIUS_KM}&limit=${LIMIT}`;

/** GET /api/orders/hall from random electricians' positions, against the same query through raw knex. */
export async function run(ctx: BenchContext): Promise<Row[]> {
  const { electricians } = ctx.world;
  const pick = () => electricians[Math.floor(Math.random() * electricians.length)]!;
  const orders = createOrdersRepository(ctx.db);

  // Ceiling: what the API does for one hall page, minus HTTP, auth and JSON: box query, exact
  // distances, sort, then the page's rows.
  const raw = await closedLoop(
    async () => {
      const e = pick();
      const center = { latitude: e.latitude, longitude: e.longitude };
      const candidates = await orders.hallCandidates({ box: boundingBox(center, RADIUS_KM), excludeUserId: e.userId });
      const page = candidates
        .map((c) => ({ ...c, d: distanceKm(center, c) }))
        .filter((c) => withinKm(c.d, RADIUS_KM))
        .sort((a, b) => a.d - b.d)
        .slice(0, LIMIT);
      await orders.findByIds(page.map((c) => c.id));
    },
    50,
    ctx.seconds * 1000,
  );

  // One hall page first, unmeasured: the API runs here without its jobs, so this is where it loads
  // its hall index (a deployed API loads it at start); the RSS before and after it is the index's.
  const rssBefore = ctx.apiRssMb();
  const first = pick();
  const warm = await fetch(`${ctx.url}${hallPath(first)}`, { headers: { authorization: `Bearer ${first.token}` } });
  if (!warm.ok) throw new Error(`hall warm-up failed: ${warm.status}`);
  await warm.arrayBuffer();
  const rssLoaded = ctx.apiRssMb();

  // The ceiling for the hall: the bare node:http server, loaded in the same minute.
  const bare = await bareHttp(ctx.seconds);
  // Each electrician's first page, once, CONNECTIONS at a time and measured as its own row: their
  // session check and profile come from the database. The API then holds both and renews them
  // while they keep asking, so the rows after it measure the hall of electricians who have it open.
  const firsts: number[] = [];
  const firstsStarted = performance.now();
  await inPool(electricians, CONNECTIONS, async (e) => {
    const t0 = performance.now();
    const res = await fetch(`${ctx.url}${hallPath(e)}`, { headers: { authorization: `Bearer ${e.token}` } });
    if (!res.ok) throw new Error(`hall first page failed: ${res.status}`);
    await res.arrayBuffer();
    firsts.push(performance.now() - t0);
  });
  const firstsRate = firsts.length / ((performance.now() - firstsStarted) / 1000);
  // Each electrician asks from where they stand (the index keeps a page's total for the same
  // question, brought up to date by the orders that came or went since); `moving`, from a new
  // place each time, so every total is counted afresh.
  const load = (from: typeof electricians, moving = false) =>
    cannon(
      ctx.url,
      CONNECTIONS,
      ctx.seconds,
      {
        method: 'GET',
        build: () => {
          const e = from[Math.floor(Math.random() * from.length)]!;
          const at = moving ? around(15) : e;
          return {
            path: hallPath(at),
            headers: { authorization: `Bearer ${e.token}` },
          };
        },
      },
      ctx.apiPid,
    );
  const api = await load(electricians);
  const moving = await load(electricians, true);
  /** A row of API load against the bare server. */
  const apiRow = (scenario: string, r: Load, ...extra: string[]) => loadRow(scenario, r, CONNECTIONS, bare.throughput, ...extra);
  // Above scale 1 the world has more electricians, each asking fewer times in a run, so fewer of their
  // session checks and profiles are held: the same 1,000 callers as at scale 1 measure what the
  // city's size alone costs the hall.
  const sameCallers = electricians.length > CALLERS ? await load(electricians.slice(0, CALLERS)) : undefined;
  return [
    loadRow('hall: bare node:http JSON (ceiling)', bare, CONNECTIONS),
    {
      // What the hall cost before its index: the SQL path's query, exact distances and rows.
      scenario: 'hall: raw knex SQL path (reference)',
      concurrency: 50,
      requests: raw.count,
      median: raw.median,
      p95: raw.p95,
      p99: raw.p99,
      throughput: raw.throughput,
    },
    {
      scenario: "hall: each electrician's first page (session and profile from the database)",
      concurrency: CONNECTIONS,
      ...summarize(firsts),
      requests: firsts.length,
      throughput: firstsRate,
    },
    // The API's RSS before its first hall page, after it, and after the load phase.
    apiRow(
      'hall: GET /api/orders/hall',
      api,
      `API RSS ${mb(rssBefore)} → ${mb(rssLoaded)} after one page → ${mb(ctx.apiRssMb())} MB`,
    ),
    apiRow('hall: GET /api/orders/hall, from a new place each time', moving),
    ...(sameCallers ? [apiRow(`hall: GET /api/orders/hall, ${CALLERS} callers`, sameCallers)] : []),
  ];
}
