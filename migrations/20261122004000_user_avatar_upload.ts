import type { Knex } from 'knex';

/**
 * A user's avatar may be one of their own uploads (purpose `avatar`), set in the mini-program with
 * `<button open-type="chooseAvatar">`. Upload URLs are signed and expire, so the row keeps the
 * upload's id and the URL is signed when the profile is read. `users.avatar` keeps the plain http(s)
 * URLs written before (the WeChat login's avatarUrl, PATCH avatarUrl); at most one of the two is set.
 * The upload is attached to the user (resource `user`), so the orphan cleanup leaves it alone; it
 * never deletes an attached upload, and the foreign key would clear the reference if it did.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'better-sqlite3') {
    // knex adds a SQLite foreign key by copying the table, which the foreign keys of every table
    // that references users refuse once there is data; SQLite adds a nullable one in place.
    await knex.raw('ALTER TABLE users ADD COLUMN avatar_upload_id integer NULL REFERENCES uploads (id) ON DELETE SET NULL');
    return;
  }
  await knex.schema.alterTable('users', (t) => {
    t.integer('avatar_upload_id').unsigned().nullable().references('id').inTable('uploads').onDelete('SET NULL');
  });
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'better-sqlite3') {
    // As in the staff migration: SQLite ≥ 3.35 drops a column in place, without knex's table copy.
    await knex.raw('ALTER TABLE users DROP COLUMN avatar_upload_id');
    return;
  }
  await knex.schema.alterTable('users', (t) => {
    t.dropForeign(['avatar_upload_id']);
    t.dropColumn('avatar_upload_id');
  });
}
