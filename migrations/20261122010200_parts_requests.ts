import type { Knex } from 'knex';

/**
 * Parts requests (配件申请, SPEC 3.10): the assigned electrician asks a warehouse for materials
 * for an order; staff approve (stock reserved) or reject; the parts are issued; after the repair
 * the electrician records what was used (`used` per line) and the rest returns to stock.
 * pending → approved → issued → settled, or rejected / cancelled (an approved request's
 * reservation released). Each line names one catalog item once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('parts_requests', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('electrician_id').unsigned().notNullable();
    t.integer('requested_by').unsigned().notNullable();
    t.integer('warehouse_id').unsigned().notNullable().references('id').inTable('warehouses');
    t.string('status', 20).notNullable();
    t.string('note', 255).nullable();
    t.string('reason', 255).nullable();
    t.integer('decided_by').unsigned().nullable();
    t.datetime('approved_at', { precision: 3 }).nullable();
    t.datetime('issued_at', { precision: 3 }).nullable();
    t.datetime('settled_at', { precision: 3 }).nullable();
    t.datetime('closed_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['order_id']);
    t.index(['status', 'id']);
  });
  await knex.schema.createTable('parts_request_items', (t) => {
    t.increments('id');
    t.integer('parts_request_id').unsigned().notNullable().references('id').inTable('parts_requests').onDelete('CASCADE');
    t.integer('catalog_item_id').unsigned().notNullable().references('id').inTable('catalog_items');
    t.integer('quantity').notNullable();
    t.integer('used').nullable();
    t.unique(['parts_request_id', 'catalog_item_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('parts_request_items');
  await knex.schema.dropTableIfExists('parts_requests');
}
