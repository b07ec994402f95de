import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { createElectriciansController, electriciansRequests } from './electricians.controller';
import type { ElectriciansService } from './electricians.service';
import { adminElectricianView, electricianView, publicElectricianView } from './electricians.schemas';

export function electriciansRoutes(service: ElectriciansService): RouteDef[] {
  const c = createElectriciansController(service);
  return [
    // --- applying and the own profile (before /:id, which would otherwise match "me")
    {
      method: 'post',
      path: '/api/electricians/apply',
      summary: 'Apply to become an electrician (again, after a rejection)',
      tags: ['Electricians'],
      auth: 'user',
      schemas: electriciansRequests.apply,
      response: electricianView,
      status: 201,
      handler: c.apply,
    },
    {
      method: 'get',
      path: '/api/electricians/me',
      summary: 'My electrician profile (404 before applying)',
      tags: ['Electricians'],
      auth: 'user',
      response: electricianView,
      handler: c.getMe,
    },
    {
      method: 'patch',
      path: '/api/electricians/me',
      summary: 'Update my work status, preferences and location',
      tags: ['Electricians'],
      auth: 'user',
      schemas: electriciansRequests.updateMe,
      response: electricianView,
      handler: c.updateMe,
    },
    {
      method: 'put',
      path: '/api/electricians/me',
      summary: 'The same partial update as PATCH, for the mini-program (wx.request cannot send PATCH)',
      tags: ['Electricians'],
      auth: 'user',
      schemas: electriciansRequests.updateMe,
      response: electricianView,
      handler: c.updateMe,
    },
    // --- public profiles
    {
      method: 'get',
      path: '/api/electricians/:id',
      summary: 'Public profile of an approved electrician',
      tags: ['Electricians'],
      auth: 'user',
      staff: 'self',
      schemas: electriciansRequests.getPublic,
      response: publicElectricianView,
      handler: c.getPublic,
    },
    // --- staff: verification queue
    {
      method: 'get',
      path: '/api/admin/electricians',
      summary: 'List and search electrician applications',
      tags: ['Admin'],
      auth: { permission: 'electricians.read' },
      schemas: electriciansRequests.adminList,
      response: z.array(adminElectricianView),
      handler: c.adminList,
    },
    {
      method: 'post',
      path: '/api/admin/electricians/:id/verify',
      summary: 'Approve or reject a pending application (a note is required to reject)',
      tags: ['Admin'],
      auth: { permission: 'electricians.verify' },
      schemas: electriciansRequests.verify,
      response: adminElectricianView,
      handler: c.verify,
    },
  ];
}
