/** The payments module's domain events (added to the domain bus's events below). */

/**
 * The electrician's share of a payment was settled (SPEC 3.3, after its delay and with no complaint
 * open): staged in the settlement's transaction, so it is delivered at least once. `share` is what
 * the electrician keeps — their part of the payment net of what refunds took back from it (refunds
 * after settlement are the platform's, so it no longer changes). Payouts credits it to the wallet,
 * once per payment.
 */
export interface PaymentSettled {
  name: 'payment.settled';
  paymentId: number;
  paymentNo: string;
  orderId: number;
  electricianId: number;
  share: number;
  at: Date;
}

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    PaymentSettled: PaymentSettled;
  }
}
