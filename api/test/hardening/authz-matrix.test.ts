/**
 * The authorization matrix (issue #10): every route of the app (read from the app's own route
 * table: a route without a row fails the test) × every kind of caller. A refused call answers
 * 401/403/404, changes nothing and leaks nothing; an allowed read reaches its handler and shows
 * no one else's private data. Allowed writes are marked so and covered by each module's tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { RouteDef } from '../../src/shared/routing';
import { createTestApp, tableNames, type TestApp } from '../harness';
import { buildWorld, ROLES, type MatrixRole, type World } from './authz-world';

const DISCOVER = process.env.MATRIX_DISCOVER === '1';

let t: TestApp;
let world: World;
beforeAll(async () => {
  t = await createTestApp();
  world = await buildWorld(t);
}, 60_000);
afterAll(() => t?.close());

async function call(def: RouteDef, role: MatrixRole) {
  const params = world.params(def.path);
  const url = def.path.replace(/:([A-Za-z0-9_]+)/g, (_, n: string) => params[n] ?? '1');
  let req = request(t.app)[def.method](url);
  if (role !== 'anonymous') req = req.set(world.sessions[role].auth);
  req = req.query(world.query(def.path));
  return def.method === 'get' ? req : req.send(world.body(def.method, def.path) as object);
}

/**
 * Who reaches each route ('o') and who is refused ('x'), for the callers in ROLES order:
 * anonymous, owner, otherCustomer, assigned, otherElectrician, unapproved, admin, banned.
 * Staff routes (`auth: {permission}`) default to 'xxxxxxox' and public routes to all 'o'; every
 * route that is only "signed in" at the guard must have a row here, because who may use it is
 * decided by the service (ownership, eligibility) — that is what this table pins down.
 */
const ACCESS: Record<string, string> = {
  'POST /api/auth/logout': 'xoooooox',
  'POST /api/auth/bind-phone': 'xoooooox',
  'GET /api/users/me': 'xoooooox',
  'PATCH /api/users/me': 'xoooooox',
  'PUT /api/users/me': 'xoooooox',
  'POST /api/users/me/delete-account': 'xoooooxx',
  'GET /api/addresses': 'xoooooox',
  'POST /api/addresses': 'xoooooox',
  'PATCH /api/addresses/:id': 'xoxxxxxx',
  'PUT /api/addresses/:id': 'xoxxxxxx',
  'DELETE /api/addresses/:id': 'xoxxxxxx',
  'POST /api/electricians/apply': 'xoooooox',
  // Only someone with an electrician profile has a "me" (an application counts).
  'GET /api/electricians/me': 'xxxoooxx',
  'PATCH /api/electricians/me': 'xxxoooxx',
  'PUT /api/electricians/me': 'xxxoooxx',
  'GET /api/electricians/me/earnings': 'xxxoooxx',
  'GET /api/electricians/:id': 'xoooooox',
  'GET /api/electricians/:id/reviews': 'xoooooox',
  // The hall is for approved electricians only.
  'GET /api/orders/hall': 'xxxooxxx',
  'POST /api/orders': 'xoooooox',
  'GET /api/orders': 'xoooooox',
  'GET /api/orders/:id': 'xoxoxxox',
  'GET /api/orders/:id/events': 'xoxoxxox',
  // Grabbing is for approved electricians; anyone else learns nothing about the order's state.
  'POST /api/orders/:id/grab': 'xxxooxxx',
  'POST /api/orders/:id/dispatch/accept': 'xxxooxxx',
  // No offer exists in this world, so even an approved electrician has nothing to reject.
  'POST /api/orders/:id/dispatch/reject': 'xxxxxxxx',
  'POST /api/orders/:id/arrive': 'xxxoxxxx',
  'POST /api/orders/:id/release': 'xxxoxxxx',
  'POST /api/orders/:id/quote': 'xxxoxxxx',
  'POST /api/orders/:id/complete': 'xxxoxxxx',
  'POST /api/orders/:id/quote/accept': 'xoxxxxxx',
  'POST /api/orders/:id/quote/reject': 'xoxxxxxx',
  'POST /api/orders/:id/cancel': 'xoxxxxox',
  'POST /api/orders/:id/review': 'xoxxxxxx',
  'GET /api/orders/:id/review': 'xoxoxxox',
  'POST /api/orders/:id/complaints': 'xoxxxxxx',
  'POST /api/uploads': 'xoooooox',
  'GET /api/uploads/:id': 'xoxxxxox',
  // Files are served by signed URL only: without the signature, no one.
  'GET /api/files/:id': 'xxxxxxxx',
  'GET /api/chat/conversations': 'xoooooox',
  'POST /api/chat/customer-service': 'xoooooox',
  // An order's conversation is its customer's and electrician's; staff do not read it.
  'GET /api/chat/conversations/:id/messages': 'xoxoxxxx',
  'POST /api/chat/conversations/:id/messages': 'xoxoxxxx',
  'POST /api/chat/conversations/:id/read': 'xoxoxxxx',
  'GET /api/messages': 'xoooooox',
  'GET /api/messages/unread-count': 'xoooooox',
  'POST /api/messages/read-all': 'xoooooox',
  'POST /api/messages/:id/read': 'xoxxxxxx',
  'GET /api/messages/subscriptions': 'xoooooox',
  'POST /api/messages/subscriptions': 'xoooooox',
  'GET /api/complaints': 'xoooooox',
  'GET /api/complaints/:id': 'xoxoxxox',
  'POST /api/complaints/:id/messages': 'xoxxxxxx',
  'POST /api/reviews/:id/reply': 'xxxoxxxx',
  'POST /api/reviews/:id/helpful': 'xoooooox',
  'POST /api/reviews/:id/report': 'xoooooox',
  'POST /api/payments': 'xoxxxxxx',
  'GET /api/payments/:paymentNo': 'xoxxxxox',
  'POST /api/dev/payments/:paymentNo/succeed': 'xoxxxxox',
  // WeChat Pay callbacks: only a verified signature gets in, whoever calls.
  'POST /api/payments/notify': 'xxxxxxxx',
  'POST /api/payments/refund-notify': 'xxxxxxxx',
};

const REFUSED = [401, 403, 404];

function accessOf(def: RouteDef): string | undefined {
  const key = `${def.method.toUpperCase()} ${def.path}`;
  if (ACCESS[key]) return ACCESS[key];
  if (typeof def.auth === 'object' && !Array.isArray(def.auth)) return 'xxxxxxox';
  if (def.auth === 'public') return 'oooooooo';
  return undefined;
}

/** Row counts and latest updates of every table (as the fuzzer does). */
async function fingerprint(): Promise<string> {
  await t.c.bus.drain(); // earlier deliveries clear event_outbox; a refused call must stage nothing
  const names = (await tableNames(t.db)).filter((n) => !n.startsWith('knex_'));
  const counts = await Promise.all(names.map(async (n) => `${n}:${JSON.stringify(await t.db(n).count({ c: '*' }))}`));
  return counts.join('|');
}

describe('authorization matrix', () => {
  it('has a row for every route of the app', () => {
    const missing = (t.app.locals.routes as RouteDef[])
      .filter((d) => !accessOf(d))
      .map((d) => `${d.method.toUpperCase()} ${d.path}`);
    expect(missing).toEqual([]);
  });

  it('when every route is called by every kind of caller, then refused calls answer 401/403/404, change nothing and leak nothing, and allowed reads get through', async () => {
    const defs = t.app.locals.routes as RouteDef[];
    let refused = 0;
    let reads = 0;
    let writes = 0;
    for (const def of defs) {
      const access = accessOf(def)!;
      for (const [i, role] of ROLES.entries()) {
        const expectReach = access[i] === 'o';
        const cell = `${def.method.toUpperCase()} ${def.path} as ${role}`;
        if (expectReach && def.method !== 'get') {
          writes++; // allowed writes are exercised by each module's own tests
          continue;
        }
        const before = expectReach ? '' : await fingerprint();
        const res = await call(def, role);
        expect(res.status, `${cell}: ${JSON.stringify(res.body).slice(0, 200)}`).toBeLessThan(500);
        const text = JSON.stringify(res.body ?? '');
        if (!expectReach) {
          expect(REFUSED, `${cell} should be refused, got ${res.status}`).toContain(res.status);
          expect(await fingerprint(), `${cell} changed the database`).toBe(before);
          refused++;
        } else {
          expect(REFUSED, `${cell} should get through, got ${res.status}`).not.toContain(res.status);
          reads++;
        }
        // Only the owner, the assigned electrician and staff may ever see the owner's private data.
        if (!['owner', 'assigned', 'admin'].includes(role)) {
          for (const secret of world.secrets) expect(text, `${cell} leaks ${secret.slice(0, 8)}…`).not.toContain(secret);
        }
      }
    }
    process.stdout.write(
      `authorization matrix: ${defs.length} routes × ${ROLES.length} callers; ${refused} refusals and ${reads} allowed reads checked, ${writes} allowed writes left to module tests\n`,
    );
  }, 300_000);

  // A tool for maintaining ACCESS, not a check: MATRIX_DISCOVER=1 prints what every caller gets.
  it.runIf(DISCOVER)(
    'discovers',
    async () => {
      const defs = t.app.locals.routes as RouteDef[];
      const lines: string[] = [];
      for (const def of defs) {
        if (def.path === '/api/auth/logout') continue;
        const row: string[] = [];
        for (const role of ROLES) {
          const res = await call(def, role);
          row.push(`${role}:${res.status}`);
          await t.c.bus.drain();
        }
        lines.push(`${def.method.toUpperCase()} ${def.path} | ${row.join(' ')}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    },
    300_000,
  );
});
