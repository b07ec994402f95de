import type { Knex } from 'knex';

/**
 * Staff accounts and the audit log. Staff who use the web console sign in with a username and a
 * bcrypt password hash; failed attempts are counted on the row so a lockout holds across processes.
 * `audit_logs` keeps every staff action (who, what, target, details, when). Rows were never updated
 * until 20261122003000_audit_outcome: now a staff action's row is written as `pending` before the
 * action and updated exactly once, to its outcome, afterwards (see that migration).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('username', 50).nullable().unique();
    t.string('password_hash', 100).nullable();
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.datetime('locked_until', { precision: 3 }).nullable();
  });

  await knex.schema.createTable('audit_logs', (t) => {
    t.increments('id');
    // Null for a failed login with an unknown username.
    t.integer('actor_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
    t.string('actor_role', 20).nullable();
    // A permission (`orders.assign`) or a login outcome (`staff.login`, `staff.login_failed`).
    t.string('action', 50).notNullable();
    t.string('method', 10).nullable();
    t.string('route', 200).nullable();
    t.string('target_type', 50).nullable();
    t.string('target_id', 64).nullable();
    t.json('details').nullable();
    t.string('request_id', 64).nullable();
    t.string('ip', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().index();
    t.index(['actor_id', 'created_at']);
    t.index(['target_type', 'target_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_logs');
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['username']);
  });
  const columns = ['locked_until', 'failed_logins', 'password_hash', 'username'];
  if (knex.client.config.client === 'better-sqlite3') {
    // knex drops SQLite columns by copying the table and dropping the original, which the foreign
    // keys of every table that references users refuse once there is data; SQLite ≥ 3.35 can drop
    // a column in place.
    for (const column of columns) await knex.raw(`ALTER TABLE users DROP COLUMN ${column}`);
    return;
  }
  await knex.schema.alterTable('users', (t) => {
    for (const column of columns) t.dropColumn(column);
  });
}
