/** What other modules may use of invoices (the rest is its own). */
export type { InvoiceChanged } from './invoices.events';
export type { InvoicesService } from './invoices.service';
