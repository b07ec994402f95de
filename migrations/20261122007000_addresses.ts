import type { Knex } from 'knex';

/**
 * The address book (地址簿): a user's saved contacts and places, copied into an order when it is
 * placed with `addressId` (an order keeps its own copy, so editing or deleting an entry later
 * changes no order).
 *
 * "Exactly one default per user" is held by the database: `default_user_id` is the owner's id on
 * the default entry and NULL on the others, under a unique key (NULLs do not collide on MySQL,
 * MariaDB and SQLite alike — the same portable stand-in for a partial unique index as
 * complaints.open_order_id). Writers take the owner's users row lock first, so a user's address
 * writes take turns and the first entry, a new default and a deleted default's successor are
 * decided one at a time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('addresses', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('contact_name', 50).notNullable();
    t.string('contact_phone', 20).notNullable();
    t.string('region', 100).notNullable();
    t.string('address', 255).notNullable();
    t.decimal('latitude', 10, 7).notNullable();
    t.decimal('longitude', 10, 7).notNullable();
    t.string('tag', 20).nullable();
    t.integer('default_user_id').unsigned().nullable().unique();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['user_id', 'updated_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('addresses');
}
