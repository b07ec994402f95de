import type { Knex } from 'knex';

/**
 * Chat: one conversation per accepted order (customer + electrician, later re-accepting
 * electricians join and keep the history) and one customer-service conversation per customer.
 * Messages are read newest first by id, so (conversation_id, id) is the cursor index; a client's
 * own message id (client_id) makes a resend idempotent per sender.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('conversations', (t) => {
    t.increments('id');
    // order | service
    t.string('kind', 20).notNullable();
    t.integer('order_id').unsigned().nullable().unique().references('id').inTable('orders');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('users');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('last_message_at', { precision: 3 }).nullable();
    t.index(['customer_id', 'kind']);
  });

  await knex.schema.createTable('conversation_participants', (t) => {
    t.increments('id');
    t.integer('conversation_id').unsigned().notNullable().references('id').inTable('conversations').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    // customer | electrician | admin
    t.string('role', 20).notNullable();
    t.integer('last_read_message_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['conversation_id', 'user_id']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('chat_messages', (t) => {
    t.increments('id');
    t.integer('conversation_id').unsigned().notNullable().references('id').inTable('conversations').onDelete('CASCADE');
    // Null for system messages.
    t.integer('sender_id').unsigned().nullable().references('id').inTable('users');
    // text | image | system | order-card
    t.string('type', 20).notNullable();
    t.text('content').notNullable();
    t.string('client_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['sender_id', 'client_id']);
    t.index(['conversation_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('chat_messages');
  await knex.schema.dropTableIfExists('conversation_participants');
  await knex.schema.dropTableIfExists('conversations');
}
