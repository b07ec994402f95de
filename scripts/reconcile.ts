/**
 * npm run reconcile -- --from 2026-11-01 --to 2026-11-30 [--json]
 * Paid, refunded, platform fees and electrician amounts per Beijing day, checked to balance to the
 * fen; then the electricians' wallets (whole history): stored balances against the wallet ledger,
 * each withdrawal's state against its ledger rows, each settled share against its credit. Exit
 * code 0 when everything agrees, 1 when anything does not (each discrepancy named), 2 on bad
 * arguments. Uses DATABASE_URL like the API.
 */
import fs from 'node:fs';
import { loadConfig } from '../api/src/config';
import { createDb } from '../api/src/db';
import { createReconciliationReads } from '../api/src/modules/payments/payment-reports.repository';
import { formatReconciliation, reconcile } from '../api/src/modules/payments/reconciliation';
import { sharesPortOf } from '../api/src/modules/payments';
import { formatWalletReconciliation, reconcileWallets, walletReadsOf } from '../api/src/modules/payouts';

const USAGE = 'usage: reconcile.ts --from YYYY-MM-DD --to YYYY-MM-DD [--json]';

async function run(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const from = arg('--from');
  const to = arg('--to');
  if (!from || !to) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const db = createDb(loadConfig().databaseUrl);
  try {
    const result = await reconcile(createReconciliationReads(db), from, to);
    const wallets = await reconcileWallets(walletReadsOf(db), sharesPortOf(db));
    process.stdout.write(
      argv.includes('--json')
        ? `${JSON.stringify({ ...result, wallets }, null, 2)}\n`
        : `${formatReconciliation(result)}\n${formatWalletReconciliation(wallets)}\n`,
    );
    return result.balanced && wallets.consistent ? 0 : 1;
  } catch (err) {
    if (err instanceof RangeError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
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
