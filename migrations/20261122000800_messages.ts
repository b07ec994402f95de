import type { Knex } from 'knex';

/**
 * Message center and WeChat subscribe messages (SPEC 3.6).
 * - notifications: one row per (event, recipient), made exactly-once by `source_key`; chat
 *   notifications coalesce per conversation through `thread_key`, set only while unread (NULLs
 *   do not collide in a unique index, on MySQL, MariaDB and SQLite alike).
 * - subscriptions: one-time grants a user gave per template (wx.requestSubscribeMessage).
 * - subscribe_outbox: subscribe messages to send, retried with backoff; `next_attempt_at` doubles
 *   as the lease of the process that claimed a row.
 * - wechat_tokens: the access token shared by every process, refreshed under a lease.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // system | order | chat | complaint
    t.string('type', 20).notNullable();
    t.string('title', 100).notNullable();
    t.string('content', 500).notNullable();
    t.integer('order_id').unsigned().nullable().references('id').inTable('orders');
    t.integer('conversation_id').unsigned().nullable().references('id').inTable('conversations').onDelete('CASCADE');
    t.string('source_key', 150).nullable().unique();
    t.string('thread_key', 100).nullable().unique();
    t.datetime('read_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['user_id', 'read_at', 'type']);
    t.index(['user_id', 'id']);
  });

  await knex.schema.createTable('subscriptions', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('template_id', 64).notNullable();
    t.integer('remaining').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.unique(['user_id', 'template_id']);
  });

  await knex.schema.createTable('subscribe_outbox', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    // orderAccepted | electricianArrived | … (the config key the message was built from)
    t.string('template_key', 40).notNullable();
    t.string('template_id', 64).notNullable();
    // {page, data}: the message as WeChat receives it, minus the recipient's openid
    t.json('payload').notNullable();
    t.string('source_key', 150).notNullable().unique();
    // pending | sent | dropped | failed
    t.string('status', 20).notNullable();
    t.integer('attempts').notNullable();
    t.datetime('next_attempt_at', { precision: 3 }).notNullable();
    t.string('last_error', 500).nullable();
    t.datetime('sent_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['status', 'next_attempt_at']);
  });

  await knex.schema.createTable('wechat_tokens', (t) => {
    t.string('appid', 64).primary();
    t.string('token', 600).nullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    // The process refreshing the token, until lease_until; others use the valid token or wait.
    t.string('lease_owner', 64).nullable();
    t.datetime('lease_until', { precision: 3 }).nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('wechat_tokens');
  await knex.schema.dropTableIfExists('subscribe_outbox');
  await knex.schema.dropTableIfExists('subscriptions');
  await knex.schema.dropTableIfExists('notifications');
}
