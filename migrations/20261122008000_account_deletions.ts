import type { Knex } from 'knex';

/**
 * Account deletions (注销账号): who deleted their account, when and (if they said) why. The users
 * row itself stays, anonymised (status `deleted`, openid rewritten to `deleted:<id>:<random>`),
 * because orders, payments and reviews kept for the books point at it; this row records the event.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_deletions', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().unique().references('id').inTable('users');
    t.string('reason', 200).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('account_deletions');
}
