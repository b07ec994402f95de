import type { Principal } from '../../../shared/auth';
import { conflict } from '../../../shared/errors';
import { offsetOf, type PageQuery } from '../../../shared/pagination';
import type { Withdrawal } from '../payouts.repository';
import type { WithdrawalStatus } from '../payouts.schemas';
import { withdrawalNotFound, type PayoutsDeps, type Views } from './shared';
import type { Transfers } from './transfers';

/** Finance staff (finance.payouts): the queue, approving a withdrawal in review (its bill is created) or rejecting it. */
export function createStaffUseCases(d: PayoutsDeps, t: Transfers, views: Views) {
  const { payouts, clock } = d;
  const { finish, openBill } = t;
  const { adminView } = views;

  async function reviewing(withdrawalNo: string): Promise<Withdrawal> {
    const w = await payouts.findByNo(withdrawalNo);
    if (!w) throw withdrawalNotFound();
    if (w.status !== 'reviewing') throw conflict('INVALID_TRANSITION', '该提现不在审核中');
    return w;
  }

  return {
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
  };
}
