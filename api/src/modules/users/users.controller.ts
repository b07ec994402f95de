import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { UsersService } from './users.service';
import {
  adminUsersQuery,
  deleteAccountBody,
  setStatusBody,
  toAdminUserView,
  toUserView,
  updateMeBody,
  userIdParams,
} from './users.schemas';

export const usersRequests = {
  updateMe: { body: updateMeBody },
  deleteAccount: { body: deleteAccountBody },
  adminList: { query: adminUsersQuery },
  setStatus: { params: userIdParams, body: setStatusBody },
};

export function createUsersController(users: UsersService) {
  return {
    getMe: async (req: Request) => {
      const u = await users.getMe(principal(req).id);
      return toUserView(u, u.avatarUrl);
    },
    updateMe: async (req: Request) => {
      const u = await users.updateMe(principal(req).id, valid(req, usersRequests.updateMe).body);
      return toUserView(u, u.avatarUrl);
    },
    deleteAccount: async (req: Request) => {
      await users.deleteAccount(principal(req), valid(req, usersRequests.deleteAccount).body.reason);
      req.log.info({ userId: principal(req).id }, 'account deleted');
      return {};
    },
    adminList: async (req: Request) => {
      const page = await users.list(valid(req, usersRequests.adminList).query);
      return paged({ ...page, items: page.items.map((u) => toAdminUserView(u, u.avatarUrl)) });
    },
    setStatus: async (req: Request) => {
      const { params, body } = valid(req, usersRequests.setStatus);
      req.log.info(
        { targetUserId: params.id, status: body.status, reason: body.reason, actor: principal(req).id },
        'user status changed',
      );
      const u = await users.setStatus(principal(req), params.id, body.status);
      return toAdminUserView(u, u.avatarUrl);
    },
  };
}
