import knex from 'knex';
import type { BenchContext } from '../lib/context';
import { pendingOrders } from '../lib/seed';
import { closedLoop, type Row } from '../lib/stats';

const CONCURRENCY = 20;
/** Orders per worker: each worker moves only its own, so no two statements wait for one another's locks. */
const OWN = 50;
/** Statements in a won grab through the API, BEGIN and COMMIT included (write-budget.test.ts). */
const WON_GRAB = 16;

const UPDATE = 'update orders set status = ?, version = version + 1, updated_at = ? where id = ? and status = ?';
const EVENT =
  'insert into order_events (order_id, action, from_status, to_status, actor_id, actor_role, details, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * What a round trip to the database costs, against what a statement costs: the grab ceiling's claim
 * (its conditional update and event row, in a transaction) sent as four round trips, as knex sends
 * it, and as one (the statements joined, a multi-statement query); then the same claim padded with
 * event rows to a won grab's count of statements, each way. MySQL only: SQLite runs in the process.
 *
 * Every claim changes its row (each worker's orders go pending → accepted → pending …) and writes
 * its event, so no row is a cheaper no-op. The connection here allows multiple statements; the
 * API's does not.
 */
export async function run(ctx: BenchContext): Promise<Row[]> {
  if (ctx.db.client.config.client !== 'mysql2') return [];
  const connection = ctx.db.client.config.connection as Record<string, unknown>;
  // knex keeps the password out of the connection's enumerable keys.
  const multi = knex({
    client: 'mysql2',
    connection: { ...connection, password: connection.password as string | undefined, multipleStatements: true },
    pool: { min: 0, max: CONCURRENCY },
  });
  const ids = await pendingOrders(ctx.db, Array<number>(CONCURRENCY * OWN).fill(ctx.world.customers[0]!.userId));
  const e = ctx.world.electricians[0]!;
  const state = new Map(ids.map((id) => [id, 'pending']));
  const turn = new Array<number>(CONCURRENCY).fill(0);
  /** The next claim of `worker`: its order, and the update's and the events' bindings. */
  const claim = (worker: number, events: number) => {
    const n = turn[worker]!;
    turn[worker] = n + 1;
    const id = ids[worker * OWN + (n % OWN)]!;
    const from = state.get(id)!;
    const to = from === 'pending' ? 'accepted' : 'pending';
    state.set(id, to);
    const now = new Date();
    const event = [id, 'grab', from, to, e.userId, 'electrician', '{}', now];
    return { update: [to, now, id, from], events: Array.from({ length: events }, () => event) };
  };
  const seconds = Math.min(ctx.seconds, 5) * 1000;
  /** `events` event rows after the update, each statement its own round trip (knex's transaction). */
  const apart = (events: number) =>
    closedLoop(
      async (worker) => {
        const c = claim(worker, events);
        await multi.transaction(async (trx) => {
          const [r] = (await trx.raw(UPDATE, c.update)) as [{ affectedRows: number }];
          if (r.affectedRows !== 1) throw new Error('round-trips: a claim changed no row');
          for (const b of c.events) await trx.raw(EVENT, b);
        });
      },
      CONCURRENCY,
      seconds,
    );
  /** The same statements, BEGIN and COMMIT included, in one round trip. */
  const together = (events: number) =>
    closedLoop(
      async (worker) => {
        const c = claim(worker, events);
        const sql = ['begin', UPDATE, ...c.events.map(() => EVENT), 'commit'].join('; ');
        const [results] = (await multi.raw(sql, [...c.update, ...c.events.flat()])) as [{ affectedRows: number }[]];
        if (results[1]?.affectedRows !== 1) throw new Error('round-trips: a claim changed no row');
      },
      CONCURRENCY,
      seconds,
    );
  try {
    const claim4 = await apart(1);
    const claim1 = await together(1);
    const padded = await apart(WON_GRAB - 3);
    const padded1 = await together(WON_GRAB - 3);
    const row = (scenario: string, r: typeof claim4, note: string, ceiling?: number): Row => ({
      scenario,
      concurrency: CONCURRENCY,
      requests: r.count,
      median: r.median,
      p95: r.p95,
      p99: r.p99,
      throughput: r.throughput,
      ...(ceiling ? { ceiling, ratio: r.throughput / ceiling } : {}),
      note,
    });
    return [
      row('round trips: a claim, 4 statements in 4 round trips (ceiling)', claim4, 'claims/s; the grab ceiling as knex sends it'),
      row('round trips: the same 4 statements in 1 round trip', claim1, 'claims/s', claim4.throughput),
      row(
        `round trips: a claim padded to ${WON_GRAB} statements, ${WON_GRAB} round trips`,
        padded,
        'claims/s; a won grab’s count',
        claim4.throughput,
      ),
      row(`round trips: the same ${WON_GRAB} statements in 1 round trip`, padded1, 'claims/s', claim4.throughput),
    ];
  } finally {
    await multi.destroy();
  }
}
