import { fromJson, toBool, toDate } from '../../shared/rows';
import { NO_AVATAR, type AvatarSource, type UserProfile } from '../users';

/*
 * The electricians module's rows as the rest of the module sees them (camelCase), and their mapping
 * to and from columns: shared by the repository files (electricians.repository.ts,
 * electrician-work.repository.ts).
 */

export type CertificateType = 'low_voltage' | 'high_voltage' | 'special';
export type WorkStatus = 'available' | 'busy' | 'offline';
export type VerificationStatus = 'pending' | 'approved' | 'rejected';

export interface Electrician {
  id: number;
  userId: number;
  realName: string;
  idCardEnc: string;
  idCardLast4: string;
  certificateNumber: string;
  certificateType: CertificateType;
  certificateImages: number[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  workStatus: WorkStatus;
  verificationStatus: VerificationStatus;
  verificationNote: string | null;
  verifiedAt: Date | null;
  verifiedBy: number | null;
  rating: number;
  ratingCount: number;
  totalOrders: number;
  completedOrders: number;
  releasedOrders: number;
  activeOrders: number;
  totalEarnings: number;
  latitude: number | null;
  longitude: number | null;
  locationUpdatedAt: Date | null;
  emergencyAvailable: boolean;
  minOrderAmount: number;
  introduction: string | null;
  workImages: number[];
  createdAt: Date;
  updatedAt: Date;
}

type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function mapElectrician(r: Row): Electrician {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    realName: String(r.real_name),
    idCardEnc: String(r.id_card_enc),
    idCardLast4: String(r.id_card_last4),
    certificateNumber: String(r.certificate_number),
    certificateType: r.certificate_type as CertificateType,
    certificateImages: fromJson<number[]>(r.certificate_images, []),
    experienceYears: Number(r.experience_years),
    specialties: fromJson<string[]>(r.specialties, []),
    serviceAreas: fromJson<string[]>(r.service_areas, []),
    workStatus: r.work_status as WorkStatus,
    verificationStatus: r.verification_status as VerificationStatus,
    verificationNote: (r.verification_note as string | null) ?? null,
    verifiedAt: toDate(r.verified_at),
    verifiedBy: num(r.verified_by),
    rating: Number(r.rating),
    ratingCount: Number(r.rating_count),
    totalOrders: Number(r.total_orders),
    completedOrders: Number(r.completed_orders),
    releasedOrders: Number(r.released_orders),
    activeOrders: Number(r.active_orders),
    totalEarnings: Number(r.total_earnings),
    latitude: num(r.current_latitude),
    longitude: num(r.current_longitude),
    locationUpdatedAt: toDate(r.location_updated_at),
    emergencyAvailable: toBool(r.emergency_available),
    minOrderAmount: Number(r.min_order_amount),
    introduction: (r.introduction as string | null) ?? null,
    workImages: fromJson<number[]>(r.work_images, []),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export interface NewElectrician {
  userId: number;
  realName: string;
  idCardEnc: string;
  idCardHash: string;
  idCardLast4: string;
  certificateNumber: string;
  certificateType: CertificateType;
  certificateImages: number[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  introduction?: string | null;
}

export interface ElectricianPatch {
  workStatus?: WorkStatus;
  emergencyAvailable?: boolean;
  minOrderAmount?: number;
  serviceAreas?: string[];
  specialties?: string[];
  introduction?: string | null;
  latitude?: number;
  longitude?: number;
  locationUpdatedAt?: Date;
}

export function patchColumns(p: ElectricianPatch): Row {
  const row: Row = {};
  if (p.workStatus !== undefined) row.work_status = p.workStatus;
  if (p.emergencyAvailable !== undefined) row.emergency_available = p.emergencyAvailable;
  if (p.minOrderAmount !== undefined) row.min_order_amount = p.minOrderAmount;
  if (p.serviceAreas !== undefined) row.service_areas = JSON.stringify(p.serviceAreas);
  if (p.specialties !== undefined) row.specialties = JSON.stringify(p.specialties);
  if (p.introduction !== undefined) row.introduction = p.introduction;
  if (p.latitude !== undefined) row.current_latitude = p.latitude;
  if (p.longitude !== undefined) row.current_longitude = p.longitude;
  if (p.locationUpdatedAt !== undefined) row.location_updated_at = p.locationUpdatedAt;
  return row;
}

/** The columns an application writes, fresh or again after a rejection: it goes back to pending. */
export function applicationColumns(e: Omit<NewElectrician, 'userId'>): Row {
  return {
    real_name: e.realName,
    id_card_enc: e.idCardEnc,
    id_card_hash: e.idCardHash,
    id_card_last4: e.idCardLast4,
    certificate_number: e.certificateNumber,
    certificate_type: e.certificateType,
    certificate_images: JSON.stringify(e.certificateImages),
    experience_years: e.experienceYears,
    specialties: JSON.stringify(e.specialties),
    service_areas: JSON.stringify(e.serviceAreas),
    introduction: e.introduction ?? null,
    work_status: 'offline',
    verification_status: 'pending',
  };
}

export interface VerificationDecision {
  approved: boolean;
  note: string | null;
  actorId: number;
}

/** An electrician with the account behind it, as staff see it. */
export interface ElectricianWithUser extends Electrician {
  user: { id: number; nickname: string | null; name: string | null; phone: string | null } & AvatarSource;
}

export function withUser(e: Electrician, account: UserProfile | undefined): ElectricianWithUser {
  return {
    ...e,
    user: {
      id: e.userId,
      nickname: account?.nickname ?? null,
      name: account?.name ?? null,
      phone: account?.phone ?? null,
      ...(account ? { avatar: account.avatar, avatarUploadId: account.avatarUploadId } : NO_AVATAR),
    },
  };
}

/** What an order's electrician card is made of (the orders module masks the name and signs the avatar). */
export interface ElectricianCardSource extends AvatarSource {
  id: number;
  realName: string;
  rating: number;
  completedOrders: number;
  phone: string | null;
}
