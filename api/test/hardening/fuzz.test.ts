/**
 * Fuzzing (issue #10): every route of the app — read from the app's own route table, so a new route
 * is fuzzed without anyone remembering to — gets FUZZ_RUNS (default 200) generated requests built
 * from its zod schemas: meant-to-be-valid bodies, queries and params, and the same with one part
 * made hostile (wrong types, huge and odd strings, extreme numbers, extra fields, injection strings,
 * deep nesting). Whatever comes in: never a 5xx, and a 4xx changes nothing in the database.
 * Socket events get the same treatment: never an INTERNAL answer, never a dropped socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStaffRoute, type RouteDef } from '../../src/shared/routing';
import { closeClients, connect } from '../../src/realtime/__tests__/support';
import { start, type RunningServer } from '../../src/server';
import { placeOrder } from '../../src/modules/orders/__tests__/order-helpers';
import {
  createTestApp,
  login,
  loginAsAdmin,
  loginAsElectrician,
  tableNames,
  usingMysql,
  type Session,
  type TestApp,
} from '../harness';
import { fuzz, nasty } from './zod-arbitrary';

/** 200 per route in CI (the floor); fewer by default on a laptop; more with FUZZ_RUNS. */
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI ? 200 : 30));
/** Socket events are answered by a per-socket rate limit after a burst; more runs would only test that. */
const SOCKET_RUNS = Math.min(RUNS, 60);

/**
 * Routes that write on purpose when they refuse: a failed staff login counts towards the lockout
 * (and is audited). Only these tables may change on their 4xx answers — and `audit_logs` on those
 * of staff actions (non-GET routes guarded by a permission), whose refusals are audited as failed.
 */
const WRITES_ON_REFUSAL: Record<string, string[]> = {
  'POST /api/admin/auth/login': ['staff_login_failures', 'audit_logs'],
};

let t: TestApp;
let base: string;
let listener: http.Server;
let server: RunningServer;
let tables: { name: string; updatedAt: boolean }[] = [];
const actors: Record<'customer' | 'electrician' | 'admin', Session> = {} as never;
const ids: Record<string, (number | string)[]> = {};
let cases = 0;

async function listTables(): Promise<{ name: string; updatedAt: boolean }[]> {
  const out = [];
  for (const name of (await tableNames(t.db)).filter((n) => !n.startsWith('knex_'))) {
    out.push({ name, updatedAt: await t.db.schema.hasColumn(name, 'updated_at') });
  }
  return out;
}

/** Row counts and the latest update of every table, in one query. */
async function fingerprint(except: string[] = []): Promise<Record<string, unknown>> {
  await t.c.bus.drain(); // earlier deliveries clear event_outbox; a refused call must stage nothing
  const parts = tables
    .filter((x) => !except.includes(x.name))
    .flatMap((x) => [
      `(select count(*) from \`${x.name}\`) as \`${x.name}.n\``,
      ...(x.updatedAt ? [`(select max(updated_at) from \`${x.name}\`) as \`${x.name}.u\``] : []),
    ]);
  const rows = await t.db.raw(`select ${parts.join(', ')}`);
  const row = usingMysql ? rows[0][0] : rows[0];
  return Object.fromEntries(Object.entries(row as object).map(([k, v]) => [k, v instanceof Date ? v.getTime() : String(v)]));
}

/** Fixtures back to a usable state (a fuzzed admin call may have banned or demoted them). */
async function heal(): Promise<void> {
  await t.db('users').update({ status: 'active' });
  await t.db('users').where({ openid: 'dev-admin' }).update({ user_type: 'admin', staff_role: 'admin' });
  actors.customer = await login(t, 'fuzz-customer');
  actors.electrician = await login(t, 'fuzz-electrician');
  actors.admin = await loginAsAdmin(t);
}

function actorFor(def: RouteDef): Session | undefined {
  if (def.auth === 'public') return undefined;
  if (def.auth === 'user') return actors.customer;
  if (Array.isArray(def.auth))
    return def.auth.includes('user') ? actors.customer : def.auth.includes('electrician') ? actors.electrician : actors.admin;
  return actors.admin;
}

/** Any generated value as path text (some have no prototype, so String() would throw). */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? 'x';
  } catch {
    return 'x';
  }
}

/** Path parameters: usually a real id of the fixtures (to get past the lookups), else generated or hostile. */
function paramsArb(def: RouteDef): fc.Arbitrary<Record<string, string>> {
  const names = [...def.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const one = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(ids[name] ?? ids.id ?? [1]).map(String)) },
      {
        weight: 1,
        arbitrary: def.schemas?.params
          ? fuzz(def.schemas.params).map((p) =>
              asText(p !== null && typeof p === 'object' ? ((p as Record<string, unknown>)[name] ?? p) : p),
            )
          : fc.string(),
      },
      { weight: 1, arbitrary: nasty().map(asText) },
    );
  return fc.record(Object.fromEntries(names.map((n) => [n, one(n)])));
}

/** A stack frame, or a driver's error code (upper case: ER_DUP_ENTRY, SQLITE_CONSTRAINT). */
const LEAK = /\bat .+\.(ts|js):\d+|\bSQLITE_[A-Z]+|\bER_[A-Z_]+/;

/** Every string the caller sent (and its trimmed form), wherever it sits in the request. */
function sentStrings(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') out.add(v).add(v.trim());
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) sentStrings(x, out);
  return out;
}

/**
 * The answer with the caller's own strings blanked: an order created with the address "ER_X"
 * shows that address back, which is no leak. Only what the server wrote itself is checked.
 */
function withoutEcho(body: unknown, sent: unknown): unknown {
  const echoed = sentStrings(sent);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return echoed.has(v) ? '' : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(body);
}

const fill = (path: string, params: Record<string, string>) =>
  path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? '1').slice(0, 2_000));

beforeAll(async () => {
  t = await createTestApp();
  listener = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((r) => listener.once('listening', r));
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  server = await start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
  const electrician = await loginAsElectrician(t, 'fuzz-electrician');
  await heal();
  const order = await placeOrder(t, actors.customer);
  const other = await placeOrder(t, actors.customer);
  await t.http.post(`/api/orders/${other.id}/grab`).set(actors.electrician.auth);
  ids.id = [order.id as number, other.id as number, electrician.electricianId, actors.customer.userId, 1];
  ids.paymentNo = ['P000000000000000000', 'nonexistent'];
  tables = await listTables();
}, 60_000);

afterAll(async () => {
  closeClients();
  listener?.close();
  await server?.stop(100);
  await t?.close();
  process.stdout.write(
    `fuzz: ${cases} generated requests and socket events sent (${RUNS} per route, ${SOCKET_RUNS} per socket event and caller)\n`,
  );
});

describe('fuzzing every route', () => {
  it('finds the route table', () => {
    expect((t.app.locals.routes as RouteDef[]).length).toBeGreaterThan(50);
  });

  // The route table is read when the app exists; vitest collects tests before beforeAll, so one
  // test walks all routes and reports the failing case with its route.
  it(`when each route gets ${RUNS} generated requests, then none is answered 5xx and no 4xx changes the database`, async () => {
    const defs = t.app.locals.routes as RouteDef[];
    for (const def of defs) {
      await heal();
      const key = `${def.method.toUpperCase()} ${def.path}`;
      const audited = isStaffRoute(def) && def.method !== 'get';
      const allowed = [...(WRITES_ON_REFUSAL[key] ?? []), ...(audited ? ['audit_logs'] : [])];
      const arb = fc.record({
        params: paramsArb(def),
        query: def.schemas?.query ? fuzz(def.schemas.query) : fc.constant(undefined),
        body: def.schemas?.body ? fuzz(def.schemas.body) : fc.oneof(fc.constant(undefined), nasty()),
        anonymous: fc.boolean().map((b) => b && Math.random() < 0.1),
      });
      // The state after one case is the state before the next (bus work drained after each 2xx).
      let before = await fingerprint(allowed);
      await fc.assert(
        fc.asyncProperty(arb, async (c) => {
          cases++;
          const actor = c.anonymous ? undefined : actorFor(def);
          let req = request(base)[def.method](fill(def.path, c.params));
          if (actor) req = req.set(actor.auth);
          if (c.query && typeof c.query === 'object') req = req.query(c.query as Record<string, string>);
          const res =
            def.method === 'get' || c.body === undefined
              ? await req
              : await req.set('Content-Type', 'application/json').send(JSON.stringify(c.body) ?? 'null');
          if (res.status >= 500) throw new Error(`${key} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
          const answer = JSON.stringify(withoutEcho(res.body ?? '', c)) ?? '';
          expect(answer, `${key} leaks internals`).not.toMatch(LEAK);
          expect(answer, `${key} leaks internals`).not.toMatch(/select .* from /i);
          if (res.status < 400) await Promise.all([t.c.bus.drain(), t.c.chatBus.drain()]);
          // Write-ahead audit: once a staff action is answered, its row is finished, never left pending.
          if (audited)
            expect(await t.db('audit_logs').where({ outcome: 'pending' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
          const after = await fingerprint(allowed);
          if (res.status >= 400) {
            const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
            expect(changed, `${key} ${res.status} changed the database`).toEqual([]);
          }
          before = after;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
  }, 1_800_000);

  it(`when each socket event gets ${SOCKET_RUNS} hostile payloads from a customer and an electrician, then no ack is INTERNAL and the socket stays connected`, async () => {
    await heal();
    const sockets = {
      customer: await connect(server.url, actors.customer.token),
      electrician: await connect(server.url, actors.electrician.token),
    };
    for (const event of ['update_location', 'send_message', 'typing', 'read', 'heartbeat'] as const) {
      for (const who of ['customer', 'electrician'] as const) {
        const socket = sockets[who];
        await fc.assert(
          fc.asyncProperty(nasty(), async (payload) => {
            cases++;
            const ack = (await (
              socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } }
            )
              .timeout(5_000)
              .emitWithAck(event, payload)) as { ok: boolean; error?: { code: string } };
            expect(ack.error?.code).not.toBe('INTERNAL');
            expect(socket.connected).toBe(true);
          }),
          // The per-socket rate limit answers floods with RATE_LIMITED, which is a fine answer too.
          { numRuns: SOCKET_RUNS },
        );
      }
    }
  }, 600_000);
});
