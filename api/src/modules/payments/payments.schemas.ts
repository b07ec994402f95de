import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';

export const createPaymentBody = z.strictObject({
  orderId: z.number().int().positive(),
  /** What the client shows; must equal the server's amount or the request is refused. */
  amount: z.number().int().min(0).max(10_000_000).optional(),
});

export const paymentNoParams = z.object({ paymentNo: z.string().regex(/^P\d{23}$/, '支付单号格式不正确') });

export const paymentParamsView = z.object({
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});

export const createdPaymentView = z.object({ paymentNo: z.string(), amount: z.number().int(), paymentParams: paymentParamsView });

export const paymentView = z.object({
  paymentNo: z.string(),
  orderId: z.number().int(),
  amount: z.number().int(),
  status: z.enum(['pending', 'paid', 'closed', 'failed', 'refunded', 'partial_refund']),
  transactionId: z.string().nullable(),
  expireTime: z.string(),
  paidAt: z.string().nullable(),
  createdAt: z.string(),
});

export const orderIdParams = z.object({ id: z.coerce.number().int().positive() });

export const refundBody = z.strictObject({
  amount: z.number().int().min(1).max(10_000_000),
  reason: z.string().trim().min(1).max(200),
});

export const refundView = z.object({
  refundNo: z.string(),
  orderId: z.number().int(),
  paymentNo: z.string(),
  amount: z.number().int(),
  status: z.enum(['processing', 'success', 'abnormal', 'closed']),
});

export const earningsQuery = paginationQuery;

export const earningsView = z.object({
  today: z
    .object({
      date: z.string().meta({ description: 'The calendar day in China Standard Time (YYYY-MM-DD)' }),
      income: z.number().int().meta({ description: "Fen: the shares of today's payments, net of refunds" }),
      accepted: z.number().int().meta({ description: 'Orders grabbed or accepted today that are still mine' }),
    })
    .meta({ description: "The workspace header's figures for today" }),
  totalEarnings: z.number().int().meta({ description: 'Fen: the running total credited to the electrician' }),
  pendingSettlement: z.number().int(),
  settled: z.number().int(),
  items: z.array(
    z.object({
      paymentNo: z.string(),
      orderId: z.number().int(),
      orderNo: z.string(),
      amount: z.number().int(),
      platformFee: z.number().int(),
      electricianAmount: z.number().int().meta({ description: 'Fen, net of what refunds took back' }),
      refundedFromShare: z.number().int(),
      status: z.string(),
      settlementStatus: z.enum(['pending', 'settled']),
      paidAt: z.string().nullable(),
      settleAfter: z.string().nullable(),
      settledAt: z.string().nullable(),
    }),
  ),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
});
