import type { Clock } from '../../shared/clock';
import { notFound } from '../../shared/errors';
import type { UsersRepository } from './users.repository';
import type { UpdateMeBody } from './users.schemas';

export function createUsersService(deps: { users: UsersRepository; clock: Clock }) {
  const { users, clock } = deps;
  return {
    async getMe(userId: number) {
      const user = await users.findById(userId);
      if (!user) throw notFound('用户不存在');
      return user;
    },

    async updateMe(userId: number, body: UpdateMeBody) {
      const { avatarUrl, ...rest } = body;
      await users.update(userId, { ...rest, avatar: avatarUrl }, clock.now());
      return this.getMe(userId);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
