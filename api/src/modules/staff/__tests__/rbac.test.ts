import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthGuards } from '../../../shared/auth';
import { errorHandler } from '../../../shared/errors';
import { can, STAFF_ROLES, type Permission } from '../../../shared/permissions';
import { RouteTable, type RouteDef } from '../../../shared/routing';
import { createTestApp, login, loginAsAdmin, snapshot, type Session, type TestApp } from '../../../../test/harness';
import { loginAsStaff, type StaffSession } from './staff-helpers';

interface Operation {
  method: RouteDef['method'];
  path: string;
  permission: Permission | undefined;
}

/** Every operation of the OpenAPI document (the route table documents each route it mounts). */
async function operations(t: TestApp): Promise<Operation[]> {
  const doc = (await t.http.get('/api/openapi.json')).body as {
    paths: Record<string, Record<string, { 'x-permission'?: Permission }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method as RouteDef['method'],
      path: path.replace(/\{(\w+)\}/g, ':$1'),
      permission: op['x-permission'],
    })),
  );
}

const concrete = (path: string) => path.replace(/:\w+/g, '1');

let t: TestApp;
let ops: Operation[];
const staff = {} as Record<(typeof STAFF_ROLES)[number], StaffSession>;
let customer: Session;

beforeAll(async () => {
  t = await createTestApp();
  ops = await operations(t);
  for (const role of STAFF_ROLES) staff[role] = await loginAsStaff(t, role);
  customer = await login(t, 'rbac-customer');
});
afterAll(() => t.close());

describe('every /api/admin route checks a permission', () => {
  it('when the document is read, then every admin route except the web login names a permission', () => {
    const admin = ops.filter((o) => o.path.startsWith('/api/admin/'));
    expect(admin.length).toBeGreaterThan(10);
    expect(admin.filter((o) => !o.permission).map((o) => `${o.method} ${o.path}`)).toEqual(['post /api/admin/auth/login']);
  });

  it('when a role without the permission calls any admin route, then 403 and nothing in the database changed', async () => {
    const guarded = ops.filter((o) => o.permission);
    let refusals = 0;
    for (const role of STAFF_ROLES) {
      for (const op of guarded.filter((o) => !can(role, o.permission!))) {
        const before = await snapshot(t.db);
        const res = await t.http[op.method](concrete(op.path)).set(staff[role].auth).send({});
        expect(res.status, `${role} ${op.method} ${op.path}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        expect(await snapshot(t.db), `${role} ${op.method} ${op.path}`).toEqual(before);
        refusals += 1;
      }
    }
    // agent and finance each lack several permissions; the loop must really have run.
    expect(refusals).toBeGreaterThan(15);
  });

  it('when a customer or an anonymous caller calls any admin route, then 403 or 401', async () => {
    for (const op of ops.filter((o) => o.permission)) {
      expect((await t.http[op.method](concrete(op.path)).set(customer.auth).send({})).status, op.path).toBe(403);
      expect((await t.http[op.method](concrete(op.path)).send({})).status, op.path).toBe(401);
    }
  });

  it('when a role has the permission, then the guard lets it through (whatever the route then answers)', async () => {
    for (const role of STAFF_ROLES) {
      for (const op of ops.filter((o) => o.method === 'get' && o.permission && can(role, o.permission))) {
        const res = await t.http.get(concrete(op.path)).set(staff[role].auth);
        expect(res.status, `${role} ${op.path}`).not.toBe(403);
      }
    }
  });
});

describe('every staff action is audited', () => {
  it('when each mutating staff route of the document succeeds, then the route table writes one audit row for it', async () => {
    // The routes as documented, mounted by the real RouteTable with the real guards and recorder;
    // only the handlers are replaced, so that each call succeeds without per-route fixtures.
    const router = express.Router();
    const guards = createAuthGuards((token) => t.c.services.auth.authenticate(token));
    const table = new RouteTable(router, guards, t.c.services.staff.actionAudit);
    const mutating = ops.filter((o) => o.permission && o.method !== 'get');
    table.add(
      mutating.map((o) => ({
        method: o.method,
        path: o.path,
        summary: o.path,
        tags: ['test'],
        auth: { permission: o.permission! },
        handler: () => ({ done: true }),
      })),
    );
    const app = express().use(express.json()).use(router).use(errorHandler);
    const admin = await loginAsAdmin(t);
    expect(mutating.length).toBeGreaterThan(5);
    for (const op of mutating) {
      const before = Number((await t.db('audit_logs').max({ id: 'id' }).first())?.id ?? 0);
      const res = await request(app)[op.method](concrete(op.path)).set(admin.auth).send({ note: 'x', password: 'secret-1' });
      expect(res.status, op.path).toBeLessThan(300);
      const rows = await t.db('audit_logs').where('id', '>', before);
      expect(rows, op.path).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        actor_id: admin.userId,
        actor_role: 'admin',
        action: op.permission,
        method: op.method.toUpperCase(),
        route: op.path,
        outcome: 'succeeded',
        status_code: 200,
        error_code: null,
      });
      expect(rows[0].finished_at).not.toBeNull();
      expect(JSON.stringify(rows[0].details)).not.toContain('secret-1');
    }
  });

  it('when a staff member only reads, then nothing is audited', async () => {
    const before = await t.db('audit_logs').count({ n: '*' }).first();
    await t.http.get('/api/admin/orders').set(staff.admin.auth);
    await t.http.get('/api/admin/electricians').set(staff.admin.auth);
    expect(await t.db('audit_logs').count({ n: '*' }).first()).toEqual(before);
  });
});
