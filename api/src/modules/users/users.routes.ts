import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { createUsersController, usersRequests } from './users.controller';
import type { UsersService } from './users.service';
import { adminUserView, userView } from './users.schemas';

export function usersRoutes(service: UsersService): RouteDef[] {
  const c = createUsersController(service);
  return [
    // --- own profile
    {
      method: 'get',
      path: '/api/users/me',
      summary: 'My profile',
      tags: ['Users'],
      auth: 'user',
      staff: 'self',
      response: userView,
      handler: c.getMe,
    },
    {
      method: 'patch',
      path: '/api/users/me',
      summary: 'Update my profile',
      tags: ['Users'],
      auth: 'user',
      staff: 'self',
      schemas: usersRequests.updateMe,
      response: userView,
      handler: c.updateMe,
    },
    {
      method: 'put',
      path: '/api/users/me',
      summary: 'The same partial update as PATCH, for the mini-program (wx.request cannot send PATCH)',
      tags: ['Users'],
      auth: 'user',
      staff: 'self',
      schemas: usersRequests.updateMe,
      response: userView,
      handler: c.updateMe,
    },
    {
      method: 'post',
      path: '/api/users/me/delete-account',
      summary:
        'Delete my account (注销): profile, phone, avatar, addresses and electrician profile erased; orders, payments and reviews kept anonymised; every session signed out. 409 ACCOUNT_BUSY while an order is active or a complaint open',
      tags: ['Users'],
      auth: 'user',
      // Staff reach the service, which says why they cannot (403 STAFF_ACCOUNT), and the attempt is audited.
      staff: 'self',
      schemas: usersRequests.deleteAccount,
      response: z.object({}),
      handler: c.deleteAccount,
    },
    // --- staff: user management
    {
      method: 'get',
      path: '/api/admin/users',
      summary: 'List and search users',
      tags: ['Admin'],
      auth: { permission: 'users.read' },
      schemas: usersRequests.adminList,
      response: z.array(adminUserView),
      handler: c.adminList,
    },
    {
      method: 'post',
      path: '/api/admin/users/:id/status',
      summary: 'Ban or reinstate a user (a ban signs them out everywhere)',
      tags: ['Admin'],
      auth: { permission: 'users.manage' },
      schemas: usersRequests.setStatus,
      response: adminUserView,
      handler: c.setStatus,
    },
  ];
}
