import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/harness';
import { createDb, type Db } from '../../../db';
import { ManualClock, MINUTE } from '../../../shared/clock';
import { createDbTokenStore, type FetchedToken } from '../token-store';

/** Two processes' stores: two knex pools on one database, one clock. */
describe('the shared WeChat access token', () => {
  let database: TestDatabase;
  let otherPool: Db;
  const clock = new ManualClock('2026-11-22T02:00:00.000Z');
  beforeAll(async () => {
    database = await createTestDatabase();
    otherPool = createDb(database.url);
  });
  afterAll(async () => {
    await otherPool.destroy();
    await database.drop();
  });

  /** A token endpoint that counts its calls and answers after `ms`. */
  function endpoint(ms = 50, prefix = 'token') {
    const calls: boolean[] = [];
    const fetchToken = async (force: boolean): Promise<FetchedToken> => {
      calls.push(force);
      await sleep(ms);
      return { token: `${prefix}-${calls.length}`, expiresInSeconds: 7200 };
    };
    return { calls, fetchToken };
  }

  it('when two processes ask at once with no token stored, then one fetches it and both get the same token, which later calls reuse', async () => {
    const a = createDbTokenStore(database.db, 'wx-a', clock);
    const b = createDbTokenStore(otherPool, 'wx-a', clock);
    const { calls, fetchToken } = endpoint();
    const tokens = await Promise.all([a.get(fetchToken), b.get(fetchToken), a.get(fetchToken), b.get(fetchToken)]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);
    expect(calls).toEqual([false]);
    clock.advance(60 * MINUTE);
    expect(await b.get(fetchToken)).toBe('token-1');
    expect(calls).toHaveLength(1);
  });

  it('when the token is about to expire, then one process refreshes it while the other keeps using the still-valid one', async () => {
    const a = createDbTokenStore(database.db, 'wx-b', clock);
    const b = createDbTokenStore(otherPool, 'wx-b', clock);
    const first = endpoint(0);
    expect(await a.get(first.fetchToken)).toBe('token-1');
    clock.advance(117 * MINUTE);
    const slow = endpoint(300, 'renewed');
    const refreshing = a.get(slow.fetchToken);
    await sleep(100);
    expect(await b.get(slow.fetchToken)).toBe('token-1');
    expect(await refreshing).toBe('renewed-1');
    expect(slow.calls).toEqual([false]);
    expect(await b.get(slow.fetchToken)).toBe('renewed-1');
  });

  it('when WeChat rejects the stored token, then exactly one forced refresh replaces it for everyone', async () => {
    const a = createDbTokenStore(database.db, 'wx-c', clock);
    const b = createDbTokenStore(otherPool, 'wx-c', clock);
    const { calls, fetchToken } = endpoint();
    const stale = await a.get(fetchToken);
    const [x, y] = await Promise.all([a.get(fetchToken, stale), b.get(fetchToken, stale)]);
    expect(x).toBe('token-2');
    expect(y).toBe('token-2');
    expect(calls).toEqual([false, true]);
  });
});
