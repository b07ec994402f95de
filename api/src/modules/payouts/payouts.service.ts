import { createElectricianUseCases } from './domain/electrician';
import { createPayoutJobs } from './domain/jobs';
import { createViews, type PayoutsDeps } from './domain/shared';
import { createStaffUseCases } from './domain/staff';
import { createTransfers } from './domain/transfers';

export { newWithdrawalNo, type PayoutsDeps } from './domain/shared';

/**
 * The payouts service: the use cases of `domain/` — the electrician's wallet and withdrawals,
 * finance's review, the transfers (bill, query, notify: the held money moves exactly once) and the
 * jobs with the settlement credit.
 */
export function createPayoutsService(d: PayoutsDeps) {
  const transfers = createTransfers(d);
  const views = createViews(d.wxpay);
  return {
    handleTransferNotify: transfers.handleTransferNotify,
    ...createElectricianUseCases(d, transfers, views),
    ...createStaffUseCases(d, transfers, views),
    ...createPayoutJobs(d, transfers),
  };
}

export type PayoutsService = ReturnType<typeof createPayoutsService>;
