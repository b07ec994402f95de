import type { Knex } from 'knex';

/**
 * Invoices (发票, SPEC 3.12): a customer's request for an invoice of a paid order, a personal or a
 * company title, for what was paid less refunds; finance staff issue it (the invoice number and
 * the uploaded PDF or image) or reject it with a reason. requested → issued | rejected.
 *
 * "One open request per order" is a unique key on `open_order_id`: it holds the order id while the
 * request is requested or issued (an issued invoice is the order's invoice: no second one), and
 * NULL once it is rejected, so the customer may ask again. Unique indexes allow any number of
 * NULLs on MySQL, MariaDB and SQLite alike, so two concurrent requests for one order cannot both
 * be inserted. Invoice numbers are unique among issued invoices in the same way.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invoices', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('user_id').unsigned().notNullable();
    t.integer('open_order_id').unsigned().nullable().unique();
    // personal | company
    t.string('title_type', 10).notNullable();
    t.string('title', 100).notNullable();
    t.string('tax_number', 18).nullable();
    t.string('email', 100).nullable();
    t.integer('amount').notNullable();
    // requested | issued | rejected
    t.string('status', 10).notNullable();
    t.string('invoice_no', 40).nullable().unique();
    t.integer('file_upload_id').unsigned().nullable();
    t.string('reject_reason', 255).nullable();
    t.integer('decided_by').unsigned().nullable();
    t.datetime('issued_at', { precision: 3 }).nullable();
    t.datetime('rejected_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['user_id', 'id']);
    t.index(['order_id']);
    t.index(['status', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('invoices');
}
