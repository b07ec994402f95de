/** The invoices module's domain events (added to the domain bus's events below). */
import type { Actor } from '../../shared/domain-events';
import type { InvoiceStatus } from './invoices.schemas';

/**
 * A step of an invoice (SPEC 3.12), published after commit: finance staff are told of a new
 * request, the customer of the issue (with the invoice number) or of the rejection (with the reason).
 */
export interface InvoiceChanged {
  name: 'invoice.requested' | 'invoice.issued' | 'invoice.rejected';
  invoiceId: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  status: InvoiceStatus;
  /** fen */
  amount: number;
  invoiceNo: string | null;
  reason: string | null;
  actor: Actor;
  at: Date;
}

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    InvoiceChanged: InvoiceChanged;
  }
}
