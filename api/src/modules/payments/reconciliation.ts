import type { ReconciliationReads } from './payment-reports.repository';

/**
 * Reconciliation of the payments ledger, per Beijing day (WeChat Pay's bills are in Beijing time):
 * money in (payments credited that day), money out (refunds that succeeded that day), and how each
 * fen was split. Everything is summed in integers; a day balances when
 *   paid = platformFee + electricianAmount + underReview
 *   refunded = refundFromElectrician + refundFromPlatform
 * and, over the payments of the range, each payment's refund_amount equals its successful refunds
 * and never exceeds what was paid.
 */
export interface ReconciliationDay {
  date: string;
  payments: number;
  paid: number;
  platformFee: number;
  electricianAmount: number;
  /** Paid after the order was paid by another payment: no split, awaiting a refund review. */
  underReview: number;
  refunds: number;
  refunded: number;
  refundFromElectrician: number;
  refundFromPlatform: number;
  netPlatform: number;
  netElectrician: number;
  balanced: boolean;
}

export interface Reconciliation {
  from: string;
  to: string;
  days: ReconciliationDay[];
  totals: Omit<ReconciliationDay, 'date'>;
  problems: string[];
  balanced: boolean;
}

const BEIJING_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
const beijingDate = (d: Date) => new Date(d.getTime() + BEIJING_MS).toISOString().slice(0, 10);
/** The UTC instant at which Beijing day `date` (YYYY-MM-DD) starts. */
const startOfBeijingDay = (date: string) => new Date(Date.parse(`${date}T00:00:00.000Z`) - BEIJING_MS);

const empty = (): Omit<ReconciliationDay, 'date'> => ({
  payments: 0,
  paid: 0,
  platformFee: 0,
  electricianAmount: 0,
  underReview: 0,
  refunds: 0,
  refunded: 0,
  refundFromElectrician: 0,
  refundFromPlatform: 0,
  netPlatform: 0,
  netElectrician: 0,
  balanced: true,
});

/** Days `from`..`to` inclusive (YYYY-MM-DD, Beijing time), from the ledger's reads (`PaymentReports` has them). */
export async function reconcile(ledger: ReconciliationReads, from: string, to: string): Promise<Reconciliation> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(Date.parse(from)) || from > to) {
    throw new RangeError('from and to must be dates YYYY-MM-DD with from <= to');
  }
  const start = startOfBeijingDay(from);
  const end = new Date(startOfBeijingDay(to).getTime() + DAY_MS);
  const paid = await ledger.paidBetween(start, end);
  const refunds = await ledger.refundsSucceededBetween(start, end);

  const days = new Map<string, ReconciliationDay>();
  const day = (date: string) => {
    let d = days.get(date);
    if (!d) days.set(date, (d = { date, ...empty() }));
    return d;
  };
  const problems: string[] = [];

  for (const p of paid) {
    const d = day(beijingDate(p.paidAt));
    const [amount, fee, share] = [p.amount, p.platformFee, p.electricianAmount];
    d.payments += 1;
    d.paid += amount;
    d.platformFee += fee;
    d.electricianAmount += share;
    if (fee === 0 && share === 0 && amount > 0) d.underReview += amount;
    else if (fee + share !== amount) problems.push(`payment ${p.paymentNo}: fee ${fee} + share ${share} ≠ amount ${amount}`);
  }
  for (const r of refunds) {
    const d = day(beijingDate(r.updatedAt));
    const [amount, fromElectrician] = [r.amount, r.electricianAmount];
    d.refunds += 1;
    d.refunded += amount;
    d.refundFromElectrician += fromElectrician;
    d.refundFromPlatform += amount - fromElectrician;
  }

  // Per payment of the range: the recorded refund total is the sum of its successful refunds, within what was paid.
  const byPayment = await ledger.refundedByPayment(paid.map((p) => p.id));
  for (const p of paid) {
    const succeeded = byPayment.get(p.id) ?? 0;
    if (succeeded !== p.refundAmount)
      problems.push(`payment ${p.paymentNo}: refund_amount ${p.refundAmount} ≠ refunds ${succeeded}`);
    if (succeeded > p.amount) problems.push(`payment ${p.paymentNo}: refunded ${succeeded} > paid ${p.amount}`);
  }

  const totals = empty();
  const sorted = [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  for (const d of sorted) {
    d.netPlatform = d.platformFee - d.refundFromPlatform;
    d.netElectrician = d.electricianAmount - d.refundFromElectrician;
    d.balanced =
      d.paid === d.platformFee + d.electricianAmount + d.underReview &&
      d.refunded === d.refundFromElectrician + d.refundFromPlatform;
    if (!d.balanced) problems.push(`${d.date}: does not balance`);
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) {
      if (k !== 'balanced') totals[k] += d[k];
    }
  }
  totals.balanced = sorted.every((d) => d.balanced);
  return { from, to, days: sorted, totals, problems, balanced: problems.length === 0 };
}

/** A fixed-width table of a reconciliation, amounts in yuan with two decimals. */
export function formatReconciliation(r: Reconciliation): string {
  const yuan = (fen: number) => (fen / 100).toFixed(2);
  const cols = [
    'date',
    'payments',
    'paid',
    'platformFee',
    'electricianAmount',
    'underReview',
    'refunds',
    'refunded',
    'netPlatform',
    'netElectrician',
    'balanced',
  ] as const;
  const money = new Set<string>([
    'paid',
    'platformFee',
    'electricianAmount',
    'underReview',
    'refunded',
    'netPlatform',
    'netElectrician',
  ]);
  const cell = (d: Partial<ReconciliationDay>, c: (typeof cols)[number]) => {
    const v = d[c];
    return typeof v === 'number' && money.has(c) ? yuan(v) : String(v ?? '');
  };
  const rows = [
    [...cols],
    ...r.days.map((d) => cols.map((c) => cell(d, c))),
    cols.map((c) => (c === 'date' ? 'total' : cell(r.totals, c))),
  ];
  const widths = cols.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((v, i) => v.padStart(widths[i]!)).join('  '));
  lines.push(
    r.balanced
      ? `balanced to the fen (${r.from} … ${r.to}, Beijing time)`
      : `NOT BALANCED:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  return lines.join('\n');
}
