import type { RouteDef } from '../../shared/routing';
import { createUsersController, usersRequests } from './users.controller';
import type { UsersService } from './users.service';
import { userView } from './users.schemas';

export function usersRoutes(service: UsersService): RouteDef[] {
  const c = createUsersController(service);
  const tags = ['Users'];
  return [
    { method: 'get', path: '/api/users/me', summary: 'My profile', tags, auth: 'user', response: userView, handler: c.getMe },
    {
      method: 'patch',
      path: '/api/users/me',
      summary: 'Update my profile',
      tags,
      auth: 'user',
      schemas: usersRequests.updateMe,
      response: userView,
      handler: c.updateMe,
    },
  ];
}
