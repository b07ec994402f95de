import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation, migrateLatest, migrateRollback, migrationConfig } from '../../api/src/db';
import { fromJson, toBool, toDate, toIso } from '../../api/src/shared/rows';
import { createTestDatabase, tableNames, type TestDatabase } from '../../api/test/harness';
import { migrations } from '../index';

const MIGRATIONS_DIR = path.resolve(__dirname, '..');
const CORE_TABLES = ['users', 'refresh_tokens', 'sms_codes', 'idempotency_keys'];
const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

let seq = 0;
/** A users row with a unique openid; timestamps are required columns. */
function userRow(overrides: Record<string, unknown> = {}) {
  seq += 1;
  const now = new Date();
  return { openid: `mig-test-${seq}-${Date.now()}`, created_at: now, updated_at: now, ...overrides };
}

describe('migration list', () => {
  it('when the folder is read, then every migration file is listed in index.ts in filename order', () => {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();

    expect(files.length).toBeGreaterThan(0);
    expect(migrations.map(([name]) => name)).toEqual(files);
  });

  it('when names are checked, then each is <14-digit timestamp>_<snake_case> and has up and down', () => {
    for (const [name, migration] of migrations) {
      expect(name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(typeof migration.up, name).toBe('function');
      expect(typeof migration.down, name).toBe('function');
    }
    expect(new Set(migrations.map(([name]) => name)).size).toBe(migrations.length);
  });

  it('when index.ts maps a name to a module, then it is the module of the file with that name', async () => {
    for (const [name, migration] of migrations) {
      const fromFile = (await import(path.join(MIGRATIONS_DIR, `${name}.ts`))) as typeof migration;
      expect(migration.up, name).toBe(fromFile.up);
      expect(migration.down, name).toBe(fromFile.down);
    }
  });
});

describe('migrating up and down', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });

  afterAll(async () => {
    await database.drop();
  });

  it('when migrated, rolled back completely and migrated again, then tables appear, vanish and reappear cleanly', async () => {
    const { db } = database;
    for (const table of CORE_TABLES) expect(await db.schema.hasTable(table), table).toBe(false);

    const applied = await migrateLatest(db);

    expect(applied).toEqual(migrations.map(([name]) => name));
    for (const table of CORE_TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
    expect(await migrateLatest(db)).toEqual([]);

    const reverted = await migrateRollback(db, true);

    expect([...reverted].sort()).toEqual(migrations.map(([name]) => name).sort());
    for (const table of CORE_TABLES) expect(await db.schema.hasTable(table), table).toBe(false);
    expect(await tableNames(db)).toEqual(KNEX_TABLES);
    expect(await migrateRollback(db, true)).toEqual([]);

    expect(await migrateLatest(db)).toEqual(migrations.map(([name]) => name));
    for (const table of CORE_TABLES) expect(await db.schema.hasTable(table), table).toBe(true);
    await db('users').insert(userRow());
  });

  it('when migrations are applied and undone one at a time, then each down restores exactly the tables before its up', async () => {
    const { db } = database;
    await migrateRollback(db, true);
    const snapshots: string[][] = [await tableNames(db)];

    for (const [name] of migrations) {
      const [, applied] = (await db.migrate.up(migrationConfig)) as [number, string[]];
      expect(applied).toEqual([name]);
      snapshots.push(await tableNames(db));
    }
    for (let i = migrations.length - 1; i >= 0; i -= 1) {
      const [, reverted] = (await db.migrate.down(migrationConfig)) as [number, string[]];
      expect(reverted).toEqual([migrations[i]![0]]);
      expect(await tableNames(db), migrations[i]![0]).toEqual(snapshots[i]);
    }

    expect(await migrateLatest(db)).toHaveLength(migrations.length);
    expect(await tableNames(db)).toEqual(snapshots[snapshots.length - 1]);
  });
});

describe('constraints and row helpers', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('when two users share an openid, then the second insert is a unique violation', async () => {
    const { db } = database;
    const first = userRow();
    await db('users').insert(first);

    const err = await db('users')
      .insert(userRow({ openid: first.openid }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(err).toBeDefined();
    expect(isUniqueViolation(err)).toBe(true);
    expect(await db('users').where({ openid: first.openid }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('when two users share a phone, then the second insert is a unique violation', async () => {
    const { db } = database;
    await db('users').insert(userRow({ phone: '13700000001' }));

    const err = await db('users')
      .insert(userRow({ phone: '13700000001' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(isUniqueViolation(err)).toBe(true);
  });

  it('when an idempotency key repeats for the same user and scope, then it is a unique violation, but not across scopes', async () => {
    const { db } = database;
    const [userId] = await db('users').insert(userRow());
    const now = new Date();
    const key = (scope: string) => ({
      user_id: userId,
      scope,
      idem_key: 'k-1',
      request_hash: 'a'.repeat(64),
      created_at: now,
      expires_at: new Date(now.getTime() + 86_400_000),
    });
    await db('idempotency_keys').insert(key('POST /api/orders'));
    await db('idempotency_keys').insert(key('POST /api/payments'));

    const err = await db('idempotency_keys')
      .insert(key('POST /api/orders'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(isUniqueViolation(err)).toBe(true);
  });

  it('when an insert breaks a NOT NULL column, then it is not mistaken for a unique violation', async () => {
    const { db } = database;

    const err = await db('users')
      .insert({ openid: null, created_at: new Date(), updated_at: new Date() })
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(err).toBeDefined();
    expect(isUniqueViolation(err)).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('when a Date with milliseconds is written to a DATETIME(3) column, then it reads back equal to the millisecond', async () => {
    const { db } = database;
    const at = new Date('2026-03-04T05:06:07.891Z');
    const row = userRow({ created_at: at, updated_at: at, last_login_at: null });
    await db('users').insert(row);

    const read = await db('users').where({ openid: row.openid }).first();

    expect(toDate(read.created_at)?.getTime()).toBe(at.getTime());
    expect(toIso(read.updated_at)).toBe('2026-03-04T05:06:07.891Z');
    expect(toDate(read.last_login_at)).toBeNull();
    expect(toIso(read.last_login_at)).toBeNull();
  });

  it('when rows are filtered by a Date, then the comparison honours the millisecond', async () => {
    const { db } = database;
    const at = new Date('2026-05-06T07:08:09.123Z');
    const row = userRow({ created_at: at, updated_at: at });
    await db('users').insert(row);

    const at123 = await db('users').where({ openid: row.openid }).andWhere('created_at', '=', at).first();
    const after122 = await db('users')
      .where({ openid: row.openid })
      .andWhere('created_at', '>', new Date(at.getTime() - 1))
      .first();
    const after123 = await db('users').where({ openid: row.openid }).andWhere('created_at', '>', at).first();

    expect(at123).toBeDefined();
    expect(after122).toBeDefined();
    expect(after123).toBeUndefined();
  });

  it('when 0/1 and JSON text come back from the database, then toBool and fromJson normalise them', async () => {
    const { db } = database;
    const [userId] = await db('users').insert(userRow());
    const now = new Date();
    const body = { success: true, data: { id: 7, tags: ['急修', 'night'] } };
    await db('idempotency_keys').insert({
      user_id: userId,
      scope: 'rows-test',
      idem_key: 'json',
      request_hash: 'b'.repeat(64),
      response_status: 201,
      response_body: JSON.stringify(body),
      created_at: now,
      expires_at: now,
    });

    const flags = await db.select(db.raw('1 as yes'), db.raw('0 as no')).first();
    const stored = await db('idempotency_keys').where({ scope: 'rows-test' }).first();

    expect(toBool(flags.yes)).toBe(true);
    expect(toBool(flags.no)).toBe(false);
    expect(fromJson(stored.response_body, {})).toEqual(body);
    expect(fromJson(null, { empty: true })).toEqual({ empty: true });
  });
});

describe('row helpers on plain values', () => {
  it('when given each dialect shape of a time, then toDate yields the same instant', () => {
    const ms = Date.parse('2026-01-02T03:04:05.678Z');

    expect(toDate(new Date(ms))?.getTime()).toBe(ms);
    expect(toDate(ms)?.getTime()).toBe(ms);
    expect(toDate(BigInt(ms))?.getTime()).toBe(ms);
    expect(toDate(String(ms))?.getTime()).toBe(ms);
    expect(toDate('2026-01-02 03:04:05.678')?.getTime()).toBe(ms);
    expect(toDate('2026-01-02T03:04:05.678Z')?.getTime()).toBe(ms);
    expect(toDate(undefined)).toBeNull();
    expect(() => toDate({})).toThrow(TypeError);
  });

  it('when given booleans in their stored forms, then toBool is true only for true, 1 and "1"', () => {
    expect([true, 1, '1'].map(toBool)).toEqual([true, true, true]);
    expect([false, 0, '0', null, undefined, 'true', 2].map(toBool)).toEqual([false, false, false, false, false, false, false]);
  });

  it('when JSON is already parsed (MySQL JSON columns), then fromJson returns it unchanged', () => {
    const parsed = { a: [1, 2] };

    expect(fromJson(parsed, {})).toBe(parsed);
    expect(fromJson('[1,2]', [])).toEqual([1, 2]);
    expect(() => fromJson('{not json', {})).toThrow(SyntaxError);
  });
});
