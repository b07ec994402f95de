import { query, request, requestPage, type PageResult } from './request';
import type { Review } from './reviews';

export type CertificateType = 'low_voltage' | 'high_voltage' | 'special';
export type WorkStatus = 'available' | 'busy' | 'offline';
export type VerificationStatus = 'pending' | 'approved' | 'rejected';

export interface FileRef {
  id: number;
  url: string;
  mime: string;
  width: number | null;
  height: number | null;
}

/** GET /api/electricians/me: the owner's view (ID card masked). Money in fen. */
export interface Electrician {
  id: number;
  userId: number;
  realName: string;
  idCard: string;
  certificateNumber: string;
  certificateType: CertificateType;
  certificateImages: FileRef[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  introduction: string | null;
  workImages: FileRef[];
  workStatus: WorkStatus;
  verificationStatus: VerificationStatus;
  verificationNote: string | null;
  verifiedAt: string | null;
  emergencyAvailable: boolean;
  minOrderAmount: number;
  latitude: number | null;
  longitude: number | null;
  locationUpdatedAt: string | null;
  rating: number;
  ratingCount: number;
  activeOrders: number;
  completedOrders: number;
  totalOrders: number;
  releasedOrders: number;
  totalEarnings: number;
  createdAt: string;
  updatedAt: string;
}

export interface ApplyBody {
  realName: string;
  idCard: string;
  certificateNumber: string;
  certificateType: CertificateType;
  certificateImages: number[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  introduction?: string;
}

export interface UpdateMeBody {
  workStatus?: WorkStatus;
  emergencyAvailable?: boolean;
  minOrderAmount?: number;
  serviceAreas?: string[];
  specialties?: string[];
  introduction?: string | null;
  latitude?: number;
  longitude?: number;
}

export interface EarningItem {
  paymentNo: string;
  orderId: number;
  orderNo: string;
  amount: number;
  platformFee: number;
  electricianAmount: number;
  refundedFromShare: number;
  status: string;
  settlementStatus: 'pending' | 'settled';
  paidAt: string | null;
  settleAfter: string | null;
  settledAt: string | null;
}

export interface Earnings {
  totalEarnings: number;
  pendingSettlement: number;
  settled: number;
  items: EarningItem[];
  page: number;
  limit: number;
  total: number;
}

export const CERTIFICATE_TYPE_TEXT: Record<CertificateType, string> = {
  low_voltage: '低压电工证',
  high_voltage: '高压电工证',
  special: '特种作业操作证',
};

export const VERIFICATION_TEXT: Record<VerificationStatus, string> = {
  pending: '审核中',
  approved: '已认证',
  rejected: '未通过',
};

export const WORK_STATUS_TEXT: Record<WorkStatus, string> = {
  available: '接单中',
  busy: '忙碌',
  offline: '休息',
};

export function applyAsElectrician(body: ApplyBody): Promise<Electrician> {
  return request<Electrician>({ url: '/api/electricians/apply', method: 'POST', data: { ...body } });
}

/** 404 NOT_FOUND before applying (pass silent to handle that quietly). */
export function myElectricianProfile(opts: { silent?: boolean } = {}): Promise<Electrician> {
  return request<Electrician>({ url: '/api/electricians/me', silent: opts.silent });
}

export function updateMyElectricianProfile(patch: UpdateMeBody): Promise<Electrician> {
  // PUT: the API's alias of PATCH /api/electricians/me, as wx.request cannot send PATCH.
  return request<Electrician>({ url: '/api/electricians/me', method: 'PUT', data: { ...patch } });
}

export function myEarnings(page = 1, limit = 10): Promise<Earnings> {
  return request<Earnings>({ url: `/api/electricians/me/earnings${query({ page, limit })}` });
}

export function electricianReviews(electricianId: number, page = 1, limit = 10): Promise<PageResult<Review>> {
  return requestPage<Review>({ url: `/api/electricians/${electricianId}/reviews${query({ page, limit })}` });
}

export function replyToReview(reviewId: number, content: string): Promise<Review> {
  return request<Review>({ url: `/api/reviews/${reviewId}/reply`, method: 'POST', data: { content } });
}
