import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { Principal, Role } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { badRequest, conflict, forbidden, notFound, unauthorized } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { SessionsPort } from '../auth';
import type { FilesService } from '../files';
import type { User, UserPatch, UserStatus, UsersRepository } from './users.repository';
import type { UpdateMeBody } from './users.schemas';
import { avatarUrls } from './avatars';

/** A user as shown: with the avatar's URL, signed now when the avatar is an upload. */
export type ShownUser = User & { avatarUrl: string | null };

/** An avatar upload is attached to its user, so the orphan cleanup keeps it. */
const avatarOf = (userId: number) => ({ type: 'user', id: userId });

/** Who is being deleted: the user, and their electrician profile if they have one. */
export interface AccountParty {
  customerId: number;
  electricianId: number | null;
}

/**
 * What deleting an account needs from the modules that own the user's other data. Each port runs
 * inside the deletion's transaction; the container wires them to the owning repositories.
 */
export interface AccountDeletionPorts {
  /** Locks and returns the user's electrician profile, if any (before anything is read). */
  lockElectrician(userId: number, trx: Knex.Transaction): Promise<{ id: number } | undefined>;
  /**
   * Why the account cannot be deleted now, one check each (an active order, an open complaint,
   * a pending withdrawal): the first that answers a message refuses the deletion with 409 ACCOUNT_BUSY.
   */
  busyChecks: ((party: AccountParty, trx: Knex.Transaction) => Promise<string | null>)[];
  /** Erases or anonymises what each module holds of the account (`deletedOpenid` is its new openid). */
  erasers: ((party: AccountParty, deletedOpenid: string, now: Date, trx: Knex.Transaction) => Promise<unknown>)[];
}

export function createUsersService(deps: {
  db: Db;
  users: UsersRepository;
  sessions: SessionsPort;
  files: Pick<FilesService, 'attach' | 'detach' | 'refs' | 'eraseOwned' | 'purge'>;
  clock: Clock;
  bus: DomainBus;
  account: AccountDeletionPorts;
}) {
  const { db, users, sessions, files, clock, account } = deps;

  /** Signs the avatar uploads of these users with one call to the files service. */
  async function show(list: User[]): Promise<ShownUser[]> {
    const urls = await avatarUrls((ids) => files.refs(ids), list);
    return list.map((u, i) => ({ ...u, avatarUrl: urls[i]! }));
  }

  async function getUser(userId: number): Promise<ShownUser> {
    const user = await users.findById(userId);
    if (!user) throw notFound('用户不存在');
    return (await show([user]))[0]!;
  }

  return {
    getMe: getUser,

    /**
     * The avatar is either a plain URL or one of the user's own `avatar` uploads, never both:
     * setting one clears the other, and the upload it replaces is detached, for the cleanup job.
     */
    async updateMe(userId: number, body: UpdateMeBody): Promise<ShownUser> {
      const { avatarUrl, avatarUploadId, ...rest } = body;
      const patch: UserPatch = { ...rest };
      if (avatarUrl !== undefined) Object.assign(patch, { avatar: avatarUrl, avatarUploadId: null });
      if (avatarUploadId !== undefined) patch.avatar = null;
      const now = clock.now();
      await db.transaction(async (trx) => {
        // The users row is written first: its lock makes two saves of one profile take turns, so
        // each detaches what the other attached instead of deadlocking over the uploads rows.
        await users.update(userId, patch, now, trx);
        if (avatarUploadId !== undefined) {
          await files.attach(userId, [avatarUploadId], 'avatar', avatarOf(userId), trx, 'avatarUploadId');
          await users.update(userId, { avatarUploadId }, now, trx);
        }
        if (avatarUrl !== undefined || avatarUploadId !== undefined) {
          await files.detach(userId, 'avatar', avatarOf(userId), avatarUploadId === undefined ? [] : [avatarUploadId], trx);
        }
      });
      return getUser(userId);
    },

    async list(q: PageQuery & { keyword?: string; userType?: Role; status?: UserStatus }): Promise<Page<ShownUser>> {
      const { items, total } = await users.list({ ...q, offset: offsetOf(q) });
      return { items: await show(items), total, page: q.page, limit: q.limit };
    },

    /**
     * 注销账号. In one transaction: the user's electrician profile is locked (a grab takes that lock
     * for its slot), then the user's row (order creation and address writes take that one), so none
     * slips in after the checks; only then are the busy checks read, so they see everything
     * committed before. Then the profile, phone, avatar, addresses, inbox, electrician profile and its images
     * are erased; orders, payments and reviews stay for the books, anonymised; every session is
     * revoked and its sockets closed (the staged session.ended). The erased uploads' rows and files
     * go once the transaction has committed.
     */
    async deleteAccount(p: Principal, reason: string | undefined): Promise<void> {
      // Staff accounts are managed by staff (and ADMIN_OPENIDS would make a new one staff again).
      if (p.userType === 'admin') throw forbidden('员工账号不能自助注销，请联系管理员', 'STAFF_ACCOUNT');
      const now = clock.now();
      const erased = await db.transaction(async (trx) => {
        // Locking reads first: on InnoDB the transaction's snapshot is taken by its first plain read.
        // The profile before the user: a grab locks the profile (its slot), then the user's row (the
        // foreign key of the chat participant it adds), so the same order cannot deadlock with it.
        const electrician = await account.lockElectrician(p.id, trx);
        if (!(await users.lockLive(p.id, trx))) throw unauthorized('登录已失效，请重新登录');
        const user = (await users.findById(p.id, trx))!;
        const party: AccountParty = { customerId: p.id, electricianId: electrician?.id ?? null };
        for (const check of account.busyChecks) {
          const busy = await check(party, trx);
          if (busy) throw conflict('ACCOUNT_BUSY', `${busy}，暂不能注销账号`);
        }
        const deletedOpenid = `deleted:${p.id}:${randomBytes(8).toString('hex')}`;
        const uploads = await files.eraseOwned(p.id, ['avatar', 'certificate'], trx);
        for (const erase of account.erasers) await erase(party, deletedOpenid, now, trx);
        if (user.phone) await sessions.deleteSmsCodesFor(user.phone, trx);
        await users.anonymise(p.id, deletedOpenid, now, trx);
        await users.insertDeletion(p.id, reason ?? null, now, trx);
        await sessions.revokeAllForUser(p.id, 'deleted', now, trx);
        await deps.bus.stage(trx, { name: 'session.ended', userId: p.id, sessionId: null, reason: 'deleted' });
        return uploads;
      });
      await files.purge(erased);
    },

    /** Banning signs the user out everywhere at once; every request already re-reads the status. */
    async setStatus(actor: Principal, userId: number, status: Extract<UserStatus, 'active' | 'banned'>): Promise<ShownUser> {
      if (actor.id === userId) throw badRequest('CANNOT_CHANGE_SELF', '不能修改自己的账号状态');
      if ((await getUser(userId)).status === 'deleted') throw conflict('ACCOUNT_DELETED', '该账号已注销');
      const now = clock.now();
      await db.transaction(async (trx) => {
        await users.update(userId, { status }, now, trx);
        if (status === 'banned') {
          await sessions.revokeAllForUser(userId, 'banned', now, trx);
          await deps.bus.stage(trx, { name: 'session.ended', userId, sessionId: null, reason: 'banned' });
        }
      });
      return getUser(userId);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
