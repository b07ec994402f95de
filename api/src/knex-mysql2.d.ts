/** knex's MySQL client class (untyped inside knex), extended by `db-ahead.ts`. */
declare module 'knex/lib/dialects/mysql2/index.js' {
  import type { Knex } from 'knex';

  class Client_MySQL2 {
    constructor(config: Knex.Config);
    config: Knex.Config;
    transaction(...args: unknown[]): unknown;
    _query(connection: unknown, obj: unknown): Promise<unknown>;
  }
  export = Client_MySQL2;
}
