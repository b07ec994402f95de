import type { Db } from '../../db';
import type { SettledShare } from '../payments';
import { createPayoutsRepository, type PayoutsRepository } from './payouts.repository';
import type { LedgerType, WithdrawalStatus } from './payouts.schemas';

export interface WalletReconciliation {
  /** Wallets checked (every stored balance and every electrician the ledger has rows for). */
  wallets: number;
  withdrawals: number;
  settledShares: number;
  /** Each discrepancy, named: which wallet, withdrawal or payment, and what disagrees. */
  problems: string[];
  consistent: boolean;
}

/** The ledger rows each withdrawal status must have (type → sign of the amount). */
const ROWS_OF: Record<WithdrawalStatus, LedgerType[]> = {
  reviewing: ['withdraw_hold'],
  approved: ['withdraw_hold'],
  wait_user_confirm: ['withdraw_hold'],
  succeeded: ['withdraw_hold', 'withdraw_complete'],
  failed: ['withdraw_hold', 'withdraw_release'],
  cancelled: ['withdraw_hold', 'withdraw_release'],
};
const SIGN: Record<LedgerType, number> = { settlement_credit: 1, withdraw_hold: -1, withdraw_release: 1, withdraw_complete: -1 };

/**
 * Proves the wallets agree with their ledger and with payments:
 * - every stored balance equals its ledger's sums — available = credits + holds + releases,
 *   withdrawing = −holds − releases + completes, withdrawn = −completes (none negative);
 * - every withdrawal has exactly the ledger rows its state implies, each of its amount;
 * - every settled share (payments' side) was credited once, of that amount, to that electrician,
 *   and nothing else was credited.
 */
export async function reconcileWallets(
  wallet: Pick<PayoutsRepository, 'allBalances' | 'ledgerSums' | 'withdrawalsWithLedger' | 'credits'>,
  shares: { settledShares(): Promise<SettledShare[]> },
): Promise<WalletReconciliation> {
  const [balances, sums, withdrawals, credits, settled] = await Promise.all([
    wallet.allBalances(),
    wallet.ledgerSums(),
    wallet.withdrawalsWithLedger(),
    wallet.credits(),
    shares.settledShares(),
  ]);
  const problems: string[] = [];

  const ledger = new Map<number, Record<LedgerType, number>>();
  for (const s of sums) {
    const t = ledger.get(s.electricianId) ?? {
      settlement_credit: 0,
      withdraw_hold: 0,
      withdraw_release: 0,
      withdraw_complete: 0,
    };
    t[s.type] = s.amount;
    ledger.set(s.electricianId, t);
  }
  const electricians = new Set([...balances.map((b) => b.electricianId), ...ledger.keys()]);
  for (const id of electricians) {
    const b = balances.find((x) => x.electricianId === id) ?? { available: 0, withdrawing: 0, withdrawn: 0 };
    const l = ledger.get(id) ?? { settlement_credit: 0, withdraw_hold: 0, withdraw_release: 0, withdraw_complete: 0 };
    const expected = {
      available: l.settlement_credit + l.withdraw_hold + l.withdraw_release,
      withdrawing: -l.withdraw_hold - l.withdraw_release + l.withdraw_complete,
      withdrawn: -l.withdraw_complete,
    };
    for (const k of ['available', 'withdrawing', 'withdrawn'] as const) {
      if (b[k] !== expected[k]) problems.push(`wallet of electrician ${id}: stored ${k} ${b[k]}, ledger says ${expected[k]}`);
      if (b[k] < 0) problems.push(`wallet of electrician ${id}: ${k} is negative (${b[k]})`);
    }
  }

  for (const { withdrawal: w, rows } of withdrawals) {
    const want = ROWS_OF[w.status];
    const types = rows.map((r) => r.type).sort();
    if (!want) problems.push(`withdrawal ${w.withdrawalNo}: unknown status ${w.status}`);
    else if (types.join(',') !== [...want].sort().join(','))
      problems.push(
        `withdrawal ${w.withdrawalNo} (${w.status}): ledger rows [${types.join(', ')}], expected [${want.join(', ')}]`,
      );
    for (const r of rows) {
      if (r.amount !== SIGN[r.type] * w.amount)
        problems.push(`withdrawal ${w.withdrawalNo}: ${r.type} of ${r.amount}, expected ${SIGN[r.type] * w.amount}`);
    }
  }

  const settledIds = new Set<number>();
  for (const s of settled) {
    settledIds.add(s.paymentId);
    const c = credits.get(s.paymentId);
    if (!c) problems.push(`payment ${s.paymentNo}: settled share ${s.share} of electrician ${s.electricianId} not credited`);
    else if (c.amount !== s.share || c.electricianId !== s.electricianId)
      problems.push(
        `payment ${s.paymentNo}: credited ${c.amount} to electrician ${c.electricianId}, settled ${s.share} for electrician ${s.electricianId}`,
      );
  }
  for (const [paymentId, c] of credits) {
    if (!settledIds.has(paymentId))
      problems.push(`payment id ${paymentId}: credited ${c.amount} to electrician ${c.electricianId} but not settled`);
  }

  return {
    wallets: electricians.size,
    withdrawals: withdrawals.length,
    settledShares: settled.length,
    problems,
    consistent: problems.length === 0,
  };
}

/** The wallet reads over a database handle (the reconcile script has no container). */
export const walletReadsOf = (db: Db) => createPayoutsRepository(db);

export function formatWalletReconciliation(r: WalletReconciliation): string {
  return [
    `wallets: ${r.wallets} checked against the ledger, ${r.withdrawals} withdrawals against their states, ${r.settledShares} settled shares against their credits`,
    ...r.problems.map((p) => `  ${p}`),
    r.consistent ? 'CONSISTENT' : 'MISMATCH',
  ].join('\n');
}
