import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { StaffRole } from '../../shared/auth';
import { fromJson, toDate, whereContains } from '../../shared/rows';
import { mapUser, type User } from '../users';

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** A user with the web-login columns; only the staff module reads the password hash. */
export interface StaffAccount extends User {
  username: string | null;
  passwordHash: string | null;
  /** The latest sign-in lock on this username from any address (null when none was ever set). */
  lockedUntil: Date | null;
}

const mapAccount = (r: Row): StaffAccount => ({
  ...mapUser(r),
  username: (r.username as string | null) ?? null,
  passwordHash: (r.password_hash as string | null) ?? null,
  lockedUntil: toDate(r.locked_until),
});

/** What sign-in failures are counted by: the username as typed (lower-cased) and the client's address key. */
export interface LoginKey {
  username: string;
  ip: string;
}

/** Staff rows with `locked_until`: the latest lock of their username from any address. */
const accounts = (trx: Conn) =>
  trx('users').select(
    'users.*',
    trx('staff_login_failures')
      .max('locked_until')
      .where('staff_login_failures.username', trx.raw('lower(users.username)'))
      .as('locked_until'),
  );

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

export function createStaffRepository(db: Db) {
  /** Until when sign-ins of `key` are locked, if they are at `now`. */
  async function lockOf(key: LoginKey, now: Date): Promise<Date | undefined> {
    const row = await db('staff_login_failures').where(key).where('locked_until', '>', now).first('locked_until');
    return toDate(row?.locked_until) ?? undefined;
  }

  return {
    async findByUsername(username: string, trx: Conn = db): Promise<StaffAccount | undefined> {
      const row = await accounts(trx).where({ username }).first();
      return row ? mapAccount(row) : undefined;
    },

    async findById(id: number, trx: Conn = db): Promise<StaffAccount | undefined> {
      const row = await accounts(trx).where({ id }).first();
      return row ? mapAccount(row) : undefined;
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
      await db('users').where({ id }).update({ last_login_at: now, updated_at: now });
    },

    async insertStaff(
      s: { username: string; passwordHash: string; staffRole: StaffRole; name: string | null },
      now: Date,
      trx: Conn = db,
    ): Promise<number> {
      return insertId(trx, 'users', {
        // WeChat never issues an openid with a colon: the column stays unique and non-null.
        openid: `staff:${s.username}`,
        username: s.username,
        password_hash: s.passwordHash,
        name: s.name,
        nickname: s.name,
        gender: 'unknown',
        user_type: 'admin',
        staff_role: s.staffRole,
        status: 'active',
        created_at: now,
        updated_at: now,
      });
    },

    async update(
      id: number,
      patch: { staffRole?: StaffRole; passwordHash?: string; status?: 'active' | 'banned'; name?: string },
      now: Date,
      trx: Conn = db,
    ): Promise<void> {
      const row: Row = { updated_at: now };
      if (patch.staffRole) row.staff_role = patch.staffRole;
      if (patch.status) row.status = patch.status;
      if (patch.name) Object.assign(row, { name: patch.name, nickname: patch.name });
      if (patch.passwordHash) row.password_hash = patch.passwordHash;
      await trx('users').where({ id, user_type: 'admin' }).update(row);
      // A new password also lifts every sign-in lock on the username, from every address.
      if (patch.passwordHash) {
        const account = await trx('users').where({ id }).first('username');
        if (account?.username)
          await trx('staff_login_failures')
            .where({ username: String(account.username).toLowerCase() })
            .delete();
      }
    },

    async list(q: { keyword?: string; staffRole?: StaffRole; offset: number; limit: number }) {
      const filter = (b: Knex.QueryBuilder) => {
        b.where('user_type', 'admin');
        if (q.staffRole) b.where('staff_role', q.staffRole);
        if (q.keyword) whereContains(b, ['username', 'name', 'nickname', 'openid'], q.keyword);
      };
      const [rows, totalRow] = await Promise.all([
        accounts(db).modify(filter).orderBy('id', 'asc').offset(q.offset).limit(q.limit),
        db('users').modify(filter).count({ n: '*' }).first(),
      ]);
      return { items: rows.map(mapAccount), total: Number(totalRow?.n ?? 0) };
    },

    async countAdmins(trx: Conn = db): Promise<number> {
      const row = await trx('users')
        .where({ user_type: 'admin', staff_role: 'admin', status: 'active' })
        .count({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },

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
        base
          .clone()
          .leftJoin('users', 'users.id', 'audit_logs.actor_id')
          .select(
            'audit_logs.*',
            'users.username as actor_username',
            'users.name as actor_name',
            'users.nickname as actor_nickname',
            'users.openid as actor_openid',
          )
          .orderBy('audit_logs.id', 'desc')
          .offset(f.offset)
          .limit(f.limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      return {
        items: rows.map((r: Row): AuditLog => ({
          id: Number(r.id),
          actorId: r.actor_id === null ? null : Number(r.actor_id),
          actorName: ((r.actor_name ?? r.actor_username ?? r.actor_nickname ?? r.actor_openid) as string | null) ?? null,
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
