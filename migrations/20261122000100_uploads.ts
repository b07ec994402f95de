import type { Knex } from 'knex';

/**
 * Uploaded images. A row is written only after its bytes are stored; it is "attached" once a
 * resource (an order, a review, an application…) references it, and unattached rows older than a
 * day are removed by the cleanup job, which the (attached_at, created_at) index serves.
 * Timestamps are written by the application from its clock, like every other table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('uploads', (t) => {
    t.increments('id');
    t.integer('owner_id').unsigned().notNullable().references('id').inTable('users');
    // order | repair | review | chat | certificate | avatar
    t.string('purpose', 20).notNullable();
    // local | cos: where the bytes are, so switching STORAGE never misreads an older row
    t.string('storage', 10).notNullable();
    t.string('storage_key', 200).notNullable().unique();
    t.string('mime', 50).notNullable();
    t.integer('size').unsigned().notNullable();
    t.string('sha256', 64).notNullable();
    t.integer('width').unsigned().nullable();
    t.integer('height').unsigned().nullable();
    t.string('resource_type', 30).nullable();
    t.integer('resource_id').unsigned().nullable();
    t.datetime('attached_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    // The same image from the same user for the same purpose is stored once.
    t.unique(['owner_id', 'sha256', 'purpose']);
    t.index(['attached_at', 'created_at']);
    t.index(['resource_type', 'resource_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('uploads');
}
