import { isDevWechatPay, type WechatPay } from '../../integrations/wechatpay/wechatpay';
import type { ModuleParts, Platform } from '../../shared/module';
import type { EarningsPort } from '../electricians';
import type { OrderNumbers, PaymentOrdersPort } from '../orders';
import type { AccountDeletion, UserReader } from '../users';
import type { InvoicePayments, PaymentReports } from './index';
import { createPaymentReports } from './payment-reports.repository';
import { createPaymentsRepository } from './payments.repository';
import { paymentsRoutes } from './payments.routes';
import { createPaymentsService } from './payments.service';

/**
 * Payments: WeChat Pay prepay and notifies, refunds, the electrician's share and its settlement,
 * the jobs that sync, retry and settle them, and the read-only reports finance shows.
 */
export function paymentsModule(
  p: Platform,
  d: {
    wxpay: WechatPay;
    orders: PaymentOrdersPort & OrderNumbers;
    electricians: EarningsPort;
    users: UserReader;
    /** Whether a complaint about the order is open: its settlement waits. */
    hasOpenComplaint: (orderId: number) => Promise<boolean>;
    deletion: AccountDeletion;
  },
) {
  const { db, clock, bus, config, logger } = p;
  const repository = createPaymentsRepository(db, d.orders);
  const service = createPaymentsService({
    db,
    payments: repository,
    orders: d.orders,
    electricians: d.electricians,
    users: d.users,
    wxpay: d.wxpay,
    bus,
    clock,
    business: config.business,
    logger: logger.child({ module: 'payments' }),
    hasOpenComplaint: d.hasOpenComplaint,
  });
  d.deletion.erase((party, deletedOpenid, now, trx) => repository.anonymisePayer(party.customerId, deletedOpenid, now, trx));
  // The dev pay endpoint exists only with the dev WeChat Pay, never in production.
  const devPay = !config.isProduction && isDevWechatPay(d.wxpay) ? d.wxpay : undefined;
  const parts: ModuleParts = {
    routes: paymentsRoutes(service, devPay),
    jobs: [
      // Late notifies are queried, expired prepays closed (or credited when WeChat Pay says paid).
      { name: 'payments.sync-pending', intervalMs: 30_000, run: () => service.syncPending() },
      { name: 'payments.refund-retry', intervalMs: 60_000, run: () => service.retryRefunds() },
      { name: 'payments.settle', intervalMs: 10 * 60_000, run: () => service.settleDue() },
    ],
  };
  const reports: PaymentReports = createPaymentReports(db, d.orders);
  const invoicing: InvoicePayments = repository;
  return { service, ...parts, reports, invoicing };
}
