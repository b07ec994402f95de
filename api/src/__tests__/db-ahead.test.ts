import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation, roundTripsOf, sendAhead, type Db } from '../db';
import { createTestDatabase, usingMysql, type TestDatabase } from '../../test/harness';

/**
 * Statements sent ahead (db-ahead.ts): on MySQL a transaction's writes whose answer it does not need
 * go with its next statement, and BEGIN with its first. What they write, and in which order, is what
 * sending each alone would write; a failure among them never commits the rest. SQLite runs them at
 * once. Round trips are counted on MySQL only (SQLite runs in the process).
 */
describe('statements sent ahead', () => {
  let t: TestDatabase;
  let db: Db;
  const values = async () => (await db('ahead').orderBy('v').pluck('v')).map(Number);
  const notes = async (v: number) => (await db('ahead').where({ v }).first())?.note as string | null | undefined;
  /** Round trips made by `fn` (0 on SQLite). */
  async function trips<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; n: number }> {
    const before = roundTripsOf(db);
    try {
      const value = await fn();
      return { value, n: roundTripsOf(db) - before };
    } catch (error) {
      return { error, n: roundTripsOf(db) - before };
    }
  }
  /** Transactions left open on this test's database (MySQL): none, whatever failed. */
  const openTransactions = async () => {
    const [rows] = (await db.raw(
      `select count(*) as n from information_schema.innodb_trx t
         join information_schema.processlist p on p.id = t.trx_mysql_thread_id
        where p.db = database()`,
    )) as [{ n: number }[]];
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    db = t.db;
    await db.schema.createTable('ahead', (table) => {
      table.increments('id');
      table.integer('v').notNullable().unique();
      table.string('note');
    });
  });
  beforeEach(async () => {
    await db('ahead').delete();
    await db('ahead').insert({ v: 1 });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('when writes are sent ahead, then they land in the order they were queued, before the next statement, with it and BEGIN in one round trip', async () => {
    const { value: seen, n } = await trips(() =>
      db.transaction(async (trx) => {
        await sendAhead(trx, trx('ahead').insert({ v: 2 }));
        await sendAhead(trx, trx('ahead').where({ v: 2 }).update({ note: 'first' }));
        await sendAhead(trx, trx('ahead').where({ v: 2 }).update({ note: 'second' }));
        return (await trx('ahead').where({ v: 2 }).first()) as { note: string };
      }),
    );
    expect(seen?.note).toBe('second');
    expect(await notes(2)).toBe('second');
    // BEGIN, three writes and the read; then COMMIT.
    if (usingMysql) expect(n).toBe(2);
  });

  it('when writes are sent ahead last, then they go with the COMMIT', async () => {
    const { n } = await trips(() =>
      db.transaction(async (trx) => {
        await trx('ahead').insert({ v: 3 });
        await sendAhead(trx, trx('ahead').where({ v: 3 }).update({ note: 'at the commit' }));
      }),
    );
    expect(await notes(3)).toBe('at the commit');
    if (usingMysql) expect(n).toBe(2);
  });

  it('when a transaction sends nothing, or fails before its first statement, then it costs no round trip and writes nothing', async () => {
    expect((await trips(() => db.transaction(async () => 'nothing'))).value).toBe('nothing');
    const failed = await trips(() =>
      db.transaction(async (trx) => {
        await sendAhead(trx, trx('ahead').insert({ v: 4 }));
        throw new Error('refused before any statement');
      }),
    );
    expect((failed.error as Error).message).toBe('refused before any statement');
    expect(await values()).toEqual([1]);
    if (usingMysql) expect(failed.n).toBe(0);
  });

  it('when the statement a write rode with fails, then it fails as if sent alone: the write ahead of it stays and the transaction goes on', async () => {
    await db.transaction(async (trx) => {
      await sendAhead(trx, trx('ahead').insert({ v: 5 }));
      const duplicate = await trx('ahead')
        .insert({ v: 1 })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(isUniqueViolation(duplicate)).toBe(true);
      await trx('ahead').insert({ v: 6 });
    });
    expect(await values()).toEqual([1, 5, 6]);
  });

  it('when a write sent ahead fails, then the statement it rode with fails with its error, so does every later one, and the commit rolls everything back', async () => {
    const { error } = await trips(() =>
      db.transaction(async (trx) => {
        await trx('ahead').insert({ v: 7 });
        // On SQLite the write runs now and fails here; on MySQL it fails with the next statement.
        const ahead = sendAhead(trx, trx('ahead').insert({ v: 1 }));
        const failure = usingMysql
          ? await ahead
              .then(() => trx('ahead').where({ v: 7 }).first())
              .then(
                () => undefined,
                (err: unknown) => err,
              )
          : await ahead.then(
              () => undefined,
              (err: unknown) => err,
            );
        expect(isUniqueViolation(failure)).toBe(true);
        // A caller that took the failure for its own statement's and went on.
        await trx('ahead')
          .insert({ v: 8 })
          .catch(() => undefined);
        if (!usingMysql) throw failure;
      }),
    );
    expect(isUniqueViolation(error)).toBe(true);
    expect(await values()).toEqual([1]);
    if (usingMysql) expect(await openTransactions()).toBe(0);
  });

  it('when a write sent ahead of the COMMIT fails, then the transaction rolls back and its connection is left with no transaction open', async () => {
    const { error } = await trips(() =>
      db.transaction(async (trx) => {
        await trx('ahead').insert({ v: 9 });
        await sendAhead(trx, trx('ahead').insert({ v: 1 }));
      }),
    );
    expect(isUniqueViolation(error)).toBe(true);
    expect(await values()).toEqual([1]);
    if (usingMysql) expect(await openTransactions()).toBe(0);
    // The connections go on serving.
    await db.transaction(async (trx) => {
      await sendAhead(trx, trx('ahead').insert({ v: 10 }));
    });
    expect(await values()).toEqual([1, 10]);
  });

  it('when a savepoint with a write sent ahead rolls back, then that write is gone and the outer transaction’s stay', async () => {
    await db.transaction(async (trx) => {
      await sendAhead(trx, trx('ahead').insert({ v: 11 }));
      await trx
        .transaction(async (inner) => {
          await sendAhead(inner, inner('ahead').insert({ v: 12 }));
          throw new Error('the savepoint rolls back');
        })
        .catch(() => undefined);
      await sendAhead(trx, trx('ahead').insert({ v: 13 }));
    });
    expect(await values()).toEqual([1, 11, 13]);
  });

  it('when a write is sent ahead outside a transaction, then it runs at once', async () => {
    await sendAhead(db, db('ahead').insert({ v: 14 }));
    expect(await values()).toEqual([1, 14]);
  });
});
