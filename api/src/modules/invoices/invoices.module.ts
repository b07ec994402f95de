import type { ModuleParts, Platform } from '../../shared/module';
import type { FilesService } from '../files';
import type { MessagesService } from '../messages';
import type { OrderNumbers, OrderReader } from '../orders';
import type { InvoicePayments } from '../payments';
import type { AccountDeletion, StaffDirectory } from '../users';
import { createInvoicesRepository } from './invoices.repository';
import { invoicesRoutes } from './invoices.routes';
import { createInvoicesService } from './invoices.service';
import { subscribeInvoices } from './invoices.subscriptions';

/**
 * Invoices (SPEC 3.12): customers ask for an invoice of a paid order, finance staff issue it with
 * the file they uploaded or reject it, and the customer is notified and downloads it through a
 * signed URL. A deleted account's invoices stay for the books, anonymised.
 */
export function invoicesModule(
  p: Platform,
  d: {
    orders: OrderReader & Pick<OrderNumbers, 'orderNos'>;
    payments: InvoicePayments;
    files: Pick<FilesService, 'attach' | 'refs'>;
    messages: Pick<MessagesService, 'notify'>;
    staff: StaffDirectory;
    deletion: AccountDeletion;
  },
) {
  const { db, clock, bus } = p;
  const repository = createInvoicesRepository(db);
  const service = createInvoicesService({
    db,
    invoices: repository,
    orders: d.orders,
    payments: d.payments,
    files: d.files,
    bus,
    clock,
  });
  subscribeInvoices(bus, { messages: d.messages, staff: d.staff });
  d.deletion.erase((party, _openid, now, trx) => repository.anonymiseCustomer(party.customerId, '账号已注销', now, trx));
  const parts: ModuleParts = {
    routes: invoicesRoutes(service, { orders: d.orders, files: d.files }),
    jobs: [],
  };
  return { service, ...parts };
}
