import type { Knex } from 'knex';

/**
 * Reviews (SPEC 3.4): one per order (the unique order_id settles two concurrent submissions), and
 * reactions (helpful / report), one of each kind per user per review (the unique key settles a
 * double click). The counters on reviews are changed only together with a reaction row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reviews', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().unique().references('id').inTable('orders');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.integer('electrician_id').unsigned().notNullable().references('id').inTable('electricians');
    t.tinyint('service_rating').notNullable();
    t.tinyint('quality_rating').notNullable();
    t.tinyint('speed_rating').notNullable();
    t.decimal('overall_rating', 3, 2).notNullable();
    t.string('content', 500).nullable();
    t.json('tags').notNullable();
    t.json('images').notNullable();
    t.boolean('is_anonymous').notNullable().defaultTo(false);
    t.string('reply_content', 500).nullable();
    t.datetime('replied_at', { precision: 3 }).nullable();
    t.integer('helpful_count').notNullable().defaultTo(0);
    t.integer('report_count').notNullable().defaultTo(0);
    // normal | hidden (by staff, with a reason; a hidden review no longer counts towards the rating)
    t.string('status', 20).notNullable().defaultTo('normal');
    t.string('hidden_reason', 200).nullable();
    t.datetime('hidden_at', { precision: 3 }).nullable();
    t.integer('hidden_by').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    // The public list: an electrician's visible reviews, newest first.
    t.index(['electrician_id', 'status', 'created_at']);
    t.index(['status', 'created_at']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('review_reactions', (t) => {
    t.increments('id');
    t.integer('review_id').unsigned().notNullable().references('id').inTable('reviews').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    // helpful | report
    t.string('kind', 10).notNullable();
    t.string('reason', 200).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['review_id', 'user_id', 'kind']);
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('review_reactions');
  await knex.schema.dropTableIfExists('reviews');
}
