import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { StaffRole } from '../../shared/auth';
import { whereContains } from '../../shared/rows';
import {
  ACCOUNT_COLUMNS,
  mapProfile,
  mapStaffUser,
  PROFILE_COLUMNS,
  type ProfileField,
  type StaffUser,
  type StaffUserPatch,
  type UserProfile,
} from './user-rows';

type Row = Record<string, unknown>;

/**
 * Accounts as other modules see them (part of `createUsersRepository`): profiles by id next to
 * their rows, the keyword-search subquery, staff by role, and the staff accounts — users rows of
 * user_type admin with a username and password, which the staff module finds, creates, changes,
 * lists and counts.
 */
export function createUserDirectory(db: Db) {
  return {
    /** The profiles of `ids` (in one query, for a page of another module's rows), by id; unknown ids are left out. */
    async profiles(ids: readonly number[], trx: Knex | Knex.Transaction = db): Promise<Map<number, UserProfile>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = (await trx('users').whereIn('id', unique).select(PROFILE_COLUMNS)) as Row[];
      return new Map(rows.map((r) => [Number(r.id), mapProfile(r)]));
    },

    /**
     * A subquery of the ids of the users one of whose `fields` contains `term` (literally): another
     * module's keyword search embeds it as `user_id in (…)`, so the search stays one statement.
     */
    idsContaining(term: string, fields: readonly ProfileField[]): Knex.QueryBuilder {
      return db('users')
        .select('id')
        .modify((b) => whereContains(b, [...fields], term));
    },

    /**
     * Joins to `b` each row's account (`userIdColumn` names its user id) and selects what a card shows
     * of it, read back with `accountOf`: another module's rows with their accounts in one statement
     * (an account that is gone leaves the three null, as `profiles` would leave it out).
     */
    withAccount(b: Knex.QueryBuilder, userIdColumn: string): Knex.QueryBuilder {
      return b.leftJoin('users as account', 'account.id', userIdColumn).select(ACCOUNT_COLUMNS);
    },

    /** Active staff whose role is one of `roles` (who hears of a new complaint, an order to assign, …). */
    async staffIdsWithRole(roles: readonly string[]): Promise<number[]> {
      if (roles.length === 0) return [];
      const rows = (await db('users')
        .where({ user_type: 'admin', status: 'active' })
        .whereIn('staff_role', [...roles])
        .select('id')) as Row[];
      return rows.map((r) => Number(r.id));
    },

    /** The current staff role of each of `userIds` who is active staff (the staff push rooms re-check it at each push). */
    async activeStaffRoles(userIds: readonly number[]): Promise<Map<number, StaffRole>> {
      if (userIds.length === 0) return new Map();
      const rows = (await db('users')
        .whereIn('id', [...userIds])
        .where({ user_type: 'admin', status: 'active' })
        .whereNotNull('staff_role')
        .select('id', 'staff_role')) as Row[];
      return new Map(rows.map((r) => [Number(r.id), r.staff_role as StaffRole]));
    },

    async findStaffUser(
      by: { id: number } | { username: string },
      trx: Knex | Knex.Transaction = db,
    ): Promise<StaffUser | undefined> {
      const row = await trx('users').where(by).first();
      return row ? mapStaffUser(row) : undefined;
    },

    async insertStaffUser(
      s: { username: string; passwordHash: string; staffRole: StaffRole; name: string | null },
      now: Date,
      trx: Knex | Knex.Transaction = db,
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

    /** Changes a staff account (only a staff account: user_type admin). */
    async updateStaffUser(id: number, patch: StaffUserPatch, now: Date, trx: Knex | Knex.Transaction = db): Promise<void> {
      const row: Row = { updated_at: now };
      if (patch.staffRole) row.staff_role = patch.staffRole;
      if (patch.status) row.status = patch.status;
      if (patch.name) Object.assign(row, { name: patch.name, nickname: patch.name });
      if (patch.passwordHash) row.password_hash = patch.passwordHash;
      await trx('users').where({ id, user_type: 'admin' }).update(row);
    },

    /** Staff accounts, oldest first; `keyword` (literal) matches the username, name, nickname or openid. */
    async listStaffUsers(q: {
      keyword?: string;
      staffRole?: StaffRole;
      offset: number;
      limit: number;
    }): Promise<{ items: StaffUser[]; total: number }> {
      const filter = (b: Knex.QueryBuilder) => {
        b.where('user_type', 'admin');
        if (q.staffRole) b.where('staff_role', q.staffRole);
        if (q.keyword) whereContains(b, ['username', 'name', 'nickname', 'openid'], q.keyword);
      };
      const [rows, totalRow] = await Promise.all([
        db('users').modify(filter).orderBy('id', 'asc').offset(q.offset).limit(q.limit),
        db('users').modify(filter).count({ n: '*' }).first(),
      ]);
      return { items: rows.map(mapStaffUser), total: Number(totalRow?.n ?? 0) };
    },

    /** Active staff with the admin role (the last one may not be demoted or banned). */
    async countActiveAdmins(trx: Knex | Knex.Transaction = db): Promise<number> {
      const row = await trx('users')
        .where({ user_type: 'admin', staff_role: 'admin', status: 'active' })
        .count({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },
  };
}
