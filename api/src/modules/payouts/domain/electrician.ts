import type { Knex } from 'knex';
import type { DevWechatPay } from '../../../integrations/wechatpay/wechatpay';
import type { Principal } from '../../../shared/auth';
import { chinaDay } from '../../../shared/clock';
import { AppError, badRequest, conflict, forbidden } from '../../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../../shared/pagination';
import { hasPermission } from '../../../shared/permissions';
import type { Withdrawal } from '../payouts.repository';
import { PENDING_STATUSES, type WithdrawalStatus } from '../payouts.schemas';
import {
  newWithdrawalNo,
  WALLET_LEDGER_ROWS,
  withdrawalEvent as event,
  withdrawalNotFound,
  yuan,
  type PayoutsDeps,
  type Views,
} from './shared';
import type { Transfers } from './transfers';

/** The electrician's side: the wallet, withdrawing, their withdrawals (and the dev pay confirmation). */
export function createElectricianUseCases(d: PayoutsDeps, t: Transfers, views: Views) {
  const { payouts, clock, rules, bus, logger } = d;
  const { openBill, refresh, handleTransferNotify } = t;
  const { withdrawalView, ledgerView } = views;

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

  async function ownedOrStaff(p: Principal, withdrawalNo: string): Promise<Withdrawal> {
    const w = await payouts.findByNo(withdrawalNo);
    if (!w || (w.userId !== p.id && !hasPermission(p, 'finance.payouts'))) throw withdrawalNotFound();
    return w;
  }

  return {
    /** GET /api/electricians/me/wallet */
    async wallet(p: Principal) {
      const e = await electricianOf(p);
      const [balance, pendingSettlement, held, ledger, today] = await Promise.all([
        payouts.balanceOf(e.id),
        d.shares.pendingShare(e.id),
        heldByComplaints(e.id),
        payouts.ledgerOf(e.id, WALLET_LEDGER_ROWS),
        payouts.withdrawnSince(e.id, chinaDay(clock.now()).start),
      ]);
      return {
        available: balance.available,
        withdrawable: Math.max(0, balance.available - held),
        heldByComplaints: Math.min(held, balance.available),
        pendingSettlement,
        withdrawing: balance.withdrawing,
        withdrawn: balance.withdrawn,
        rules: {
          minFen: rules.minFen,
          dailyMaxFen: rules.dailyMaxFen,
          reviewFen: rules.reviewFen,
          confirmHours: rules.confirmHours,
          // What the daily cap still allows today (Beijing day).
          todayLeftFen: Math.max(0, rules.dailyMaxFen - today),
        },
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
  };
}
