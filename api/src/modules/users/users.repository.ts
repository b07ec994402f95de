import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { Role, StaffRole } from '../../shared/auth';
import { toDate, whereContains } from '../../shared/rows';
import type { LiveSessions } from '../auth';
import { avatarSourceOf, type AvatarSource } from './avatars';

export type Gender = 'male' | 'female' | 'unknown';
/** `deleted`: the account was deleted by its owner (注销); its row stays, anonymised, for the books. */
export type UserStatus = 'active' | 'inactive' | 'banned' | 'deleted';

export interface User {
  id: number;
  openid: string;
  unionid: string | null;
  phone: string | null;
  name: string | null;
  nickname: string | null;
  /** A plain http(s) URL; null when the avatar is an upload or there is none. */
  avatar: string | null;
  /** The user's own `avatar` upload, attached to them; its URL is signed when read. */
  avatarUploadId: number | null;
  gender: Gender;
  userType: Role;
  staffRole: StaffRole | null;
  status: UserStatus;
  address: string | null;
  city: string | null;
  province: string | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type UserPatch = Partial<
  Pick<
    User,
    | 'name'
    | 'nickname'
    | 'avatar'
    | 'avatarUploadId'
    | 'gender'
    | 'address'
    | 'city'
    | 'province'
    | 'phone'
    | 'unionid'
    | 'userType'
    | 'staffRole'
    | 'status'
    | 'lastLoginAt'
  >
>;

const COLUMNS: Record<keyof UserPatch, string> = {
  name: 'name',
  nickname: 'nickname',
  avatar: 'avatar',
  avatarUploadId: 'avatar_upload_id',
  gender: 'gender',
  address: 'address',
  city: 'city',
  province: 'province',
  phone: 'phone',
  unionid: 'unionid',
  userType: 'user_type',
  staffRole: 'staff_role',
  status: 'status',
  lastLoginAt: 'last_login_at',
};

type Row = Record<string, unknown>;

export function mapUser(r: Row): User {
  return {
    id: Number(r.id),
    openid: String(r.openid),
    unionid: (r.unionid as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    nickname: (r.nickname as string | null) ?? null,
    avatar: (r.avatar as string | null) ?? null,
    avatarUploadId: r.avatar_upload_id === null || r.avatar_upload_id === undefined ? null : Number(r.avatar_upload_id),
    gender: r.gender as Gender,
    userType: r.user_type as Role,
    staffRole: (r.staff_role as StaffRole | null) ?? null,
    status: r.status as UserStatus,
    address: (r.address as string | null) ?? null,
    city: (r.city as string | null) ?? null,
    province: (r.province as string | null) ?? null,
    lastLoginAt: toDate(r.last_login_at),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export function toColumns(patch: UserPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) row[COLUMNS[key as keyof UserPatch]] = value;
  }
  return row;
}

export interface NewUser {
  openid: string;
  unionid?: string | null;
  nickname?: string | null;
  avatar?: string | null;
  gender?: Gender;
  userType?: Role;
  staffRole?: StaffRole | null;
  phone?: string | null;
  name?: string | null;
  city?: string | null;
  province?: string | null;
}

/**
 * What other modules show of an account next to their own rows (an electrician's card, a reviewer,
 * an audit log's actor): names, phone and avatar, and the openid and username staff lists fall back on.
 */
export interface UserProfile extends AvatarSource {
  id: number;
  nickname: string | null;
  name: string | null;
  phone: string | null;
  openid: string;
  username: string | null;
}

/** The profile fields another module may search by keyword (staff searches), through `idsContaining`. */
export type ProfileField = 'nickname' | 'name' | 'phone' | 'openid' | 'username';

const PROFILE_COLUMNS = ['id', 'nickname', 'name', 'phone', 'openid', 'username', 'avatar', 'avatar_upload_id'];

function mapProfile(r: Row): UserProfile {
  return {
    id: Number(r.id),
    nickname: (r.nickname as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    openid: String(r.openid),
    username: (r.username as string | null) ?? null,
    ...avatarSourceOf(r),
  };
}

/** A staff account: a users row with its web-login columns (only the staff module reads the password hash). */
export interface StaffUser extends User {
  username: string | null;
  passwordHash: string | null;
}

const mapStaffUser = (r: Row): StaffUser => ({
  ...mapUser(r),
  username: (r.username as string | null) ?? null,
  passwordHash: (r.password_hash as string | null) ?? null,
});

/** What staff may change of a staff account. */
export interface StaffUserPatch {
  staffRole?: StaffRole;
  passwordHash?: string;
  status?: 'active' | 'banned';
  name?: string;
}

/** `sessions`: the auth module's port for the session check (`findForSession`). */
export function createUsersRepository(db: Db, sessions: LiveSessions) {
  return {
    async findById(id: number, trx: Knex | Knex.Transaction = db): Promise<User | undefined> {
      const row = await trx('users').where({ id }).first();
      return row ? mapUser(row) : undefined;
    },

    async findByOpenid(openid: string, trx: Knex | Knex.Transaction = db): Promise<User | undefined> {
      const row = await trx('users').where({ openid }).first();
      return row ? mapUser(row) : undefined;
    },

    async findByPhone(phone: string, trx: Knex | Knex.Transaction = db): Promise<User | undefined> {
      const row = await trx('users').where({ phone }).first();
      return row ? mapUser(row) : undefined;
    },

    async insert(user: NewUser, now: Date, trx: Knex | Knex.Transaction = db): Promise<number> {
      return insertId(trx, 'users', {
        openid: user.openid,
        unionid: user.unionid ?? null,
        nickname: user.nickname ?? null,
        avatar: user.avatar ?? null,
        gender: user.gender ?? 'unknown',
        user_type: user.userType ?? 'user',
        staff_role: user.staffRole ?? null,
        phone: user.phone ?? null,
        name: user.name ?? null,
        city: user.city ?? null,
        province: user.province ?? null,
        status: 'active',
        created_at: now,
        updated_at: now,
      });
    },

    async update(id: number, patch: UserPatch, now: Date, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('users')
        .where({ id })
        .update({ ...toColumns(patch), updated_at: now });
    },

    /**
     * Fills in what WeChat reports about the user only where their profile has nothing: the nickname
     * when there is none, the avatar when there is neither a URL nor an upload, the gender while it is
     * unknown. Each is one conditional statement, so a profile saved at the same moment is kept.
     */
    async fillBlankProfile(
      id: number,
      fill: { nickname?: string; avatar?: string; gender?: Gender },
      now: Date,
      trx: Knex | Knex.Transaction = db,
    ): Promise<void> {
      if (fill.nickname) {
        await trx('users')
          .where({ id })
          .where((b) => b.whereNull('nickname').orWhere('nickname', ''))
          .update({ nickname: fill.nickname, updated_at: now });
      }
      if (fill.avatar) {
        await trx('users')
          .where({ id })
          .whereNull('avatar')
          .whereNull('avatar_upload_id')
          .update({ avatar: fill.avatar, updated_at: now });
      }
      if (fill.gender && fill.gender !== 'unknown') {
        await trx('users').where({ id, gender: 'unknown' }).update({ gender: fill.gender, updated_at: now });
      }
    },

    /**
     * Locks the user's row until the transaction ends (a locking read on MySQL; SQLite serialises
     * writers anyway) and says whether the account is still there, i.e. not deleted. Whatever must
     * not happen to a deleted account (an order placed, an address saved) takes this lock first, and
     * account deletion takes it first too: the two take turns, so neither misses the other.
     */
    async lockLive(id: number, trx: Knex.Transaction): Promise<boolean> {
      const row = await trx('users').where({ id }).whereNot({ status: 'deleted' }).forUpdate().first('id');
      return row !== undefined;
    },

    /**
     * Anonymises a deleted account's row: the profile, phone and avatar are erased and the openid
     * becomes `deletedOpenid`, so the same WeChat user signing in again makes a new, empty account.
     */
    async anonymise(id: number, deletedOpenid: string, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('users').where({ id }).update({
        openid: deletedOpenid,
        unionid: null,
        phone: null,
        name: null,
        nickname: null,
        avatar: null,
        avatar_upload_id: null,
        gender: 'unknown',
        address: null,
        city: null,
        province: null,
        username: null,
        password_hash: null,
        status: 'deleted',
        last_login_at: null,
        updated_at: now,
      });
    },

    /** The record that (and why) the account was deleted. */
    async insertDeletion(userId: number, reason: string | null, now: Date, trx: Knex.Transaction): Promise<number> {
      return insertId(trx, 'account_deletions', { user_id: userId, reason, created_at: now });
    },

    async list(q: {
      keyword?: string;
      userType?: Role;
      status?: UserStatus;
      offset: number;
      limit: number;
    }): Promise<{ items: User[]; total: number }> {
      const base = db('users').modify((b) => {
        if (q.userType) b.where('user_type', q.userType);
        if (q.status) b.where('status', q.status);
        if (q.keyword) whereContains(b, ['nickname', 'name', 'phone', 'openid'], q.keyword);
      });
      const [rows, totalRow] = await Promise.all([
        base.clone().orderBy('id', 'desc').offset(q.offset).limit(q.limit),
        base.clone().count({ n: '*' }).first(),
      ]);
      return { items: rows.map(mapUser), total: Number(totalRow?.n ?? 0) };
    },

    /**
     * The user behind an access token, with whether its session (refresh-token family) is still
     * live: one query per authenticated request, so logout and bans take effect at once.
     */
    async findForSession(id: number, sessionId: string): Promise<{ user: User; sessionLive: boolean } | undefined> {
      const row = await db('users')
        .where('users.id', id)
        .select('users.*', {
          session_live: sessions.liveSessionCount(sessionId, id),
        })
        .first();
      if (!row) return undefined;
      return { user: mapUser(row), sessionLive: Number(row.session_live) > 0 };
    },

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

    /** Makes the account of an approved applicant an electrician; staff keep their admin role. */
    async promoteToElectrician(userId: number, now: Date, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('users')
        .where({ id: userId })
        .whereNot('user_type', 'admin')
        .update({ user_type: 'electrician', updated_at: now });
    },

    // --- staff accounts (users rows of user_type admin with a username and password) ------------

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

export type UsersRepository = ReturnType<typeof createUsersRepository>;
