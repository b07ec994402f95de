import type { Knex } from 'knex';

/**
 * Electrician profiles (one per user). `active_orders` is the number of orders the electrician holds
 * in accepted/arrived/quoted/in_progress; it is changed only by conditional updates inside order
 * transitions, so the MAX_ACTIVE_ORDERS cap is enforced by the database, not by a racy count.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('electricians', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().unique().references('id').inTable('users').onDelete('CASCADE');
    t.string('real_name', 50).notNullable();
    // AES-256-GCM under ID_CARD_KEY: base64(iv | tag | ciphertext). The keyed hash makes a card unique
    // without storing it in the clear; the last 4 characters are kept for the masked display.
    t.text('id_card_enc').notNullable();
    t.string('id_card_hash', 64).notNullable().unique();
    t.string('id_card_last4', 4).notNullable();
    t.string('certificate_number', 50).notNullable().unique();
    t.string('certificate_type', 20).notNullable();
    t.json('certificate_images').notNullable();
    t.integer('experience_years').notNullable().defaultTo(0);
    t.json('specialties').notNullable();
    t.json('service_areas').notNullable();
    t.string('work_status', 20).notNullable().defaultTo('offline');
    t.string('verification_status', 20).notNullable().defaultTo('pending');
    t.string('verification_note', 500).nullable();
    t.datetime('verified_at', { precision: 3 }).nullable();
    t.integer('verified_by').unsigned().nullable();
    t.decimal('rating', 3, 2).notNullable().defaultTo(5);
    t.integer('rating_count').notNullable().defaultTo(0);
    t.integer('total_orders').notNullable().defaultTo(0);
    t.integer('completed_orders').notNullable().defaultTo(0);
    t.integer('released_orders').notNullable().defaultTo(0);
    t.integer('active_orders').notNullable().defaultTo(0);
    t.bigInteger('total_earnings').notNullable().defaultTo(0);
    t.decimal('current_latitude', 10, 7).nullable();
    t.decimal('current_longitude', 10, 7).nullable();
    t.datetime('location_updated_at', { precision: 3 }).nullable();
    t.boolean('emergency_available').notNullable().defaultTo(false);
    t.integer('min_order_amount').notNullable().defaultTo(0);
    t.text('introduction').nullable();
    t.json('work_images').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['verification_status', 'work_status']);
    t.index(['current_latitude', 'current_longitude']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('electricians');
}
