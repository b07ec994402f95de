import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { migrationSource } from '../../migrations';

export type Db = Knex;
export type Dialect = 'sqlite' | 'mysql';

/** MySQL 8's default sql_mode, set per connection so MariaDB rejects what MySQL would. */
const MYSQL_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

export function sqliteFilename(url: string): string {
  return url.slice('sqlite:'.length);
}

export interface DbOptions {
  /** Upper bound of the MySQL pool. SQLite always uses one connection: writes serialise anyway. */
  poolMax?: number;
  acquireTimeoutMs?: number;
  /** Where knex's own messages (e.g. failed pool connections during an outage) go; console otherwise. */
  logger?: { warn(msg: string): void; error(msg: string): void; debug(msg: string): void };
}

function knexLog(logger: DbOptions['logger']): Knex.Config['log'] {
  if (!logger) return undefined;
  const text = (m: unknown) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m));
  return {
    warn: (m: unknown) => logger.warn(`knex: ${text(m)}`),
    error: (m: unknown) => logger.error(`knex: ${text(m)}`),
    debug: (m: unknown) => logger.debug(`knex: ${text(m)}`),
    deprecate: (method: string, alternative: string) => logger.warn(`knex: ${method} is deprecated, use ${alternative}`),
  };
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/**
 * knex asks better-sqlite3 to compile every query afresh, and compiling cost as much CPU as running
 * the query (BENCHMARKS.md). The connection keeps its most recently used compiled statements: one
 * connection runs one statement at a time to completion (knex uses all()/run(), never iterate()), so
 * reusing one is safe, and SQLite recompiles a statement by itself when the schema has changed.
 */
function cacheStatements(conn: SqliteConnection, max = 500): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement !== undefined) cache.delete(sql);
    else statement = prepare(sql);
    cache.set(sql, statement);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return statement;
  };
}

interface BeginsTransactions {
  transaction(...args: unknown[]): {
    begin(conn: unknown): Promise<unknown>;
    query(conn: unknown, sql: string): Promise<unknown>;
  };
}

/**
 * SQLite transactions begin IMMEDIATE: with the write lock, waiting for it up to the busy timeout.
 * Begun DEFERRED (knex's `BEGIN`), a transaction that has read and then writes while another
 * connection holds the lock is refused at once with SQLITE_BUSY, the busy timeout notwithstanding
 * (SQLite will not make a reader wait, which could deadlock), or with SQLITE_BUSY_SNAPSHOT when
 * another wrote since its read: two API processes on one file answered a grab race with a 503.
 * One process holds one connection, so its own transactions already ran one at a time.
 */
function immediateTransactions(db: Knex): Knex {
  const client = db.client as BeginsTransactions;
  const transaction = client.transaction.bind(client);
  client.transaction = (...args: unknown[]) => {
    const trx = transaction(...args);
    trx.begin = (conn: unknown) => trx.query(conn, 'BEGIN IMMEDIATE;');
    return trx;
  };
  return db;
}

/** A knex instance for `sqlite:<path>` (better-sqlite3) or `mysql://…` (mysql2). */
export function createDb(url: string, options: DbOptions = {}): Db {
  const acquireConnectionTimeout = options.acquireTimeoutMs ?? 10_000;
  if (dialectOf(url) === 'sqlite') {
    const filename = sqliteFilename(url);
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
    return immediateTransactions(
      knex({
        log: knexLog(options.logger),
        client: 'better-sqlite3',
        connection: { filename },
        useNullAsDefault: true,
        acquireConnectionTimeout,
        pool: {
          min: 1,
          max: 1,
          afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
            cacheStatements(conn);
            conn.pragma('journal_mode = WAL');
            conn.pragma('foreign_keys = ON');
            conn.pragma('busy_timeout = 5000');
            conn.pragma('synchronous = NORMAL');
            done(null, conn);
          },
        },
      }),
    );
  }
  const u = new URL(url);
  return knex({
    log: knexLog(options.logger),
    client: 'mysql2',
    connection: {
      host: u.hostname,
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.replace(/^\//, '')),
      charset: 'utf8mb4',
      timezone: 'Z',
      decimalNumbers: true,
      supportBigNumbers: true,
      connectTimeout: 5_000,
    },
    acquireConnectionTimeout,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      afterCreate(
        conn: { query(sql: string, cb: (err: Error | null) => void): void },
        done: (err: Error | null, conn: unknown) => void,
      ) {
        conn.query(`SET time_zone = '+00:00', sql_mode = '${MYSQL_SQL_MODE}', NAMES utf8mb4 COLLATE utf8mb4_unicode_ci`, (err) =>
          done(err, conn),
        );
      },
    },
  });
}

export function dialect(db: Db): Dialect {
  return db.client.config.client === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

export async function migrateRollback(db: Db, all = false): Promise<string[]> {
  const [, reverted] = (await db.migrate.rollback(migrationConfig, all)) as [number, string[]];
  return reverted;
}

/** True when the error is a unique-key violation, on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'ER_DUP_ENTRY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The transaction cannot go on and must be run again from its start: InnoDB chose it as a
 * deadlock's victim and rolled it back (what MySQL's manual asks applications to retry), or, on
 * SQLite shared by several processes, another process wrote after this transaction began to read,
 * so it may not write on what it read (SQLITE_BUSY_SNAPSHOT: no wait would help).
 */
export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'ER_LOCK_DEADLOCK' || e?.errno === 1213 || e?.code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Insert one row and return its auto-increment id (MySQL has no RETURNING). */
export async function insertId(db: Db | Knex.Transaction, table: string, row: object): Promise<number> {
  const [id] = await db(table).insert(row);
  return Number(id);
}

/**
 * Inserts one row unless it conflicts on `conflict` (a unique key) with a row already there: its
 * auto-increment id, or undefined when nothing was inserted. MySQL's `insert ignore` answers id 0
 * then; SQLite would answer the connection's last id, so there the row's id is RETURNED (none when
 * the insert did nothing).
 */
export async function insertIdUnlessConflict(
  db: Db | Knex.Transaction,
  table: string,
  row: object,
  conflict: string[],
): Promise<number | undefined> {
  const insert = db(table).insert(row).onConflict(conflict).ignore();
  if (dialect(db as Db) === 'sqlite') {
    const [inserted] = (await insert.returning('id')) as { id: unknown }[];
    return inserted ? Number(inserted.id) : undefined;
  }
  const [id] = await insert;
  return Number(id) > 0 ? Number(id) : undefined;
}
