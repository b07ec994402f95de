import type { Knex } from 'knex';

/**
 * Users, sessions (refresh tokens), SMS codes and idempotency keys.
 * Timestamps are written by the application from its clock (never by column defaults), so they
 * compare the same way on MySQL DATETIME(3) and SQLite (knex binds dates as epoch milliseconds).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('openid', 100).notNullable().unique();
    t.string('unionid', 100).nullable().index();
    t.string('phone', 20).nullable().unique();
    t.string('name', 50).nullable();
    t.string('nickname', 64).nullable();
    t.string('avatar', 500).nullable();
    t.string('gender', 10).notNullable().defaultTo('unknown');
    t.string('user_type', 20).notNullable().defaultTo('user');
    t.string('staff_role', 20).nullable();
    t.string('status', 20).notNullable().defaultTo('active');
    t.string('address', 200).nullable();
    t.string('city', 50).nullable();
    t.string('province', 50).nullable();
    t.datetime('last_login_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['user_type', 'status']);
  });

  await knex.schema.createTable('refresh_tokens', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // One family per login session: rotation keeps the family, reuse of a rotated token revokes it.
    t.string('family_id', 36).notNullable().index();
    t.string('token_hash', 64).notNullable().unique();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.string('revoked_reason', 20).nullable();
    t.integer('replaced_by_id').unsigned().nullable();
    t.string('created_ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['user_id', 'revoked_at']);
  });

  await knex.schema.createTable('sms_codes', (t) => {
    t.increments('id');
    t.string('phone', 20).notNullable();
    t.string('purpose', 20).notNullable();
    t.string('code_hash', 64).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('consumed_at', { precision: 3 }).nullable();
    t.string('requested_ip', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['phone', 'created_at']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // What the key guards, e.g. "POST /api/orders": the same key may be reused on another endpoint.
    t.string('scope', 100).notNullable();
    t.string('idem_key', 100).notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('response_status').nullable();
    t.text('response_body').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable().index();
    t.unique(['user_id', 'scope', 'idem_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
  await knex.schema.dropTableIfExists('sms_codes');
  await knex.schema.dropTableIfExists('refresh_tokens');
  await knex.schema.dropTableIfExists('users');
}
