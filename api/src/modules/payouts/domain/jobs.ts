import type { Knex } from 'knex';
import { isDeadlock } from '../../../db';
import { FINAL_TRANSFER_STATES } from '../../../integrations/wechatpay/wechatpay';
import { HOUR } from '../../../shared/clock';
import type { PaymentSettled } from '../../payments';
import { PENDING_STATUSES, type WithdrawalStatus } from '../payouts.schemas';
import { AlreadyDone, JOB_BATCH, LATE_MS, type PayoutsDeps } from './shared';
import type { Transfers } from './transfers';

const CANCELLABLE_STATES: ReadonlySet<string> = new Set(['ACCEPTED', 'WAIT_USER_CONFIRM', 'CANCELING']);

/** Settled shares credited to wallets, the pending-bills job, and what other modules ask of the withdrawals. */
export function createPayoutJobs(d: PayoutsDeps, t: Transfers) {
  const { db, payouts, wxpay, clock, logger, rules } = d;
  const { applyBill, refresh } = t;

  return {
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
