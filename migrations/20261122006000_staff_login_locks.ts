import type { Knex } from 'knex';

/**
 * Staff sign-in lockout keyed by (username as typed, client address) instead of a count on the
 * account's row. The old columns counted only existing usernames, so the lockout answered 423 for
 * an existing username and 401 for an unknown one (a way to list accounts), and anyone anywhere
 * could lock a named colleague out. Now every username, existing or not, is counted the same way,
 * per address: a stranger's failures lock that username from the stranger's address only.
 *
 * `username` is lower-cased by the service (MySQL compares usernames case-insensitively), at most
 * 32 characters (the sign-in body's limit); `ip` is the client key (an IPv6 client's /64). A row is
 * cleared by a successful sign-in from that address and by a password reset (all addresses), and
 * pruned a day after its last failure. The lock state of the old columns is not carried over: at
 * worst a locked account is unlocked once, at the migration.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_login_failures', (t) => {
    t.string('username', 32).notNullable();
    t.string('ip', 64).notNullable();
    t.integer('failures').notNullable().defaultTo(0);
    t.datetime('locked_until', { precision: 3 }).nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().index();
    t.primary(['username', 'ip']);
  });
  const columns = ['locked_until', 'failed_logins'];
  if (knex.client.config.client === 'better-sqlite3') {
    // As in the staff migration: SQLite ≥ 3.35 drops a column in place, without knex's table copy.
    for (const column of columns) await knex.raw(`ALTER TABLE users DROP COLUMN ${column}`);
    return;
  }
  await knex.schema.alterTable('users', (t) => {
    for (const column of columns) t.dropColumn(column);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.datetime('locked_until', { precision: 3 }).nullable();
  });
  await knex.schema.dropTableIfExists('staff_login_failures');
}
