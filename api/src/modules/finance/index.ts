/** What other modules may use of finance (the rest is its own): nothing yet beyond its service's type. Finance owns no table. */
export type { FinanceService } from './finance.service';
