import type { Knex } from 'knex';

/**
 * The hall reads id, position, owner and creation time of every pending order in a latitude band.
 * With (status, latitude, longitude) each of those rows was then fetched from the table (thousands
 * per request at 20,000 pending orders); carrying user_id and created_at in the index answers the
 * query from the index alone (InnoDB indexes carry the id anyway): the hall query took about a third
 * of the time on SQLite and half on MariaDB (BENCHMARKS.md). It replaces the narrower index, whose
 * prefix it is.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.index(['status', 'latitude', 'longitude', 'user_id', 'created_at']);
  });
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['status', 'latitude', 'longitude']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.index(['status', 'latitude', 'longitude']);
  });
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['status', 'latitude', 'longitude', 'user_id', 'created_at']);
  });
}
