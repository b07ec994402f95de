import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { StaffRole } from '../../shared/auth';
import { fromJson, toDate } from '../../shared/rows';
import type { StaffAccounts, StaffUser, StaffUserPatch } from '../users';

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** A staff account (a users row with its web-login columns) and its sign-in lock. */
export interface StaffAccount extends StaffUser {
  /** The latest sign-in lock on this username from any address (null when none was ever set). */
  lockedUntil: Date | null;
}

/** What sign-in failures are counted by: the username as typed (lower-cased) and the client's address key. */
export interface LoginKey {
  username: string;
  ip: string;
}

/**
 * `pending`: written before a staff action ran and not (yet) finished — if it stays so, the process
 * died during the action: attempted, outcome unknown. `succeeded`/`failed`: how it ended.
 */
export const AUDIT_OUTCOMES = ['pending', 'succeeded', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The one update an audit row gets: how the action ended. */
export interface AuditResult {
  outcome: Exclude<AuditOutcome, 'pending'>;
  statusCode: number | null;
  errorCode: string | null;
}

export interface AuditEntry {
  actorId: number | null;
  actorRole: StaffRole | null;
  action: string;
  method?: string | null;
  route?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown> | null;
  requestId?: string | null;
  ip?: string | null;
  /**
   * `pending` for a write-ahead row (finished later with `finishAudit`: staff actions, sign-ins and
   * the staff CLI all write so); a row written after the fact (a request refused by validation)
   * records something that has ended: `succeeded` unless it says otherwise.
   */
  outcome?: AuditOutcome;
  statusCode?: number | null;
  errorCode?: string | null;
}

export interface AuditLog extends Required<AuditEntry> {
  id: number;
  actorName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface AuditFilter {
  actorId?: number;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
}

/** `accounts`: the users module's staff accounts (staff accounts are users rows; staff owns their sign-in locks and audit log). */
export function createStaffRepository(db: Db, accounts: StaffAccounts) {
  /** Until when sign-ins of `key` are locked, if they are at `now`. */
  async function lockOf(key: LoginKey, now: Date): Promise<Date | undefined> {
    const row = await db('staff_login_failures').where(key).where('locked_until', '>', now).first('locked_until');
    return toDate(row?.locked_until) ?? undefined;
  }

  /** The accounts with `lockedUntil`: the latest lock of their (lower-cased) username from any address, in one query. */
  async function withLocks(list: StaffUser[], trx: Conn = db): Promise<StaffAccount[]> {
    const usernames = [...new Set(list.flatMap((a) => (a.username ? [a.username.toLowerCase()] : [])))];
    const rows: Row[] =
      usernames.length === 0
        ? []
        : await trx('staff_login_failures')
            .whereIn('username', usernames)
            .groupBy('username')
            .select('username')
            .max({ locked_until: 'locked_until' });
    const locks = new Map(rows.map((r) => [String(r.username), toDate(r.locked_until)]));
    return list.map((a) => ({ ...a, lockedUntil: (a.username && locks.get(a.username.toLowerCase())) || null }));
  }
  const one = async (a: StaffUser | undefined, trx: Conn) => (a ? (await withLocks([a], trx))[0] : undefined);

  return {
    async findByUsername(username: string, trx: Conn = db): Promise<StaffAccount | undefined> {
      return one(await accounts.findStaffUser({ username }, trx), trx);
    },

    async findById(id: number, trx: Conn = db): Promise<StaffAccount | undefined> {
      return one(await accounts.findStaffUser({ id }, trx), trx);
    },

    /** Until when sign-ins of `key` are locked, if they are at `now`. */
    lockOf,

    /**
     * Counts a failed sign-in of `key`; the counting update is one statement, so concurrent failures
     * cannot lose a count: the `max`-th failure locks `key` until `lockUntil` and starts the count
     * again. While `key` is locked nothing is counted (the lock is not extended by more attempts).
     * `locked_until` is assigned first because MySQL evaluates SET left to right with new values.
     * Answers the lock that now holds, if any. Rows idle for a day are pruned on the way.
     */
    async recordFailure(key: LoginKey, max: number, now: Date, lockUntil: Date): Promise<Date | undefined> {
      await db('staff_login_failures')
        .where('updated_at', '<', new Date(now.getTime() - 24 * 3600_000))
        .delete();
      await db('staff_login_failures')
        .insert({ ...key, failures: 0, locked_until: null, updated_at: now })
        .onConflict(['username', 'ip'])
        .ignore();
      await db('staff_login_failures')
        .where(key)
        .andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<=', now))
        .update({
          locked_until: db.raw('case when failures + 1 >= ? then ? else null end', [max, lockUntil]),
          failures: db.raw('case when failures + 1 >= ? then 0 else failures + 1 end', [max]),
          updated_at: now,
        });
      return lockOf(key, now);
    },

    /** A successful sign-in: its key's failures are forgotten, and the account's last sign-in time set. */
    async recordSuccess(id: number, key: LoginKey, now: Date): Promise<void> {
      await db('staff_login_failures').where(key).delete();
      await accounts.update(id, { lastLoginAt: now }, now);
    },

    async insertStaff(
      s: { username: string; passwordHash: string; staffRole: StaffRole; name: string | null },
      now: Date,
      trx: Conn = db,
    ): Promise<number> {
      return accounts.insertStaffUser(s, now, trx);
    },

    async update(id: number, patch: StaffUserPatch, now: Date, trx: Conn = db): Promise<void> {
      await accounts.updateStaffUser(id, patch, now, trx);
      // A new password also lifts every sign-in lock on the username, from every address.
      if (patch.passwordHash) {
        const account = await accounts.findStaffUser({ id }, trx);
        if (account?.username) await trx('staff_login_failures').where({ username: account.username.toLowerCase() }).delete();
      }
    },

    async list(q: { keyword?: string; staffRole?: StaffRole; offset: number; limit: number }) {
      const { items, total } = await accounts.listStaffUsers(q);
      return { items: await withLocks(items), total };
    },

    countAdmins: (trx: Conn = db): Promise<number> => accounts.countActiveAdmins(trx),

    async insertAudit(e: AuditEntry, now: Date, trx: Conn = db): Promise<number> {
      const outcome = e.outcome ?? 'succeeded';
      return insertId(trx, 'audit_logs', {
        actor_id: e.actorId,
        actor_role: e.actorRole,
        action: e.action,
        method: e.method ?? null,
        route: e.route?.slice(0, 200) ?? null,
        target_type: e.targetType ?? null,
        target_id: e.targetId?.slice(0, 64) ?? null,
        details: e.details ? JSON.stringify(e.details) : null,
        request_id: e.requestId?.slice(0, 64) ?? null,
        ip: e.ip?.slice(0, 64) ?? null,
        outcome,
        status_code: e.statusCode ?? null,
        error_code: e.errorCode?.slice(0, 50) ?? null,
        finished_at: outcome === 'pending' ? null : now,
        created_at: now,
      });
    },

    /**
     * Finishes a write-ahead row: the only update an audit row ever gets, once (only while it is
     * pending). False if there was no pending row with that id.
     */
    async finishAudit(id: number, r: AuditResult, now: Date, trx: Conn = db): Promise<boolean> {
      const updated = await trx('audit_logs')
        .where({ id, outcome: 'pending' })
        .update({
          outcome: r.outcome,
          status_code: r.statusCode,
          error_code: r.errorCode?.slice(0, 50) ?? null,
          finished_at: now,
        });
      return updated === 1;
    },

    async listAudit(f: AuditFilter): Promise<{ items: AuditLog[]; total: number }> {
      const base = db('audit_logs').modify((b) => {
        if (f.actorId) b.where('audit_logs.actor_id', f.actorId);
        if (f.action) b.where('audit_logs.action', f.action);
        if (f.targetType) b.where('audit_logs.target_type', f.targetType);
        if (f.targetId) b.where('audit_logs.target_id', f.targetId);
        if (f.outcome) b.where('audit_logs.outcome', f.outcome);
        if (f.from) b.where('audit_logs.created_at', '>=', f.from);
        if (f.to) b.where('audit_logs.created_at', '<', f.to);
      });
      const [rows, totalRow] = await Promise.all([
        base.clone().orderBy('audit_logs.id', 'desc').offset(f.offset).limit(f.limit) as Promise<Row[]>,
        base.clone().count({ n: '*' }).first(),
      ]);
      const actors = await accounts.profiles(rows.flatMap((r) => (r.actor_id === null ? [] : [Number(r.actor_id)])));
      const actorNameOf = (actorId: unknown) => {
        const a = actorId === null ? undefined : actors.get(Number(actorId));
        return a ? (a.name ?? a.username ?? a.nickname ?? a.openid) : null;
      };
      return {
        items: rows.map((r: Row): AuditLog => ({
          id: Number(r.id),
          actorId: r.actor_id === null ? null : Number(r.actor_id),
          actorName: actorNameOf(r.actor_id),
          actorRole: (r.actor_role as StaffRole | null) ?? null,
          action: String(r.action),
          method: (r.method as string | null) ?? null,
          route: (r.route as string | null) ?? null,
          targetType: (r.target_type as string | null) ?? null,
          targetId: (r.target_id as string | null) ?? null,
          details: fromJson<Record<string, unknown> | null>(r.details, null),
          requestId: (r.request_id as string | null) ?? null,
          ip: (r.ip as string | null) ?? null,
          outcome: r.outcome as AuditOutcome,
          statusCode: r.status_code === null ? null : Number(r.status_code),
          errorCode: (r.error_code as string | null) ?? null,
          createdAt: toDate(r.created_at)!,
          finishedAt: toDate(r.finished_at),
        })),
        total: Number(totalRow?.n ?? 0),
      };
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
