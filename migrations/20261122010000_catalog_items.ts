import type { Knex } from 'knex';

/**
 * The price list (价目表, SPEC 3.10): labour items and materials with their standard and ceiling
 * prices in fen, the fault types they belong to (a JSON array of FAULT_TYPES), whether they are
 * offered (`active`: an item is retired, never deleted, so old requests and quotes keep naming it)
 * and, for materials kept in stock, the safety stock below which inventory staff are alerted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalog_items', (t) => {
    t.increments('id');
    t.string('code', 32).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('category', 20).notNullable();
    t.string('unit', 10).notNullable();
    t.integer('standard_price').notNullable();
    t.integer('max_price').notNullable();
    t.json('fault_types').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('safety_stock').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['active', 'category']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('catalog_items');
}
