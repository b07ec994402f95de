import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import { maskName } from '../../shared/privacy';
import type { Electrician, ElectricianWithUser } from './electricians.repository';
import { isValidIdCardNumber, maskIdCard } from './id-card';

export const CERTIFICATE_TYPES = ['low_voltage', 'high_voltage', 'special'] as const;
export const WORK_STATUSES = ['available', 'busy', 'offline'] as const;
export const VERIFICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;

// --- requests

const tag = z.string().trim().min(1).max(20);
const tags = z.array(tag).min(1).max(20);
const uploadIds = (max: number) =>
  z
    .array(z.number().int().positive())
    .min(1)
    .max(max)
    .refine((ids) => new Set(ids).size === ids.length, { message: '图片不能重复' });

export const applyBody = z.strictObject({
  realName: z
    .string()
    .trim()
    .regex(/^[\p{Script=Han}A-Za-z·]{2,20}$/u, '姓名为 2–20 个汉字、字母或 ·'),
  // The message never echoes the value: error envelopes and logs must not carry an ID-card number.
  idCard: z
    .string()
    .trim()
    .refine(isValidIdCardNumber, '身份证号不正确')
    .transform((v) => v.toUpperCase()),
  // Upper-cased so uniqueness is the same on SQLite (case-sensitive) and MySQL (case-insensitive).
  certificateNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,50}$/, '证书编号为 4–50 位字母、数字或 -')
    .transform((v) => v.toUpperCase()),
  certificateType: z.enum(CERTIFICATE_TYPES),
  certificateImages: uploadIds(6).meta({ description: 'Upload ids of purpose `certificate`, 1–6' }),
  experienceYears: z.number().int().min(0).max(60),
  specialties: tags,
  serviceAreas: tags,
  introduction: z.string().trim().max(500).optional(),
});
export type ApplyBody = z.infer<typeof applyBody>;

export const updateMeBody = z
  .strictObject({
    workStatus: z.enum(WORK_STATUSES),
    emergencyAvailable: z.boolean(),
    minOrderAmount: z.number().int().min(0).max(1_000_000).meta({ description: 'Fen' }),
    serviceAreas: tags,
    specialties: tags,
    introduction: z.string().trim().max(500).nullable(),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' })
  .superRefine((v, ctx) => {
    // A location is a pair: half of one would be stored beside the other half of an old one.
    if (v.latitude !== undefined && v.longitude === undefined)
      ctx.addIssue({ code: 'custom', path: ['longitude'], message: '经纬度需要同时提供' });
    if (v.longitude !== undefined && v.latitude === undefined)
      ctx.addIssue({ code: 'custom', path: ['latitude'], message: '经纬度需要同时提供' });
  });
export type UpdateMeBody = z.infer<typeof updateMeBody>;

export const electricianIdParams = z.object({ id: z.coerce.number().int().positive() });

export const adminElectriciansQuery = paginationQuery.extend({
  verificationStatus: z.enum(VERIFICATION_STATUSES).optional(),
  keyword: z.string().trim().min(1).max(50).optional(),
});

export const verifyBody = z
  .strictObject({
    approved: z.boolean(),
    note: z.string().trim().min(2).max(500).optional(),
  })
  .refine((v) => v.approved || v.note !== undefined, { message: '驳回时必须填写原因', path: ['note'] });
export type VerifyBody = z.infer<typeof verifyBody>;

// --- responses

export const fileRef = z
  .object({
    id: z.number().int(),
    url: z.string().meta({ description: 'Signed, expiring' }),
    mime: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
  })
  .meta({ id: 'FileRef' });
export type FileRefView = z.infer<typeof fileRef>;

/** The owner's view of their profile (and the base of the staff view). */
export const electricianView = z
  .object({
    id: z.number().int(),
    userId: z.number().int(),
    realName: z.string(),
    idCard: z.string().meta({ description: 'Masked: only the last 4 characters are shown' }),
    certificateNumber: z.string(),
    certificateType: z.enum(CERTIFICATE_TYPES),
    certificateImages: z.array(fileRef),
    experienceYears: z.number().int(),
    specialties: z.array(z.string()),
    serviceAreas: z.array(z.string()),
    introduction: z.string().nullable(),
    workImages: z.array(fileRef),
    workStatus: z.enum(WORK_STATUSES),
    verificationStatus: z.enum(VERIFICATION_STATUSES),
    verificationNote: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    emergencyAvailable: z.boolean(),
    minOrderAmount: z.number().int().meta({ description: 'Fen' }),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    locationUpdatedAt: z.string().nullable(),
    rating: z.number(),
    ratingCount: z.number().int(),
    activeOrders: z.number().int(),
    completedOrders: z.number().int(),
    totalOrders: z.number().int(),
    releasedOrders: z.number().int(),
    totalEarnings: z.number().int().meta({ description: 'Fen' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Electrician' });
export type ElectricianView = z.infer<typeof electricianView>;

/** Signed references of upload ids, in the stored order; ids the files service no longer knows are left out. */
export function pickRefs(ids: number[], refs: Map<number, FileRefView>): FileRefView[] {
  return ids.flatMap((id) => {
    const ref = refs.get(id);
    return ref ? [ref] : [];
  });
}

export function toElectricianView(e: Electrician, refs: Map<number, FileRefView>): ElectricianView {
  return {
    id: e.id,
    userId: e.userId,
    realName: e.realName,
    idCard: maskIdCard(e.idCardLast4),
    certificateNumber: e.certificateNumber,
    certificateType: e.certificateType,
    certificateImages: pickRefs(e.certificateImages, refs),
    experienceYears: e.experienceYears,
    specialties: e.specialties,
    serviceAreas: e.serviceAreas,
    introduction: e.introduction,
    workImages: pickRefs(e.workImages, refs),
    workStatus: e.workStatus,
    verificationStatus: e.verificationStatus,
    verificationNote: e.verificationNote,
    verifiedAt: e.verifiedAt?.toISOString() ?? null,
    emergencyAvailable: e.emergencyAvailable,
    minOrderAmount: e.minOrderAmount,
    latitude: e.latitude,
    longitude: e.longitude,
    locationUpdatedAt: e.locationUpdatedAt?.toISOString() ?? null,
    rating: e.rating,
    ratingCount: e.ratingCount,
    activeOrders: e.activeOrders,
    completedOrders: e.completedOrders,
    totalOrders: e.totalOrders,
    releasedOrders: e.releasedOrders,
    totalEarnings: e.totalEarnings,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** What any signed-in user sees: no ID card, certificate, phone or location. */
export const publicElectricianView = z
  .object({
    id: z.number().int(),
    name: z.string().nullable().meta({ description: 'Masked real name, e.g. 王**' }),
    avatarUrl: z.string().nullable(),
    rating: z.number(),
    ratingCount: z.number().int(),
    completedOrders: z.number().int(),
    experienceYears: z.number().int(),
    certificateType: z.enum(CERTIFICATE_TYPES),
    specialties: z.array(z.string()),
    serviceAreas: z.array(z.string()),
    introduction: z.string().nullable(),
    workStatus: z.enum(WORK_STATUSES),
  })
  .meta({ id: 'PublicElectrician' });
export type PublicElectricianView = z.infer<typeof publicElectricianView>;

/** `avatarUrl`: the account's avatar as shown (an upload's signed URL, or the plain URL). */
export function toPublicElectricianView(e: Electrician, avatarUrl: string | null): PublicElectricianView {
  return {
    id: e.id,
    name: maskName(e.realName),
    avatarUrl,
    rating: e.rating,
    ratingCount: e.ratingCount,
    completedOrders: e.completedOrders,
    experienceYears: e.experienceYears,
    certificateType: e.certificateType,
    specialties: e.specialties,
    serviceAreas: e.serviceAreas,
    introduction: e.introduction,
    workStatus: e.workStatus,
  };
}

/** What staff see: the owner's view plus the account, with the full phone (support calls people back). */
export const adminElectricianView = electricianView
  .extend({
    user: z.object({
      id: z.number().int(),
      nickname: z.string().nullable(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
      avatarUrl: z.string().nullable(),
    }),
  })
  .meta({ id: 'AdminElectrician' });
export type AdminElectricianView = z.infer<typeof adminElectricianView>;

/** `avatarUrl`: the account's avatar as shown (an upload's signed URL, or the plain URL). */
export function toAdminElectricianView(
  e: ElectricianWithUser,
  refs: Map<number, FileRefView>,
  avatarUrl: string | null,
): AdminElectricianView {
  const { id, nickname, name, phone } = e.user;
  return { ...toElectricianView(e, refs), user: { id, nickname, name, phone, avatarUrl } };
}
