/** What other modules may use of payouts (the rest is its own). */
import type { PayoutsService } from './payouts.service';

export type { PayoutsService } from './payouts.service';
export type { WithdrawalChanged } from './payouts.events';
export { TRANSFER_NOTIFY_PATH } from './payouts.routes';
export { reconcileWallets, formatWalletReconciliation, walletReadsOf, type WalletReconciliation } from './reconcile';

/** The finance page's transfer totals over a range (payouts owns the withdrawals). */
export type TransferTotals = Pick<PayoutsService, 'transferTotals'>;
