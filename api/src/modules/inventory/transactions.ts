import type { Knex } from 'knex';
import { isDeadlock, type Db } from '../../db';

export const DEADLOCK_ATTEMPTS = 3;

/**
 * A stock transaction, run again from its start when InnoDB picks it as a deadlock's victim (or
 * SQLite's snapshot was written over). Balances are locked in item order and created by one upsert,
 * so this is a safety net (InnoDB may still choose a victim, e.g. among gap locks of the ledger's
 * inserts), not the design. The victim was rolled back whole, its staged events with it, so running
 * it again is safe.
 */
export async function stockTransaction<T>(db: Db, run: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(run);
    } catch (err) {
      if (!isDeadlock(err) || attempt >= DEADLOCK_ATTEMPTS) throw err;
    }
  }
}
