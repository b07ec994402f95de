import type { Db } from '../../db';

/** An electrician's settled share of one payment, as the settlement published it. */
export interface SettledShare {
  paymentId: number;
  paymentNo: string;
  orderId: number;
  electricianId: number;
  share: number;
}

/**
 * The electricians' shares as payments holds them, for the wallet (payouts): what is still waiting
 * for settlement, and every settled share (the reconcile check proves each was credited once).
 * Shares are net of what succeeded refunds took back.
 */
export function createSharesReads(db: Db) {
  const takenBack = () =>
    db('refunds')
      .select('payment_id')
      .sum({ taken: 'electrician_amount' })
      .where('status', 'success')
      .groupBy('payment_id')
      .as('r');
  const shares = () =>
    db('payments')
      .leftJoin(takenBack(), 'r.payment_id', 'payments.id')
      .whereNotNull('payments.electrician_id')
      .whereIn('payments.status', ['paid', 'partial_refund', 'refunded'])
      .andWhere('payments.electrician_amount', '>', 0);
  return {
    /** The electrician's shares not settled yet (fen). */
    async pendingShare(electricianId: number): Promise<number> {
      const row = await shares()
        .where('payments.electrician_id', electricianId)
        .andWhere('payments.settlement_status', 'pending')
        .sum({ gross: 'payments.electrician_amount' })
        .sum({ taken: db.raw('coalesce(r.taken, 0)') })
        .first();
      return Number(row?.gross ?? 0) - Number(row?.taken ?? 0);
    },

    /** Every settled share above zero, oldest first. */
    async settledShares(): Promise<SettledShare[]> {
      const rows = await shares()
        .where('payments.settlement_status', 'settled')
        .select(
          'payments.id',
          'payments.payment_no',
          'payments.order_id',
          'payments.electrician_id',
          'payments.electrician_amount',
          db.raw('coalesce(r.taken, 0) as taken'),
        )
        .orderBy('payments.id');
      return rows
        .map((r: Record<string, unknown>) => ({
          paymentId: Number(r.id),
          paymentNo: String(r.payment_no),
          orderId: Number(r.order_id),
          electricianId: Number(r.electrician_id),
          share: Number(r.electrician_amount) - Number(r.taken),
        }))
        .filter((s) => s.share > 0);
    },
  };
}

export type SharesReads = ReturnType<typeof createSharesReads>;
