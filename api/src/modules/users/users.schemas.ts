import { z } from 'zod';
import type { User } from './users.repository';
import { maskPhone } from '../../shared/privacy';
import { paginationQuery } from '../../shared/pagination';

export const userView = z
  .object({
    id: z.number().int(),
    nickname: z.string().nullable(),
    avatarUrl: z.string().nullable().meta({
      description: 'An http(s) URL, or for an uploaded avatar a signed, expiring URL (relative ones are under the API base)',
    }),
    gender: z.enum(['male', 'female', 'unknown']),
    name: z.string().nullable(),
    phone: z.string().nullable().meta({ description: 'Masked, e.g. 138****1234' }),
    hasPhone: z.boolean(),
    userType: z.enum(['user', 'electrician', 'admin']),
    staffRole: z.enum(['admin', 'ops_manager', 'agent', 'finance', 'inventory']).nullable(),
    status: z.enum(['active', 'inactive', 'banned', 'deleted']),
    address: z.string().nullable(),
    city: z.string().nullable(),
    province: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userView>;

/**
 * `avatarUrl`: the signed URL of the avatar upload, which only the users service can make (it is
 * signed when read, never stored); without one, the plain URL kept in `users.avatar`.
 */
export function toUserView(u: User, avatarUrl: string | null = u.avatar): UserView {
  return {
    id: u.id,
    nickname: u.nickname,
    avatarUrl,
    gender: u.gender,
    name: u.name,
    phone: maskPhone(u.phone),
    hasPhone: Boolean(u.phone),
    userType: u.userType,
    staffRole: u.staffRole,
    status: u.status,
    address: u.address,
    city: u.city,
    province: u.province,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

const text = (max: number) => z.string().trim().min(1).max(max);

export const updateMeBody = z
  .strictObject({
    nickname: text(64),
    avatarUrl: z.url({ protocol: /^https?$/ }).max(500),
    avatarUploadId: z.number().int().positive().meta({
      description: 'One of my own uploads with purpose `avatar` (POST /api/uploads); not together with avatarUrl',
    }),
    gender: z.enum(['male', 'female', 'unknown']),
    name: text(50),
    address: text(200),
    city: text(50),
    province: text(50),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' })
  .refine((v) => v.avatarUrl === undefined || v.avatarUploadId === undefined, {
    message: 'avatarUrl 与 avatarUploadId 只能填一个',
    path: ['avatarUploadId'],
  });
export type UpdateMeBody = z.infer<typeof updateMeBody>;

export const deleteAccountBody = z.strictObject({
  reason: z.string().trim().min(1).max(200).optional().meta({ description: 'Why (optional, kept with the deletion record)' }),
});

export const adminUsersQuery = paginationQuery.extend({
  keyword: z.string().trim().min(1).max(50).optional(),
  userType: z.enum(['user', 'electrician', 'admin']).optional(),
  status: z.enum(['active', 'inactive', 'banned', 'deleted']).optional(),
});

export const userIdParams = z.object({ id: z.coerce.number().int().positive() });

export const setStatusBody = z.strictObject({
  status: z.enum(['active', 'banned']),
  reason: z.string().trim().min(2).max(200),
});

/** What staff see of a user: the full phone, since support calls people back. */
export const adminUserView = userView.extend({ openid: z.string(), phone: z.string().nullable() }).meta({ id: 'AdminUser' });

export function toAdminUserView(u: User, avatarUrl: string | null = u.avatar): z.infer<typeof adminUserView> {
  return { ...toUserView(u, avatarUrl), openid: u.openid, phone: u.phone };
}
