import type { Knex } from 'knex';

/**
 * A write-ahead audit log. A staff action's row is written with `outcome = 'pending'` before the
 * action runs (no row, no action) and updated exactly once afterwards, by id and only while it is
 * still pending, to `succeeded` or `failed` with the HTTP status and, for a failure, the error code.
 * That is the only update an audit row ever gets: what was attempted (actor, action, target,
 * details, time) is never changed. A row left `pending` means the process died while the action
 * ran: attempted, outcome unknown, and the target has to be checked.
 *
 * Rows written before this migration recorded finished events: they become `succeeded`, except the
 * failed web sign-ins (`staff.login_failed`), which are `failed`; they finished when written.
 * The column defaults to `pending`, so a row that does not say how it ended never claims success
 * (a previous-version instance still running after this migration writes such rows: they show as
 * unknown, the cautious reading).
 * The index finds the pending rows (few) and serves the console's outcome filter, newest first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_logs', (t) => {
    t.string('outcome', 20).notNullable().defaultTo('pending');
    t.integer('status_code').nullable();
    t.string('error_code', 50).nullable();
    t.datetime('finished_at', { precision: 3 }).nullable();
  });
  await knex('audit_logs').update({ outcome: 'succeeded', finished_at: knex.ref('created_at') });
  await knex('audit_logs').where({ action: 'staff.login_failed' }).update({ outcome: 'failed' });
  await knex.schema.alterTable('audit_logs', (t) => {
    t.index(['outcome']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_logs', (t) => {
    t.dropIndex(['outcome']);
  });
  const columns = ['finished_at', 'error_code', 'status_code', 'outcome'];
  if (knex.client.config.client === 'better-sqlite3') {
    // As in the staff migration: SQLite ≥ 3.35 drops a column in place, without knex's table copy.
    for (const column of columns) await knex.raw(`ALTER TABLE audit_logs DROP COLUMN ${column}`);
    return;
  }
  await knex.schema.alterTable('audit_logs', (t) => {
    for (const column of columns) t.dropColumn(column);
  });
}
