import { type EncryptedResource, type NotifyHeaders, type TransferBill } from '../../../integrations/wechatpay/wechatpay';
import { HOUR } from '../../../shared/clock';
import type { Actor } from '../../../shared/domain-events';
import { AppError, badRequest } from '../../../shared/errors';
import type { WithdrawalChanged } from '../payouts.events';
import type { Withdrawal } from '../payouts.repository';
import type { WithdrawalStatus } from '../payouts.schemas';
import { AlreadyDone, SYSTEM, withdrawalEvent as event, type PayoutsDeps } from './shared';

const TRANSFER_REMARK = '电工维修服务收入提现';
const notifyMismatch = (message: string) => badRequest('NOTIFY_MISMATCH', message);
const invalidSignature = (message = '转账通知签名校验失败') => new AppError('INVALID_SIGNATURE', 401, message);

/**
 * The transfers of withdrawals: the bill created, asked about and its result applied — the held
 * money moving exactly once, whichever of the create answer, the query, the notify or the expiry
 * job tells it first.
 */
export function createTransfers(d: PayoutsDeps) {
  const { db, payouts, wxpay, clock, logger, rules, bus } = d;

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

  return { finish, applyBill, openBill, refresh, handleTransferNotify };
}

export type Transfers = ReturnType<typeof createTransfers>;
