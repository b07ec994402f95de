import { randomInt } from 'node:crypto';
import type { Config } from '../../../config';
import type { Db } from '../../../db';
import type { WechatPay } from '../../../integrations/wechatpay/wechatpay';
import { MINUTE, type Clock } from '../../../shared/clock';
import type { Actor, DomainBus } from '../../../shared/domain-events';
import { notFound } from '../../../shared/errors';
import type { Idempotency } from '../../../shared/idempotency';
import type { Logger } from '../../../shared/logger';
import type { ComplaintsPorts } from '../../complaints';
import type { ElectricianReader } from '../../electricians';
import type { SharesReads } from '../../payments';
import type { WithdrawalChanged } from '../payouts.events';
import type { LedgerRow, PayoutsRepository, Withdrawal } from '../payouts.repository';
import type { WithdrawalStatus } from '../payouts.schemas';

export interface PayoutsDeps {
  db: Db;
  payouts: PayoutsRepository;
  /** The caller's electrician profile (electricians owns it). */
  electricians: ElectricianReader;
  /** The orders of the electrician with an open complaint: their earnings are held back. */
  complaints: Pick<ComplaintsPorts, 'openOrderIdsOf'>;
  /** The shares still waiting for settlement (payments owns them). */
  shares: Pick<SharesReads, 'pendingShare'>;
  wxpay: WechatPay;
  idempotency: Idempotency;
  bus: DomainBus;
  clock: Clock;
  rules: Config['payouts'];
  logger: Logger;
}

/** How many withdrawals a job run takes on; how many ledger rows the wallet shows. */
export const JOB_BATCH = 50;
export const WALLET_LEDGER_ROWS = 20;
/** A bill left in `approved` this long had its creation interrupted; one waiting this long is asked about. */
export const LATE_MS = MINUTE;
export const SYSTEM: Actor = { id: null, role: 'system' };

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
export const withdrawalNotFound = () => notFound('提现单不存在');

/** A withdrawal number (WeChat Pay's out_bill_no): W, the UTC time to the second, 9 random digits. */
export const newWithdrawalNo = (now: Date) =>
  `W${now.toISOString().replace(/\D/g, '').slice(0, 14)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;

/** Rolls a transaction back when its ledger row already exists: what it would do has been done. */
export class AlreadyDone extends Error {}

/** The step of a withdrawal, as the bus publishes it (the electrician is notified). */
export const withdrawalEvent = (
  w: Withdrawal,
  status: WithdrawalStatus,
  cause: WithdrawalChanged['cause'],
  reason: string | null,
  actor: Actor,
  at: Date,
) =>
  ({
    name: 'withdrawal.changed',
    withdrawalNo: w.withdrawalNo,
    electricianUserId: w.userId,
    amount: w.amount,
    status,
    reason,
    cause,
    actor,
    at,
  }) satisfies WithdrawalChanged;

/** What clients see of withdrawals and ledger rows (the bill's package with the ids wx.requestMerchantTransfer needs). */
export function createViews(wxpay: Pick<WechatPay, 'mchid' | 'appid'>) {
  const withdrawalView = (w: Withdrawal) => ({
    withdrawalNo: w.withdrawalNo,
    amount: w.amount,
    status: w.status,
    ...(w.reason ? { reason: w.reason } : {}),
    ...(w.status === 'wait_user_confirm' && w.packageInfo
      ? { packageInfo: w.packageInfo, mchId: wxpay.mchid, appId: wxpay.appid }
      : {}),
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  });

  const adminView = (w: Withdrawal) => ({
    ...withdrawalView(w),
    electricianId: w.electricianId,
    transferBillNo: w.transferBillNo,
    billState: w.billState,
    reviewedBy: w.reviewedBy,
    reviewedAt: w.reviewedAt?.toISOString() ?? null,
  });

  const ledgerView = (r: LedgerRow) => ({
    id: r.id,
    type: r.type,
    amount: r.amount,
    ...(r.withdrawalNo ? { withdrawalNo: r.withdrawalNo } : {}),
    ...(r.orderId !== null ? { orderId: r.orderId } : {}),
    createdAt: r.createdAt.toISOString(),
  });

  return { withdrawalView, adminView, ledgerView };
}

export type Views = ReturnType<typeof createViews>;
