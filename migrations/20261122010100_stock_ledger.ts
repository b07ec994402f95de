import type { Knex } from 'knex';

/**
 * Warehouses (仓库) and their stock as a ledger (SPEC 3.10). Every change is one
 * `stock_movements` row — `in`, `adjust` (signed), `return` (on hand up), `issue` (on hand and
 * reserved down), `reserve` / `release` (reserved up / down) — with who did it and why.
 * `stock_balances` holds the running totals per (warehouse, item), written in the same
 * transaction as the movement by conditional updates (`… where on_hand - reserved >= ?`), so stock
 * never goes negative under concurrent requests; `npm run stock:reconcile` proves the totals equal
 * the ledger's sums. `low_alerted` remembers that inventory staff were told this balance fell below
 * its item's safety stock, so they are told once, and again only after it recovered.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('warehouses', (t) => {
    t.increments('id');
    t.string('name', 50).notNullable().unique();
    t.string('address', 255).nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
  await knex.schema.createTable('stock_balances', (t) => {
    t.integer('warehouse_id').unsigned().notNullable().references('id').inTable('warehouses');
    t.integer('catalog_item_id').unsigned().notNullable().references('id').inTable('catalog_items');
    t.integer('on_hand').notNullable().defaultTo(0);
    t.integer('reserved').notNullable().defaultTo(0);
    t.boolean('low_alerted').notNullable().defaultTo(false);
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.primary(['warehouse_id', 'catalog_item_id']);
    t.index(['catalog_item_id']);
  });
  await knex.schema.createTable('stock_movements', (t) => {
    t.increments('id');
    t.integer('warehouse_id').unsigned().notNullable().references('id').inTable('warehouses');
    t.integer('catalog_item_id').unsigned().notNullable().references('id').inTable('catalog_items');
    t.string('type', 10).notNullable();
    t.integer('quantity').notNullable();
    t.integer('actor_id').unsigned().nullable();
    t.string('actor_role', 20).notNullable();
    t.integer('parts_request_id').unsigned().nullable();
    t.string('note', 255).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['warehouse_id', 'catalog_item_id', 'id']);
    t.index(['parts_request_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('stock_movements');
  await knex.schema.dropTableIfExists('stock_balances');
  await knex.schema.dropTableIfExists('warehouses');
}
