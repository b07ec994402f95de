import type { Knex } from 'knex';

/**
 * Complaints and after-sales (SPEC 3.7) and their history.
 *
 * "One open complaint per order" is a unique key on `open_order_id`: it holds the order id while
 * the complaint is open or processing and NULL once it is resolved or rejected. Unique indexes
 * allow many NULLs on MySQL, MariaDB and SQLite alike, so this is the portable stand-in for a
 * partial unique index, and two concurrent submissions on one order cannot both be inserted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('complaints', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('customer_id').unsigned().notNullable().references('id').inTable('users');
    // The order's electrician when the complaint was opened, if it had one.
    t.integer('electrician_id').unsigned().nullable().references('id').inTable('electricians');
    // quality | service | price | other
    t.string('type', 20).notNullable();
    t.text('content').notNullable();
    t.json('images').notNullable();
    // normal | serious | critical
    t.string('level', 20).notNullable();
    // open | processing | resolved | rejected
    t.string('status', 20).notNullable();
    // rework | refund | compensate | reject
    t.string('outcome', 20).nullable();
    t.integer('refund_amount').nullable();
    t.integer('refund_id').unsigned().nullable().references('id').inTable('refunds');
    t.string('resolution_note', 1000).nullable();
    t.integer('resolved_by').unsigned().nullable().references('id').inTable('users');
    t.integer('open_order_id').unsigned().nullable().unique();
    t.datetime('first_response_at', { precision: 3 }).nullable();
    t.datetime('resolved_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['order_id']);
    t.index(['status', 'created_at']);
    t.index(['customer_id', 'created_at']);
    t.index(['electrician_id', 'created_at']);
  });

  await knex.schema.createTable('complaint_events', (t) => {
    t.increments('id');
    t.integer('complaint_id').unsigned().notNullable().references('id').inTable('complaints').onDelete('CASCADE');
    // open | message | reply | escalate | resolve
    t.string('action', 20).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).notNullable();
    // The level after this step.
    t.string('level', 20).notNullable();
    t.integer('actor_id').unsigned().nullable().references('id').inTable('users');
    // customer | admin | system
    t.string('actor_role', 20).notNullable();
    t.text('content').nullable();
    t.json('images').notNullable();
    t.json('details').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['complaint_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('complaint_events');
  await knex.schema.dropTableIfExists('complaints');
}
