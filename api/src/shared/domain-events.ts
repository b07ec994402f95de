import type { Order } from '../modules/orders/orders.repository';
import type { ActorRole, OrderAction, OrderStatus } from '../modules/orders/order-states';
import type { EventBus } from './events';

export interface Actor {
  id: number | null;
  role: ActorRole;
}

/** One per order transition (and creation), published after the transaction commits. */
export interface OrderChanged {
  name:
    | 'order.created'
    | 'order.accepted'
    | 'order.released'
    | 'order.arrived'
    | 'order.quoted'
    | 'order.quote_rejected'
    | 'order.quote_accepted'
    | 'order.completed'
    | 'order.cancelled'
    | 'order.expired';
  action: OrderAction | 'create';
  orderId: number;
  from: OrderStatus | null;
  to: OrderStatus;
  order: Order;
  actor: Actor;
  /** The electrician who held the order before a release, unassign or cancel (for their notifications). */
  previousElectricianId: number | null;
  details: Record<string, unknown>;
  eventId: number;
  at: Date;
}

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

export interface ArrivalOverdue {
  name: 'order.arrival_overdue';
  orderId: number;
  order: Order;
}

export interface ElectricianVerified {
  name: 'electrician.verified';
  electricianId: number;
  userId: number;
  approved: boolean;
  note: string | null;
  actor: Actor;
}

/** A payment was credited to its order (exactly once per payment), published after commit. */
export interface OrderPaid {
  name: 'order.paid';
  orderId: number;
  paymentNo: string;
  amount: number;
  order: Order;
  at: Date;
}

export type DomainEvent = OrderChanged | DispatchOffered | DispatchClosed | ArrivalOverdue | ElectricianVerified | OrderPaid;
export type DomainBus = EventBus<DomainEvent>;
