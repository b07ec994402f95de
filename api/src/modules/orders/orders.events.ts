/** The orders module's domain events: they carry the order (added to the domain bus's events below). */
import type { Actor } from '../../shared/domain-events';
import type { OrderAction, OrderStatus } from './order-states';
import type { Order } from './orders.repository';

/** One per order transition (and creation), published after the transaction commits. */
/** An electrician as an order event names them: their account and their name (for notifications). */
export interface EventElectrician {
  id: number;
  userId: number;
  realName: string;
}

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
    | 'order.expired'
    | 'order.reworked';
  action: OrderAction | 'create';
  orderId: number;
  from: OrderStatus | null;
  to: OrderStatus;
  order: Order;
  actor: Actor;
  /** The electrician who held the order before a release, unassign or cancel (for their notifications). */
  previousElectricianId: number | null;
  /**
   * Who the order's electrician and the previous one are (`order.electricianId`,
   * `previousElectricianId`), as the transaction read them, so that subscribers read neither again.
   */
  holders: { current: EventElectrician | null; previous: EventElectrician | null };
  details: Record<string, unknown>;
  eventId: number;
  at: Date;
  /**
   * The order's conversation got its status line in the transition's own transaction (chat's
   * subscriber writes it only for events staged before transitions did: absent there).
   */
  statusLine?: boolean;
}

export interface ArrivalOverdue {
  name: 'order.arrival_overdue';
  orderId: number;
  order: Order;
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

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    OrderChanged: OrderChanged;
    ArrivalOverdue: ArrivalOverdue;
    OrderPaid: OrderPaid;
  }
}
