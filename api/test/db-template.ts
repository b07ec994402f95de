/**
 * Migrated template databases, so that the suite runs the migrations once per run rather than once per
 * test file. The vitest global set-up (api/test/global-setup.ts) makes the template; the harness gives
 * every test file a copy of it:
 * - SQLite: a migrated database file in the temp directory, named by a hash of everything that shapes
 *   the schema (the migration files, api/src/db.ts, the knex and better-sqlite3 versions). A stale
 *   template is never used: its name no longer matches. Each test file copies the file.
 * - MariaDB / MySQL: a template database made once per run and dropped at its end. Each test file's
 *   database is created from the template's own `SHOW CREATE TABLE` statements (columns, indexes,
 *   foreign keys, checks, table options verbatim) and its rows (`knex_migrations`).
 * Without a template (a run without the global set-up, or one whose hash no longer matches), the harness
 * migrates the file's database as before.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrateLatest, type Db } from '../src/db';

const repo = path.resolve(__dirname, '../..');

/** The environment variable naming this run's MariaDB template database (set by the global set-up). */
export const MYSQL_TEMPLATE_ENV = 'TEST_MYSQL_TEMPLATE_DB';

/** A hash of everything that decides the migrated schema (and the starter articles its FAQ migration writes). */
export function schemaHash(): string {
  const hash = createHash('sha256');
  const dir = path.join(repo, 'migrations');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => path.join(dir, f));
  files.push(path.join(repo, 'api/src/db.ts'), path.join(repo, 'seeds/07_faq.ts'));
  for (const pkg of ['knex', 'better-sqlite3', 'mysql2']) files.push(path.join(repo, 'node_modules', pkg, 'package.json'));
  for (const file of files) {
    hash.update(path.relative(repo, file)).update('\0');
    hash.update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the SQLite template for the current schema lives (it may not exist yet). */
export function sqliteTemplatePath(hash = schemaHash()): string {
  return path.join(os.tmpdir(), 'repair-test-templates', `schema-${hash}.sqlite3`);
}

/**
 * Makes the SQLite template unless one for the current schema exists. It is migrated under a temporary
 * name and renamed into place, so concurrent runs never see half a template.
 */
export async function ensureSqliteTemplate(): Promise<string> {
  const file = sqliteTemplatePath();
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const db = createDb(`sqlite:${tmp}`);
  try {
    await migrateLatest(db);
    // One self-contained file: no -wal/-shm beside it. Each copy turns WAL on again when opened.
    await db.raw('PRAGMA journal_mode = DELETE');
  } finally {
    await db.destroy();
  }
  fs.renameSync(tmp, file);
  return file;
}

/** A copy of the SQLite template at `filename`, or false when there is no template for the current schema. */
export function copySqliteTemplate(filename: string): boolean {
  const template = sqliteTemplatePath();
  if (!fs.existsSync(template)) return false;
  fs.copyFileSync(template, filename);
  return true;
}

export interface MysqlTemplate {
  name: string;
  /** `SHOW CREATE TABLE` of every table, in name order. */
  tables: string[];
  /** Tables the migrations left rows in (knex's own). */
  withRows: string[];
}

/** The name of the MariaDB template for the current schema and this run. */
function mysqlTemplateName(hash: string): string {
  return `tpl_${hash}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

function quote(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createDatabase(admin: Db, name: string): Promise<void> {
  await admin.raw(`CREATE DATABASE ${quote(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

/** Makes this run's MariaDB template: a freshly migrated database on the server of `baseUrl`. */
export async function createMysqlTemplate(baseUrl: string): Promise<string> {
  const name = mysqlTemplateName(schemaHash());
  const admin = createDb(baseUrl, { poolMax: 1 });
  try {
    await createDatabase(admin, name);
  } finally {
    await admin.destroy();
  }
  const db = createDb(withDatabase(baseUrl, name), { poolMax: 1 });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  return name;
}

export async function dropMysqlDatabase(baseUrl: string, name: string): Promise<void> {
  const admin = createDb(baseUrl, { poolMax: 1 });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${quote(name)}`);
  } finally {
    await admin.destroy();
  }
}

/** This run's MariaDB template, if there is one for the current schema. Read once per worker. */
let cached: Promise<MysqlTemplate | undefined> | undefined;
async function mysqlTemplate(baseUrl: string): Promise<MysqlTemplate | undefined> {
  const name = process.env[MYSQL_TEMPLATE_ENV];
  if (!name || !name.startsWith(`tpl_${schemaHash()}_`)) return undefined;
  cached ??= (async () => {
    const db = createDb(withDatabase(baseUrl, name), { poolMax: 1 });
    try {
      const rows = (await db.raw('SHOW FULL TABLES WHERE Table_type = ?', ['BASE TABLE']))[0] as Record<string, string>[];
      const names = rows.map((r) => Object.values(r)[0]!).sort();
      const tables: string[] = [];
      const withRows: string[] = [];
      for (const table of names) {
        const [[created]] = (await db.raw(`SHOW CREATE TABLE ${quote(table)}`)) as [Record<string, string>[]];
        tables.push(created!['Create Table']!);
        if (await db(table).first()) withRows.push(table);
      }
      return { name, tables, withRows };
    } finally {
      await db.destroy();
    }
  })();
  return cached;
}

/**
 * Creates database `name` on the server of `baseUrl`: a copy of this run's template when there is one
 * (returns true), else empty (returns false).
 */
export async function createMysqlDatabase(baseUrl: string, name: string, fromTemplate: boolean): Promise<boolean> {
  const template = fromTemplate ? await mysqlTemplate(baseUrl) : undefined;
  const admin = createDb(baseUrl, { poolMax: 1 });
  try {
    await createDatabase(admin, name);
    if (!template) return false;
    // One connection: the foreign key switch and USE hold for the whole copy; tables then come in any order.
    await admin.raw(`USE ${quote(name)}`);
    await admin.raw('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of template.tables) await admin.raw(table);
    for (const table of template.withRows) {
      await admin.raw(`INSERT INTO ${quote(table)} SELECT * FROM ${quote(template.name)}.${quote(table)}`);
    }
    return true;
  } finally {
    await admin.destroy();
  }
}
