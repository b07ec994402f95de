import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isUniqueViolation, type Db } from '../db';
import { DAY, type Clock } from './clock';
import { AppError, conflict } from './errors';
import { fromJson, toDate } from './rows';

export const IDEMPOTENCY_TTL_MS = DAY;

/** A stable hash of a JSON body: key order does not matter, values do. */
export function hashBody(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    v instanceof Date
      ? v.toISOString()
      : Array.isArray(v)
        ? v.map(canonical)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v as object)
                .sort()
                .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
            )
          : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

export interface IdempotentRequest {
  userId: number;
  scope: string;
  key: string;
  body: unknown;
  /**
   * Runs first in the transaction, before the key row is written: the row locks `create` takes on
   * what the key row references (the user, through its foreign key) must come before that key
   * row's insert takes a shared lock on it, or two concurrent retries deadlock upgrading it.
   */
  lockFirst?: (trx: Knex.Transaction) => Promise<void>;
}

/**
 * Runs `create` at most once per (user, scope, key) within 24 hours. The key row is inserted in the
 * same transaction as what `create` writes, so both exist or neither does; a concurrent retry waits
 * on the unique index and then sees the first result. A new key (the usual case) costs no read: the
 * insert finds a key already used, and only then is it read, to answer as the first request was
 * answered. `create` returns the id of what it made. Resolves to `{ id, replayed }`.
 */
export function createIdempotency(db: Db, clock: Clock) {
  return async function once(
    req: IdempotentRequest,
    create: (trx: Knex.Transaction) => Promise<number>,
  ): Promise<{ id: number; replayed: boolean }> {
    const requestHash = hashBody(req.body);
    const where = { user_id: req.userId, scope: req.scope, idem_key: req.key };

    /** The first request's answer; `expired` when its key had expired and is now deleted (free to use afresh). */
    const replay = async (): Promise<{ id: number; replayed: boolean } | 'expired' | undefined> => {
      const row = await db('idempotency_keys').where(where).first();
      if (!row) return undefined;
      if (toDate(row.expires_at)! <= clock.now()) {
        await db('idempotency_keys').where({ id: row.id }).andWhere('expires_at', '<=', clock.now()).delete();
        return 'expired';
      }
      if (row.request_hash !== requestHash) {
        throw conflict('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于内容不同的请求');
      }
      const stored = fromJson<{ id?: number }>(row.response_body, {});
      if (typeof stored.id !== 'number') throw new AppError('REQUEST_IN_PROGRESS', 409, '相同的请求正在处理中，请稍后重试');
      return { id: stored.id, replayed: true };
    };

    const attempt = () =>
      db.transaction(async (trx) => {
        await req.lockFirst?.(trx);
        const now = clock.now();
        const [keyId] = await trx('idempotency_keys').insert({
          ...where,
          request_hash: requestHash,
          created_at: now,
          expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        });
        const id = await create(trx);
        await trx('idempotency_keys')
          .where({ id: keyId })
          .update({ response_status: 201, response_body: JSON.stringify({ id }) });
        return { id, replayed: false };
      });

    for (let fresh = 0; ; fresh++) {
      try {
        return await attempt();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // The key is taken (by a request that committed first, perhaps concurrently): answer as it was answered.
        const first = await replay();
        if (first === undefined || (first === 'expired' && fresh > 0)) throw err;
        if (first !== 'expired') return first;
        // An expired key may be used afresh: it is gone now.
      }
    }
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
