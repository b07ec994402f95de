import type { Knex } from 'knex';

/** Orders, their event log, versioned quotes and dispatch offers. All money is integer fen. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.string('order_no', 32).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.integer('electrician_id').unsigned().nullable().references('id').inTable('electricians');
    t.string('title', 100).notNullable();
    t.text('description').notNullable();
    t.string('fault_type', 20).notNullable();
    t.string('priority', 10).notNullable();
    t.string('contact_name', 50).notNullable();
    t.string('contact_phone', 20).notNullable();
    t.string('region', 100).notNullable();
    t.string('address', 255).notNullable();
    t.decimal('latitude', 10, 7).notNullable();
    t.decimal('longitude', 10, 7).notNullable();
    t.json('images').notNullable();
    t.datetime('scheduled_at', { precision: 3 }).nullable();
    t.integer('visit_fee').notNullable();
    t.integer('estimated_amount').notNullable();
    t.integer('quoted_amount').nullable();
    t.integer('final_amount').nullable();
    t.json('quote_items').nullable();
    t.integer('quote_version').notNullable().defaultTo(0);
    t.text('repair_content').nullable();
    t.json('repair_images').nullable();
    t.string('status', 20).notNullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.datetime('accepted_at', { precision: 3 }).nullable();
    t.datetime('arrived_at', { precision: 3 }).nullable();
    t.decimal('arrive_latitude', 10, 7).nullable();
    t.decimal('arrive_longitude', 10, 7).nullable();
    t.datetime('quoted_at', { precision: 3 }).nullable();
    t.datetime('started_at', { precision: 3 }).nullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.datetime('expired_at', { precision: 3 }).nullable();
    t.string('cancel_reason', 500).nullable();
    t.string('cancelled_by', 20).nullable();
    t.datetime('arrive_due_at', { precision: 3 }).nullable();
    t.datetime('sla_alerted_at', { precision: 3 }).nullable();
    // Auto-dispatch of urgent orders: null (not dispatched), pending (to start), offering, exhausted, accepted.
    t.string('dispatch_status', 20).nullable();
    t.string('payment_status', 20).notNullable().defaultTo('unpaid');
    t.string('payment_method', 20).nullable();
    t.string('transaction_id', 64).nullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.decimal('rating', 3, 2).nullable();
    t.string('notes', 500).nullable();
    t.integer('version').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    // The hall: pending orders in a latitude band (then longitude) around the electrician.
    t.index(['status', 'latitude', 'longitude']);
    t.index(['status', 'expires_at']);
    t.index(['status', 'arrive_due_at']);
    t.index(['user_id', 'created_at']);
    t.index(['electrician_id', 'status']);
    t.index(['dispatch_status', 'status']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('order_events', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.string('action', 30).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).notNullable();
    t.integer('actor_id').unsigned().nullable();
    t.string('actor_role', 20).notNullable();
    t.json('details').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['order_id', 'id']);
  });

  await knex.schema.createTable('order_quotes', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.integer('electrician_id').unsigned().notNullable().references('id').inTable('electricians');
    t.json('items').notNullable();
    t.integer('materials_fee').notNullable();
    t.integer('labour_fee').notNullable();
    t.integer('amount').notNullable();
    t.string('note', 500).nullable();
    // pending → accepted | rejected | cancelled
    t.string('status', 20).notNullable();
    t.string('reason', 500).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.unique(['order_id', 'version']);
  });

  await knex.schema.createTable('dispatch_offers', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('electrician_id').unsigned().notNullable().references('id').inTable('electricians');
    t.integer('rank').notNullable();
    t.decimal('distance_km', 8, 3).notNullable();
    // offered → accepted | rejected | expired | lost (someone else took the order) | cancelled
    t.string('status', 20).notNullable();
    t.string('reason', 500).nullable();
    t.datetime('offered_at', { precision: 3 }).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('responded_at', { precision: 3 }).nullable();
    t.unique(['order_id', 'electrician_id']);
    t.index(['status', 'expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('dispatch_offers');
  await knex.schema.dropTableIfExists('order_quotes');
  await knex.schema.dropTableIfExists('order_events');
  await knex.schema.dropTableIfExists('orders');
}
