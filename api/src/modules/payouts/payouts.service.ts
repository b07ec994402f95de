import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../config';
import { isDeadlock, type Db } from '../../db';
import {
  FINAL_TRANSFER_STATES,
  type DevWechatPay,
  type EncryptedResource,
  type NotifyHeaders,
  type TransferBill,
  type WechatPay,
} from '../../integrations/wechatpay/wechatpay';
import type { Principal } from '../../shared/auth';
import { chinaDay, HOUR, MINUTE, type Clock } from '../../shared/clock';
import type { Actor, DomainBus } from '../../shared/domain-events';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import type { Idempotency } from '../../shared/idempotency';
import type { Logger } from '../../shared/logger';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { hasPermission } from '../../shared/permissions';
import type { ComplaintsPorts } from '../complaints';
import type { ElectricianReader } from '../electricians';
import type { PaymentSettled, SharesReads } from '../payments';
import type { WithdrawalChanged } from './payouts.events';
import type { LedgerRow, PayoutsRepository, Withdrawal } from './payouts.repository';
import { PENDING_STATUSES, type WithdrawalStatus } from './payouts.schemas';

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
const JOB_BATCH = 50;
const WALLET_LEDGER_ROWS = 20;
/** A bill left in `approved` this long had its creation interrupted; one waiting this long is asked about. */
const LATE_MS = MINUTE;
const TRANSFER_REMARK = '电工维修服务收入提现';
const CANCELLABLE_STATES: ReadonlySet<string> = new Set(['ACCEPTED', 'WAIT_USER_CONFIRM', 'CANCELING']);
const SYSTEM: Actor = { id: null, role: 'system' };

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const notifyMismatch = (message: string) => badRequest('NOTIFY_MISMATCH', message);
const invalidSignature = (message = '转账通知签名校验失败') => new AppError('INVALID_SIGNATURE', 401, message);
const withdrawalNotFound = () => notFound('提现单不存在');

/** A withdrawal number (WeChat Pay's out_bill_no): W, the UTC time to the second, 9 random digits. */
export const newWithdrawalNo = (now: Date) =>
  `W${now.toISOString().replace(/\D/g, '').slice(0, 14)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;

/** Rolls a transaction back when its ledger row already exists: what it would do has been done. */
class AlreadyDone extends Error {}

export function createPayoutsService(d: PayoutsDeps) {
  const { db, payouts, wxpay, clock, logger, rules, bus } = d;

  /** The caller's electrician profile; only an approved electrician has a wallet. */
  async function electricianOf(p: Principal) {
    const e = await d.electricians.findByUserId(p.id);
    if (!e || e.verificationStatus !== 'approved') throw forbidden('认证通过的电工才能提现', 'NOT_ELIGIBLE');
    return e;
  }

  /** Settled earnings of orders with an open complaint: in the wallet but not withdrawable until it is closed. */
  async function heldByComplaints(electricianId: number): Promise<number> {
    return payouts.creditedFor(electricianId, await d.complaints.openOrderIdsOf(electricianId));
  }

  const event = (
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

  /**
   * Ends a pending withdrawal exactly once: the conditional update from `from` decides, and in the
   * same transaction the held money moves — to `withdrawn` when it succeeded, back to `available`
   * otherwise — with its ledger row. False when it had already ended (a duplicate or late result).
   */
  async function finish(
    w: Withdrawal,
    status: 'succeeded' | 'failed' | 'cancelled',
    o: {
      from: readonly WithdrawalStatus[];
      reason: string | null;
      cause: WithdrawalChanged['cause'];
      actor: Actor;
      billState?: string;
      reviewedBy?: number;
    },
  ): Promise<boolean> {
    const now = clock.now();
    try {
      return await db.transaction(async (trx) => {
        await payouts.lockBalance(w.electricianId, trx);
        const won = await payouts.updateWhere(
          w.id,
          o.from,
          {
            status,
            reason: o.reason,
            billState: o.billState,
            reviewedBy: o.reviewedBy,
            reviewedAt: o.reviewedBy === undefined ? undefined : now,
            updatedAt: now,
          },
          trx,
        );
        if (!won) return false;
        const succeeded = status === 'succeeded';
        const moved = await payouts.move(
          w.electricianId,
          succeeded ? { withdrawing: -w.amount, withdrawn: w.amount } : { withdrawing: -w.amount, available: w.amount },
          now,
          trx,
        );
        // The hold put the amount in `withdrawing` in the withdrawal's own transaction: it is there.
        if (!moved) throw new Error(`wallet of electrician ${w.electricianId} holds less than withdrawal ${w.withdrawalNo}`);
        const written = await payouts.insertLedger(
          {
            electricianId: w.electricianId,
            type: succeeded ? 'withdraw_complete' : 'withdraw_release',
            amount: succeeded ? -w.amount : w.amount,
            withdrawalId: w.id,
          },
          now,
          trx,
        );
        if (!written) throw new AlreadyDone();
        await bus.stage(trx, event(w, status, o.cause, o.reason, o.actor, now));
        return true;
      });
    } catch (err) {
      if (err instanceof AlreadyDone) return false;
      throw err;
    }
  }

  /**
   * Applies what WeChat Pay says of a bill (create or query answer, notify): waiting for the
   * electrician's confirmation, or final. Every change is conditional on the withdrawal's status,
   * so duplicates and results arriving out of order change nothing.
   */
  async function applyBill(
    w: Withdrawal,
    bill: TransferBill,
    source: 'create' | 'query' | 'notify' | 'cancel',
  ): Promise<boolean> {
    if (bill.transfer_amount !== undefined && bill.transfer_amount !== w.amount) {
      logger.error(
        { withdrawalNo: w.withdrawalNo, expected: w.amount, got: bill.transfer_amount, source },
        'transfer amount differs',
      );
      throw badRequest('AMOUNT_MISMATCH', '转账金额不一致');
    }
    const now = clock.now();
    const from: readonly WithdrawalStatus[] = ['approved', 'wait_user_confirm'];
    switch (bill.state) {
      case 'SUCCESS':
        return finish(w, 'succeeded', { from, reason: null, cause: 'transfer', actor: SYSTEM, billState: bill.state });
      case 'FAIL':
        return finish(w, 'failed', {
          from,
          reason: bill.fail_reason ?? '转账失败',
          cause: 'transfer',
          actor: SYSTEM,
          billState: bill.state,
        });
      case 'CANCELLED': {
        // Cancelled by the expiry job (now or by a cancel that was still CANCELING then), or by WeChat Pay.
        const expired =
          source === 'cancel' ||
          (w.billCreatedAt !== null && w.billCreatedAt.getTime() + rules.confirmHours * HOUR <= now.getTime());
        return finish(w, 'cancelled', {
          from,
          reason: expired ? '超时未确认收款' : '转账已撤销',
          cause: expired ? 'expired' : 'transfer',
          actor: SYSTEM,
          billState: bill.state,
        });
      }
      case 'WAIT_USER_CONFIRM':
        if (w.status === 'approved' && bill.package_info) {
          return db.transaction(async (trx) => {
            const won = await payouts.updateWhere(
              w.id,
              ['approved'],
              {
                status: 'wait_user_confirm',
                packageInfo: bill.package_info,
                transferBillNo: bill.transfer_bill_no ?? null,
                billState: bill.state,
                billCreatedAt: now,
                updatedAt: now,
              },
              trx,
            );
            if (won)
              await bus.stage(
                trx,
                event(w, 'wait_user_confirm', w.reviewedBy !== null ? 'approved' : 'transfer', null, SYSTEM, now),
              );
            return won;
          });
        }
        break;
      default:
        break;
    }
    // Not final (accepted, processing, transferring, canceling): remember what WeChat Pay said; a
    // bill that waits is looked at again later (updated_at moves it to the back of the job's queue).
    await payouts.updateWhere(w.id, ['approved', 'wait_user_confirm'], {
      billState: bill.state,
      transferBillNo: bill.transfer_bill_no ?? w.transferBillNo,
      updatedAt: now,
    });
    return false;
  }

  /**
   * Creates the withdrawal's transfer bill (an approved withdrawal): WeChat Pay answers the existing
   * bill for the same out_bill_no, so a retry never pays twice. A refusal fails the withdrawal (its
   * money comes back); WeChat Pay being unreachable leaves it approved for the job to retry.
   */
  async function openBill(w: Withdrawal): Promise<Withdrawal> {
    try {
      const bill = await wxpay.createTransferBill({
        outBillNo: w.withdrawalNo,
        openid: w.openid,
        amount: w.amount,
        remark: TRANSFER_REMARK,
        sceneId: rules.transferSceneId,
        notifyUrl: rules.transferNotifyUrl,
      });
      await applyBill(w, bill, 'create');
    } catch (err) {
      if (err instanceof AppError && err.code === 'TRANSFER_REFUSED') {
        const code = String((err.details?.[0] as { message?: string } | undefined)?.message ?? 'REFUSED');
        await finish(w, 'failed', {
          from: ['approved'],
          reason: `微信支付拒绝转账（${code}）`,
          cause: 'transfer',
          actor: SYSTEM,
        });
      } else {
        logger.warn({ err, withdrawalNo: w.withdrawalNo }, 'transfer bill creation failed; the job retries');
        await payouts.updateWhere(w.id, ['approved'], { retryCount: w.retryCount + 1, updatedAt: clock.now() });
      }
    }
    return (await payouts.findById(w.id))!;
  }

  /** Asks WeChat Pay about a pending bill and applies the answer (creating it when it never was). */
  async function refresh(w: Withdrawal): Promise<Withdrawal> {
    if (w.status === 'approved') {
      const bill = await wxpay.queryTransferBill(w.withdrawalNo);
      // Never created, or created but its answer (with the package, which a query does not carry) was
      // lost: creating it again with the same out_bill_no answers the same bill.
      if (!bill || (bill.state === 'WAIT_USER_CONFIRM' && !bill.package_info)) return openBill(w);
      await applyBill(w, bill, 'query');
    } else if (w.status === 'wait_user_confirm') {
      const bill = await wxpay.queryTransferBill(w.withdrawalNo);
      if (bill) await applyBill(w, bill, 'query');
    }
    return (await payouts.findById(w.id))!;
  }

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

  async function ownedOrStaff(p: Principal, withdrawalNo: string): Promise<Withdrawal> {
    const w = await payouts.findByNo(withdrawalNo);
    if (!w || (w.userId !== p.id && !hasPermission(p, 'finance.payouts'))) throw withdrawalNotFound();
    return w;
  }

  async function reviewing(withdrawalNo: string): Promise<Withdrawal> {
    const w = await payouts.findByNo(withdrawalNo);
    if (!w) throw withdrawalNotFound();
    if (w.status !== 'reviewing') throw conflict('INVALID_TRANSITION', '该提现不在审核中');
    return w;
  }

  async function handleTransferNotify(headers: NotifyHeaders, rawBody: string): Promise<void> {
    if (!wxpay.verifyNotify(headers, rawBody)) {
      logger.warn({ serial: headers['wechatpay-serial'] }, 'wechat pay transfer notify failed verification');
      throw invalidSignature();
    }
    let bill: TransferBill;
    try {
      const body = JSON.parse(rawBody) as { resource?: EncryptedResource };
      bill = JSON.parse(wxpay.decryptResource(body.resource!)) as TransferBill;
    } catch (err) {
      logger.warn({ err }, 'wechat pay transfer notify could not be decrypted');
      throw invalidSignature('转账通知解密失败');
    }
    if (bill.mch_id !== undefined && bill.mch_id !== wxpay.mchid) {
      logger.error({ mchId: bill.mch_id, outBillNo: bill.out_bill_no }, 'transfer notify for another merchant');
      throw notifyMismatch('商户号不匹配');
    }
    const w = await payouts.findByNo(String(bill.out_bill_no));
    if (!w) throw notifyMismatch('提现单不存在');
    logger.info({ withdrawalNo: w.withdrawalNo, state: bill.state }, 'wechat pay transfer notify');
    await applyBill(w, bill, 'notify');
  }

  return {
    /** GET /api/electricians/me/wallet */
    async wallet(p: Principal) {
      const e = await electricianOf(p);
      const [balance, pendingSettlement, held, ledger] = await Promise.all([
        payouts.balanceOf(e.id),
        d.shares.pendingShare(e.id),
        heldByComplaints(e.id),
        payouts.ledgerOf(e.id, WALLET_LEDGER_ROWS),
      ]);
      return {
        available: balance.available,
        withdrawable: Math.max(0, balance.available - held),
        heldByComplaints: Math.min(held, balance.available),
        pendingSettlement,
        withdrawing: balance.withdrawing,
        withdrawn: balance.withdrawn,
        rules: { minFen: rules.minFen, dailyMaxFen: rules.dailyMaxFen, reviewFen: rules.reviewFen },
        ledger: ledger.map(ledgerView),
      };
    },

    /**
     * POST /api/electricians/me/withdrawals: the money is taken from `available` (never below what
     * open complaints hold back) by a conditional update in the same transaction that records the
     * withdrawal, its ledger row and its idempotency key — concurrent requests cannot overdraw. Below
     * the review amount the transfer bill is created at once.
     */
    async withdraw(p: Principal, amount: number, idempotencyKey: string) {
      const e = await electricianOf(p);
      if (amount < rules.minFen) {
        throw badRequest('WITHDRAW_BELOW_MIN', `单笔提现金额不能低于 ${yuan(rules.minFen)}`, [
          { path: ['amount'], message: `min ${rules.minFen}` },
        ]);
      }
      if (amount > rules.dailyMaxFen) throw conflict('WITHDRAW_LIMIT', `每日提现金额不能超过 ${yuan(rules.dailyMaxFen)}`);
      const keep = await heldByComplaints(e.id);
      const status: WithdrawalStatus = amount >= rules.reviewFen ? 'reviewing' : 'approved';
      const { id } = await d.idempotency(
        { userId: p.id, scope: 'POST /api/electricians/me/withdrawals', key: idempotencyKey, body: { amount } },
        async (trx: Knex.Transaction) => {
          const now = clock.now();
          const held = await payouts.move(e.id, { available: -amount, withdrawing: amount }, now, trx, keep);
          if (!held) {
            const balance = await payouts.balanceOf(e.id, trx);
            throw new AppError('INSUFFICIENT_BALANCE', 409, '可提现余额不足', [
              { message: `available ${balance.available}, held by open complaints ${keep}` },
            ]);
          }
          // The balance row's lock is held: every earlier withdrawal of this electrician is counted.
          const today = await payouts.withdrawnSince(e.id, chinaDay(now).start, trx);
          if (today + amount > rules.dailyMaxFen) {
            throw new AppError('WITHDRAW_LIMIT', 409, `今日提现金额已达上限 ${yuan(rules.dailyMaxFen)}`, [
              { message: `withdrawn today ${today}` },
            ]);
          }
          const withdrawalNo = newWithdrawalNo(now);
          const wid = await payouts.insertWithdrawal(
            { withdrawalNo, electricianId: e.id, userId: p.id, openid: p.openid, amount, status, createdAt: now },
            trx,
          );
          await payouts.insertLedger(
            { electricianId: e.id, type: 'withdraw_hold', amount: -amount, withdrawalId: wid },
            now,
            trx,
          );
          if (status === 'reviewing') {
            const w = (await payouts.findById(wid, trx))!;
            await bus.stage(trx, event(w, 'reviewing', 'submitted', null, { id: p.id, role: 'electrician' }, now));
          }
          return wid;
        },
      );
      let w = (await payouts.findById(id))!;
      // A first request, or a retry of one whose bill could not be created then.
      if (w.status === 'approved') w = await openBill(w);
      return withdrawalView(w);
    },

    /** GET /api/electricians/me/withdrawals */
    async mine(p: Principal, q: PageQuery): Promise<Page<ReturnType<typeof withdrawalView>>> {
      const e = await electricianOf(p);
      const { items, total } = await payouts.list({ electricianId: e.id }, offsetOf(q), q.limit);
      return { items: items.map(withdrawalView), total, page: q.page, limit: q.limit };
    },

    /** GET /api/withdrawals/:withdrawalNo — asks WeChat Pay while the bill is pending (a failed ask answers what is known). */
    async get(p: Principal, withdrawalNo: string) {
      let w = await ownedOrStaff(p, withdrawalNo);
      try {
        w = await refresh(w);
      } catch (err) {
        logger.warn({ err, withdrawalNo }, 'transfer bill query failed');
      }
      return withdrawalView(w);
    },

    handleTransferNotify,

    /** POST /api/dev/withdrawals/:withdrawalNo/confirm (dev pay mode): the electrician confirms, or the transfer fails. */
    async devConfirm(dev: DevWechatPay, p: Principal, withdrawalNo: string, result: 'SUCCESS' | 'FAIL') {
      let w = await payouts.findByNo(withdrawalNo);
      if (!w || w.userId !== p.id) throw withdrawalNotFound();
      if (w.status === 'approved') w = await openBill(w);
      if (w.status === 'reviewing' || w.status === 'approved') throw conflict('INVALID_TRANSITION', '转账单尚未创建');
      if (!PENDING_STATUSES.includes(w.status)) return withdrawalView(w);
      const notify = dev.transferNotify(w.withdrawalNo, result);
      await handleTransferNotify(notify.headers, notify.body);
      return withdrawalView((await payouts.findById(w.id))!);
    },

    // --- finance staff

    /** The finance queue: each withdrawal with its electrician's name (finance checks who is paid). */
    async adminList(q: PageQuery & { status?: WithdrawalStatus; electricianId?: number }) {
      const { items, total } = await payouts.list({ status: q.status, electricianId: q.electricianId }, offsetOf(q), q.limit);
      const ids = [...new Set(items.map((w) => w.electricianId))];
      const names = new Map(
        await Promise.all(ids.map(async (id) => [id, (await d.electricians.findById(id))?.realName ?? ''] as const)),
      );
      return {
        items: items.map((w) => ({ ...adminView(w), electricianName: names.get(w.electricianId) ?? '' })),
        total,
        page: q.page,
        limit: q.limit,
      };
    },

    /** Approves a withdrawal in review and creates its transfer bill (→ wait_user_confirm). */
    async approve(staff: Principal, withdrawalNo: string) {
      const w = await reviewing(withdrawalNo);
      const now = clock.now();
      const won = await payouts.updateWhere(w.id, ['reviewing'], {
        status: 'approved',
        reviewedBy: staff.id,
        reviewedAt: now,
        updatedAt: now,
      });
      if (!won) throw conflict('INVALID_TRANSITION', '该提现不在审核中');
      return adminView(await openBill((await payouts.findById(w.id))!));
    },

    /** Rejects a withdrawal in review: cancelled with the reason, its money back in `available`. */
    async reject(staff: Principal, withdrawalNo: string, reason: string) {
      const w = await reviewing(withdrawalNo);
      const won = await finish(w, 'cancelled', {
        from: ['reviewing'],
        reason,
        cause: 'rejected',
        actor: { id: staff.id, role: 'admin' },
        reviewedBy: staff.id,
      });
      if (!won) throw conflict('INVALID_TRANSITION', '该提现不在审核中');
      return adminView((await payouts.findById(w.id))!);
    },

    // --- settlement and jobs

    /**
     * Credits a settled share to the wallet (the `payment.settled` subscriber): exactly once per
     * payment — the ledger's unique payment key rolls a second delivery back. True when credited.
     */
    async creditSettlement(e: PaymentSettled): Promise<boolean> {
      if (e.share <= 0) return false;
      const now = clock.now();
      const credit = () =>
        db.transaction(async (trx) => {
          // The balance row is changed first (made on the first credit), as every wallet change locks it first.
          if (!(await payouts.move(e.electricianId, { available: e.share }, now, trx))) {
            await payouts.ensureBalance(e.electricianId, now, trx);
            if (!(await payouts.move(e.electricianId, { available: e.share }, now, trx))) {
              throw new Error(`no wallet balance row for electrician ${e.electricianId}`);
            }
          }
          const written = await payouts.insertLedger(
            {
              electricianId: e.electricianId,
              type: 'settlement_credit',
              amount: e.share,
              paymentId: e.paymentId,
              orderId: e.orderId,
            },
            now,
            trx,
          );
          if (!written) throw new AlreadyDone();
          return true;
        });
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await credit();
        } catch (err) {
          if (err instanceof AlreadyDone) return false;
          // Two first credits of one electrician may both make the row: InnoDB picks a victim; run it again.
          if (!isDeadlock(err) || attempt >= 3) throw err;
        }
      }
    },

    /**
     * The job: bills whose creation was interrupted (approved for a while) are looked up and created;
     * bills waiting for the electrician are asked about; those unconfirmed for WITHDRAW_CONFIRM_HOURS
     * are cancelled through WeChat Pay and their money released once it says cancelled. Returns how
     * many withdrawals changed state.
     */
    async syncPending(): Promise<number> {
      const now = clock.now();
      let changed = 0;
      const due = await payouts.inStatusSince(['approved', 'wait_user_confirm'], new Date(now.getTime() - LATE_MS), JOB_BATCH);
      for (const w of due) {
        try {
          const after = await refresh(w);
          if (after.status !== w.status) {
            changed += 1;
            continue;
          }
          const expiresAt = after.billCreatedAt && new Date(after.billCreatedAt.getTime() + rules.confirmHours * HOUR);
          // Only a bill still waiting for the electrician can be cancelled; one being transferred is left to finish.
          const cancellable = after.billState === null || CANCELLABLE_STATES.has(after.billState);
          if (after.status === 'wait_user_confirm' && cancellable && expiresAt && expiresAt <= now) {
            const bill = await wxpay.cancelTransferBill(after.withdrawalNo);
            // The bill may have become final meanwhile: whatever it is now is applied.
            if (FINAL_TRANSFER_STATES.has(bill.state)) {
              if (await applyBill(after, bill, bill.state === 'CANCELLED' ? 'cancel' : 'query')) changed += 1;
            } else {
              await applyBill(after, bill, 'cancel');
            }
          }
        } catch (err) {
          logger.warn({ err, withdrawalNo: w.withdrawalNo }, 'pending withdrawal sync failed');
          await payouts.updateWhere(w.id, [w.status], { retryCount: w.retryCount + 1, updatedAt: now });
        }
      }
      return changed;
    },

    /** Whether the electrician has a withdrawal that is not final (their account cannot be deleted). */
    hasPending: (electricianId: number, trx?: Knex.Transaction) => payouts.hasPending(electricianId, trx),

    /** Transfers of withdrawals created in [from, to): succeeded, pending and failed (failed or cancelled), count and fen. */
    async transferTotals(from: Date, to: Date) {
      const rows = await payouts.totalsBetween(from, to);
      const sum = (statuses: readonly WithdrawalStatus[]) =>
        rows
          .filter((r) => statuses.includes(r.status))
          .reduce((a, r) => ({ count: a.count + r.count, amount: a.amount + r.amount }), { count: 0, amount: 0 });
      return { succeeded: sum(['succeeded']), pending: sum(PENDING_STATUSES), failed: sum(['failed', 'cancelled']) };
    },
  };
}

export type PayoutsService = ReturnType<typeof createPayoutsService>;
