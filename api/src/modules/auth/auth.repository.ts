import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { toDate } from '../../shared/rows';

export interface RefreshTokenRow {
  id: number;
  userId: number;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface SmsCodeRow {
  id: number;
  phone: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
}

type Conn = Knex | Knex.Transaction;

export function createAuthRepository(db: Db) {
  return {
    async insertRefreshToken(
      t: { userId: number; familyId: string; tokenHash: string; expiresAt: Date; ip?: string; userAgent?: string },
      now: Date,
      trx: Conn = db,
    ): Promise<number> {
      return insertId(trx, 'refresh_tokens', {
        user_id: t.userId,
        family_id: t.familyId,
        token_hash: t.tokenHash,
        expires_at: t.expiresAt,
        created_ip: t.ip?.slice(0, 64) ?? null,
        user_agent: t.userAgent?.slice(0, 255) ?? null,
        created_at: now,
      });
    },

    async findRefreshToken(tokenHash: string, trx: Conn = db): Promise<RefreshTokenRow | undefined> {
      const r = await trx('refresh_tokens').where({ token_hash: tokenHash }).first();
      if (!r) return undefined;
      return {
        id: Number(r.id),
        userId: Number(r.user_id),
        familyId: String(r.family_id),
        expiresAt: toDate(r.expires_at)!,
        revokedAt: toDate(r.revoked_at),
        revokedReason: r.revoked_reason ?? null,
      };
    },

    /** Revokes one live token; false when it was already revoked (someone else rotated it first). */
    async revokeToken(id: number, reason: string, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('refresh_tokens')
        .where({ id })
        .whereNull('revoked_at')
        .update({ revoked_at: now, revoked_reason: reason });
      return n === 1;
    },

    /**
     * A subquery of the live (unrevoked) sessions among `sessionIds` (token families): each as
     * (`user_id`, `family_id`), once. The users module joins it to the one query that checks the
     * sessions of the requests arriving together.
     */
    liveSessionsAmong(sessionIds: readonly string[]): Knex.QueryBuilder {
      return db('refresh_tokens')
        .distinct('user_id', 'family_id')
        .whereIn('family_id', [...new Set(sessionIds)])
        .whereNull('revoked_at');
    },

    async linkReplacement(id: number, replacedById: number, trx: Conn = db): Promise<void> {
      await trx('refresh_tokens').where({ id }).update({ replaced_by_id: replacedById });
    },

    async revokeFamily(familyId: string, reason: string, now: Date, trx: Conn = db): Promise<number> {
      return trx('refresh_tokens')
        .where({ family_id: familyId })
        .whereNull('revoked_at')
        .update({ revoked_at: now, revoked_reason: reason });
    },

    async revokeAllForUser(userId: number, reason: string, now: Date, trx: Conn = db): Promise<number> {
      return trx('refresh_tokens')
        .where({ user_id: userId })
        .whereNull('revoked_at')
        .update({ revoked_at: now, revoked_reason: reason });
    },

    async countSmsCodesSince(phone: string, since: Date, trx: Conn = db): Promise<number> {
      const row = await trx('sms_codes').where({ phone }).andWhere('created_at', '>', since).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    async insertSmsCode(
      c: { phone: string; purpose: string; codeHash: string; expiresAt: Date; ip?: string },
      now: Date,
      trx: Conn = db,
    ) {
      return insertId(trx, 'sms_codes', {
        phone: c.phone,
        purpose: c.purpose,
        code_hash: c.codeHash,
        expires_at: c.expiresAt,
        requested_ip: c.ip?.slice(0, 64) ?? null,
        created_at: now,
      });
    },

    async deleteSmsCode(id: number, trx: Conn = db): Promise<void> {
      await trx('sms_codes').where({ id }).delete();
    },

    async latestSmsCode(phone: string, purpose: string, trx: Conn = db): Promise<SmsCodeRow | undefined> {
      const r = await trx('sms_codes').where({ phone, purpose }).orderBy('id', 'desc').first();
      if (!r) return undefined;
      return {
        id: Number(r.id),
        phone: String(r.phone),
        codeHash: String(r.code_hash),
        attempts: Number(r.attempts),
        expiresAt: toDate(r.expires_at)!,
        consumedAt: toDate(r.consumed_at),
        createdAt: toDate(r.created_at)!,
      };
    },

    /** Counts a wrong guess, but only while attempts remain (conditional, so racing guesses can't exceed the cap). */
    async addSmsAttempt(id: number, maxAttempts: number, trx: Conn = db): Promise<boolean> {
      const n = await trx('sms_codes')
        .where({ id })
        .andWhere('attempts', '<', maxAttempts)
        .whereNull('consumed_at')
        .increment('attempts', 1);
      return n === 1;
    },

    async consumeSmsCode(id: number, maxAttempts: number, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('sms_codes')
        .where({ id })
        .whereNull('consumed_at')
        .andWhere('attempts', '<', maxAttempts)
        .update({ consumed_at: now });
      return n === 1;
    },

    /** The verification codes sent to a phone number (a deleted account's). */
    async deleteSmsCodesFor(phone: string, trx: Conn = db): Promise<void> {
      await trx('sms_codes').where({ phone }).delete();
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
