import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { UsersService } from './users.service';
import { adminUsersQuery, setStatusBody, toAdminUserView, toUserView, updateMeBody, userIdParams } from './users.schemas';

export const usersRequests = {
  updateMe: { body: updateMeBody },
  adminList: { query: adminUsersQuery },
  setStatus: { params: userIdParams, body: setStatusBody },
};

export function createUsersController(users: UsersService) {
  return {
    getMe: async (req: Request) => toUserView(await users.getMe(principal(req).id)),
    updateMe: async (req: Request) =>
      toUserView(await users.updateMe(principal(req).id, valid(req, usersRequests.updateMe).body)),
    adminList: async (req: Request) => {
      const page = await users.list(valid(req, usersRequests.adminList).query);
      return paged({ ...page, items: page.items.map(toAdminUserView) });
    },
    setStatus: async (req: Request) => {
      const { params, body } = valid(req, usersRequests.setStatus);
      req.log.info(
        { targetUserId: params.id, status: body.status, reason: body.reason, actor: principal(req).id },
        'user status changed',
      );
      return toAdminUserView(await users.setStatus(principal(req), params.id, body.status));
    },
  };
}
