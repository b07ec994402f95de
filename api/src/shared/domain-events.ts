import type { ActorRole, Order, OrderAction, OrderStatus } from '../modules/orders';
import type { StaffRole } from './auth';
import type { DurableBus } from './event-outbox';

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
  /** When the decision was made: with electricianId it names this decision (an applicant may reapply). */
  at: Date;
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

/** A customer reviewed a completed, paid order (published after commit). */
export interface ReviewCreated {
  name: 'review.created';
  reviewId: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  electricianId: number;
  electricianUserId: number;
  overallRating: number;
  at: Date;
}

/** The electrician replied to a review of theirs. */
export interface ReviewReplied {
  name: 'review.replied';
  reviewId: number;
  orderId: number;
  customerId: number;
  electricianUserId: number;
  at: Date;
}

/** Staff hid a review; it no longer counts towards the rating. */
export interface ReviewHidden {
  name: 'review.hidden';
  reviewId: number;
  orderId: number;
  customerId: number;
  electricianUserId: number;
  reason: string;
  actor: Actor;
  at: Date;
}

/**
 * A step in a complaint's history (SPEC 3.7), published after commit: opened or added to by the
 * customer, replied to, escalated or resolved by staff. Notified to everyone concerned but the one
 * who took the step: the customer, the order's electrician and (for opened, messaged and escalated)
 * the staff who handle complaints.
 */
export interface ComplaintChanged {
  name: 'complaint.opened' | 'complaint.messaged' | 'complaint.replied' | 'complaint.escalated' | 'complaint.resolved';
  complaintId: number;
  /** The complaint_events row this step wrote: notifications use it to stay exactly-once. */
  eventId: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  /** The user id of the order's electrician, if it had one. */
  electricianUserId: number | null;
  level: 'normal' | 'serious' | 'critical';
  status: 'open' | 'processing' | 'resolved' | 'rejected';
  outcome: 'rework' | 'refund' | 'compensate' | 'reject' | null;
  refundAmount: number | null;
  /** The complaint, the customer's addition, the reply, the escalation reason or the resolution note. */
  content: string | null;
  actor: Actor;
  at: Date;
}

/**
 * A session (or every session of a user, when `sessionId` is null) was ended: logout, ban, a
 * stolen refresh token presented again, a password reset by staff, the account deleted. Published after commit;
 * realtime disconnects the sockets that were opened with it, so nothing more is pushed to them.
 */
export interface SessionEnded {
  name: 'session.ended';
  userId: number;
  sessionId: string | null;
  reason: 'logout' | 'banned' | 'reuse' | 'password' | 'deleted';
}

/**
 * A staff member's role was changed (published after commit): realtime moves their open sockets
 * to the permission rooms of the role the database holds when it is delivered.
 */
export interface StaffRoleChanged {
  name: 'staff.role_changed';
  userId: number;
  staffRole: StaffRole;
}

export type DomainEvent =
  | SessionEnded
  | StaffRoleChanged
  | OrderChanged
  | DispatchOffered
  | DispatchClosed
  | ArrivalOverdue
  | ElectricianVerified
  | OrderPaid
  | ReviewCreated
  | ReviewReplied
  | ReviewHidden
  | ComplaintChanged;
/** Domain events are staged in the transaction that makes them true (see event-outbox.ts). */
export type DomainBus = DurableBus<DomainEvent>;
