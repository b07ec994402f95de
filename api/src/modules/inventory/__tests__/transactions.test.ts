import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/harness';
import { DEADLOCK_ATTEMPTS, stockTransaction } from '../transactions';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const deadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });

describe('stock transactions', () => {
  it('when a stock transaction is a deadlock victim, then it runs again from its start (up to the limit); other errors are not retried', async () => {
    let runs = 0;
    const result = await stockTransaction(database.db, async () => {
      runs += 1;
      if (runs < DEADLOCK_ATTEMPTS) throw deadlock();
      return 'done';
    });
    expect([result, runs]).toEqual(['done', DEADLOCK_ATTEMPTS]);

    runs = 0;
    await expect(
      stockTransaction(database.db, async () => {
        runs += 1;
        throw deadlock();
      }),
    ).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(runs).toBe(DEADLOCK_ATTEMPTS);

    runs = 0;
    await expect(
      stockTransaction(database.db, async () => {
        runs += 1;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(runs).toBe(1);
  });
});
