import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { valid } from '../../shared/validate';
import type { UsersService } from './users.service';
import { toUserView, updateMeBody } from './users.schemas';

export const usersRequests = {
  updateMe: { body: updateMeBody },
};

export function createUsersController(users: UsersService) {
  return {
    getMe: async (req: Request) => toUserView(await users.getMe(principal(req).id)),
    updateMe: async (req: Request) =>
      toUserView(await users.updateMe(principal(req).id, valid(req, usersRequests.updateMe).body)),
  };
}
