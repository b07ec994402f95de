import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { Role } from '../../shared/auth';
import { batched } from '../../shared/batched';
import { whereContains } from '../../shared/rows';
import type { LiveSessions } from '../auth';
import { createUserDirectory } from './user-directory.repository';
import { mapUser, toColumns, type Gender, type NewUser, type User, type UserPatch, type UserStatus } from './user-rows';

export {
  mapUser,
  toColumns,
  type Gender,
  type NewUser,
  type ProfileField,
  type StaffUser,
  type StaffUserPatch,
  type User,
  type UserPatch,
  type UserProfile,
  type UserStatus,
} from './user-rows';

type Row = Record<string, unknown>;

/**
 * The users module's tables. Here: the accounts themselves — sign-in's finds, creation and updates,
 * the session check, the list staff see, promotion to electrician, and account deletion (lock,
 * anonymise, the deletion record). Profiles for other modules, the keyword subquery and the staff
 * accounts are `createUserDirectory` (user-directory.repository.ts).
 *
 * `sessions`: the auth module's port for the session check (`findForSession`).
 */
export function createUsersRepository(db: Db, sessions: LiveSessions) {
  /**
   * Session checks by `${userId} ${sessionId}`: the asked users, each joined to their live sessions
   * among the asked ones (a row per live session, or one row with none).
   */
  const sessionChecks = batched(async (keys: string[]) => {
    const asked = keys.map((k) => {
      const at = k.indexOf(' ');
      return { key: k, id: Number(k.slice(0, at)), sessionId: k.slice(at + 1) };
    });
    const rows = (await db('users')
      .leftJoin(sessions.liveSessionsAmong(asked.map((a) => a.sessionId)).as('live'), 'live.user_id', 'users.id')
      .whereIn('users.id', [...new Set(asked.map((a) => a.id))])
      .select('users.*', 'live.family_id as live_session')) as Row[];
    const users = new Map<number, { row: Row; live: Set<string> }>();
    for (const r of rows) {
      const id = Number(r.id);
      const user = users.get(id) ?? { row: r, live: new Set<string>() };
      users.set(id, user);
      if (r.live_session !== null && r.live_session !== undefined) user.live.add(String(r.live_session));
    }
    const found = new Map<string, { user: User; sessionLive: boolean }>();
    for (const a of asked) {
      const user = users.get(a.id);
      if (user) found.set(a.key, { user: mapUser(user.row), sessionLive: user.live.has(a.sessionId) });
    }
    return found;
  });

  return {
    ...createUserDirectory(db),

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
     * live: the session check that auth keeps in memory (session-cache.ts). The checks of requests
     * arriving together go in one query (`batched`): after a restart every client's first request
     * misses the cache at once.
     */
    async findForSession(id: number, sessionId: string): Promise<{ user: User; sessionLive: boolean } | undefined> {
      const key = `${id} ${sessionId}`;
      return (await sessionChecks([key])).get(key);
    },

    /** Makes the account of an approved applicant an electrician; staff keep their admin role. */
    async promoteToElectrician(userId: number, now: Date, trx: Knex | Knex.Transaction = db): Promise<void> {
      await trx('users')
        .where({ id: userId })
        .whereNot('user_type', 'admin')
        .update({ user_type: 'electrician', updated_at: now });
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
