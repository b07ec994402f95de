import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import type { PaymentRow, RefundRow } from '../payments';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD');
const instant = z.iso.datetime({ offset: true }).pipe(z.coerce.date());

export const paymentsQuery = paginationQuery.extend({
  status: z.enum(['pending', 'paid', 'closed', 'failed', 'refunded', 'partial_refund']).optional(),
  settlementStatus: z.enum(['pending', 'settled']).optional(),
  orderId: z.coerce.number().int().positive().optional(),
  keyword: z.string().trim().min(1).max(64).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

export const refundsQuery = paginationQuery.extend({
  status: z.enum(['processing', 'success', 'abnormal', 'closed']).optional(),
  orderId: z.coerce.number().int().positive().optional(),
  keyword: z.string().trim().min(1).max(64).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

/** At most a quarter per report: the report is computed on request. */
export const MAX_RECONCILIATION_DAYS = 92;
export const reconciliationQuery = z
  .object({ from: day, to: day, format: z.enum(['json', 'csv']).default('json') })
  .refine((q) => !Number.isNaN(Date.parse(q.from)) && !Number.isNaN(Date.parse(q.to)), { message: '日期无效', path: ['from'] })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < MAX_RECONCILIATION_DAYS * 86_400_000, {
    message: `对账区间最长 ${MAX_RECONCILIATION_DAYS} 天`,
    path: ['to'],
  });

export const orderIdParams = z.object({ id: z.coerce.number().int().positive() });

export const paymentView = z
  .object({
    id: z.number(),
    paymentNo: z.string(),
    orderId: z.number(),
    orderNo: z.string(),
    electricianId: z.number().nullable(),
    amount: z.number(),
    platformFee: z.number(),
    electricianAmount: z.number(),
    status: z.string(),
    refundAmount: z.number(),
    transactionId: z.string().nullable(),
    paidAt: z.string().nullable(),
    settlementStatus: z.string(),
    settleAfter: z.string().nullable(),
    settledAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminPayment' });

export const refundRowView = z
  .object({
    id: z.number(),
    outRefundNo: z.string(),
    paymentId: z.number(),
    paymentNo: z.string(),
    orderId: z.number(),
    orderNo: z.string(),
    amount: z.number(),
    electricianAmount: z.number(),
    reason: z.string().nullable(),
    status: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminRefund' });

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const toPaymentView = (p: PaymentRow): z.infer<typeof paymentView> => ({
  ...p,
  paidAt: iso(p.paidAt),
  settleAfter: iso(p.settleAfter),
  settledAt: iso(p.settledAt),
  createdAt: p.createdAt.toISOString(),
});
export const toRefundView = (r: RefundRow): z.infer<typeof refundRowView> => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const share = z.object({ count: z.number(), electricianAmount: z.number() });
export const settlementsView = z.object({ pending: share, settled: share, dueNow: z.number() }).meta({ id: 'Settlements' });
