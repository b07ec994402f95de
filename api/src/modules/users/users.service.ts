import type { Db } from '../../db';
import type { Principal, Role } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import type { DomainBus } from '../../shared/domain-events';
import { badRequest, notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { AuthRepository } from '../auth/auth.repository';
import type { User, UserStatus, UsersRepository } from './users.repository';
import type { UpdateMeBody } from './users.schemas';

export function createUsersService(deps: {
  db: Db;
  users: UsersRepository;
  sessions: AuthRepository;
  clock: Clock;
  bus: DomainBus;
}) {
  const { db, users, sessions, clock } = deps;

  async function getUser(userId: number): Promise<User> {
    const user = await users.findById(userId);
    if (!user) throw notFound('用户不存在');
    return user;
  }

  return {
    getMe: getUser,

    async updateMe(userId: number, body: UpdateMeBody): Promise<User> {
      const { avatarUrl, ...rest } = body;
      await users.update(userId, { ...rest, avatar: avatarUrl }, clock.now());
      return getUser(userId);
    },

    async list(q: PageQuery & { keyword?: string; userType?: Role; status?: UserStatus }): Promise<Page<User>> {
      const { items, total } = await users.list({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    /** Banning signs the user out everywhere at once; every request already re-reads the status. */
    async setStatus(actor: Principal, userId: number, status: Extract<UserStatus, 'active' | 'banned'>): Promise<User> {
      if (actor.id === userId) throw badRequest('CANNOT_CHANGE_SELF', '不能修改自己的账号状态');
      await getUser(userId);
      const now = clock.now();
      await db.transaction(async (trx) => {
        await users.update(userId, { status }, now, trx);
        if (status === 'banned') await sessions.revokeAllForUser(userId, 'banned', now, trx);
      });
      if (status === 'banned') deps.bus.publish({ name: 'session.ended', userId, sessionId: null, reason: 'banned' });
      return getUser(userId);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
