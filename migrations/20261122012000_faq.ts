import type { Knex } from 'knex';
import { seedStarterArticles } from '../seeds/07_faq';

/**
 * The customer-service knowledge base (SPEC 3.11): articles staff keep (category, question,
 * answer, keywords as a JSON array of strings; retired with `active` rather than lost), one vote
 * per user per article (changing it replaces it), and the questions no article answered, one row
 * per normalised text with how often and when it was last asked.
 *
 * The knowledge base is product content, not demo data: the platform's starter articles go in
 * here, once, wherever the table is created (SQLite on first start, MySQL by `npm run migrate`),
 * so the bot can answer from the first day in every environment. Staff edit them afterwards and
 * nothing puts them back.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('faq_articles', (t) => {
    t.increments('id');
    t.string('category', 20).notNullable();
    t.string('question', 200).notNullable();
    t.text('answer').notNullable();
    t.json('keywords').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['active', 'category']);
  });

  await knex.schema.createTable('faq_feedback', (t) => {
    t.increments('id');
    t.integer('faq_id').unsigned().notNullable().references('id').inTable('faq_articles').onDelete('CASCADE');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.boolean('helpful').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.unique(['faq_id', 'user_id']);
  });

  await knex.schema.createTable('faq_unanswered', (t) => {
    t.increments('id');
    // Lower-cased, without spaces or punctuation: the same question typed twice is one row.
    t.string('normalized', 191).notNullable().unique();
    // The latest wording as asked.
    t.string('question', 500).notNullable();
    t.integer('ask_count').unsigned().notNullable().defaultTo(1);
    t.datetime('first_asked_at', { precision: 3 }).notNullable();
    t.datetime('last_asked_at', { precision: 3 }).notNullable();
    t.index(['ask_count']);
  });

  await seedStarterArticles(knex, new Date());
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('faq_unanswered');
  await knex.schema.dropTableIfExists('faq_feedback');
  await knex.schema.dropTableIfExists('faq_articles');
}
