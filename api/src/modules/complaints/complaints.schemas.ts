import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';

export const COMPLAINT_TYPES = ['quality', 'service', 'price', 'other'] as const;
export type ComplaintType = (typeof COMPLAINT_TYPES)[number];
export const COMPLAINT_LEVELS = ['normal', 'serious', 'critical'] as const;
export type ComplaintLevel = (typeof COMPLAINT_LEVELS)[number];
export const COMPLAINT_STATUSES = ['open', 'processing', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_OUTCOMES = ['rework', 'refund', 'compensate', 'reject'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];
export const COMPLAINT_ACTIONS = ['open', 'message', 'reply', 'escalate', 'resolve'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const uploadIds = z.array(z.number().int().positive()).max(9);

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const openComplaintBody = z.strictObject({
  type: z.enum(COMPLAINT_TYPES),
  content: text(5, 1000),
  images: uploadIds.optional(),
});

export const messageBody = z.strictObject({
  content: text(1, 1000),
  images: uploadIds.optional(),
});

export const replyBody = z.strictObject({ content: text(1, 1000) });
export const escalateBody = z.strictObject({ reason: text(1, 500) });

export const resolveBody = z
  .strictObject({
    outcome: z.enum(COMPLAINT_OUTCOMES),
    refundAmount: z.number().int().min(1).max(10_000_000).optional(),
    note: text(1, 1000),
  })
  .superRefine((b, ctx) => {
    if (b.outcome === 'refund' && b.refundAmount === undefined)
      ctx.addIssue({ code: 'custom', path: ['refundAmount'], message: '退款处理需要填写退款金额' });
    if (b.outcome !== 'refund' && b.refundAmount !== undefined)
      ctx.addIssue({ code: 'custom', path: ['refundAmount'], message: '只有退款处理可以填写退款金额' });
  });
export type ResolveBody = z.infer<typeof resolveBody>;

export const myComplaintsQuery = paginationQuery.extend({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  /** An electrician who also orders for their own home passes `as=customer`. */
  as: z.enum(['customer', 'electrician']).optional(),
});

export const adminComplaintsQuery = paginationQuery.extend({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  level: z.enum(COMPLAINT_LEVELS).optional(),
  type: z.enum(COMPLAINT_TYPES).optional(),
  keyword: text(1, 50).optional(),
});

const imageRef = z.object({ id: z.number().int(), url: z.string() });

export const complaintEventView = z.object({
  id: z.number().int(),
  action: z.enum(COMPLAINT_ACTIONS),
  fromStatus: z.enum(COMPLAINT_STATUSES).nullable(),
  toStatus: z.enum(COMPLAINT_STATUSES),
  level: z.enum(COMPLAINT_LEVELS),
  actorId: z.number().int().nullable(),
  actorRole: z.enum(['customer', 'admin', 'system']),
  content: z.string().nullable(),
  images: z.array(imageRef),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const complaintView = z
  .object({
    id: z.number().int(),
    orderId: z.number().int(),
    orderNo: z.string(),
    customerId: z.number().int(),
    electricianId: z.number().int().nullable(),
    type: z.enum(COMPLAINT_TYPES),
    content: z.string(),
    images: z.array(imageRef),
    level: z.enum(COMPLAINT_LEVELS),
    status: z.enum(COMPLAINT_STATUSES),
    outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
    refundAmount: z.number().int().nullable().meta({ description: 'fen' }),
    refundNo: z.string().nullable(),
    resolutionNote: z.string().nullable(),
    firstResponseAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    events: z.array(complaintEventView).optional().meta({ description: 'the history, oldest first (detail only)' }),
  })
  .meta({ id: 'Complaint' });
