import type { Knex } from 'knex';

/**
 * WeChat Pay payments, their refunds and settlement. All money is integer fen.
 *
 * "At most one open payment per order" is not a partial unique index (`where status = 'pending'`):
 * MySQL has no partial indexes and its functional-index workarounds are not portable. The service
 * enforces it instead: it locks the order row with a conditional update first, then reuses the
 * open payment or inserts one, inside that transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    t.increments('id');
    // The out_trade_no sent to WeChat Pay.
    t.string('payment_no', 32).notNullable().unique();
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.integer('electrician_id').unsigned().nullable().references('id').inTable('electricians');
    t.integer('amount').notNullable();
    t.integer('platform_fee').notNullable().defaultTo(0);
    t.integer('electrician_amount').notNullable().defaultTo(0);
    t.string('method', 20).notNullable().defaultTo('wechat');
    t.string('channel', 20).notNullable().defaultTo('jsapi');
    // pending | paid | closed | failed | refunded | partial_refund
    t.string('status', 20).notNullable();
    t.string('transaction_id', 64).nullable();
    t.string('prepay_id', 128).nullable();
    t.string('trade_type', 20).nullable();
    t.string('openid', 100).notNullable();
    t.string('bank_type', 40).nullable();
    t.integer('refund_amount').notNullable().defaultTo(0);
    t.string('refund_reason', 500).nullable();
    t.datetime('refunded_at', { precision: 3 }).nullable();
    t.text('raw_callback').nullable();
    t.datetime('expire_time', { precision: 3 }).notNullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.string('failed_reason', 500).nullable();
    t.integer('retry_count').notNullable().defaultTo(0);
    // pending | settled: the electrician's share becomes settled SETTLEMENT_DELAY_DAYS after payment.
    t.string('settlement_status', 20).notNullable().defaultTo('pending');
    t.datetime('settle_after', { precision: 3 }).nullable();
    t.datetime('settled_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['order_id', 'status']);
    t.index(['status', 'created_at']);
    t.index(['settlement_status', 'settle_after']);
    t.index(['paid_at']);
  });

  await knex.schema.createTable('refunds', (t) => {
    t.increments('id');
    t.string('out_refund_no', 64).notNullable().unique();
    t.integer('payment_id').unsigned().notNullable().references('id').inTable('payments');
    t.integer('order_id').unsigned().notNullable().references('id').inTable('orders');
    t.integer('amount').notNullable();
    t.string('reason', 500).nullable();
    // processing | success | abnormal | closed
    t.string('status', 20).notNullable();
    t.string('refund_id', 64).nullable();
    t.text('raw_notify').nullable();
    t.integer('retry_count').notNullable().defaultTo(0);
    // The part of this refund taken back from the electrician's share (0 once the payment is settled).
    t.integer('electrician_amount').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['payment_id', 'status']);
    t.index(['status', 'updated_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('refunds');
  await knex.schema.dropTableIfExists('payments');
}
