import type { Db } from '../../db';
import type { Principal, Role } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { badRequest, notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { AuthRepository } from '../auth/auth.repository';
import type { FilesService } from '../files/files.service';
import type { User, UserPatch, UserStatus, UsersRepository } from './users.repository';
import type { UpdateMeBody } from './users.schemas';
import { avatarUrls } from './avatars';

/** A user as shown: with the avatar's URL, signed now when the avatar is an upload. */
export type ShownUser = User & { avatarUrl: string | null };

/** An avatar upload is attached to its user, so the orphan cleanup keeps it. */
const avatarOf = (userId: number) => ({ type: 'user', id: userId });

export function createUsersService(deps: {
  db: Db;
  users: UsersRepository;
  sessions: AuthRepository;
  files: Pick<FilesService, 'attach' | 'detach' | 'refs'>;
  clock: Clock;
  bus: DomainBus;
}) {
  const { db, users, sessions, files, clock } = deps;

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

    /** Banning signs the user out everywhere at once; every request already re-reads the status. */
    async setStatus(actor: Principal, userId: number, status: Extract<UserStatus, 'active' | 'banned'>): Promise<ShownUser> {
      if (actor.id === userId) throw badRequest('CANNOT_CHANGE_SELF', '不能修改自己的账号状态');
      await getUser(userId);
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
