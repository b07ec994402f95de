import type { Request } from 'express';
import { principal } from '../../shared/auth';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import { toUserView } from '../users';
import {
  adminLoginBody,
  auditQuery,
  createStaffBody,
  staffIdParams,
  staffListQuery,
  toAuditView,
  toStaffView,
  updateStaffBody,
} from './staff.schemas';
import type { StaffService } from './staff.service';

export const staffRequests = {
  login: { body: adminLoginBody },
  list: { query: staffListQuery },
  create: { body: createStaffBody },
  update: { params: staffIdParams, body: updateStaffBody },
  audit: { query: auditQuery },
};

export function createStaffController(staff: StaffService) {
  return {
    login: async (req: Request) => {
      const result = await staff.login(valid(req, staffRequests.login).body, {
        ip: req.ip,
        userAgent: req.get('user-agent'),
        requestId: req.id === undefined ? undefined : String(req.id),
      });
      return { ...result, user: toUserView(result.user, result.user.avatarUrl), staff: toStaffView(result.user) };
    },
    list: async (req: Request) => {
      const page = await staff.list(valid(req, staffRequests.list).query);
      return paged({ ...page, items: page.items.map(toStaffView) });
    },
    create: async (req: Request) => toStaffView(await staff.create(valid(req, staffRequests.create).body)),
    update: async (req: Request) => {
      const { params, body } = valid(req, staffRequests.update);
      return toStaffView(await staff.update(principal(req), params.id, body));
    },
    audit: async (req: Request) => {
      const page = await staff.auditLogs(valid(req, staffRequests.audit).query);
      return paged({ ...page, items: page.items.map(toAuditView) });
    },
  };
}
