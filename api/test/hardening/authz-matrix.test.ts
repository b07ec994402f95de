/**
 * The authorization matrix (issue #10): every route of the app (read from the app's own route
 * table: a route without a row fails the test) × every kind of caller. A refused call answers
 * 401/403/404, changes nothing and leaks nothing; an allowed read reaches its handler and shows
 * no one else's private data. Allowed writes are marked so and covered by each module's tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { StaffRole } from '../../src/shared/auth';
import { can, staffAccessAllows, type Permission } from '../../src/shared/permissions';
import { isStaffRoute, type RouteDef } from '../../src/shared/routing';
import { createTestApp, tableNames, type TestApp } from '../harness';
import { connect, closeClients, startRealtime, type ClientSocket } from '../../src/realtime/__tests__/support';
import type { RunningServer } from '../../src/server';
import type { ClientToServerEvents } from '../../src/realtime/events';
import { buildWorld, isStaffCaller, PEOPLE, ROLES, type MatrixRole, type World } from './authz-world';

const DISCOVER = process.env.MATRIX_DISCOVER === '1';

let t: TestApp;
let world: World;
let realtime: { server: RunningServer; url: string };
beforeAll(async () => {
  // Settlement at once, so that the world's electrician has a wallet to withdraw from.
  t = await createTestApp({ env: { SETTLEMENT_DELAY_DAYS: '0' } });
  world = await buildWorld(t);
  realtime = await startRealtime(t.c);
}, 60_000);
afterAll(async () => {
  closeClients();
  await realtime?.server.stop(1000);
  await t?.close();
});

async function call(def: RouteDef, role: MatrixRole) {
  const params = world.params(def.path);
  const url = def.path.replace(/:([A-Za-z0-9_]+)/g, (_, n: string) => params[n] ?? '1');
  let req = request(t.app)[def.method](url);
  if (role !== 'anonymous') req = req.set(world.sessions[role].auth);
  req = req.query(world.query(def.path));
  return def.method === 'get' ? req : req.send(world.body(def.method, def.path) as object);
}

/**
 * Who reaches each route. For the callers who are not staff, a string over PEOPLE: anonymous,
 * owner, otherCustomer, assigned, otherElectrician, unapproved, banned ('o' reaches, 'x' is
 * refused). For staff, what lets a staff member through, written from the permission table: a
 * permission (or a list, any of which suffices), `all` (every staff role: their own account), or
 * `none` (no staff meaning, or someone else's resource: every staff role is refused). Staff routes
 * (`auth: {permission}`) default to 'xxxxxxx' for people and their permission for staff; public
 * routes to all 'o'. Every route that is only "signed in" at the guard must have a row here.
 */
type StaffRule = Permission | readonly Permission[] | 'all' | 'none';
type Access = readonly [people: string, staff: StaffRule];
const ACCESS: Record<string, Access> = {
  'POST /api/auth/logout': ['xooooox', 'all'],
  'POST /api/auth/bind-phone': ['xooooox', 'all'],
  'GET /api/users/me': ['xooooox', 'all'],
  'PATCH /api/users/me': ['xooooox', 'all'],
  'PUT /api/users/me': ['xooooox', 'all'],
  // Staff accounts are closed by an administrator, not by themselves (403 STAFF_ACCOUNT, audited).
  'POST /api/users/me/delete-account': ['xooooox', 'none'],
  // An address book is a customer's: staff have none.
  'GET /api/addresses': ['xooooox', 'none'],
  'POST /api/addresses': ['xooooox', 'none'],
  'PATCH /api/addresses/:id': ['xoxxxxx', 'none'],
  'PUT /api/addresses/:id': ['xoxxxxx', 'none'],
  'DELETE /api/addresses/:id': ['xoxxxxx', 'none'],
  // Staff are not electricians: applying has no staff meaning.
  'POST /api/electricians/apply': ['xooooox', 'none'],
  // Only someone with an electrician profile has a "me" (an application counts).
  'GET /api/electricians/me': ['xxxooox', 'none'],
  'PATCH /api/electricians/me': ['xxxooox', 'none'],
  'PUT /api/electricians/me': ['xxxooox', 'none'],
  'GET /api/electricians/me/earnings': ['xxxooox', 'none'],
  'GET /api/electricians/:id': ['xooooox', 'all'],
  'GET /api/electricians/:id/reviews': ['xooooox', 'all'],
  // The hall is for approved electricians only.
  'GET /api/orders/hall': ['xxxooxx', 'none'],
  // Staff do not place orders, nor have "my orders".
  'POST /api/orders': ['xooooox', 'none'],
  'GET /api/orders': ['xooooox', 'none'],
  'GET /api/orders/:id': ['xoxoxxx', 'orders.read'],
  'GET /api/orders/:id/events': ['xoxoxxx', 'orders.read'],
  // Grabbing is for approved electricians; anyone else learns nothing about the order's state.
  'POST /api/orders/:id/grab': ['xxxooxx', 'none'],
  'POST /api/orders/:id/dispatch/accept': ['xxxooxx', 'none'],
  // No offer exists in this world, so even an approved electrician has nothing to reject.
  'POST /api/orders/:id/dispatch/reject': ['xxxxxxx', 'none'],
  'POST /api/orders/:id/arrive': ['xxxoxxx', 'none'],
  'POST /api/orders/:id/release': ['xxxoxxx', 'none'],
  'POST /api/orders/:id/quote': ['xxxoxxx', 'none'],
  'POST /api/orders/:id/complete': ['xxxoxxx', 'none'],
  'POST /api/orders/:id/quote/accept': ['xoxxxxx', 'none'],
  'POST /api/orders/:id/quote/reject': ['xoxxxxx', 'none'],
  // The customer, or staff who may cancel orders (the same power as POST /api/admin/orders/:id/cancel).
  'POST /api/orders/:id/cancel': ['xoxxxxx', 'orders.cancel'],
  'POST /api/orders/:id/review': ['xoxxxxx', 'none'],
  'GET /api/orders/:id/review': ['xoxoxxx', 'orders.read'],
  'POST /api/orders/:id/complaints': ['xoxxxxx', 'none'],
  'POST /api/uploads': ['xooooox', 'all'],
  // The world's upload is an order photo: staff who read orders.
  'GET /api/uploads/:id': ['xoxxxxx', 'orders.read'],
  // Files are served by signed URL only: without the signature, no one.
  'GET /api/files/:id': ['xxxxxxx', 'none'],
  // Support chat is for staff with chat.service; the list is theirs to see.
  'GET /api/chat/conversations': ['xooooox', 'chat.service'],
  'POST /api/chat/customer-service': ['xooooox', 'none'],
  // An order's conversation is its customer's and electrician's; staff do not read it.
  'GET /api/chat/conversations/:id/messages': ['xoxoxxx', 'none'],
  'POST /api/chat/conversations/:id/messages': ['xoxoxxx', 'none'],
  'POST /api/chat/conversations/:id/read': ['xoxoxxx', 'none'],
  'GET /api/messages': ['xooooox', 'all'],
  'GET /api/messages/unread-count': ['xooooox', 'all'],
  'POST /api/messages/read-all': ['xooooox', 'all'],
  // The owner's notification: no one else's, staff included.
  'POST /api/messages/:id/read': ['xoxxxxx', 'none'],
  'GET /api/messages/subscriptions': ['xooooox', 'all'],
  'POST /api/messages/subscriptions': ['xooooox', 'all'],
  'GET /api/complaints': ['xooooox', 'none'],
  'GET /api/complaints/:id': ['xoxoxxx', 'complaints.read'],
  // The customer's own addition; staff answer through /api/admin/complaints.
  'POST /api/complaints/:id/messages': ['xoxxxxx', 'none'],
  'POST /api/reviews/:id/reply': ['xxxoxxx', 'none'],
  'POST /api/reviews/:id/helpful': ['xooooox', 'none'],
  'POST /api/reviews/:id/report': ['xooooox', 'none'],
  'POST /api/payments': ['xoxxxxx', 'none'],
  'GET /api/payments/:paymentNo': ['xoxxxxx', ['finance.read', 'orders.read']],
  'POST /api/dev/payments/:paymentNo/succeed': ['xoxxxxx', 'none'],
  // WeChat Pay callbacks: only a verified signature gets in, whoever calls.
  'POST /api/payments/notify': ['xxxxxxx', 'none'],
  'POST /api/payments/refund-notify': ['xxxxxxx', 'none'],
  // Parts requests: the order's electrician asks, withdraws and settles their own (the world has
  // none, so only the ask reaches anything); staff read them with inventory.read or orders.read.
  // Electricians pick the warehouse to ask from (staff read GET /api/admin/warehouses).
  'GET /api/warehouses': ['xxxooxx', 'none'],
  'POST /api/orders/:id/parts-requests': ['xxxoxxx', 'none'],
  'GET /api/orders/:id/parts-requests': ['xxxoxxx', ['inventory.read', 'orders.read']],
  'POST /api/parts-requests/:id/cancel': ['xxxoxxx', 'none'],
  'POST /api/parts-requests/:id/settle': ['xxxoxxx', 'none'],
  // Invoices: the customer asks for one of their own order (anyone else's is 404) and reads their
  // own; finance works at /api/admin/invoices (finance.invoices), so staff have no "my invoices".
  'POST /api/orders/:id/invoice': ['xoxxxxx', 'none'],
  'GET /api/invoices': ['xooooox', 'none'],
  'GET /api/invoices/:id': ['xoxxxxx', 'none'],
  // Smart customer service: the knowledge base is for everyone signed in (staff too); asking the
  // bot, voting, asking for a person and complaining from one's own customer-service conversation
  // are a customer's or electrician's (agents answer at /api/admin/chat/conversations/:id/claim).
  'GET /api/faq': ['xooooox', 'all'],
  'POST /api/faq/:id/feedback': ['xooooox', 'none'],
  'POST /api/chat/customer-service/ask': ['xooooox', 'none'],
  'POST /api/chat/customer-service/escalate': ['xooooox', 'none'],
  // Reaching the route is not a complaint: complaints' own rules answer 404 for someone else's order.
  'POST /api/chat/customer-service/complaint': ['xooooox', 'none'],
  // Wallets and withdrawals are approved electricians' own; finance staff (finance.payouts) read any
  // withdrawal. The world's withdrawal is the assigned electrician's.
  'GET /api/electricians/me/wallet': ['xxxooxx', 'none'],
  'POST /api/electricians/me/withdrawals': ['xxxooxx', 'none'],
  'GET /api/electricians/me/withdrawals': ['xxxooxx', 'none'],
  'GET /api/withdrawals/:withdrawalNo': ['xxxoxxx', 'finance.payouts'],
  'POST /api/dev/withdrawals/:withdrawalNo/confirm': ['xxxoxxx', 'none'],
  'POST /api/payments/transfer-notify': ['xxxxxxx', 'none'],
};

const REFUSED = [401, 403, 404];

/**
 * Who may send each socket event (same strings and staff rules as ACCESS; a caller without a live
 * session — anonymous, banned — is refused at the handshake), the payload the right caller would
 * send, and whether it is a write. The world's conversation is the accepted order's: its customer's
 * and electrician's, not staff's (support chat is tested in the chat module).
 */
type SocketAccess = readonly [access: Access, payload: (w: World) => object, write: boolean];
const SOCKET_ACCESS: Record<keyof ClientToServerEvents, SocketAccess> = {
  heartbeat: [['xooooox', 'all'], () => ({}), false],
  // Electricians report their position (an applicant too: it is their own profile's location).
  update_location: [['xxxooox', 'none'], () => ({ latitude: 30.26, longitude: 120.13 }), true],
  send_message: [['xoxoxxx', 'none'], (w) => ({ conversationId: w.ids.conversation, type: 'text', content: '你好' }), true],
  typing: [['xoxoxxx', 'none'], (w) => ({ conversationId: w.ids.conversation }), false],
  read: [['xoxoxxx', 'none'], (w) => ({ conversationId: w.ids.conversation, upToMessageId: 1 }), true],
};
const SOCKET_REFUSALS = ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'NOT_ELIGIBLE'];

const keyOf = (def: RouteDef) => `${def.method.toUpperCase()} ${def.path}`;

function accessOf(def: RouteDef): Access | undefined {
  if (ACCESS[keyOf(def)]) return ACCESS[keyOf(def)];
  if (isStaffRoute(def)) return ['xxxxxxx', def.auth.permission];
  if (def.auth === 'public') return ['ooooooo', 'all'];
  return undefined;
}

/** Whether the access row lets this caller reach the route. */
function reaches([people, staff]: Access, role: MatrixRole): boolean {
  if (!isStaffCaller(role)) return people[PEOPLE.indexOf(role)] === 'o';
  if (staff === 'all' || staff === 'none') return staff === 'all';
  const needed: readonly Permission[] = typeof staff === 'string' ? [staff] : staff;
  return needed.some((permission) => can(role, permission));
}

/** Whether the app's guards let this staff role in (public routes let everyone in). */
function passesGuards(def: RouteDef, role: StaffRole): boolean {
  if (def.auth === 'public') return true;
  if (isStaffRoute(def)) return can(role, def.auth.permission);
  if (Array.isArray(def.auth) && !def.auth.includes('admin')) return false;
  return staffAccessAllows(def.staff ?? 'none', role);
}

/** Row counts of every table but the audit log (as the fuzzer does), and the audit log apart. */
async function fingerprint(): Promise<{ tables: string; audit: number }> {
  await t.c.bus.drain(); // earlier deliveries clear event_outbox; a refused call must stage nothing
  const names = (await tableNames(t.db)).filter((n) => !n.startsWith('knex_') && n !== 'audit_logs');
  const counts = await Promise.all(names.map(async (n) => `${n}:${JSON.stringify(await t.db(n).count({ c: '*' }))}`));
  const [{ c }] = (await t.db('audit_logs').count({ c: '*' })) as [{ c: number | string }];
  return { tables: counts.join('|'), audit: Number(c) };
}

interface Tally {
  refused: number;
  reads: number;
  writes: number;
  audited: number;
}

/**
 * Calls one route as one caller and says what disagrees with the access row (empty: all agrees).
 * An expected refusal must answer 401/403/404, change nothing and — for a staff member's write the
 * guards let in — leave exactly one audit row (and none when the guards refused it); an expected
 * reach must get past 401/403/404. Nobody but the owner, the assigned electrician and staff who
 * were let in may see the owner's private data.
 */
async function check(def: RouteDef, role: MatrixRole, access: Access, tally: Tally): Promise<string[]> {
  const problems: string[] = [];
  const expectReach = reaches(access, role);
  const cell = `${keyOf(def)} as ${role}`;
  if (expectReach && def.method !== 'get') {
    // Allowed writes are exercised by each module's own tests (staff ones in staff-access.test.ts);
    // here a staff member's must at least get past the route's guards.
    if (isStaffCaller(role) && !passesGuards(def, role)) problems.push(`${cell}: the table lets it write, the guards refuse it`);
    tally.writes++;
    return problems;
  }
  const before = expectReach ? undefined : await fingerprint();
  const res = await call(def, role);
  if (res.status >= 500) problems.push(`${cell}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  if (!expectReach) {
    if (!REFUSED.includes(res.status)) problems.push(`${cell} should be refused, got ${res.status}`);
    const after = await fingerprint();
    if (after.tables !== before!.tables) problems.push(`${cell} changed the database`);
    // A staff member's write that got past the guards is a staff action (public routes are nobody's).
    const audited = def.method !== 'get' && def.auth !== 'public' && isStaffCaller(role) && passesGuards(def, role) ? 1 : 0;
    if (after.audit - before!.audit !== audited)
      problems.push(`${cell} left ${after.audit - before!.audit} audit rows, expected ${audited}`);
    tally.audited += audited;
    tally.refused++;
  } else {
    if (REFUSED.includes(res.status)) problems.push(`${cell} should get through, got ${res.status}`);
    tally.reads++;
  }
  if (!['owner', 'assigned'].includes(role) && !(isStaffCaller(role) && expectReach)) {
    const text = JSON.stringify(res.body ?? '');
    for (const secret of world.secrets) if (text.includes(secret)) problems.push(`${cell} leaks ${secret.slice(0, 8)}…`);
  }
  return problems;
}

describe('authorization matrix', () => {
  it('has a row for every route of the app', () => {
    const missing = (t.app.locals.routes as RouteDef[]).filter((d) => !accessOf(d)).map(keyOf);
    expect(missing).toEqual([]);
  });

  it('when every route is called by every kind of caller (every staff role included), then refused calls answer 401/403/404, change nothing, leak nothing and leave one audit row per staff write the guards let in, and allowed reads get through', async () => {
    const defs = t.app.locals.routes as RouteDef[];
    const tally: Tally = { refused: 0, reads: 0, writes: 0, audited: 0 };
    const problems: string[] = [];
    for (const def of defs) {
      for (const role of ROLES) problems.push(...(await check(def, role, accessOf(def)!, tally)));
    }
    expect(problems).toEqual([]);
    process.stdout.write(
      `authorization matrix: ${defs.length} routes × ${ROLES.length} callers; ${tally.refused} refusals (${tally.audited} of them staff writes audited) and ${tally.reads} allowed reads checked, ${tally.writes} allowed writes left to module tests\n`,
    );
  }, 600_000);

  it('when a row of the table is deliberately wrong, then the matrix reports it', async () => {
    const tally: Tally = { refused: 0, reads: 0, writes: 0, audited: 0 };
    const cancel = (t.app.locals.routes as RouteDef[]).find((d) => keyOf(d) === 'POST /api/orders/:id/cancel')!;
    // Claims that staff who read orders may cancel them: finance and agent do not have orders.cancel.
    const wrongCancel = await check(cancel, 'finance', ['xoxxxxx', 'orders.read'], tally);
    expect(wrongCancel.join('\n')).toMatch(/cancel as finance: the table lets it write, the guards refuse it/);
    const order = (t.app.locals.routes as RouteDef[]).find((d) => keyOf(d) === 'GET /api/orders/:id')!;
    // Claims that the other customer may read the owner's order.
    const wrongRead = await check(order, 'otherCustomer', ['xooxxxx', 'orders.read'], tally);
    expect(wrongRead.join('\n')).toMatch(/should get through, got 404/);
    // Claims that finance may not read orders.
    const wrongStaff = await check(order, 'finance', ['xoxoxxx', 'none'], tally);
    expect(wrongStaff.join('\n')).toMatch(/should be refused, got 200/);
  });

  it('when every socket event is sent by every kind of caller (every staff role included), then refused events answer a refusal, change nothing and leak nothing, and allowed reads get through', async () => {
    const sockets = new Map<MatrixRole, ClientSocket | Error>();
    for (const role of ROLES) {
      const token = role === 'anonymous' ? undefined : world.sessions[role].token;
      sockets.set(role, await connect(realtime.url, token).catch((err: Error) => err));
    }
    const problems: string[] = [];
    let refused = 0;
    let reached = 0;
    let writes = 0;
    for (const [event, [access, payload, write]] of Object.entries(SOCKET_ACCESS) as [
      keyof ClientToServerEvents,
      SocketAccess,
    ][]) {
      for (const role of ROLES) {
        const cell = `socket ${event} as ${role}`;
        const expectReach = reaches(access, role);
        const socket = sockets.get(role)!;
        if (socket instanceof Error) {
          // Only callers without a live session are refused at the handshake.
          if (expectReach || !['anonymous', 'banned'].includes(role))
            problems.push(`${cell}: could not connect (${socket.message})`);
          refused++;
          continue;
        }
        if (expectReach && write) {
          writes++; // exercised by the realtime and chat tests
          continue;
        }
        const before = expectReach ? undefined : await fingerprint();
        const ack = (await socket.timeout(5000).emitWithAck(event as 'heartbeat', payload(world) as Record<string, never>)) as {
          ok: boolean;
          error?: { code: string };
        };
        if (!expectReach) {
          if (ack.ok || !SOCKET_REFUSALS.includes(ack.error!.code))
            problems.push(`${cell} should be refused, got ${JSON.stringify(ack)}`);
          const after = await fingerprint();
          if (after.tables !== before!.tables) problems.push(`${cell} changed the database`);
          refused++;
        } else {
          if (!ack.ok) problems.push(`${cell} should get through, got ${JSON.stringify(ack)}`);
          reached++;
        }
        if (!['owner', 'assigned'].includes(role) && !(isStaffCaller(role) && expectReach)) {
          const text = JSON.stringify(ack);
          for (const secret of world.secrets) if (text.includes(secret)) problems.push(`${cell} leaks ${secret.slice(0, 8)}…`);
        }
      }
    }
    expect(problems).toEqual([]);
    process.stdout.write(
      `authorization matrix (sockets): ${Object.keys(SOCKET_ACCESS).length} events × ${ROLES.length} callers; ${refused} refusals and ${reached} allowed events checked, ${writes} allowed writes left to the realtime tests\n`,
    );
  }, 120_000);

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
