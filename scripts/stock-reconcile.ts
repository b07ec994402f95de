/**
 * npm run stock:reconcile [-- --json]
 * Checks every stored stock balance (on hand, reserved) against the sums of its ledger
 * (stock_movements). Exit code 0 when they all agree, 1 when any does not. Uses DATABASE_URL like the API.
 */
import fs from 'node:fs';
import { loadConfig } from '../api/src/config';
import { createDb } from '../api/src/db';
import { formatStockReconciliation, reconcileStock } from '../api/src/modules/inventory';
import { createStockRepository } from '../api/src/modules/inventory/stock.repository';

async function run(argv: string[]): Promise<number> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const db = createDb(loadConfig().databaseUrl);
  try {
    const result = await reconcileStock(createStockRepository(db));
    process.stdout.write(`${argv.includes('--json') ? JSON.stringify(result, null, 2) : formatStockReconciliation(result)}\n`);
    return result.consistent ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
