import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isUniqueViolation, type Db } from '../../db';
import type { Clock } from '../../shared/clock';
import { toDate } from '../../shared/rows';

export interface FetchedToken {
  token: string;
  expiresInSeconds: number;
}

/**
 * The access token every process of the app shares (SPEC 3.6: several processes must not
 * invalidate each other's token). It lives in `wechat_tokens`; whoever finds it missing or about
 * to expire takes a short lease and refreshes it, while the others keep using the still-valid
 * token or poll briefly for the new one.
 */
export interface TokenStore {
  /**
   * A valid token. `rejected` is a token WeChat has just refused: it is replaced (with `force`
   * only while the store still holds it, so one process's refresh serves all the others).
   */
  get(fetchToken: (force: boolean) => Promise<FetchedToken>, rejected?: string): Promise<string>;
}

export interface TokenStoreOptions {
  /** Refresh this long before expiry, so a token never expires in flight. */
  earlyMs?: number;
  /** How long a refreshing process holds the lease (a crashed one loses it after this). */
  leaseMs?: number;
  /** How often and how long a process without the lease polls for the new token (real time). */
  pollMs?: number;
  waitMs?: number;
}

export class TokenUnavailableError extends Error {
  constructor() {
    super('timed out waiting for another process to refresh the WeChat access token');
  }
}

export function createDbTokenStore(db: Db, appid: string, clock: Clock, o: TokenStoreOptions = {}): TokenStore {
  const earlyMs = o.earlyMs ?? 5 * 60_000;
  const leaseMs = o.leaseMs ?? 10_000;
  const pollMs = o.pollMs ?? 100;
  const waitMs = o.waitMs ?? 5_000;
  const owner = randomUUID();
  const table = () => db('wechat_tokens');

  async function claim(exists: boolean, now: Date): Promise<boolean> {
    const lease = { lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs), updated_at: now };
    if (!exists) {
      try {
        await table().insert({ appid, token: null, expires_at: null, ...lease });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    }
    const n = await table()
      .where({ appid })
      .andWhere((w) => w.whereNull('lease_until').orWhere('lease_until', '<=', now))
      .update(lease);
    return n === 1;
  }

  async function refresh(fetchToken: (force: boolean) => Promise<FetchedToken>, force: boolean): Promise<string> {
    try {
      const fetched = await fetchToken(force);
      const now = clock.now();
      await table()
        .where({ appid, lease_owner: owner })
        .update({
          token: fetched.token,
          expires_at: new Date(now.getTime() + fetched.expiresInSeconds * 1000),
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        });
      return fetched.token;
    } catch (err) {
      await table().where({ appid, lease_owner: owner }).update({ lease_owner: null, lease_until: null });
      throw err;
    }
  }

  return {
    async get(fetchToken, rejected) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const now = clock.now();
        const row = (await table().where({ appid }).first()) as { token: string | null; expires_at: unknown } | undefined;
        const token = row?.token ?? null;
        const expiresAt = toDate(row?.expires_at)?.getTime() ?? 0;
        const usable = token !== null && token !== rejected && expiresAt > now.getTime();
        if (usable && expiresAt - earlyMs > now.getTime()) return token;
        if (await claim(row !== undefined, now)) return refresh(fetchToken, rejected !== undefined && token === rejected);
        // Someone else is refreshing: the current token still works meanwhile.
        if (usable) return token;
        if (Date.now() > deadline) throw new TokenUnavailableError();
        await sleep(pollMs);
      }
    },
  };
}
