import type { DomainBus } from '../../shared/domain-events';
import type { MessagesService } from '../messages';
import type { PaymentSettled } from '../payments';
import type { WithdrawalChanged } from './payouts.events';
import type { PayoutsService } from './payouts.service';

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** The electrician's message for each step of a withdrawal. */
function messageOf(e: WithdrawalChanged): { title: string; content: string } {
  const amount = yuan(e.amount);
  const why = e.reason ? `：${e.reason}` : '。';
  switch (e.status) {
    case 'reviewing':
      return { title: '提现申请已提交', content: `提现 ${amount} 已提交，金额较大需财务审核，审核后请留意确认收款。` };
    case 'approved':
    case 'wait_user_confirm':
      return e.cause === 'approved'
        ? { title: '提现审核通过', content: `提现 ${amount} 已审核通过，请在钱包中确认收款。` }
        : { title: '提现待确认收款', content: `提现 ${amount} 已发起，请在钱包中确认收款。` };
    case 'succeeded':
      return { title: '提现成功', content: `提现 ${amount} 已转入你的微信零钱。` };
    case 'failed':
      return { title: '提现失败', content: `提现 ${amount} 未成功${why}金额已退回钱包余额。` };
    case 'cancelled':
      if (e.cause === 'rejected')
        return { title: '提现申请被驳回', content: `提现 ${amount} 未通过审核${why}金额已退回钱包余额。` };
      if (e.cause === 'expired')
        return { title: '提现已过期', content: `提现 ${amount} 超时未确认收款，已撤销，金额已退回钱包余额。` };
      return { title: '提现已撤销', content: `提现 ${amount} 已撤销${why}金额已退回钱包余额。` };
  }
}

/**
 * What payouts does on the domain bus: credits each settled share to the electrician's wallet
 * (once per payment), and tells the electrician of each step of their withdrawals through the
 * message center — stored, pushed, once per (withdrawal, status).
 */
export function subscribePayouts(
  bus: DomainBus,
  d: { payouts: PayoutsService; messages: Pick<MessagesService, 'notify'> },
): () => void {
  const offs = [
    bus.subscribe('payment.settled', async (e: PaymentSettled) => {
      await d.payouts.creditSettlement(e);
    }),
    bus.subscribe('withdrawal.changed', async (e: WithdrawalChanged) => {
      const { title, content } = messageOf(e);
      await d.messages.notify([
        {
          userId: e.electricianUserId,
          type: 'system',
          orderId: null,
          title,
          content,
          sourceKey: `withdrawal:${e.withdrawalNo}:${e.status}:${e.electricianUserId}`,
        },
      ]);
    }),
  ];
  return () => offs.forEach((off) => off());
}
