import type { Knex } from 'knex';

/**
 * The delivery queue of domain events (api/src/shared/event-outbox.ts). A row is written in the
 * transaction that makes its event true and deleted once every subscriber has handled it, so the
 * table holds only events whose delivery has not finished: after a crash, those are published
 * again. `available_at` is when a row may be redelivered (later with each attempt).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('event_outbox', (t) => {
    t.increments('id');
    t.string('name', 60).notNullable();
    // The event as JSON; an order event carries the order, so allow more than 64 KB.
    t.text('payload', 'mediumtext').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('available_at', { precision: 3 }).notNullable();
    t.integer('attempts').unsigned().notNullable().defaultTo(0);
    t.index(['available_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('event_outbox');
}
