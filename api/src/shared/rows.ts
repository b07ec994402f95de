import type { Knex } from 'knex';

/**
 * Values read back from the database differ by dialect: knex binds dates as epoch milliseconds on
 * SQLite and mysql2 returns Date objects; JSON columns are parsed on MySQL and strings on
 * MariaDB/SQLite; booleans are 0/1. Repositories normalise through these helpers.
 */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return new Date(Number(v));
    // 'YYYY-MM-DD HH:MM:SS[.fff]' as stored in UTC
    return new Date(v.includes('T') ? v : `${v.replace(' ', 'T')}Z`);
  }
  throw new TypeError(`Not a date: ${String(v)}`);
}

export function toIso(v: unknown): string | null {
  return toDate(v)?.toISOString() ?? null;
}

export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

export function fromJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') return JSON.parse(v) as T;
  return v as T;
}

/**
 * A portable "contains" filter over several columns: SQLite has no default LIKE escape character
 * and MySQL's is a backslash, so the pattern is escaped with '!' and says so explicitly.
 * `alsoIn` adds alternatives `column in (subquery)`: the term matched in another module's table,
 * through that module's subquery port (e.g. the users whose phone contains it), in the same statement.
 */
export function whereContains(
  builder: { where(cb: (w: WhereBuilder) => void): unknown },
  columns: string[],
  term: string,
  alsoIn: readonly (readonly [column: string, subquery: Knex.QueryBuilder])[] = [],
): void {
  const pattern = `%${term.replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
  builder.where((w) => {
    for (const column of columns) w.orWhereRaw(`?? like ? escape '!'`, [column, pattern]);
    for (const [column, subquery] of alsoIn) w.orWhereIn(column, subquery);
  });
}
interface WhereBuilder {
  orWhereRaw(sql: string, bindings: string[]): WhereBuilder;
  orWhereIn(column: string, subquery: Knex.QueryBuilder): WhereBuilder;
}
