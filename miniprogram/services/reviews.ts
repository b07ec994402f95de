import { request } from './request';

export interface CreateReviewBody {
  serviceRating: number;
  qualityRating: number;
  speedRating: number;
  content?: string;
  tags?: string[];
  images?: number[];
  isAnonymous?: boolean;
}

export interface Review {
  id: number;
  orderId: number;
  electricianId: number;
  reviewer: { userId: number | null; nickname: string; avatarUrl: string | null };
  isAnonymous: boolean;
  serviceRating: number;
  qualityRating: number;
  speedRating: number;
  overallRating: number;
  content: string | null;
  tags: string[];
  images: { id: number; url: string }[];
  reply: { content: string; repliedAt: string } | null;
  helpfulCount: number;
  reportCount: number;
  status: 'normal' | 'hidden';
  createdAt: string;
}

export function reviewTags(): Promise<string[]> {
  return request<string[]>({ url: '/api/reviews/tags', auth: false });
}

export function createReview(orderId: number, body: CreateReviewBody): Promise<Review> {
  return request<Review>({ url: `/api/orders/${orderId}/review`, method: 'POST', data: { ...body } });
}

/** The order's review; 404 NOT_FOUND when there is none yet (pass silent to handle that quietly). */
export function orderReview(orderId: number, opts: { silent?: boolean } = {}): Promise<Review> {
  return request<Review>({ url: `/api/orders/${orderId}/review`, silent: opts.silent });
}
