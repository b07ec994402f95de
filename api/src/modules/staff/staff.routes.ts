import { z } from 'zod';
import { limiter, type RateLimits } from '../../shared/rate-limit';
import type { RouteDef } from '../../shared/routing';
import { createStaffController, staffRequests } from './staff.controller';
import { adminLoginResult, auditView, staffView } from './staff.schemas';
import type { StaffService } from './staff.service';

export function staffRoutes(service: StaffService, limits: RateLimits): RouteDef[] {
  const c = createStaffController(service);
  const tags = ['Admin'];
  return [
    // --- web console sign-in (refresh and logout are the shared /api/auth routes)
    {
      method: 'post',
      path: '/api/admin/auth/login',
      summary: 'Staff sign-in with username and password (5 failures lock that username from that client address for 15 minutes)',
      tags,
      auth: 'public',
      before: [limiter(limits, 'login', { name: 'staff-login' })],
      schemas: staffRequests.login,
      response: adminLoginResult,
      handler: c.login,
    },
    // --- staff accounts
    {
      method: 'get',
      path: '/api/admin/staff',
      summary: 'List staff accounts',
      tags,
      auth: { permission: 'staff.manage' },
      schemas: staffRequests.list,
      response: z.array(staffView),
      handler: c.list,
    },
    {
      method: 'post',
      path: '/api/admin/staff',
      summary: 'Create a staff account with a username, password and role',
      tags,
      auth: { permission: 'staff.manage' },
      schemas: staffRequests.create,
      response: staffView,
      status: 201,
      handler: c.create,
    },
    {
      method: 'patch',
      path: '/api/admin/staff/:id',
      summary: "Change a staff member's role, name or password, or disable/enable the account",
      tags,
      auth: { permission: 'staff.manage' },
      schemas: staffRequests.update,
      response: staffView,
      handler: c.update,
    },
    // --- audit log
    {
      method: 'get',
      path: '/api/admin/audit-logs',
      summary: 'Staff actions, newest first',
      tags,
      auth: { permission: 'audit.read' },
      schemas: staffRequests.audit,
      response: z.array(auditView),
      handler: c.audit,
    },
  ];
}
