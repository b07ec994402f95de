import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';

export const WITHDRAWAL_STATUSES = ['reviewing', 'approved', 'wait_user_confirm', 'succeeded', 'failed', 'cancelled'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];
/** Not final yet: the money is held (withdrawing). */
export const PENDING_STATUSES: readonly WithdrawalStatus[] = ['reviewing', 'approved', 'wait_user_confirm'];

export const LEDGER_TYPES = ['settlement_credit', 'withdraw_hold', 'withdraw_release', 'withdraw_complete'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export const withdrawalNoParams = z.object({ withdrawalNo: z.string().regex(/^W\d{23}$/, '提现单号格式不正确') });

export const withdrawBody = z.strictObject({
  /** fen */
  amount: z.number().int().positive().max(100_000_000),
});

export const myWithdrawalsQuery = paginationQuery;

export const adminWithdrawalsQuery = paginationQuery.extend({
  status: z.enum(WITHDRAWAL_STATUSES).optional(),
  electricianId: z.coerce.number().int().positive().optional(),
});

export const rejectBody = z.strictObject({ reason: z.string().trim().min(2).max(200) });

export const devConfirmBody = z.strictObject({ result: z.enum(['SUCCESS', 'FAIL']).default('SUCCESS') });

export const ledgerRowView = z
  .object({
    id: z.number().int(),
    type: z.enum(LEDGER_TYPES),
    amount: z.number().int().meta({ description: 'fen, signed: what the row did to the money held on the platform' }),
    withdrawalNo: z.string().optional(),
    orderId: z.number().int().optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'WalletLedgerRow' });

export const walletView = z
  .object({
    available: z.number().int().meta({ description: 'fen: settled and not withdrawn' }),
    withdrawable: z.number().int().meta({ description: 'fen: available minus earnings of orders with an open complaint' }),
    heldByComplaints: z.number().int(),
    pendingSettlement: z.number().int(),
    withdrawing: z.number().int(),
    withdrawn: z.number().int(),
    rules: z.object({
      minFen: z.number().int(),
      dailyMaxFen: z.number().int(),
      reviewFen: z.number().int(),
      confirmHours: z
        .number()
        .int()
        .meta({ description: 'hours the electrician has to confirm a transfer before it is cancelled' }),
      todayLeftFen: z.number().int().meta({ description: 'fen the daily cap still allows today (Beijing day)' }),
    }),
    ledger: z.array(ledgerRowView),
  })
  .meta({ id: 'Wallet' });

export const withdrawalView = z
  .object({
    withdrawalNo: z.string(),
    amount: z.number().int(),
    status: z.enum(WITHDRAWAL_STATUSES),
    reason: z.string().optional(),
    packageInfo: z.string().optional().meta({ description: 'for wx.requestMerchantTransfer while wait_user_confirm' }),
    mchId: z.string().optional(),
    appId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Withdrawal' });

export const adminWithdrawalRowView = withdrawalView
  .extend({
    electricianId: z.number().int(),
    electricianName: z.string(),
    transferBillNo: z.string().nullable(),
    billState: z.string().nullable(),
    reviewedBy: z.number().int().nullable(),
    reviewedAt: z.string().nullable(),
  })
  .meta({ id: 'AdminWithdrawalRow' });

export const adminWithdrawalView = withdrawalView
  .extend({
    electricianId: z.number().int(),
    transferBillNo: z.string().nullable(),
    billState: z.string().nullable(),
    reviewedBy: z.number().int().nullable(),
    reviewedAt: z.string().nullable(),
  })
  .meta({ id: 'AdminWithdrawal' });

/** The `Idempotency-Key` header a withdrawal must carry (a retry with the same key answers the first withdrawal). */
export const idempotencyHeader = z
  .string()
  .trim()
  .min(8)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/);
