/**
 * Every test file's database is a copy of the run's migrated template (api/test/db-template.ts). The copy
 * must be the schema the migrations make: same tables, columns, indexes, foreign keys and migration
 * records as a database migrated from scratch, on SQLite and on MariaDB.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialect, migrateLatest, type Db } from '../../src/db';
import { MYSQL_TEMPLATE_ENV, sqliteTemplatePath } from '../db-template';
import { createTestDatabase, usingMysql, type TestDatabase } from '../harness';

type Rows = Record<string, unknown>[];

async function rows(db: Db, sql: string): Promise<Rows> {
  const result = await db.raw(sql);
  return (dialect(db) === 'sqlite' ? result : result[0]) as Rows;
}

/** Everything that makes up a schema, in a form two databases can be compared by. */
async function schemaOf(db: Db): Promise<Record<string, Rows>> {
  const migrations = await db('knex_migrations').orderBy('id').select('id', 'name', 'batch');
  const lock = await db('knex_migrations_lock').select('*');
  if (dialect(db) === 'sqlite') {
    const objects = await rows(
      db,
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex_%' ORDER BY type, name",
    );
    const foreignKeys: Rows = [];
    const indexes: Rows = [];
    for (const { name } of objects.filter((o) => o.type === 'table')) {
      for (const fk of await rows(db, `PRAGMA foreign_key_list(\`${String(name)}\`)`)) foreignKeys.push({ table: name, ...fk });
      for (const index of await rows(db, `PRAGMA index_list(\`${String(name)}\`)`)) indexes.push({ table: name, ...index });
    }
    return { objects, foreignKeys, indexes, migrations, lock };
  }
  const tables = await rows(db, 'SHOW FULL TABLES');
  const created: Rows = [];
  for (const table of tables) {
    const name = String(Object.values(table)[0]);
    created.push(...(await rows(db, `SHOW CREATE TABLE \`${name}\``)));
  }
  const where = 'WHERE TABLE_SCHEMA = DATABASE()';
  return {
    created,
    tables: await rows(
      db,
      `SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, ROW_FORMAT, AUTO_INCREMENT, CREATE_OPTIONS FROM information_schema.TABLES ${where} ORDER BY TABLE_NAME`,
    ),
    columns: await rows(
      db,
      `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_KEY, EXTRA
       FROM information_schema.COLUMNS ${where} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    ),
    indexes: await rows(
      db,
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, INDEX_TYPE
       FROM information_schema.STATISTICS ${where} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    ),
    foreignKeys: await rows(
      db,
      `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.ORDINAL_POSITION, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
              r.UPDATE_RULE, r.DELETE_RULE
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
       WHERE k.TABLE_SCHEMA = DATABASE() ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    ),
    checks: await rows(
      db,
      `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
    ),
    migrations,
    lock,
  };
}

describe('test databases copied from the migrated template', () => {
  let copy: TestDatabase;
  let fresh: TestDatabase;

  beforeAll(async () => {
    copy = await createTestDatabase();
    fresh = await createTestDatabase({ migrate: false });
    await migrateLatest(fresh.db);
  });

  afterAll(async () => {
    await copy?.drop();
    await fresh?.drop();
  });

  it('when the run starts, then a template for the current migrations exists', () => {
    if (usingMysql) expect(process.env[MYSQL_TEMPLATE_ENV]).toMatch(/^tpl_/);
    else expect(fs.existsSync(sqliteTemplatePath())).toBe(true);
  });

  it('when a test file gets its database, then its schema equals a freshly migrated one', async () => {
    const expected = await schemaOf(fresh.db);
    // The comparison means something: the schema has its tables, indexes and foreign keys.
    expect(expected.foreignKeys!.length).toBeGreaterThan(10);
    expect(expected.indexes!.length).toBeGreaterThan(10);
    expect(expected.migrations!.length).toBeGreaterThan(10);

    expect(await schemaOf(copy.db)).toEqual(expected);
  });

  it('when a copy is migrated, then nothing is left to apply', async () => {
    expect(await migrateLatest(copy.db)).toEqual([]);
  });

  it('when a copy is written, then the next copy starts empty', async () => {
    const now = new Date();
    await copy.db('users').insert({ openid: 'copy-check', created_at: now, updated_at: now });
    expect(await copy.db('users').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    const other = await createTestDatabase();
    try {
      expect(await other.db('users').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    } finally {
      await other.drop();
    }
  });

  it('when a row breaks a foreign key in a copy, then the database refuses it', async () => {
    const row = {
      owner_id: 999_999,
      purpose: 'order',
      storage: 'local',
      storage_key: 'copy-check',
      mime: 'image/jpeg',
      size: 1,
      sha256: '0'.repeat(64),
      created_at: new Date(),
    };
    await expect(copy.db('uploads').insert(row)).rejects.toMatchObject({
      code: usingMysql ? 'ER_NO_REFERENCED_ROW_2' : 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
  });
});
