import type { ModuleParts, Platform } from '../../shared/module';
import type { PaymentReports } from '../payments';
import type { TransferTotals } from '../payouts';
import { financeRoutes } from './finance.routes';
import { createFinanceService } from './finance.service';

/** The finance pages: payments and refunds listed and exported, and the daily reconciliation. Finance owns no table. */
export function financeModule(p: Platform, d: { reports: PaymentReports; transfers: TransferTotals }) {
  const service = createFinanceService({ reports: d.reports, clock: p.clock, transfers: d.transfers });
  const parts: ModuleParts = { routes: financeRoutes(service), jobs: [] };
  return { service, ...parts };
}
