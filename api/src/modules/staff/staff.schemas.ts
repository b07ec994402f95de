import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import { PERMISSIONS, STAFF_ROLES } from '../../shared/permissions';
import { tokenPair } from '../auth';
import { userView } from '../users';
import { AUDIT_OUTCOMES, type AuditLog, type StaffAccount } from './staff.repository';

const staffRole = z.enum(STAFF_ROLES);
const username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3–32 位字母、数字、下划线、点或短横线');
/** bcrypt reads at most 72 bytes: longer passwords would be silently truncated. */
export const password = z
  .string()
  .min(8, '密码至少 8 位')
  .refine((p) => Buffer.byteLength(p) <= 72, '密码最长 72 字节');

export const adminLoginBody = z.strictObject({
  username: z.string().trim().min(1).max(32),
  password: z.string().min(1).max(200),
});

export const staffView = z
  .object({
    id: z.number().int(),
    username: z.string().nullable(),
    name: z.string().nullable(),
    staffRole: staffRole.nullable(),
    status: z.enum(['active', 'inactive', 'banned', 'deleted']),
    lockedUntil: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    /** WeChat staff (ADMIN_OPENIDS or promoted) have no username and sign in from the mini-program. */
    wechat: z.boolean(),
  })
  .meta({ id: 'Staff' });

export function toStaffView(s: StaffAccount): z.infer<typeof staffView> {
  return {
    id: s.id,
    username: s.username,
    name: s.name ?? s.nickname,
    staffRole: s.staffRole,
    status: s.status,
    lockedUntil: s.lockedUntil?.toISOString() ?? null,
    lastLoginAt: s.lastLoginAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    wechat: s.username === null,
  };
}

export const adminLoginResult = tokenPair
  .extend({
    userType: z.literal('admin'),
    isNewUser: z.literal(false),
    user: userView,
    staff: staffView,
    permissions: z.array(z.enum(PERMISSIONS)),
  })
  .meta({ id: 'AdminLoginResult' });

export const staffListQuery = paginationQuery.extend({
  keyword: z.string().trim().min(1).max(50).optional(),
  staffRole: staffRole.optional(),
});

export const createStaffBody = z.strictObject({
  username,
  password,
  staffRole,
  name: z.string().trim().min(1).max(50).optional(),
});
export type CreateStaffBody = z.infer<typeof createStaffBody>;

export const updateStaffBody = z
  .strictObject({
    staffRole,
    /** `banned` disables the account and signs it out everywhere; `active` enables it again. */
    status: z.enum(['active', 'banned']),
    password,
    name: z.string().trim().min(1).max(50),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' });
export type UpdateStaffBody = z.infer<typeof updateStaffBody>;

export const staffIdParams = z.object({ id: z.coerce.number().int().positive() });

export const auditQuery = paginationQuery.extend({
  actorId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().min(1).max(50).optional(),
  targetType: z.string().trim().min(1).max(50).optional(),
  targetId: z.string().trim().min(1).max(64).optional(),
  /** `pending`: attempted, outcome unknown (the process stopped during the action) — check the target. */
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditView = z
  .object({
    id: z.number().int(),
    actorId: z.number().int().nullable(),
    actorName: z.string().nullable(),
    actorRole: staffRole.nullable(),
    action: z.string(),
    method: z.string().nullable(),
    route: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    /**
     * `pending` is written before a staff action runs and replaced by how it ended; one left
     * pending means attempted, outcome unknown (the process stopped during the action).
     */
    outcome: z.enum(AUDIT_OUTCOMES),
    /** The HTTP status the action was answered with (null while pending). */
    statusCode: z.number().int().nullable(),
    /** The error code of a failed action (`REFUND_EXCEEDS_PAID`, `VALIDATION_FAILED`, …). */
    errorCode: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'AuditLog' });

export const toAuditView = (a: AuditLog): z.infer<typeof auditView> => ({
  ...a,
  createdAt: a.createdAt.toISOString(),
  finishedAt: a.finishedAt?.toISOString() ?? null,
});
