/**
 * vitest global set-up: migrates once per run. It makes the migrated template every test file's database
 * is copied from (api/test/db-template.ts): the SQLite template file for the current schema, or under
 * TEST_DB=mysql a template database on TEST_DATABASE_URL's server, named to the workers through the
 * environment (forked workers inherit it) and dropped when the run ends.
 */
import { createMysqlTemplate, dropMysqlDatabase, ensureSqliteTemplate, MYSQL_TEMPLATE_ENV } from './db-template';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.TEST_DB !== 'mysql') {
    await ensureSqliteTemplate();
    return;
  }
  const base = process.env.TEST_DATABASE_URL;
  // Without a server the database tests fail on their own, with the harness's message.
  if (!base) return;
  const name = await createMysqlTemplate(base);
  process.env[MYSQL_TEMPLATE_ENV] = name;
  return async () => {
    delete process.env[MYSQL_TEMPLATE_ENV];
    await dropMysqlDatabase(base, name);
  };
}
