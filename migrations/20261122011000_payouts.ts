import type { Knex } from 'knex';

/**
 * Electrician payouts (提现, SPEC 3.9). `wallet_ledger` is the wallet's history: every change of an
 * electrician's balance is one row — `settlement_credit` (a settled payment's share, once per
 * payment: `payment_id` is unique), `withdraw_hold` (available → withdrawing), `withdraw_release`
 * (back to available) and `withdraw_complete` (withdrawing → paid out), each at most once per
 * withdrawal (unique on withdrawal and type). `amount` is signed: what the row did to the money the
 * electrician still holds on the platform (credit +, hold −, release +, complete −).
 * `wallet_balances` keeps the running totals, changed in the same transaction as the row by
 * conditional updates that never let a total go negative; the reconcile check recomputes them.
 * `withdrawals` are the requests and their WeChat Pay merchant-transfer bills (商家转账).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('wallet_balances', (t) => {
    t.integer('electrician_id').unsigned().notNullable().primary().references('id').inTable('electricians');
    t.bigInteger('available').notNullable().defaultTo(0);
    t.bigInteger('withdrawing').notNullable().defaultTo(0);
    t.bigInteger('withdrawn').notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
  await knex.schema.createTable('withdrawals', (t) => {
    t.increments('id');
    t.string('withdrawal_no', 32).notNullable().unique();
    t.integer('electrician_id').unsigned().notNullable().references('id').inTable('electricians');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('openid', 64).notNullable();
    t.integer('amount').notNullable();
    t.string('status', 20).notNullable();
    t.string('reason', 255).nullable();
    t.text('package_info').nullable();
    t.string('transfer_bill_no', 64).nullable();
    t.string('bill_state', 32).nullable();
    t.datetime('bill_created_at', { precision: 3 }).nullable();
    t.integer('reviewed_by').unsigned().nullable();
    t.datetime('reviewed_at', { precision: 3 }).nullable();
    t.integer('retry_count').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['electrician_id', 'created_at']);
    t.index(['status', 'updated_at']);
  });
  await knex.schema.createTable('wallet_ledger', (t) => {
    t.increments('id');
    t.integer('electrician_id').unsigned().notNullable().references('id').inTable('electricians');
    t.string('type', 20).notNullable();
    t.bigInteger('amount').notNullable();
    t.integer('withdrawal_id').unsigned().nullable().references('id').inTable('withdrawals');
    t.integer('payment_id').unsigned().nullable().unique();
    t.integer('order_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['electrician_id', 'id']);
    t.unique(['withdrawal_id', 'type']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('wallet_ledger');
  await knex.schema.dropTableIfExists('withdrawals');
  await knex.schema.dropTableIfExists('wallet_balances');
}
