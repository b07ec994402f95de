import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';

/** The fixed tag list a reviewer picks from; the mini-program reads it from GET /api/reviews/tags. */
export const REVIEW_TAGS = ['准时上门', '技术专业', '态度热情', '收费合理', '干净整洁', '沟通顺畅', '维修彻底'] as const;
export type ReviewTag = (typeof REVIEW_TAGS)[number];

export const MAX_REVIEW_CONTENT = 500;
export const MAX_REVIEW_IMAGES = 9;

const id = z.coerce.number().int().positive();
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const rating = z.number().int().min(1).max(5);
const distinct = <T>(items: T[]) => new Set(items).size === items.length;

export const reviewIdParams = z.object({ id });
export const orderIdParams = z.object({ id });
export const electricianIdParams = z.object({ id });

export const createReviewBody = z.strictObject({
  serviceRating: rating,
  qualityRating: rating,
  speedRating: rating,
  content: text(1, MAX_REVIEW_CONTENT).optional(),
  tags: z.array(z.enum(REVIEW_TAGS)).max(REVIEW_TAGS.length).refine(distinct, { message: 'tags must not repeat' }).default([]),
  images: z
    .array(z.number().int().positive())
    .max(MAX_REVIEW_IMAGES)
    .refine(distinct, { message: 'images must not repeat' })
    .default([]),
  isAnonymous: z.boolean().default(false),
});
export type CreateReviewBody = z.infer<typeof createReviewBody>;

export const replyBody = z.strictObject({ content: text(1, MAX_REVIEW_CONTENT) });
export const reactionBody = z.strictObject({ reason: text(1, 200).optional() });
export const hideBody = z.strictObject({ reason: text(2, 200) });

export const reviewsQuery = paginationQuery;
export const adminReviewsQuery = paginationQuery.extend({
  status: z.enum(['normal', 'hidden']).optional(),
  electricianId: id.optional(),
  reportedOnly: z.stringbool().optional(),
});
export type AdminReviewsQuery = z.infer<typeof adminReviewsQuery>;

/**
 * A review as shown. `reviewer` is masked for everyone but the reviewer and staff: 匿名用户 with no
 * avatar when anonymous, else the masked nickname; `userId` only for the reviewer and staff.
 */
export const reviewView = z
  .object({
    id: z.number(),
    orderId: z.number(),
    electricianId: z.number(),
    reviewer: z.object({ userId: z.number().nullable(), nickname: z.string(), avatarUrl: z.string().nullable() }),
    isAnonymous: z.boolean(),
    serviceRating: z.number().int(),
    qualityRating: z.number().int(),
    speedRating: z.number().int(),
    overallRating: z.number(),
    content: z.string().nullable(),
    tags: z.array(z.enum(REVIEW_TAGS)),
    images: z.array(z.object({ id: z.number(), url: z.string() })),
    reply: z.object({ content: z.string(), repliedAt: z.string() }).nullable(),
    helpfulCount: z.number().int(),
    reportCount: z.number().int(),
    status: z.enum(['normal', 'hidden']),
    /** Staff only. */
    hiddenReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Review' });
export type ReviewView = z.infer<typeof reviewView>;

export const reactionView = z.object({
  reviewId: z.number(),
  kind: z.enum(['helpful', 'report']),
  /** False when this user had already marked the review (a repeat changes nothing). */
  created: z.boolean(),
  helpfulCount: z.number().int(),
  reportCount: z.number().int(),
});

export const tagsView = z.array(z.enum(REVIEW_TAGS));
