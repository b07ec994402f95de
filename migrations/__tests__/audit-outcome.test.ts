import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrationConfig } from '../../api/src/db';
import { toDate } from '../../api/src/shared/rows';
import { createTestDatabase, type TestDatabase } from '../../api/test/harness';
import { migrations } from '../index';

const NAME = '20261122003000_audit_outcome';
const COLUMNS = ['outcome', 'status_code', 'error_code', 'finished_at'];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database.drop();
});

const row = (action: string, at: Date) => ({ actor_id: null, action, method: 'POST', route: '/api/admin/x', created_at: at });

describe('audit outcome migration', () => {
  it('when audit rows written before it are migrated, then they are finished at their creation time: failed sign-ins failed, the rest succeeded; down keeps them', async () => {
    const { db } = database;
    // Up to the migration before this one.
    const position = migrations.findIndex(([name]) => name === NAME);
    expect(position).toBeGreaterThan(0);
    for (const [name] of migrations.slice(0, position)) {
      const [, applied] = (await db.migrate.up(migrationConfig)) as [number, string[]];
      expect(applied).toEqual([name]);
    }
    const at = new Date('2026-11-20T01:02:03.456Z');
    await db('audit_logs').insert([row('users.manage', at), row('staff.login_failed', at), row('staff.login', at)]);

    const [, applied] = (await db.migrate.up(migrationConfig)) as [number, string[]];
    expect(applied).toEqual([NAME]);

    const rows = await db('audit_logs').orderBy('id');
    expect(rows.map((r) => [r.action, r.outcome, r.status_code, r.error_code])).toEqual([
      ['users.manage', 'succeeded', null, null],
      ['staff.login_failed', 'failed', null, null],
      ['staff.login', 'succeeded', null, null],
    ]);
    for (const r of rows) expect(toDate(r.finished_at)?.getTime()).toBe(at.getTime());
    // A row that does not say how it ended is pending, never succeeded.
    await db('audit_logs').insert(row('orders.assign', at));
    expect((await db('audit_logs').where({ action: 'orders.assign' }).first()).outcome).toBe('pending');

    const [, reverted] = (await db.migrate.down(migrationConfig)) as [number, string[]];
    expect(reverted).toEqual([NAME]);
    for (const column of COLUMNS) expect(await db.schema.hasColumn('audit_logs', column), column).toBe(false);
    expect(await db('audit_logs').count({ n: '*' }).first()).toMatchObject({ n: 4 });

    expect(await migrateLatest(db)).toContain(NAME);
    for (const column of COLUMNS) expect(await db.schema.hasColumn('audit_logs', column), column).toBe(true);
  });
});
