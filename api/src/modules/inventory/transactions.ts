import type { Knex } from 'knex';
import { isDeadlock, type Db } from '../../db';

export const DEADLOCK_ATTEMPTS = 3;

/**
 * A stock transaction, run again from its start when InnoDB picks it as a deadlock's victim (or
 * SQLite's snapshot was written over): balances are locked in item order, but a first stock-in of a
 * (warehouse, item) inserts its balance row, and concurrent inserts of one key can still deadlock.
 * The victim was rolled back whole, its staged events with it, so running it again is safe.
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
