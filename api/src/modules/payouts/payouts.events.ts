/** The payouts module's domain events (added to the domain bus's events below). */
import type { Actor } from '../../shared/domain-events';
import type { WithdrawalStatus } from './payouts.schemas';

/**
 * A withdrawal reached a state (SPEC 3.9), published after commit: the electrician is told through
 * the message center — submitted for review, approved (the bill waits for their confirmation),
 * rejected, succeeded, failed, cancelled or expired unconfirmed.
 */
export interface WithdrawalChanged {
  name: 'withdrawal.changed';
  withdrawalNo: string;
  electricianUserId: number;
  amount: number;
  status: WithdrawalStatus;
  /** Why it was rejected, failed or cancelled. */
  reason: string | null;
  /** How it got there: 'expired' when the electrician did not confirm in time, 'rejected' by finance. */
  cause: 'submitted' | 'approved' | 'rejected' | 'expired' | 'transfer';
  actor: Actor;
  at: Date;
}

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    WithdrawalChanged: WithdrawalChanged;
  }
}
