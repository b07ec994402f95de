/** The dispatch module's domain events (added to the domain bus's events below). */
import type { Order } from '../orders';

export interface DispatchOffered {
  name: 'dispatch.offered';
  offerId: number;
  orderId: number;
  electricianId: number;
  electricianUserId: number;
  expiresAt: Date;
  order: Order;
}

export interface DispatchClosed {
  name: 'dispatch.closed';
  offerId: number;
  orderId: number;
  electricianId: number;
  status: 'accepted' | 'rejected' | 'expired' | 'lost' | 'cancelled';
}

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    DispatchOffered: DispatchOffered;
    DispatchClosed: DispatchClosed;
  }
}
