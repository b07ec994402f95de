/**
 * npm run test:mysql — the same vitest suite against TEST_DATABASE_URL (MySQL 8 or MariaDB 10.11).
 * Each test file creates and drops its own database, so the user needs CREATE and DROP.
 * Extra arguments go to vitest.
 */
import { spawnSync } from 'node:child_process';

const url = process.env.TEST_DATABASE_URL;
if (!url || !url.startsWith('mysql://')) {
  process.stderr.write('test:mysql needs TEST_DATABASE_URL=mysql://user:pass@127.0.0.1:3306/db (see README)\n');
  process.exit(2);
}
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DB: 'mysql' },
});
process.exit(result.status ?? 1);
